data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  prefix     = "shardline-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  tags       = merge(var.tags, { Project = "shardline", Environment = var.environment })

  # Every app of the Nx workspace, the stream it consumes and the custom metrics it emits beyond the common ones. Each function's package is
  # <packages_dir>/<app>.zip, written by `nx run <app>:package` from dist/apps/<app>/index.js.
  # Kept free of resource references: it drives for_each, which must be known before anything is created.
  apps = {
    enrichment = {
      stream      = "raw"
      description = "Validates and enriches raw events, then forwards them to the enriched stream."
      metrics     = ["LedgerErrors"]
    }
    s3-archiver = {
      stream      = "enriched"
      description = "Archives enriched events to S3 as gzip NDJSON under Hive-style partitions."
      metrics     = ["ArchiveObjects"]
    }
    dynamodb-aggregator = {
      stream      = "enriched"
      description = "Counts enriched events per campaign, type and minute in DynamoDB, exactly once per record."
      metrics     = ["AggregateItems", "UpdateItemCalls", "ConditionalConflicts", "DuplicateItems", "ExpiredWindowRecords"]
    }
    opensearch-indexer = {
      stream      = "enriched"
      description = "Indexes enriched events into daily OpenSearch indices with ids derived from the event identity."
      metrics     = ["BulkRequests", "BulkItemRetries", "DocumentsIndexed"]
    }
  }

  stream_arns = {
    raw      = module.raw_stream.stream_arn
    enriched = module.enriched_stream.stream_arn
  }

  # What each function reads from its environment, and the only sink access its role gets beyond what every
  # consumer has (read its stream, send to its queues, use the pipeline key, write its logs).
  wiring = {
    enrichment = {
      environment = {
        ENRICHED_STREAM_NAME         = module.enriched_stream.stream_name
        REFERENCE_TABLE_NAME         = module.reference_table.table_name
        ENRICHMENT_LEDGER_TABLE_NAME = module.ledger_table.table_name
        QUARANTINE_OVERFLOW_BUCKET   = module.archive.bucket_name
        CAMPAIGN_CACHE_TTL_SECONDS   = tostring(var.campaign_cache_ttl_seconds)
        PUT_RECORDS_MAX_ATTEMPTS     = tostring(var.put_records_max_attempts)
        TIMEOUT_GUARD_MS             = tostring(var.timeout_guard_ms)
      }
      policy_statements = [
        { sid = "ForwardToEnrichedStream", actions = ["kinesis:PutRecords"], resources = [module.enriched_stream.stream_arn] },
        # Only after a crash between PutRecords and the ledger write: read the enriched stream from that moment to
        # learn exactly which records were published.
        { sid = "ResolveInterruptedPublish", actions = ["kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"], resources = [module.enriched_stream.stream_arn] },
        { sid = "ReadCampaigns", actions = ["dynamodb:BatchGetItem"], resources = [module.reference_table.table_arn] },
        # One GetItem and one PutItem of the shard's item per invocation.
        { sid = "ReadAndWritePublishLedger", actions = ["dynamodb:GetItem", "dynamodb:PutItem"], resources = [module.ledger_table.table_arn] },
        # A quarantine message too large for SQS is stored whole in the archive bucket, outside the table's
        # location; the bucket's default SSE-KMS uses the pipeline key, which every consumer may already use.
        { sid = "WriteQuarantineOverflow", actions = ["s3:PutObject"], resources = ["${module.archive.bucket_arn}/${local.quarantine_overflow_prefix}/*"] },
      ]
    }
    s3-archiver = {
      environment = {
        ARCHIVE_BUCKET           = module.archive.bucket_name
        ARCHIVE_PREFIX           = module.archive.prefix
        ARCHIVE_KMS_KEY_ID       = aws_kms_key.this.arn
        ARCHIVE_MAX_OBJECT_BYTES = tostring(var.archive_max_object_bytes)
      }
      policy_statements = [
        # Archive objects under the prefix; quarantine messages too large for SQS beside it, outside the table.
        {
          sid       = "WriteArchiveObjects"
          actions   = ["s3:PutObject"]
          resources = ["${module.archive.bucket_arn}/${module.archive.prefix}/*", "${module.archive.bucket_arn}/${local.quarantine_overflow_prefix}/*"]
        },
      ]
    }
    dynamodb-aggregator = {
      environment = {
        AGGREGATES_TABLE_NAME = module.aggregates_table.table_name
        AGGREGATE_TTL_DAYS    = tostring(var.aggregate_ttl_days)
      }
      policy_statements = [
        # Conditional UpdateItem only: the old image of a failed condition comes with the error, so no reads.
        { sid = "UpdateAggregates", actions = ["dynamodb:UpdateItem"], resources = [module.aggregates_table.table_arn] },
      ]
    }
    opensearch-indexer = {
      environment = {
        OPENSEARCH_DOMAIN_NAME    = module.opensearch.domain_name
        OPENSEARCH_INDEX_PREFIX   = var.opensearch_index_prefix
        OPENSEARCH_BULK_MAX_BYTES = tostring(var.opensearch_bulk_max_bytes)
        TIMEOUT_GUARD_MS          = tostring(var.timeout_guard_ms)
      }
      policy_statements = [
        # GET and PUT of the index template at cold start, POST of _bulk.
        { sid = "WriteDocuments", actions = ["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"], resources = ["${module.opensearch.domain_arn}/*"] },
        { sid = "FindDomainEndpoint", actions = ["es:DescribeDomain"], resources = [module.opensearch.domain_arn] },
      ]
    }
  }

  # Key prefix of quarantine messages too large for SQS (QUARANTINE_OVERFLOW_PREFIX of the apps).
  quarantine_overflow_prefix = "quarantine-overflow"

  stream_shards = {
    raw      = local.streams.raw.shard_count
    enriched = local.streams.enriched.shard_count
  }
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

module "raw_stream" {
  source = "../kinesis-stream"

  name            = "${local.prefix}-raw"
  stream_mode     = local.streams.raw.mode
  shard_count     = local.streams.raw.shard_count
  retention_hours = local.streams.raw.retention_hours
  kms_key_arn     = aws_kms_key.this.arn
  tags            = local.tags
}

module "enriched_stream" {
  source = "../kinesis-stream"

  name            = "${local.prefix}-enriched"
  stream_mode     = local.streams.enriched.mode
  shard_count     = local.streams.enriched.shard_count
  retention_hours = local.streams.enriched.retention_hours
  kms_key_arn     = aws_kms_key.this.arn
  tags            = local.tags
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
  prefix             = var.archive_prefix
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
  # Without a named administrator, the indexer's role is the domain's master user (fine for dev).
  master_user_arn    = coalesce(var.opensearch.master_user_arn, module.consumer["opensearch-indexer"].role_arn)
  writer_role_arns   = [module.consumer["opensearch-indexer"].role_arn]
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

module "monitoring" {
  source = "../monitoring"

  dashboard_name   = local.prefix
  alarm_topic_name = "${local.prefix}-alarms"
  alarm_emails     = var.alarm_emails
  kms_key_arn      = aws_kms_key.this.arn
  stream_names     = [module.raw_stream.stream_name, module.enriched_stream.stream_name]
  functions        = { for app, _ in local.apps : "${local.prefix}-${app}" => app }
  service_metrics  = { for app, a in local.apps : app => [for m in a.metrics : { name = m }] }
  tags             = local.tags
}

module "consumer" {
  source   = "../stream-consumer"
  for_each = local.apps

  function_name                  = "${local.prefix}-${each.key}"
  description                    = each.value.description
  service_name                   = each.key
  log_level                      = var.log_level
  package_path                   = "${var.packages_dir}/${each.key}.zip"
  handler                        = "index.handler"
  memory_size                    = local.consumers[each.key].memory_size
  timeout_seconds                = local.consumers[each.key].timeout_seconds
  reserved_concurrent_executions = coalesce(local.consumers[each.key].reserved_concurrency, local.stream_shards[each.value.stream] * local.consumers[each.key].parallelization_factor)
  environment                    = local.wiring[each.key].environment
  stream_arn                     = local.stream_arns[each.value.stream]
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
    starting_position                  = "TRIM_HORIZON"
    bisect_batch_on_function_error     = true
    maximum_retry_attempts             = 10
    maximum_record_age_in_seconds      = var.maximum_record_age_in_seconds
    parallelization_factor             = local.consumers[each.key].parallelization_factor
  }

  tags = merge(local.tags, { App = each.key })
}

# Without its ledger, enrichment still publishes, but at least once: the sinks may then see duplicates as new
# records (the aggregator would count them twice).
resource "aws_cloudwatch_metric_alarm" "ledger_errors" {
  alarm_name          = "${local.prefix}-enrichment-ledger-errors"
  alarm_description   = "enrichment could not read or write its publish ledger; those batches were published at least once, not exactly once."
  namespace           = "Shardline"
  metric_name         = "LedgerErrors"
  dimensions          = { service = "enrichment" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [module.monitoring.alarm_topic_arn]
  ok_actions          = [module.monitoring.alarm_topic_arn]

  tags = local.tags
}
