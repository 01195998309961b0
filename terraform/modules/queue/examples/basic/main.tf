resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example queue key"
  enable_key_rotation = true
}

module "queue" {
  source = "../.."

  name        = "example-quarantine"
  kms_key_arn = aws_kms_key.example.arn
}

output "queue_url" {
  description = "URL of the example queue."
  value       = module.queue.queue_url
}
