# The HTTPS front door in front of an existing stream, from the package `nx run ingest-api:package` wrote.
resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example ingest key"
  enable_key_rotation = true
}

module "ingest" {
  source = "../.."

  function_name                  = "example-ingest-api"
  service_name                   = "ingest-api"
  package_path                   = "${path.module}/../../../../../dist/packages/ingest-api.zip"
  reserved_concurrent_executions = 10
  kms_key_arn                    = aws_kms_key.example.arn

  environment = {
    RAW_STREAM_NAME = "example-raw"
  }

  policy_statements = [
    { sid = "PutRawEvents", actions = ["kinesis:PutRecords"], resources = ["arn:aws:kinesis:eu-west-1:123456789012:stream/example-raw"] },
  ]

  jwt = {
    issuer    = "https://example.eu.auth0.com/"
    audiences = ["https://ingest.example.com"]
  }
  cors_allowed_origins = ["https://game.example.com"]
  throttling           = { rate_limit = 50, burst_limit = 100 }
}

output "api_endpoint" {
  description = "Base URL of the example API."
  value       = module.ingest.api_endpoint
}
