data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  prefix     = "shardline-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  tags       = merge(var.tags, { Project = "shardline", Environment = var.environment })
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:This is a key policy: Resource "*" means this key only, and the account root administering it is the KMS default that keeps the key manageable.
  #checkov:skip=CKV_AWS_111:This is a key policy: Resource "*" means this key only; service principals are limited by encryption context or to decrypt/generate.
  #checkov:skip=CKV_AWS_356:This is a key policy: Resource "*" means this key only.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "LogsEncryptPipelineLogGroups"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${local.region}:${local.account_id}:log-group:*"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

# One key for the pipeline's data at rest: streams, queues, tables, archive, domain, logs, function settings.
resource "aws_kms_key" "this" {
  description             = "${local.prefix} pipeline data at rest"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_protection ? 30 : 7
  policy                  = data.aws_iam_policy_document.key.json

  tags = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.prefix}"
  target_key_id = aws_kms_key.this.key_id
}

# One stream per stream of the contract: producers write to raw, enrichment forwards to enriched.
module "stream" {
  source   = "../kinesis-stream"
  for_each = local.streams

  name            = "${local.prefix}-${each.key}"
  stream_mode     = each.value.mode
  shard_count     = each.value.shard_count
  retention_hours = each.value.retention_hours
  kms_key_arn     = aws_kms_key.this.arn
  tags            = local.tags
}

moved {
  from = module.raw_stream
  to   = module.stream["raw"]
}

moved {
  from = module.enriched_stream
  to   = module.stream["enriched"]
}

module "quarantine_queue" {
  source = "../queue"

  name        = "${local.prefix}-quarantine"
  kms_key_arn = aws_kms_key.this.arn
  tags        = local.tags
}

# One on-failure destination per consumer, so an alarm on its depth names the function that dropped a batch.
module "on_failure_queue" {
  source   = "../queue"
  for_each = local.apps

  name        = "${local.prefix}-${each.key}-failures"
  kms_key_arn = aws_kms_key.this.arn
  tags        = local.tags
}

module "reference_table" {
  source = "../dynamodb-table"

  name                = "${local.prefix}-campaigns"
  hash_key            = "campaignId"
  deletion_protection = var.deletion_protection
  kms_key_arn         = aws_kms_key.this.arn
  tags                = local.tags
}

module "aggregates_table" {
  source = "../dynamodb-table"

  name                = "${local.prefix}-aggregates"
  hash_key            = "pk"
  range_key           = "windowStart"
  ttl_attribute       = "expiresAt"
  deletion_protection = var.deletion_protection
  kms_key_arn         = aws_kms_key.this.arn
  tags                = local.tags
}

# Enrichment's publish ledger: one small item per raw shard holding the ranges of records already published.
# Items expire after 8 days (beyond the longest retention), written by the function itself.
module "ledger_table" {
  source = "../dynamodb-table"

  name                = "${local.prefix}-enrichment-ledger"
  hash_key            = "shard"
  ttl_attribute       = "expiresAt"
  deletion_protection = var.deletion_protection
  kms_key_arn         = aws_kms_key.this.arn
  tags                = local.tags
}

module "archive" {
  source = "../archive-bucket"

  bucket_name        = "${local.prefix}-archive-${local.account_id}"
  prefix             = local.contract.resources.archive.prefix
  kms_key_arn        = aws_kms_key.this.arn
  force_destroy      = !var.deletion_protection
  lifecycle_days     = var.archive_lifecycle_days
  glue_database_name = replace("${local.prefix}_archive", "-", "_")
  tags               = local.tags
}

module "opensearch" {
  source = "../opensearch-domain"

  domain_name            = "${local.prefix}-events"
  instance_type          = var.opensearch.instance_type
  instance_count         = var.opensearch.instance_count
  dedicated_master_count = var.opensearch.dedicated_master_count
  volume_size_gb         = var.opensearch.volume_size_gb
  kms_key_arn            = aws_kms_key.this.arn
  # Without a named administrator, the first consumer writing to the domain is its master user (fine for dev).
  master_user_arn    = coalesce(var.opensearch.master_user_arn, local.domain_writers...)
  writer_role_arns   = local.domain_writers
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

module "monitoring" {
  source = "../monitoring"

  dashboard_name    = local.prefix
  alarm_topic_name  = "${local.prefix}-alarms"
  alarm_emails      = var.alarm_emails
  kms_key_arn       = aws_kms_key.this.arn
  stream_names      = [for name in keys(local.streams) : module.stream[name].stream_name]
  functions         = { for app, _ in local.apps : "${local.prefix}-${app}" => app }
  metrics_namespace = local.contract.namespace
  common_metrics    = [for name, m in local.contract.common.metrics : { name = name, stat = m.stat }]
  service_metrics   = { for app, c in local.contract.consumers : app => [for name, m in c.metrics : { name = name, stat = m.stat }] }
  log_group_names   = [for app, _ in local.apps : module.consumer[app].log_group_name]
  tags              = local.tags
}

module "consumer" {
  source   = "../stream-consumer"
  for_each = local.apps

  function_name                  = "${local.prefix}-${each.key}"
  description                    = each.value.description
  service_name                   = each.key
  metrics_namespace              = local.contract.namespace
  log_level                      = var.log_level
  package_path                   = "${var.packages_dir}/${each.key}.zip"
  handler                        = "index.handler"
  memory_size                    = local.consumers[each.key].memory_size
  timeout_seconds                = local.consumers[each.key].timeout_seconds
  reserved_concurrent_executions = coalesce(local.consumers[each.key].reserved_concurrency, local.streams[each.value.stream].shard_count * local.consumers[each.key].parallelization_factor)
  environment                    = local.wiring[each.key].environment
  stream_arn                     = module.stream[each.value.stream].stream_arn
  enhanced_fan_out               = local.consumers[each.key].enhanced_fan_out
  on_failure_queue_arn           = module.on_failure_queue[each.key].queue_arn
  quarantine_queue_arn           = module.quarantine_queue.queue_arn
  quarantine_queue_url           = module.quarantine_queue.queue_url
  kms_key_arn                    = aws_kms_key.this.arn
  policy_statements              = local.wiring[each.key].policy_statements
  log_retention_days             = var.log_retention_days
  alarm_topic_arns               = [module.monitoring.alarm_topic_arn]
  alarms = {
    iterator_age_ms = var.iterator_age_alarm_ms
  }

  event_source_mapping = {
    batch_size                         = local.consumers[each.key].batch_size
    maximum_batching_window_in_seconds = local.consumers[each.key].maximum_batching_window_in_seconds
    starting_position                  = local.mapping.starting_position
    bisect_batch_on_function_error     = local.mapping.bisect_batch_on_function_error
    maximum_retry_attempts             = local.mapping.maximum_retry_attempts
    maximum_record_age_in_seconds      = local.mapping.maximum_record_age_in_seconds
    parallelization_factor             = local.consumers[each.key].parallelization_factor
  }

  tags = merge(local.tags, { App = each.key })
}

# The alarms the contract declares on consumers' own metrics, e.g. enrichment's LedgerErrors: without its ledger,
# enrichment still publishes, but at least once (the aggregator would count duplicates twice).
resource "aws_cloudwatch_metric_alarm" "metric" {
  for_each = local.metric_alarms

  alarm_name          = "${local.prefix}-${each.key}"
  alarm_description   = each.value.description
  namespace           = local.contract.namespace
  metric_name         = each.value.metric
  dimensions          = { service = each.value.app }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.monitoring.alarm_topic_arn]
  ok_actions          = [module.monitoring.alarm_topic_arn]

  tags = local.tags
}

moved {
  from = aws_cloudwatch_metric_alarm.ledger_errors
  to   = aws_cloudwatch_metric_alarm.metric["enrichment-ledger-errors"]
}
