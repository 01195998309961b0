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

output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Base URL of the API; events go to <api_endpoint>/v1/events (JWT) or /v1/iam/events (SigV4)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "stage_name" {
  description = "Name of the API's stage."
  value       = aws_apigatewayv2_stage.this.name
}

output "access_log_group_name" {
  description = "Log group of the API's JSON access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "source_code_hash" {
  description = "Base64 SHA-256 of the deployed package (compare with the output of tools/package/package.ts)."
  value       = module.function.source_code_hash
}
