variable "name" {
  description = "Name of the Kinesis data stream."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{1,128}$", var.name))
    error_message = "Stream names are 1 to 128 characters of letters, digits, '_', '.' and '-'."
  }
}

variable "stream_mode" {
  description = "PROVISIONED (fixed shard count, cheapest at steady load) or ON_DEMAND (scales by itself)."
  type        = string
  default     = "PROVISIONED"

  validation {
    condition     = contains(["PROVISIONED", "ON_DEMAND"], var.stream_mode)
    error_message = "stream_mode must be PROVISIONED or ON_DEMAND."
  }
}

variable "shard_count" {
  description = "Shards when PROVISIONED. Each shard takes 1 MiB/s or 1,000 records/s in and serves 2 MiB/s out per consumer with enhanced fan-out."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 500 && floor(var.shard_count) == var.shard_count
    error_message = "shard_count must be a whole number from 1 to 500."
  }
}

variable "retention_hours" {
  description = "How long records stay readable; replays and consumer outages longer than this lose data."
  type        = number
  default     = 24

  validation {
    condition     = var.retention_hours >= 24 && var.retention_hours <= 8760
    error_message = "retention_hours must be from 24 to 8760."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts the stream at rest."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "shard_level_metrics" {
  description = "Enhanced shard-level CloudWatch metrics (find hot shards and per-shard iterator age)."
  type        = list(string)
  default     = ["IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds"]

  validation {
    condition = alltrue([for m in var.shard_level_metrics : contains(
      ["IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds", "ALL"], m
    )])
    error_message = "shard_level_metrics holds Kinesis shard-level metric names only."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
