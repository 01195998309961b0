variable "function_name" {
  description = "Name of the Lambda function; also names its role, log group, on-failure queue and alarms."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,55}$", var.function_name))
    error_message = "function_name must be 1 to 55 letters, digits, '_' or '-' (room for the '-failures' suffix of its queue)."
  }
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
  description = "Path of the zip written by `nx run <app>:package` (dist/packages/<app>.zip)."
  type        = string
}

variable "handler" {
  description = "Handler: the Nx bundle is index.js exporting `handler`."
  type        = string
  default     = "index.handler"
}

variable "memory_size" {
  description = "Memory in MB; CPU share grows with it (one vCPU at 1,769 MB). Inflating gzip and splitting lines are the CPU work."
  type        = number
  default     = 1024
}

variable "timeout_seconds" {
  description = "Function timeout; a file longer than one invocation continues in a fresh one, so this bounds an invocation, not a file."
  type        = number
  default     = 900

  validation {
    condition     = var.timeout_seconds >= 60 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be from 60 to 900 (the hand-off margin needs room to work)."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the importer. Each invocation takes the stream's whole write rate, so more than 1 only helps when the stream has headroom; -1 leaves it unreserved."
  type        = number
  default     = 1
}

variable "environment" {
  description = "Function-specific environment variables (the contract's); the Powertools and NODE_OPTIONS variables are added by the module."
  type        = map(string)
  default     = {}
}

variable "bucket_name" {
  description = "Name of the inbox bucket the module creates."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "prefix" {
  description = "Prefix of the objects that are imported (without a trailing slash)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", trim(var.prefix, "/")))
    error_message = "prefix must be plain path segments."
  }
}

variable "suffixes" {
  description = "Object name endings that trigger an import, one notification each."
  type        = list(string)
  default     = [".ndjson", ".ndjson.gz"]

  validation {
    condition     = length(var.suffixes) > 0 && alltrue([for s in var.suffixes : startswith(s, ".")])
    error_message = "suffixes must be at least one ending such as .ndjson."
  }
}

variable "expire_days" {
  description = "Days after which inbox objects expire: long after their import (minutes), short enough that the inbox holds no second copy of the data."
  type        = number
  default     = 7

  validation {
    condition     = var.expire_days >= 1
    error_message = "expire_days must be at least 1."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy the bucket with objects in it (off in prod)."
  type        = bool
  default     = false
}

variable "async" {
  description = "Lambda's asynchronous invocation settings: retries (0 to 2) of a failed invocation, and how long an event may wait in Lambda's queue (60 s to 6 h) before it goes to the on-failure queue."
  type = object({
    maximum_retry_attempts       = optional(number, 2)
    maximum_event_age_in_seconds = optional(number, 21600)
  })
  default = {}

  validation {
    condition     = var.async.maximum_retry_attempts >= 0 && var.async.maximum_retry_attempts <= 2
    error_message = "async.maximum_retry_attempts must be from 0 to 2."
  }
  validation {
    condition     = var.async.maximum_event_age_in_seconds >= 60 && var.async.maximum_event_age_in_seconds <= 21600
    error_message = "async.maximum_event_age_in_seconds must be from 60 to 21600."
  }
}

variable "kms_key_arn" {
  description = "Pipeline KMS key: encrypts the bucket, the log group, the on-failure queue and the environment variables."
  type        = string
}

variable "policy_statements" {
  description = "Function-specific IAM statements (the contract's access), each limited to named resources."
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
  description = "Alarm thresholds (sums over 5 minutes)."
  type = object({
    errors    = optional(number, 0)
    throttles = optional(number, 0)
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
