output "raw_stream_name" {
  description = "Stream producers write to."
  value       = module.stream["raw"].stream_name
}

output "enriched_stream_name" {
  description = "Stream the sink consumers read."
  value       = module.stream["enriched"].stream_name
}

output "function_names" {
  description = "Lambda function per app."
  value       = merge({ for app, c in module.consumer : app => c.function_name }, { for app, i in module.http_ingest : app => i.function_name })
}

output "function_source_code_hashes" {
  description = "Deployed package hash per app (base64 SHA-256, as printed by tools/package/package.ts)."
  value       = merge({ for app, c in module.consumer : app => c.source_code_hash }, { for app, i in module.http_ingest : app => i.source_code_hash })
}

output "ingest_api_endpoints" {
  description = "Base URL of each HTTPS ingestion API, by app: POST <url>/v1/events (JWT), <url>/v1/iam/events (SigV4)."
  value       = { for app, i in module.http_ingest : app => i.api_endpoint }
}

output "inbox_bucket_names" {
  description = "Inbox bucket per ingest function with an s3-inbox trigger; drop NDJSON files under its prefix."
  value       = { for app, i in module.s3_inbox : app => i.bucket_name }
}

output "inbox_function_names" {
  description = "Lambda function per S3 inbox importer."
  value       = { for app, i in module.s3_inbox : app => i.function_name }
}

output "quarantine_queue_url" {
  description = "Queue holding poison records."
  value       = module.quarantine_queue.queue_url
}

output "archive_bucket_name" {
  description = "Bucket of the event archive."
  value       = module.archive.bucket_name
}

output "glue_table" {
  description = "Athena table over the archive, as <database>.<table>."
  value       = "${module.archive.glue_database_name}.${module.archive.glue_table_name}"
}

output "aggregates_table_name" {
  description = "DynamoDB table of per-minute counters."
  value       = module.aggregates_table.table_name
}

output "reference_table_name" {
  description = "DynamoDB table of campaigns read by enrichment."
  value       = module.reference_table.table_name
}

output "ledger_table_name" {
  description = "DynamoDB table of enrichment's publish ledger (one item per raw shard)."
  value       = module.ledger_table.table_name
}

output "opensearch_endpoint" {
  description = "HTTPS endpoint of the OpenSearch domain."
  value       = module.opensearch.domain_endpoint
}

output "alarm_topic_arn" {
  description = "SNS topic of the pipeline's alarms."
  value       = module.monitoring.alarm_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the pipeline."
  value       = module.monitoring.dashboard_name
}
