resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example domain key"
  enable_key_rotation = true
}

module "domain" {
  source = "../.."

  domain_name      = "example-events"
  kms_key_arn      = aws_kms_key.example.arn
  master_user_arn  = "arn:aws:iam::123456789012:role/search-admin"
  writer_role_arns = ["arn:aws:iam::123456789012:role/example-indexer-role"]
}

output "domain_endpoint" {
  description = "Endpoint of the example domain."
  value       = module.domain.domain_endpoint
}
