variable "domain_name" {
  description = "Name of the OpenSearch domain (OPENSEARCH_DOMAIN_NAME)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.domain_name))
    error_message = "Domain names are 3 to 28 lower-case letters, digits and '-', starting with a letter."
  }
}

variable "engine_version" {
  description = "Engine version."
  type        = string
  default     = "OpenSearch_2.19"

  validation {
    condition     = startswith(var.engine_version, "OpenSearch_")
    error_message = "engine_version must be an OpenSearch_x.y version."
  }
}

variable "instance_type" {
  description = "Data node instance type."
  type        = string
  default     = "t3.small.search"
}

variable "instance_count" {
  description = "Data nodes; more than one spreads them over availability zones."
  type        = number
  default     = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 80
    error_message = "instance_count must be from 1 to 80."
  }
}

variable "dedicated_master_count" {
  description = "Dedicated master nodes (0, 3 or 5)."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 3, 5], var.dedicated_master_count)
    error_message = "dedicated_master_count must be 0, 3 or 5."
  }
}

variable "dedicated_master_type" {
  description = "Instance type of the dedicated masters."
  type        = string
  default     = "m6g.large.search"
}

variable "volume_size_gb" {
  description = "EBS gp3 volume per data node, in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.volume_size_gb >= 10
    error_message = "volume_size_gb must be at least 10."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for encryption at rest and the log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "master_user_arn" {
  description = "IAM role (or user) that is the fine-grained access control master: it maps writer roles to OpenSearch roles."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", var.master_user_arn))
    error_message = "master_user_arn must be an IAM role or user ARN."
  }
}

variable "writer_role_arns" {
  description = "Roles admitted by the access policy to write documents (the indexer's execution role)."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the domain's log groups."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
