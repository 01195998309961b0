output "bucket_name" {
  description = "Name of the archive bucket (ARCHIVE_BUCKET)."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the archive bucket."
  value       = aws_s3_bucket.this.arn
}

output "prefix" {
  description = "Key prefix of archived objects (ARCHIVE_PREFIX)."
  value       = local.prefix
}

output "glue_database_name" {
  description = "Glue database of the archive table."
  value       = aws_glue_catalog_database.this.name
}

output "glue_table_name" {
  description = "Glue table over the archive."
  value       = aws_glue_catalog_table.this.name
}
