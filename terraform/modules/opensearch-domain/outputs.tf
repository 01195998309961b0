output "domain_name" {
  description = "Name of the domain."
  value       = aws_opensearch_domain.this.domain_name
}

output "domain_arn" {
  description = "ARN of the domain."
  value       = aws_opensearch_domain.this.arn
}

output "domain_endpoint" {
  description = "HTTPS endpoint of the domain (OPENSEARCH_ENDPOINT, if DescribeDomain is not wanted)."
  value       = "https://${aws_opensearch_domain.this.endpoint}"
}
