variable "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  type        = string
}

variable "alarm_topic_name" {
  description = "Name of the SNS topic alarms notify."
  type        = string
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@ ]+@[^@ ]+$", e))])
    error_message = "alarm_emails must be e-mail addresses."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key that encrypts the alarm topic; CloudWatch needs kms:GenerateDataKey and kms:Decrypt on it."
  type        = string
}

variable "stream_names" {
  description = "Kinesis streams shown on the dashboard."
  type        = list(string)
}

variable "functions" {
  description = "Functions shown on the dashboard: function name => service name (the `service` dimension of its custom metrics)."
  type        = map(string)
}

variable "common_metrics" {
  description = "Custom metrics every function emits (EMF, dimension `service`), from the shared consumer middleware."
  type = list(object({
    name = string
    stat = optional(string, "Sum")
  }))
  default = []
}

variable "service_metrics" {
  description = "Custom metrics a service emits beyond the common ones, by service name; drawn in one more widget per function."
  type = map(list(object({
    name = string
    stat = optional(string, "Sum")
  })))
  default = {}
}

variable "metrics_namespace" {
  description = "Namespace of the custom metrics."
  type        = string
  default     = "Shardline"
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

variable "log_group_names" {
  description = "Log groups of the functions the saved Logs Insights queries search (the functions' /aws/lambda/<name> groups)."
  type        = list(string)
  default     = []
}
