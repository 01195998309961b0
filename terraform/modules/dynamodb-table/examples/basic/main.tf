resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example table key"
  enable_key_rotation = true
}

module "aggregates" {
  source = "../.."

  name          = "example-aggregates"
  hash_key      = "pk"
  range_key     = "windowStart"
  ttl_attribute = "expiresAt"
  kms_key_arn   = aws_kms_key.example.arn
}

output "table_name" {
  description = "Name of the example table."
  value       = module.aggregates.table_name
}
