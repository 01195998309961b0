output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway invokes the function with."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "source_code_hash" {
  description = "Base64 SHA-256 of the deployed package (compare with the output of tools/package/package.ts)."
  value       = aws_lambda_function.this.source_code_hash
}

output "role_policy_name" {
  description = "Name of the role's inline policy; resources that need the function's permissions in place depend on it."
  value       = aws_iam_role_policy.this.name
}
