# prod: same pipeline as dev, sized for a sustained 4,000 events/s of about 1 KB (4 MB/s) with headroom,
# protected from deletion, alarms to a real topic. Sizing (declared per environment in libs/contract/pipeline.json, see README):
#   max theoretical throughput = shards x 2 MB / function duration (s)
#   effective throughput       = shards x batch size (MB) / function duration (s)
# raw: 6 shards take 6 MiB/s or 6,000 records/s in. enrichment, batch 500 x 1 KB = 0.5 MB at ~0.5 s per
# batch: 6 x 0.5 / 0.5 = 6 MB/s effective (max theoretical 6 x 2 / 0.5 = 24 MB/s).
# enriched: events grow by about 40% (enrichment block), so 8 shards. Three consumers read it; polling would
# share 5 GetRecords/s per shard among them, so each uses enhanced fan-out (2 MiB/s per shard each).
# s3-archiver, batch 1,000 x 1.4 KB = 1.4 MB at ~1 s: 8 x 1.4 / 1 = 11.2 MB/s effective.
# dynamodb-aggregator: its writes per batch are the distinct (campaign, type, minute) items, so it batches as
# much as it can (469 UpdateItems per 10,000 records in batches of 10,000, 2,964 in batches of 1,000). At
# 500 records/s per shard a 5 s window gathers about 2,500 records (3.5 MB); the 6 MB invocation payload ends a
# batch at about 2,700 records of 1.4 KB while catching up, before batch_size 10,000 is reached.
# 8 x 3.5 MB / ~0.5 s = 56 MB/s effective.
# opensearch-indexer, batch 500 = 0.7 MB at ~0.8 s: 8 x 0.7 / 0.8 = 7 MB/s effective.
# enrichment, s3-archiver and dynamodb-aggregator keep parallelization factor 1 (exactly once needs one batch
# per shard at a time), so they scale by shards.
module "pipeline" {
  source = "../../modules/pipeline"

  environment  = "prod"
  packages_dir = var.packages_dir
  # Streams and consumers are sized per environment in the pipeline contract (libs/contract/pipeline.json);
  # tuning.auto.tfvars.json beside this file (written by npm run tune) overrides them.
  tuning = var.tuning

  iterator_age_alarm_ms = 30000
  deletion_protection   = true
  log_level             = "INFO"
  log_retention_days    = 90
  alarm_emails          = var.alarm_emails
  http_ingest           = merge({ throttling = { rate_limit = 500, burst_limit = 1000 } }, var.http_ingest)

  archive_lifecycle_days = { infrequent_access = 30, glacier_instant_retrieval = 90 }

  opensearch = {
    master_user_arn = var.opensearch_master_user_arn
  }
}
