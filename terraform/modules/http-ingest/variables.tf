variable "function_name" {
  description = "Name of the Lambda function; also names its API, role, log groups and alarms."
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

variable "environment" {
  description = "Function-specific environment variables; the Powertools and NODE_OPTIONS variables are added by the module."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Pipeline KMS key: encrypts the log groups and environment variables, and the stream the function writes."
  type        = string
}

variable "policy_statements" {
  description = "Function-specific IAM statements (the stream it writes), each limited to named resources."
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

variable "timeout_seconds" {
  description = "Function timeout: below the HTTP API's 30 s integration timeout, so the function answers before the API gives up."
  type        = number
  default     = 29

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 29
    error_message = "timeout_seconds must be from 1 to 29 (the HTTP API waits 30 s at most)."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the function, or null for the account's unreserved pool."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null || try(var.reserved_concurrent_executions >= 1, false)
    error_message = "reserved_concurrent_executions must be at least 1 (0 would stop the function), or null."
  }
}

variable "jwt" {
  description = "JWT authorizer of POST /v1/events for apps and browsers: any OIDC issuer (its /.well-known/openid-configuration gives the keys) and the audiences a token must name. null: no JWT route."
  type = object({
    issuer    = string
    audiences = list(string)
  })
  default = null

  validation {
    condition     = var.jwt == null || try(startswith(var.jwt.issuer, "https://") && length(var.jwt.audiences) > 0, false)
    error_message = "jwt.issuer must be an https:// URL and jwt.audiences must name at least one audience."
  }
}

variable "iam_route" {
  description = "Add POST /v1/iam/events, authorised with SigV4 (AWS_IAM), for server producers with AWS credentials."
  type        = bool
  default     = true
}

variable "cors_allowed_origins" {
  description = "Origins browsers may send events from (e.g. https://game.example.com); empty: no CORS."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : o != "*" && can(regex("^https?://[^/*]+$", o))])
    error_message = "cors_allowed_origins must be scheme://host[:port] origins; '*' would let any page send events with a user's token."
  }
}

variable "throttling" {
  description = "Throttling of the stage and each route: steady requests per second and burst. Each request carries up to the events-per-request limit."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default = { rate_limit = 100, burst_limit = 200 }

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1 && var.throttling.burst_limit <= 5000
    error_message = "throttling.rate_limit must be positive and burst_limit from 1 to 5000."
  }
}

variable "alarms" {
  description = "Alarm thresholds, per 5 minutes."
  type = object({
    server_errors      = optional(number, 0)
    throttled_requests = optional(number, 0)
    errors             = optional(number, 0)
    function_throttles = optional(number, 0)
  })
  default = {}
}
