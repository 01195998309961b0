# One consumer of an existing stream, from the package `nx run s3-archiver:package` wrote.
resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example consumer key"
  enable_key_rotation = true
}

module "consumer" {
  source = "../.."

  function_name                  = "example-s3-archiver"
  service_name                   = "s3-archiver"
  package_path                   = "${path.module}/../../../../../dist/packages/s3-archiver.zip"
  reserved_concurrent_executions = 2
  stream_arn                     = "arn:aws:kinesis:eu-west-1:123456789012:stream/example-enriched"
  enhanced_fan_out               = true
  on_failure_queue_arn           = "arn:aws:sqs:eu-west-1:123456789012:example-s3-archiver-failures"
  quarantine_queue_arn           = "arn:aws:sqs:eu-west-1:123456789012:example-quarantine"
  quarantine_queue_url           = "https://sqs.eu-west-1.amazonaws.com/123456789012/example-quarantine"
  kms_key_arn                    = aws_kms_key.example.arn

  environment = {
    ARCHIVE_BUCKET = "example-archive"
    ARCHIVE_PREFIX = "events"
  }

  policy_statements = [
    { sid = "WriteArchiveObjects", actions = ["s3:PutObject"], resources = ["arn:aws:s3:::example-archive/events/*"] },
  ]

  event_source_mapping = {
    batch_size             = 500
    parallelization_factor = 2
    filter_patterns        = [jsonencode({ data = { type = [{ prefix = "com.example.ad." }] } })]
  }
}

output "function_name" {
  description = "Name of the example function."
  value       = module.consumer.function_name
}
