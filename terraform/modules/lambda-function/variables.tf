variable "function_name" {
  description = "Name of the Lambda function; also names its role, its inline policy and its log group."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,59}$", var.function_name))
    error_message = "function_name must be 1 to 59 letters, digits, '_' or '-' (room for the '-role' suffix)."
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

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR", "SILENT"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN, ERROR or SILENT."
  }
}

variable "package_path" {
  description = "Path of the zip written by `nx run <app>:package` (dist/packages/<app>.zip). Its SHA-256 decides whether the code is updated."
  type        = string

  validation {
    condition     = endswith(var.package_path, ".zip")
    error_message = "package_path must point at a .zip."
  }
}

variable "handler" {
  description = "Handler: the Nx bundle is index.js exporting `handler`."
  type        = string
  default     = "index.handler"

  validation {
    condition     = can(regex("^[A-Za-z0-9_./-]+\\.[A-Za-z_$][A-Za-z0-9_$]*$", var.handler))
    error_message = "handler must look like <file without .js>.<export>."
  }
}

variable "memory_size" {
  description = "Memory in MB; CPU share grows with it (one vCPU at 1,769 MB)."
  type        = number

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be from 128 to 10240 MB."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be from 1 to 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the function; -1 leaves it unreserved."
  type        = number

  validation {
    condition     = var.reserved_concurrent_executions == -1 || var.reserved_concurrent_executions >= 1
    error_message = "reserved_concurrent_executions must be -1 (unreserved) or at least 1 (0 would stop the function)."
  }
}

variable "environment" {
  description = "Function-specific environment variables; POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL and NODE_OPTIONS are added by the module."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Pipeline KMS key: encrypts the log group and the environment variables."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "use_pipeline_key" {
  description = "Grant kms:Decrypt and kms:GenerateDataKey on kms_key_arn (statement UsePipelineKey) in the role's policy; off when the contract's statements grant the key."
  type        = bool
  default     = true
}

variable "invocation_statements" {
  description = "IAM statements of the calling module for how the function is invoked (its source, its failure queues, itself), placed after WriteOwnLogs and before UsePipelineKey."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  default = []
}

variable "policy_statements" {
  description = "Function-specific IAM statements from the contract, each limited to named resources; placed last in the role's policy."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.policy_statements : !contains(s.resources, "*") && alltrue([for a in s.actions : !endswith(a, "*")])])
    error_message = "policy_statements must name resources and actions explicitly: no '*' wildcards."
  }
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

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
