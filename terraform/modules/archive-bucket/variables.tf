variable "bucket_name" {
  description = "Name of the archive bucket (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "prefix" {
  description = "Key prefix the archiver writes under (ARCHIVE_PREFIX)."
  type        = string
  default     = "events"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]+(/[a-zA-Z0-9_-]+)*$", var.prefix))
    error_message = "prefix must be path segments of letters, digits, '_' and '-', without leading or trailing '/'."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for SSE-KMS (ARCHIVE_KMS_KEY_ID)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "lifecycle_days" {
  description = "Days after creation at which archive objects move to colder storage, and optionally expire."
  type = object({
    infrequent_access         = optional(number, 30)
    glacier_instant_retrieval = optional(number, 90)
    expire                    = optional(number)
  })
  default = {}

  validation {
    condition     = var.lifecycle_days.infrequent_access >= 30 && var.lifecycle_days.glacier_instant_retrieval >= var.lifecycle_days.infrequent_access + 30
    error_message = "STANDARD_IA needs at least 30 days, and GLACIER_IR at least 30 days after that."
  }
  validation {
    condition     = var.lifecycle_days.expire == null ? true : var.lifecycle_days.expire > var.lifecycle_days.glacier_instant_retrieval + 90
    error_message = "expire must come more than 90 days after the GLACIER_IR transition (its minimum storage duration)."
  }
}

variable "force_destroy" {
  description = "Let `destroy` delete a non-empty bucket (dev only)."
  type        = bool
  default     = false
}

variable "glue_database_name" {
  description = "Glue database that holds the archive table."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.glue_database_name))
    error_message = "glue_database_name must be lower-case letters, digits and '_'."
  }
}

variable "glue_table_name" {
  description = "Glue table over the archive, queried with Athena."
  type        = string
  default     = "events"

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.glue_table_name))
    error_message = "glue_table_name must be lower-case letters, digits and '_'."
  }
}

variable "projection_start_date" {
  description = "First dt partition Athena considers (yyyy-MM-dd)."
  type        = string
  default     = "2025-01-01"

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", var.projection_start_date))
    error_message = "projection_start_date must be yyyy-MM-dd."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
