# dev: the whole pipeline at its smallest. Its streams and consumers are sized in libs/contract/pipeline.json (see README for the formulas):
#   max theoretical throughput = shards x 2 MB / function duration (s)
#   effective throughput       = shards x batch size (MB) / function duration (s)
# One shard per stream takes 1 MiB/s or 1,000 records/s in. npm run tune measured (local wall time, see the
# README's sizing section) enrichment at 184-1,513 ms per batch of 100 (66-544 records/s per shard) and the
# aggregator at 6.7-23.6 s per batch of 1,000 against DynamoDB Local: this sizing is for tests, not for 1,000
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

  archive_lifecycle_days = { infrequent_access = 30, glacier_instant_retrieval = 90, expire = 365 }

  opensearch = {
    instance_type  = "t3.small.search"
    instance_count = 1
    volume_size_gb = 10
  }
}
