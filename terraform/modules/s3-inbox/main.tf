data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  prefix = trim(var.prefix, "/")
  # The Node major the functions run on is declared once, in the repository's .nvmrc (as in stream-consumer).
  runtime = "nodejs${trimspace(file("${path.module}/../../../.nvmrc"))}.x"
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

# What every inbox function needs; the rest (stream, inbox objects, checkpoints, quarantine) comes from the
# contract through var.policy_statements.
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "ContinueInAFreshInvocation"
    actions   = ["lambda:InvokeFunction"]
    resources = [local.function_arn]
  }

  statement {
    sid       = "SendToOnFailureQueue"
    actions   = ["sqs:SendMessage"]
    resources = [module.on_failure_queue.queue_arn]
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
  #checkov:skip=CKV_AWS_116:Asynchronous failures go to the on-failure destination (an encrypted SQS queue), which records the event, the condition and the error; a DLQ would record less.
  #checkov:skip=CKV_AWS_117:The function reaches only AWS APIs over TLS with SigV4 (S3, Kinesis, DynamoDB, SQS, Lambda); a VPC would add NAT cost and cold-start latency for no isolation gain.
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

# Lambda's asynchronous semantics: bounded retries and event age, then the event goes to the on-failure queue.
module "on_failure_queue" {
  source = "../queue"

  name        = "${var.function_name}-failures"
  kms_key_arn = var.kms_key_arn
  tags        = var.tags
}

resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = var.async.maximum_retry_attempts
  maximum_event_age_in_seconds = var.async.maximum_event_age_in_seconds

  destination_config {
    on_failure {
      destination = module.on_failure_queue.queue_arn
    }
  }

  depends_on = [aws_iam_role_policy.this]
}

# The resource-based policy of the push model: only this bucket, in this account, may invoke the function.
resource "aws_lambda_permission" "s3" {
  statement_id   = "InvokeFromInbox"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
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
      lambda_function_arn = aws_lambda_function.this.arn
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
  dimensions          = each.value.namespace == "AWS/SQS" ? { QueueName = module.on_failure_queue.queue_name } : { FunctionName = aws_lambda_function.this.function_name }
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
