output "function_name" {
  description = "Name of the importer function."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the importer function."
  value       = module.function.function_arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = module.function.role_arn
}

output "source_code_hash" {
  description = "Deployed package hash (base64 SHA-256)."
  value       = module.function.source_code_hash
}

output "bucket_name" {
  description = "Name of the inbox bucket."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the inbox bucket."
  value       = aws_s3_bucket.this.arn
}

output "on_failure_queue_url" {
  description = "Queue that receives the events Lambda gave up on (the destination record: request payload, condition, error)."
  value       = module.on_failure_queue.queue_url
}
