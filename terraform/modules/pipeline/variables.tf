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
  description = "Sizing per app. reserved_concurrency defaults to shards x parallelization_factor, the most its mapping can use."
  type = map(object({
    memory_size            = optional(number, 512)
    timeout_seconds        = optional(number, 60)
    batch_size             = optional(number, 500)
    parallelization_factor = optional(number, 1)
    enhanced_fan_out       = optional(bool, false)
    reserved_concurrency   = optional(number)
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
    condition     = alltrue([for c in values(var.consumers) : c.batch_size >= 100 && c.batch_size <= 1000])
    error_message = "batch_size must be from 100 to 1000: smaller wastes invocations, larger risks the 6 MB payload limit."
  }
  validation {
    # The aggregator's exactly-once counting keeps a per-shard high-water mark of sequence numbers, which is
    # only sound when one batch per shard is in flight, in order.
    condition     = try(var.consumers["dynamodb-aggregator"].parallelization_factor, 1) == 1
    error_message = "dynamodb-aggregator needs parallelization_factor 1: its exactly-once mechanism requires ordered per-shard processing."
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
}

variable "archive_prefix" {
  description = "ARCHIVE_PREFIX: key prefix of archived objects."
  type        = string
  default     = "events"
}

variable "archive_max_object_bytes" {
  description = "ARCHIVE_MAX_OBJECT_BYTES: an archived batch larger than this is split into -partN objects."
  type        = number
  default     = 67108864
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
}

variable "opensearch_index_prefix" {
  description = "OPENSEARCH_INDEX_PREFIX: daily indices are <prefix>-YYYY.MM.DD."
  type        = string
  default     = "events"
}

variable "opensearch_bulk_max_bytes" {
  description = "OPENSEARCH_BULK_MAX_BYTES: largest _bulk request body the indexer sends."
  type        = number
  default     = 5242880
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
