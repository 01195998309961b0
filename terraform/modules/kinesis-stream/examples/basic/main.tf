resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example stream key"
  enable_key_rotation = true
}

module "stream" {
  source = "../.."

  name            = "example-events"
  stream_mode     = "PROVISIONED"
  shard_count     = 2
  retention_hours = 48
  kms_key_arn     = aws_kms_key.example.arn
}

output "stream_arn" {
  description = "ARN of the example stream."
  value       = module.stream.stream_arn
}
