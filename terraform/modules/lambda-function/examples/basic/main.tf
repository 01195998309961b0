resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example function key"
  enable_key_rotation = true
}

resource "aws_sqs_queue" "example" {
  name              = "example-function-input"
  kms_master_key_id = aws_kms_key.example.arn
}

module "function" {
  source = "../.."

  function_name                  = "example-function"
  service_name                   = "example"
  package_path                   = "${path.module}/../../../../../dist/packages/enrichment.zip"
  memory_size                    = 256
  timeout_seconds                = 30
  reserved_concurrent_executions = 1
  environment                    = { INPUT_QUEUE_URL = aws_sqs_queue.example.url }
  kms_key_arn                    = aws_kms_key.example.arn
  invocation_statements = [{
    sid       = "SendToInputQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.example.arn]
  }]
  policy_statements = [{
    sid       = "ReceiveFromInputQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = [aws_sqs_queue.example.arn]
  }]
  log_retention_days = 7
}

output "function_arn" {
  description = "ARN of the example function."
  value       = module.function.function_arn
}
