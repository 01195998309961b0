variable "function_name" {
  description = "Name of the Lambda function; also names its role, log group, alarms and fan-out consumer."
  type        = string
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = ""
}

variable "service_name" {
  description = "POWERTOOLS_SERVICE_NAME: the `service` dimension of the function's logs and metrics (the app's name)."
  type        = string
}

variable "metrics_namespace" {
  description = "POWERTOOLS_METRICS_NAMESPACE: CloudWatch namespace of the custom metrics."
  type        = string
  default     = "Shardline"
}

variable "log_level" {
  description = "POWERTOOLS_LOG_LEVEL."
  type        = string
  default     = "INFO"
}

variable "package_path" {
  description = "Path of the zip written by `nx run <app>:package` (dist/packages/<app>.zip). Its SHA-256 decides whether the code is updated."
  type        = string
}

variable "handler" {
  description = "Handler: the Nx bundle is index.js exporting `handler`."
  type        = string
  default     = "index.handler"
}

variable "memory_size" {
  description = "Memory in MB; CPU share grows with it (one vCPU at 1,769 MB)."
  type        = number
  default     = 512
}

variable "timeout_seconds" {
  description = "Function timeout; keep it well above the p99 duration of a full batch."
  type        = number
  default     = 60
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the function. Size it as shards x parallelization factor of its mapping."
  type        = number

  validation {
    condition     = var.reserved_concurrent_executions >= 1
    error_message = "reserved_concurrent_executions must be at least 1 (0 would stop the function)."
  }
}

variable "environment" {
  description = "Function-specific environment variables; the Powertools, quarantine and NODE_OPTIONS variables are added by the module."
  type        = map(string)
  default     = {}
}

variable "stream_arn" {
  description = "ARN of the Kinesis stream the function consumes."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[a-zA-Z0-9_.-]+$", var.stream_arn))
    error_message = "stream_arn must be a Kinesis stream ARN."
  }
}

variable "enhanced_fan_out" {
  description = "Read through a dedicated enhanced fan-out consumer (2 MiB/s per shard for this function alone, pushed over HTTP/2) instead of sharing the stream's 5 GetRecords/s per shard."
  type        = bool
  default     = false
}

variable "event_source_mapping" {
  description = "Event source mapping settings. ReportBatchItemFailures and the on-failure destination are always on and not configurable."
  type = object({
    batch_size                         = optional(number, 500)
    maximum_batching_window_in_seconds = optional(number, 1)
    starting_position                  = optional(string, "TRIM_HORIZON")
    bisect_batch_on_function_error     = optional(bool, true)
    maximum_retry_attempts             = optional(number, 10)
    maximum_record_age_in_seconds      = optional(number, 3600)
    parallelization_factor             = optional(number, 1)
    tumbling_window_in_seconds         = optional(number)
    filter_patterns                    = optional(list(string), [])
  })
  default = {}

  validation {
    condition     = var.event_source_mapping.batch_size >= 1 && var.event_source_mapping.batch_size <= 10000
    error_message = "batch_size must be from 1 to 10000."
  }
  validation {
    condition     = var.event_source_mapping.maximum_batching_window_in_seconds >= 0 && var.event_source_mapping.maximum_batching_window_in_seconds <= 300
    error_message = "maximum_batching_window_in_seconds must be from 0 to 300."
  }
  validation {
    condition     = contains(["TRIM_HORIZON", "LATEST"], var.event_source_mapping.starting_position)
    error_message = "starting_position must be TRIM_HORIZON or LATEST."
  }
  validation {
    # Bounded on purpose: -1 (infinite) would let one poison batch block its shard until the records expire.
    condition     = var.event_source_mapping.maximum_retry_attempts >= 0 && var.event_source_mapping.maximum_retry_attempts <= 10000
    error_message = "maximum_retry_attempts must be from 0 to 10000 (infinite retries are refused)."
  }
  validation {
    condition     = var.event_source_mapping.maximum_record_age_in_seconds >= 60 && var.event_source_mapping.maximum_record_age_in_seconds <= 604800
    error_message = "maximum_record_age_in_seconds must be from 60 to 604800 (-1, infinite, is refused)."
  }
  validation {
    condition     = var.event_source_mapping.parallelization_factor >= 1 && var.event_source_mapping.parallelization_factor <= 10
    error_message = "parallelization_factor must be from 1 to 10."
  }
  validation {
    condition     = var.event_source_mapping.tumbling_window_in_seconds == null ? true : (var.event_source_mapping.tumbling_window_in_seconds >= 1 && var.event_source_mapping.tumbling_window_in_seconds <= 900)
    error_message = "tumbling_window_in_seconds must be from 1 to 900 when set."
  }
  validation {
    condition     = length(var.event_source_mapping.filter_patterns) <= 5 && alltrue([for p in var.event_source_mapping.filter_patterns : can(jsondecode(p))])
    error_message = "filter_patterns holds at most 5 JSON patterns."
  }
}

variable "on_failure_queue_arn" {
  description = "SQS queue that receives the description of a batch dropped after retries or record age ran out."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:", var.on_failure_queue_arn))
    error_message = "on_failure_queue_arn must be an SQS queue ARN."
  }
}

variable "quarantine_queue_arn" {
  description = "ARN of the quarantine queue that poison records are sent to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:", var.quarantine_queue_arn))
    error_message = "quarantine_queue_arn must be an SQS queue ARN."
  }
}

variable "quarantine_queue_url" {
  description = "URL of the quarantine queue (QUARANTINE_QUEUE_URL)."
  type        = string
}

variable "kms_key_arn" {
  description = "Pipeline KMS key: encrypts the log group and environment variables, and the stream and queues the function uses."
  type        = string
}

variable "policy_statements" {
  description = "Function-specific IAM statements (sink access), each limited to named resources."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  default = []
}

variable "permissions_boundary_arn" {
  description = "Optional permissions boundary for the function role."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 30
}

variable "alarms" {
  description = "Alarm thresholds."
  type = object({
    iterator_age_ms = optional(number, 60000)
    errors          = optional(number, 0)
    throttles       = optional(number, 0)
  })
  default = {}
}

variable "alarm_topic_arns" {
  description = "SNS topics notified when an alarm changes state."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
