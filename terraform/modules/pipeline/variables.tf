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

variable "tuning" {
  description = "Overrides of the contract's settings for this environment, applied last: tuning.auto.tfvars.json of the environment root, written by `npm run tune`. Every field is optional."
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
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for s in values(var.tuning.streams) : s.mode == null || contains(["PROVISIONED", "ON_DEMAND"], coalesce(s.mode, "PROVISIONED"))])
    error_message = "tuning.streams.<name>.mode must be PROVISIONED or ON_DEMAND."
  }
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

variable "archive_lifecycle_days" {
  description = "When archive objects move to STANDARD_IA and GLACIER_IR, and optionally expire."
  type = object({
    infrequent_access         = optional(number, 30)
    glacier_instant_retrieval = optional(number, 90)
    expire                    = optional(number)
  })
  default = {}
}

variable "inbox" {
  description = "S3 inboxes (ingest functions with an s3-inbox trigger): days until inbox objects expire, and Lambda's asynchronous retries and maximum event age before a file goes to the importer's on-failure queue."
  type = object({
    expire_days                  = optional(number, 7)
    maximum_retry_attempts       = optional(number, 2)
    maximum_event_age_in_seconds = optional(number, 21600)
  })
  default  = {}
  nullable = false
}

variable "opensearch" {
  description = "The OpenSearch domain's fine-grained access control master (defaults to the indexer's role); the domain's size is in the pipeline contract."
  type = object({
    master_user_arn = optional(string)
  })
  default = {}
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "http_ingest" {
  description = "The HTTPS ingestion API (POST /v1/events): JWT authorizer (any OIDC issuer; null for none), the SigV4 route for server producers, CORS origins for web producers, route throttling. No route is anonymous: with neither a JWT issuer nor the SigV4 route there is no way in."
  type = object({
    jwt = optional(object({
      issuer    = string
      audiences = list(string)
    }))
    iam_route            = optional(bool, true)
    cors_allowed_origins = optional(list(string), [])
    throttling = optional(object({
      rate_limit  = number
      burst_limit = number
    }), { rate_limit = 100, burst_limit = 200 })
  })
  default  = {}
  nullable = false
}
