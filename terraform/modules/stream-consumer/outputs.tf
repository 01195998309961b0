output "function_name" {
  description = "Name of the Lambda function."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = module.function.function_arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = module.function.role_arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = module.function.role_name
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = module.function.log_group_name
}

output "event_source_mapping_uuid" {
  description = "UUID of the event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}

output "stream_consumer_arn" {
  description = "ARN of the enhanced fan-out consumer, or null when the function polls the stream."
  value       = var.enhanced_fan_out ? aws_kinesis_stream_consumer.this[0].arn : null
}

output "source_code_hash" {
  description = "Base64 SHA-256 of the deployed package (compare with the output of tools/package/package.ts)."
  value       = module.function.source_code_hash
}
