output "raw_stream_name" {
  description = "Stream producers write to."
  value       = module.pipeline.raw_stream_name
}

output "function_names" {
  description = "Lambda function per app."
  value       = module.pipeline.function_names
}

output "function_source_code_hashes" {
  description = "Deployed package hash per app."
  value       = module.pipeline.function_source_code_hashes
}

output "ingest_api_endpoints" {
  description = "Base URL of each HTTPS ingestion API, by app."
  value       = module.pipeline.ingest_api_endpoints
}

output "quarantine_queue_url" {
  description = "Queue holding poison records."
  value       = module.pipeline.quarantine_queue_url
}

output "archive_bucket_name" {
  description = "Bucket of the event archive."
  value       = module.pipeline.archive_bucket_name
}

output "glue_table" {
  description = "Athena table over the archive."
  value       = module.pipeline.glue_table
}

output "opensearch_endpoint" {
  description = "HTTPS endpoint of the OpenSearch domain."
  value       = module.pipeline.opensearch_endpoint
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the pipeline."
  value       = module.pipeline.dashboard_name
}
