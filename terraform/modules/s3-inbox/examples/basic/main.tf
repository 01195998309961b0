# An inbox importer writing to an existing stream, from the package `nx run s3-import:package` wrote.
resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example inbox key"
  enable_key_rotation = true
}

module "inbox" {
  source = "../.."

  function_name = "example-s3-import"
  service_name  = "s3-import"
  package_path  = "${path.module}/../../../../../dist/packages/s3-import.zip"
  bucket_name   = "example-inbox-123456789012"
  prefix        = "incoming"
  expire_days   = 3
  kms_key_arn   = aws_kms_key.example.arn

  environment = {
    RAW_STREAM_NAME       = "example-raw"
    INBOX_BUCKET          = "example-inbox-123456789012"
    INBOX_PREFIX          = "incoming"
    CHECKPOINT_TABLE_NAME = "example-s3-import-checkpoints"
  }

  policy_statements = [
    { sid = "PutRawEvents", actions = ["kinesis:PutRecords", "kinesis:ListShards"], resources = ["arn:aws:kinesis:eu-west-1:123456789012:stream/example-raw"] },
    { sid = "ReadInboxObjects", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::example-inbox-123456789012/incoming/*"] },
  ]

  async = {
    maximum_retry_attempts       = 1
    maximum_event_age_in_seconds = 3600
  }
}

output "bucket_name" {
  description = "Name of the example inbox."
  value       = module.inbox.bucket_name
}
