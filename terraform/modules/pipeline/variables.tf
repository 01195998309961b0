variable "environment" {
  description = "Environment name; prefixes every resource (shardline-<environment>-...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2 to 10 lower-case letters and digits, starting with a letter."
  }
}

variable "packages_dir" {
  description = "Directory holding <app>.zip for every app (dist/packages of the workspace)."
  type        = string
}

variable "raw_stream" {
  description = "Sizing of the raw stream producers write to."
  type = object({
    mode            = optional(string, "PROVISIONED")
    shard_count     = optional(number, 1)
    retention_hours = optional(number, 24)
  })
  default = {}
}

variable "enriched_stream" {
  description = "Sizing of the enriched stream the sink consumers read."
  type = object({
    mode            = optional(string, "PROVISIONED")
    shard_count     = optional(number, 1)
    retention_hours = optional(number, 24)
  })
  default = {}
}

variable "consumers" {
  description = "Sizing per app. batch_size defaults to 500 and the batching window to 1 s, except for dynamodb-aggregator (1000 and 5 s). reserved_concurrency defaults to shards x parallelization_factor, the most its mapping can use."
  type = map(object({
    memory_size                        = optional(number, 512)
    timeout_seconds                    = optional(number, 60)
    batch_size                         = optional(number)
    maximum_batching_window_in_seconds = optional(number)
    parallelization_factor             = optional(number, 1)
    enhanced_fan_out                   = optional(bool, false)
    reserved_concurrency               = optional(number)
  }))
  default = {
    enrichment          = {}
    s3-archiver         = {}
    dynamodb-aggregator = {}
    opensearch-indexer  = {}
  }

  validation {
    condition     = toset(keys(var.consumers)) == toset(["enrichment", "s3-archiver", "dynamodb-aggregator", "opensearch-indexer"])
    error_message = "consumers must size exactly the four apps: enrichment, s3-archiver, dynamodb-aggregator, opensearch-indexer."
  }
  validation {
    # Lambda also ends a batch at 6 MB of payload, so a large batch_size cannot overflow the invocation.
    condition     = alltrue([for c in values(var.consumers) : c.batch_size == null ? true : c.batch_size >= 100 && c.batch_size <= 10000])
    error_message = "batch_size must be from 100 to 10000: smaller wastes invocations, 10000 is the mapping's maximum."
  }
  validation {
    condition     = alltrue([for c in values(var.consumers) : c.maximum_batching_window_in_seconds == null ? true : c.maximum_batching_window_in_seconds >= 0 && c.maximum_batching_window_in_seconds <= 30])
    error_message = "maximum_batching_window_in_seconds must be from 0 to 30: longer windows delay every record by as much."
  }
  validation {
    # Its writes per batch are the distinct (campaign, type, minute) items, so large batches cost fewer writes:
    # 469 UpdateItems per 10,000 records at batch 10,000, 2,964 at 1,000, 8,086 at 100.
    condition     = try(coalesce(var.consumers["dynamodb-aggregator"].batch_size, 1000), 1000) >= 1000 && try(coalesce(var.consumers["dynamodb-aggregator"].maximum_batching_window_in_seconds, 5), 5) >= 1
    error_message = "dynamodb-aggregator needs batch_size >= 1000 and a batching window of at least 1 s (a few seconds is right): its writes grow with the number of batches."
  }
  validation {
    # Exactly once relies on one batch per shard at a time, in order: the aggregator's per-shard high-water
    # marks, the archiver's per-shard object keys and checkpoints, enrichment's per-shard publish ledger.
    condition     = alltrue([for app in ["enrichment", "s3-archiver", "dynamodb-aggregator"] : try(var.consumers[app].parallelization_factor, 1) == 1])
    error_message = "enrichment, s3-archiver and dynamodb-aggregator need parallelization_factor 1: their exactly-once mechanisms require one batch per shard at a time, in order. Scale them with shards."
  }
  validation {
    condition     = alltrue([for c in values(var.consumers) : c.parallelization_factor >= 1 && c.parallelization_factor <= 10])
    error_message = "parallelization_factor must be from 1 to 10."
  }
}

variable "tuning" {
  description = "Measured settings (npm run tune, tuning.auto.tfvars.json of the environment) merged over raw_stream, enriched_stream and consumers; a field left out keeps the declared value."
  type = object({
    streams = optional(map(object({
      mode        = optional(string)
      shard_count = optional(number)
    })), {})
    consumers = optional(map(object({
      memory_size                        = optional(number)
      batch_size                         = optional(number)
      maximum_batching_window_in_seconds = optional(number)
      parallelization_factor             = optional(number)
      enhanced_fan_out                   = optional(bool)
    })), {})
  })
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.tuning.streams) : contains(["raw", "enriched"], name)]) && alltrue([for app in keys(var.tuning.consumers) : contains(["enrichment", "s3-archiver", "dynamodb-aggregator", "opensearch-indexer"], app)])
    error_message = "tuning names streams raw and enriched and the four consumers only."
  }
  validation {
    condition     = alltrue([for s in values(var.tuning.streams) : s.mode == null ? true : contains(["PROVISIONED", "ON_DEMAND"], s.mode)])
    error_message = "tuning.streams.*.mode must be PROVISIONED or ON_DEMAND."
  }
  validation {
    condition     = alltrue([for c in values(var.tuning.consumers) : c.batch_size == null ? true : c.batch_size >= 100 && c.batch_size <= 10000])
    error_message = "tuning.consumers.*.batch_size must be from 100 to 10000."
  }
  validation {
    condition     = try(var.tuning.consumers["dynamodb-aggregator"].batch_size, null) == null ? true : var.tuning.consumers["dynamodb-aggregator"].batch_size >= 1000
    error_message = "tuning: dynamodb-aggregator needs batch_size >= 1000 (its writes grow with the number of batches)."
  }
  validation {
    condition     = alltrue([for app in ["enrichment", "s3-archiver", "dynamodb-aggregator"] : try(var.tuning.consumers[app].parallelization_factor, null) == null ? true : var.tuning.consumers[app].parallelization_factor == 1])
    error_message = "tuning: enrichment, s3-archiver and dynamodb-aggregator need parallelization_factor 1 (one batch per shard at a time, in order)."
  }
}

variable "maximum_record_age_in_seconds" {
  description = "Records older than this are skipped and described to the on-failure queue (dev 3600, prod 86400)."
  type        = number
  default     = 3600
}

variable "iterator_age_alarm_ms" {
  description = "Iterator age above which a consumer's alarm fires."
  type        = number
  default     = 60000
}

variable "deletion_protection" {
  description = "Protect tables from deletion, keep the archive bucket on destroy, and keep the KMS key 30 days after deletion."
  type        = bool
  default     = false
}

variable "log_level" {
  description = "POWERTOOLS_LOG_LEVEL of every function."
  type        = string
  default     = "INFO"
}

variable "log_retention_days" {
  description = "Retention of the functions' and the domain's log groups."
  type        = number
  default     = 30
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

variable "campaign_cache_ttl_seconds" {
  description = "CAMPAIGN_CACHE_TTL_SECONDS: how long enrichment caches a campaign read from the reference table."
  type        = number
  default     = 300

  validation {
    condition     = var.campaign_cache_ttl_seconds >= 0 && var.campaign_cache_ttl_seconds <= 86400
    error_message = "campaign_cache_ttl_seconds must be from 0 to 86400 (what enrichment accepts)."
  }
}

variable "put_records_max_attempts" {
  description = "PUT_RECORDS_MAX_ATTEMPTS: attempts per entry when enrichment publishes to the enriched stream."
  type        = number
  default     = 5

  validation {
    condition     = var.put_records_max_attempts >= 1 && var.put_records_max_attempts <= 20
    error_message = "put_records_max_attempts must be from 1 to 20."
  }
}

variable "timeout_guard_ms" {
  description = "TIMEOUT_GUARD_MS of enrichment and opensearch-indexer: time kept back before the function timeout to report unfinished records."
  type        = number
  default     = 1000

  validation {
    condition     = var.timeout_guard_ms >= 1 && var.timeout_guard_ms <= 60000
    error_message = "timeout_guard_ms must be from 1 to 60000."
  }
}

variable "archive_prefix" {
  description = "ARCHIVE_PREFIX: key prefix of archived objects."
  type        = string
  default     = "events"

  validation {
    # Plain path segments: the prefix is also the Athena table's location and projection template.
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.archive_prefix)) && !startswith("${var.archive_prefix}/", "quarantine-overflow/")
    error_message = "archive_prefix must be plain path segments (letters, digits, '_', '.', '-'), not under quarantine-overflow/ (kept for oversized quarantine messages)."
  }
}

variable "archive_max_object_bytes" {
  description = "ARCHIVE_MAX_OBJECT_BYTES: an archived batch larger than this is split into -partN objects."
  type        = number
  default     = 67108864

  validation {
    condition     = var.archive_max_object_bytes >= 262145 && var.archive_max_object_bytes <= 1073741824
    error_message = "archive_max_object_bytes must be from 256 KiB + 1 (one largest record) to 1 GiB (what s3-archiver accepts)."
  }
}

variable "archive_lifecycle_days" {
  description = "When archive objects move to STANDARD_IA and GLACIER_IR, and optionally expire."
  type = object({
    infrequent_access         = optional(number, 30)
    glacier_instant_retrieval = optional(number, 90)
    expire                    = optional(number)
  })
  default = {}
}

variable "aggregate_ttl_days" {
  description = "AGGREGATE_TTL_DAYS: how long per-minute counters are kept."
  type        = number
  default     = 30

  validation {
    condition     = var.aggregate_ttl_days >= 1 && var.aggregate_ttl_days <= 3650
    error_message = "aggregate_ttl_days must be from 1 to 3650 (what dynamodb-aggregator accepts)."
  }
}

variable "opensearch_index_prefix" {
  description = "OPENSEARCH_INDEX_PREFIX: daily indices are <prefix>-YYYY.MM.DD."
  type        = string
  default     = "events"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{0,199}$", var.opensearch_index_prefix))
    error_message = "opensearch_index_prefix must be 1 to 200 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit."
  }
}

variable "opensearch_bulk_max_bytes" {
  description = "OPENSEARCH_BULK_MAX_BYTES: largest _bulk request body the indexer sends."
  type        = number
  default     = 5242880

  validation {
    condition     = var.opensearch_bulk_max_bytes >= 524288 && var.opensearch_bulk_max_bytes <= 104857600
    error_message = "opensearch_bulk_max_bytes must be from 512 KiB to 100 MiB (what opensearch-indexer accepts)."
  }
}

variable "opensearch" {
  description = "OpenSearch domain sizing and its fine-grained access control master (defaults to the indexer's role)."
  type = object({
    instance_type          = optional(string, "t3.small.search")
    instance_count         = optional(number, 1)
    dedicated_master_count = optional(number, 0)
    volume_size_gb         = optional(number, 20)
    master_user_arn        = optional(string)
  })
  default = {}
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
