output "alarm_topic_arn" {
  description = "ARN of the alarm topic."
  value       = aws_sns_topic.this.arn
}

output "dashboard_name" {
  description = "Name of the dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "saved_query_names" {
  description = "Names of the saved Logs Insights queries (folder <dashboard>/)."
  value       = [for q in aws_cloudwatch_query_definition.this : q.name]
}
