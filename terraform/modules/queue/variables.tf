variable "name" {
  description = "Name of the queue."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,80}$", var.name))
    error_message = "Queue names are 1 to 80 letters, digits, '_' and '-' (no FIFO queues here)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts messages at rest; senders need kms:GenerateDataKey on it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "message_retention_seconds" {
  description = "How long a quarantined record or failure notice is kept for inspection and redrive."
  type        = number
  default     = 1209600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be from 60 to 1209600 (14 days)."
  }
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout for whoever reads the queue (operators, replay tools)."
  type        = number
  default     = 300

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be from 0 to 43200."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
