# dev: the whole pipeline at its smallest. Its streams and consumers are sized in libs/contract/pipeline.json (see README for the formulas):
#   max theoretical throughput = shards x 2 MB / function duration (s)
#   effective throughput       = shards x batch size (MB) / function duration (s)
# One shard per stream takes 1 MiB/s or 1,000 records/s in. npm run tune measured at this sizing (512 MB, CPU
# share and AWS latency model; terraform/README.md, Sizing) enrichment at 116 ms per batch of 100 (861 records/s
# per shard) and the aggregator at 3.4 s per batch of 1,000 (295): this sizing is for tests, not for 1,000
# events/s; the tool's recommendation for that goes to tuning.auto.tfvars.json.
# dynamodb-aggregator batches up to 1,000 records over 5 s: its writes are per distinct item in a batch, so
# fewer, larger batches cost fewer writes.
module "pipeline" {
  source = "../../modules/pipeline"

  environment  = "dev"
  packages_dir = var.packages_dir
  # Streams and consumers are sized per environment in the pipeline contract (libs/contract/pipeline.json);
  # tuning.auto.tfvars.json beside this file (written by npm run tune) overrides them.
  tuning = var.tuning

  deletion_protection = false
  log_level           = "DEBUG"
  log_retention_days  = 14
  alarm_emails        = var.alarm_emails
  http_ingest         = merge({ throttling = { rate_limit = 50, burst_limit = 100 } }, var.http_ingest)

  archive_lifecycle_days = { infrequent_access = 30, glacier_instant_retrieval = 90, expire = 365 }
}
