data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  prefix = trim(var.prefix, "/")
  # Built from the name, not read from the function: the role's policy must not depend on the function it runs.
  function_arn = "arn:aws:lambda:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:function:${var.function_name}"
}

# ---------------------------------------------------------------------------------------------------------------
# The inbox bucket: private, encrypted with the pipeline key, TLS only; imported objects expire.

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Server access logs need a second bucket per environment; CloudTrail data events are the audit trail of choice for this bucket.
  #checkov:skip=CKV_AWS_144:Inbox objects are transient (they expire once imported); cross-region replication would copy what the stream already holds.
  bucket        = var.bucket_name
  force_destroy = var.force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-imported"
    status = "Enabled"

    filter {
      prefix = "${local.prefix}/"
    }

    expiration {
      days = var.expire_days
    }

    # An overwritten or expired file is kept one more day as a noncurrent version, then removed.
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

# ---------------------------------------------------------------------------------------------------------------
# The function, invoked asynchronously by the bucket's notifications (the push model).

# The function, its log group and its role. What every inbox function needs is granted here; the rest (stream,
# inbox objects, checkpoints, quarantine, the pipeline key) comes from the contract through var.policy_statements.
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
  environment                    = var.environment
  kms_key_arn                    = var.kms_key_arn
  use_pipeline_key               = false
  invocation_statements = [
    {
      sid       = "ContinueInAFreshInvocation"
      actions   = ["lambda:InvokeFunction"]
      resources = [local.function_arn]
    },
    {
      sid       = "SendToOnFailureQueue"
      actions   = ["sqs:SendMessage"]
      resources = [module.on_failure_queue.queue_arn]
    },
  ]
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

# Lambda's asynchronous semantics: bounded retries and event age, then the event goes to the on-failure queue.
module "on_failure_queue" {
  source = "../queue"

  name        = "${var.function_name}-failures"
  kms_key_arn = var.kms_key_arn
  tags        = var.tags
}

resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = module.function.function_name
  maximum_retry_attempts       = var.async.maximum_retry_attempts
  maximum_event_age_in_seconds = var.async.maximum_event_age_in_seconds

  destination_config {
    on_failure {
      destination = module.on_failure_queue.queue_arn
    }
  }

  depends_on = [module.function]
}

# The resource-based policy of the push model: only this bucket, in this account, may invoke the function.
resource "aws_lambda_permission" "s3" {
  statement_id   = "InvokeFromInbox"
  action         = "lambda:InvokeFunction"
  function_name  = module.function.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.this.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "this" {
  bucket = aws_s3_bucket.this.id

  dynamic "lambda_function" {
    for_each = toset(var.suffixes)

    content {
      id                  = "import${replace(lambda_function.value, ".", "-")}"
      lambda_function_arn = module.function.function_arn
      events              = ["s3:ObjectCreated:*"]
      filter_prefix       = "${local.prefix}/"
      filter_suffix       = lambda_function.value
    }
  }

  depends_on = [aws_lambda_permission.s3]
}

# ---------------------------------------------------------------------------------------------------------------
# Alarms: failed invocations, events Lambda gave up on, files waiting in the on-failure queue, throttling.

locals {
  alarms = {
    errors = {
      description = "${var.function_name} failed invocations (unhandled errors, timeouts); Lambda retries them from the checkpoint."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      statistic   = "Sum"
      periods     = 1
      threshold   = var.alarms.errors
    }
    "async-events-dropped" = {
      description = "Lambda dropped events of ${var.function_name} after retries or event age ran out (also described in the on-failure queue)."
      namespace   = "AWS/Lambda"
      metric      = "AsyncEventsDropped"
      statistic   = "Sum"
      periods     = 1
      threshold   = 0
    }
    throttles = {
      description = "${var.function_name} is throttled: files wait in Lambda's asynchronous queue (up to the maximum event age)."
      namespace   = "AWS/Lambda"
      metric      = "Throttles"
      statistic   = "Sum"
      periods     = 3
      threshold   = var.alarms.throttles
    }
    "on-failure-queue-depth" = {
      description = "Files ${var.function_name} could not import after its retries wait in the on-failure queue; drop them again once fixed (lines already put are skipped by their checkpoint)."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      periods     = 1
      threshold   = 0
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.function_name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.namespace == "AWS/SQS" ? { QueueName = module.on_failure_queue.queue_name } : { FunctionName = module.function.function_name }
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns

  tags = var.tags
}
