# The whole pipeline with defaults; terraform/environments/<env> are the real roots.
module "pipeline" {
  source = "../.."

  environment  = "example"
  packages_dir = "${path.module}/../../../../../dist/packages"
}

output "raw_stream_name" {
  description = "Stream producers write to."
  value       = module.pipeline.raw_stream_name
}
