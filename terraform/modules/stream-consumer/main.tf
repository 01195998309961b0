locals {
  # What the function reads from: the stream itself, or its enhanced fan-out consumer.
  event_source_arn = var.enhanced_fan_out ? aws_kinesis_stream_consumer.this[0].arn : var.stream_arn
  mapping          = var.event_source_mapping
  # The Node major the functions run on is declared once, in the repository's .nvmrc: the bundles' esbuild
  # target and the Node the tests run on read the same file.
  runtime = "nodejs${trimspace(file("${path.module}/../../../.nvmrc"))}.x"
}

resource "aws_kinesis_stream_consumer" "this" {
  count = var.enhanced_fan_out ? 1 : 0

  name       = var.function_name
  stream_arn = var.stream_arn
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:Retention is an input per environment; events are archived in S3, logs are operational only.
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${var.function_name}-role"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

# Only what every stream consumer needs; sink access comes in through var.policy_statements.
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid = "ReadSourceStream"
    actions = [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]
    resources = [var.stream_arn]
  }

  dynamic "statement" {
    for_each = var.enhanced_fan_out ? [1] : []

    content {
      sid       = "ReadThroughEnhancedFanOut"
      actions   = ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"]
      resources = [aws_kinesis_stream_consumer.this[0].arn]
    }
  }

  statement {
    sid       = "SendToQuarantineAndOnFailureQueues"
    actions   = ["sqs:SendMessage"]
    resources = distinct([var.quarantine_queue_arn, var.on_failure_queue_arn])
  }

  statement {
    sid       = "UsePipelineKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.policy_statements

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.function_name}-policy"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:A Kinesis-triggered function is invoked synchronously by its event source mapping; failed batches go to the mapping's on-failure SQS destination, not a function DLQ.
  #checkov:skip=CKV_AWS_117:The function reaches only AWS APIs over TLS with SigV4 (Kinesis, S3, DynamoDB, SQS, OpenSearch with IAM); a VPC would add NAT cost and cold-start latency for no isolation gain.
  #checkov:skip=CKV_AWS_272:Packages are built reproducibly by Nx and verified by their SHA-256 in source_code_hash; code signing is left to organisations that run AWS Signer.
  function_name                  = var.function_name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  filename                       = var.package_path
  source_code_hash               = filebase64sha256(var.package_path)
  handler                        = var.handler
  runtime                        = local.runtime
  architectures                  = ["arm64"]
  memory_size                    = var.memory_size
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn

  environment {
    variables = merge(var.environment, {
      POWERTOOLS_SERVICE_NAME      = var.service_name
      POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
      POWERTOOLS_LOG_LEVEL         = var.log_level
      QUARANTINE_QUEUE_URL         = var.quarantine_queue_url
      NODE_OPTIONS                 = "--enable-source-maps"
    })
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.this]
}

resource "aws_lambda_event_source_mapping" "this" {
  function_name                      = aws_lambda_function.this.arn
  event_source_arn                   = local.event_source_arn
  starting_position                  = local.mapping.starting_position
  batch_size                         = local.mapping.batch_size
  maximum_batching_window_in_seconds = local.mapping.maximum_batching_window_in_seconds
  bisect_batch_on_function_error     = local.mapping.bisect_batch_on_function_error
  maximum_retry_attempts             = local.mapping.maximum_retry_attempts
  maximum_record_age_in_seconds      = local.mapping.maximum_record_age_in_seconds
  parallelization_factor             = local.mapping.parallelization_factor
  tumbling_window_in_seconds         = local.mapping.tumbling_window_in_seconds
  # Always on: poison records are quarantined by the code, transient ones are reported per item.
  function_response_types = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = var.on_failure_queue_arn
    }
  }

  dynamic "filter_criteria" {
    for_each = length(local.mapping.filter_patterns) > 0 ? [1] : []

    content {
      dynamic "filter" {
        for_each = local.mapping.filter_patterns

        content {
          pattern = filter.value
        }
      }
    }
  }

  depends_on = [aws_iam_role_policy.this]
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "${var.function_name}-iterator-age"
  alarm_description   = "${var.function_name} is falling behind its stream: records wait longer than ${var.alarms.iterator_age_ms} ms."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.alarms.iterator_age_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.function_name}-errors"
  alarm_description   = "${var.function_name} failed whole invocations (unhandled errors, timeouts)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alarms.errors
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name          = "${var.function_name}-throttles"
  alarm_description   = "${var.function_name} is throttled: raise reserved concurrency or the account limit."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alarms.throttles
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
}

resource "aws_cloudwatch_metric_alarm" "on_failure_queue_depth" {
  alarm_name          = "${var.function_name}-on-failure-queue-depth"
  alarm_description   = "Batches of ${var.function_name} were dropped after retries; their descriptions wait in the on-failure queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = element(split(":", var.on_failure_queue_arn), 5) }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
}
