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
  description = "Overrides of the pipeline contract's settings for this environment, applied last; set by tuning.auto.tfvars.json (written by `npm run tune`) when present."
  type        = any
  default     = {}
}

variable "http_ingest" {
  description = "The HTTPS ingestion API: a JWT issuer and audiences for apps and browsers (none by default: only the SigV4 route for server producers), the CORS origins of web producers, route throttling. No route is anonymous."
  type = object({
    jwt = optional(object({
      issuer    = string
      audiences = list(string)
    }))
    iam_route            = optional(bool, true)
    cors_allowed_origins = optional(list(string), [])
    throttling = optional(object({
      rate_limit  = number
      burst_limit = number
    }), { rate_limit = 50, burst_limit = 100 })
  })
  default = {}
}
