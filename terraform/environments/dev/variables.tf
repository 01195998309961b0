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
  description = "The HTTPS ingestion API (modules/pipeline's http_ingest, which types and checks it): jwt = { issuer, audiences } for apps and browsers (none by default: only the SigV4 route for server producers), iam_route, cors_allowed_origins, throttling = { rate_limit, burst_limit } (50 and 100 here unless set). No route is anonymous."
  type        = any
  default     = {}
}
