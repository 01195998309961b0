locals {
  # What the function reads from: the stream itself, or its enhanced fan-out consumer.
  event_source_arn = var.enhanced_fan_out ? aws_kinesis_stream_consumer.this[0].arn : var.stream_arn
  mapping          = var.event_source_mapping

  # What every stream consumer's role is granted besides its logs, the pipeline key and traces (the
  # lambda-function module's own statements); sink access comes in through var.policy_statements.
  read_source_stream = {
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
  read_through_enhanced_fan_out = {
    sid       = "ReadThroughEnhancedFanOut"
    actions   = ["kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"]
    resources = aws_kinesis_stream_consumer.this[*].arn
  }
  send_to_queues = {
    sid       = "SendToQuarantineAndOnFailureQueues"
    actions   = ["sqs:SendMessage"]
    resources = distinct([var.quarantine_queue_arn, var.on_failure_queue_arn])
  }
}

resource "aws_kinesis_stream_consumer" "this" {
  count = var.enhanced_fan_out ? 1 : 0

  name       = var.function_name
  stream_arn = var.stream_arn
}

# The function, its log group and its role.
module "function" {
  source = "../lambda-function"

  function_name                  = var.function_name
  description                    = var.description
  service_name                   = var.service_name
  metrics_namespace              = var.metrics_namespace
  log_level                      = var.log_level
  package_path                   = var.package_path
  handler                        = var.handler
  memory_size                    = var.memory_size
  timeout_seconds                = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrent_executions
  environment                    = merge(var.environment, { QUARANTINE_QUEUE_URL = var.quarantine_queue_url })
  kms_key_arn                    = var.kms_key_arn
  invocation_statements = concat(
    [local.read_source_stream],
    var.enhanced_fan_out ? [local.read_through_enhanced_fan_out] : [],
    [local.send_to_queues],
  )
  policy_statements        = var.policy_statements
  permissions_boundary_arn = var.permissions_boundary_arn
  log_retention_days       = var.log_retention_days
  tags                     = var.tags
}

moved {
  from = aws_cloudwatch_log_group.this
  to   = module.function.aws_cloudwatch_log_group.this
}

moved {
  from = aws_iam_role.this
  to   = module.function.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.this
  to   = module.function.aws_iam_role_policy.this
}

moved {
  from = aws_lambda_function.this
  to   = module.function.aws_lambda_function.this
}

resource "aws_lambda_event_source_mapping" "this" {
  function_name                      = module.function.function_arn
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

  depends_on = [module.function]
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "${var.function_name}-iterator-age"
  alarm_description   = "${var.function_name} is falling behind its stream: records wait longer than ${var.alarms.iterator_age_ms} ms."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = module.function.function_name }
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
  dimensions          = { FunctionName = module.function.function_name }
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
  dimensions          = { FunctionName = module.function.function_name }
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
