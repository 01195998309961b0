variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-west-1"
}

variable "packages_dir" {
  description = "Directory of the Nx-built function zips (<app>.zip), relative to this directory."
  type        = string
  default     = "../../../dist/packages"
}

variable "alarm_emails" {
  description = "Addresses that receive alarms (each confirms its subscription)."
  type        = list(string)
  default     = []
}

variable "tuning" {
  description = "Settings measured by npm run tune, written to tuning.auto.tfvars.json beside this file; they override the ones declared in main.tf (see terraform/README.md, sizing)."
  type = object({
    streams = optional(map(object({
      mode        = optional(string)
      shard_count = optional(number)
    })), {})
    consumers = optional(map(object({
      memory_size                        = optional(number)
      batch_size                         = optional(number)
      maximum_batching_window_in_seconds = optional(number)
      parallelization_factor             = optional(number)
      enhanced_fan_out                   = optional(bool)
    })), {})
  })
  default = {}
}
