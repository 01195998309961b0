variable "name" {
  description = "Name of the table."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.name))
    error_message = "Table names are 3 to 255 letters, digits, '_', '.' and '-'."
  }
}

variable "hash_key" {
  description = "Partition key attribute (type S)."
  type        = string
}

variable "range_key" {
  description = "Sort key attribute (type S), or null for a table without one."
  type        = string
  default     = null
}

variable "ttl_attribute" {
  description = "Attribute holding the epoch-seconds expiry of an item, or null to disable TTL."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Refuse DeleteTable (on in prod)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for encryption at rest; readers and writers need kms:Decrypt / kms:GenerateDataKey on it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
