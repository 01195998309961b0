# CloudWatch Logs Insights saved queries over the functions' log groups, in a folder named after the dashboard.
# They read the Powertools JSON lines the functions write (level, message, service, shardId, firstSequenceNumber
# and each line's own keys) and the REPORT lines the Lambda runtime adds to every invocation.

locals {
  saved_queries = {
    "quarantined-by-reason" = <<-EOT
      fields @timestamp, service, reason, count, shardId
      | filter message = "records quarantined"
      | stats sum(count) as records by service, reason
      | sort records desc
    EOT
    "slowest-invocations"   = <<-EOT
      filter @type = "REPORT"
      | fields @timestamp, @log, @requestId, @duration, @billedDuration, @maxMemoryUsed / 1000000 as maxMemoryMB, @initDuration
      | sort @duration desc
      | limit 50
    EOT
    "errors-by-shard"       = <<-EOT
      fields @timestamp, service, shardId, message
      | filter level = "ERROR" or level = "CRITICAL"
      | stats count(*) as errors, latest(message) as lastError by service, shardId
      | sort errors desc
    EOT
    "timeouts-and-crashes"  = <<-EOT
      fields @timestamp, @log, @requestId, @message
      | filter @message like /Task timed out|Runtime exited|Runtime.ExitError|timeout guard fired/
      | sort @timestamp desc
      | limit 100
    EOT
  }
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = length(var.log_group_names) == 0 ? {} : local.saved_queries

  name            = "${var.dashboard_name}/${each.key}"
  log_group_names = var.log_group_names
  query_string    = trimspace(each.value)
}
