resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which lets CloudWatch use it.
  description         = "example topic key"
  enable_key_rotation = true
}

module "monitoring" {
  source = "../.."

  dashboard_name   = "example-pipeline"
  alarm_topic_name = "example-alarms"
  alarm_emails     = ["oncall@example.com"]
  kms_key_arn      = aws_kms_key.example.arn
  stream_names     = ["example-raw", "example-enriched"]
  functions        = { "example-enrichment" = "enrichment" }
}

output "alarm_topic_arn" {
  description = "Topic the example alarms notify."
  value       = module.monitoring.alarm_topic_arn
}
