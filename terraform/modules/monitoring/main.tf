data "aws_region" "current" {}

locals {
  region = data.aws_region.current.region

  stream_widgets = [
    for s in var.stream_names : {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title  = "Stream ${s}: throughput and throttles"
        region = local.region
        stat   = "Sum"
        period = 60
        view   = "timeSeries"
        metrics = [
          ["AWS/Kinesis", "IncomingRecords", "StreamName", s],
          ["AWS/Kinesis", "IncomingBytes", "StreamName", s, { yAxis = "right" }],
          ["AWS/Kinesis", "WriteProvisionedThroughputExceeded", "StreamName", s],
          ["AWS/Kinesis", "ReadProvisionedThroughputExceeded", "StreamName", s],
        ]
      }
    }
  ]

  lambda_widgets = flatten([
    for fn, svc in var.functions : concat([
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "${svc}: invocations, errors, throttles, iterator age"
          region = local.region
          period = 60
          view   = "timeSeries"
          metrics = [
            ["AWS/Lambda", "Invocations", "FunctionName", fn, { stat = "Sum" }],
            ["AWS/Lambda", "Errors", "FunctionName", fn, { stat = "Sum" }],
            ["AWS/Lambda", "Throttles", "FunctionName", fn, { stat = "Sum" }],
            ["AWS/Lambda", "IteratorAge", "FunctionName", fn, { stat = "Maximum", yAxis = "right" }],
            ["AWS/Lambda", "Duration", "FunctionName", fn, { stat = "p99", yAxis = "right" }],
          ]
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "${svc}: records and sink"
          region = local.region
          period = 60
          view   = "timeSeries"
          # A metric with dimensions beside `service` (the contract's `dimensions`) is one line per value of
          # them, found with a SEARCH so the dashboard need not know which values (e.g. sinks) a service emits.
          metrics = concat([
            for m in var.common_metrics :
            [var.metrics_namespace, m.name, "service", svc, merge({ stat = m.stat }, endswith(m.name, "Ms") ? { yAxis = "right" } : {})]
            if length(m.dimensions) == 0
            ], [
            for i, m in var.common_metrics : [{
              id         = "by${i}"
              expression = "SEARCH('{${var.metrics_namespace},service,${join(",", m.dimensions)}} MetricName=\"${m.name}\" service=\"${svc}\"', '${m.stat}', 60)"
              label      = "${m.name} ${m.stat}"
              yAxis      = "right"
            }] if length(m.dimensions) > 0
          ])
        }
      },
      ], length(lookup(var.service_metrics, svc, [])) == 0 ? [] : [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "${svc}: own metrics"
          region = local.region
          period = 60
          view   = "timeSeries"
          metrics = concat(
            [for m in var.service_metrics[svc] : [var.metrics_namespace, m.name, "service", svc, { stat = m.stat }] if length(m.dimensions) == 0],
            [for i, m in var.service_metrics[svc] : [{
              id         = "own${i}"
              expression = "SEARCH('{${var.metrics_namespace},service,${join(",", m.dimensions)}} MetricName=\"${m.name}\" service=\"${svc}\"', '${m.stat}', 60)"
              label      = "${m.name} ${m.stat}"
            }] if length(m.dimensions) > 0],
          )
        }
      },
    ])
  ])
}

locals {
  # Per ingestion API: what producers saw (the API's metrics), what the function did, and what became of the
  # events (the service's own metrics, refusals by reason found with a SEARCH on the Reason dimension).
  http_api_widgets = flatten([
    for svc, api in var.http_apis : [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "${svc}: requests, 4xx, 5xx, latency"
          region = local.region
          period = 60
          view   = "timeSeries"
          metrics = [
            ["AWS/ApiGateway", "Count", "ApiId", api.api_id, "Stage", api.stage, { stat = "Sum" }],
            ["AWS/ApiGateway", "4xx", "ApiId", api.api_id, "Stage", api.stage, { stat = "Sum" }],
            ["AWS/ApiGateway", "5xx", "ApiId", api.api_id, "Stage", api.stage, { stat = "Sum" }],
            ["AWS/ApiGateway", "Latency", "ApiId", api.api_id, "Stage", api.stage, { stat = "p99", yAxis = "right" }],
            ["AWS/Lambda", "Throttles", "FunctionName", api.function_name, { stat = "Sum" }],
            ["AWS/Lambda", "Errors", "FunctionName", api.function_name, { stat = "Sum" }],
            ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", api.function_name, { stat = "Maximum" }],
          ]
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "${svc}: events accepted, refused, retryable"
          region = local.region
          period = 60
          view   = "timeSeries"
          metrics = concat(
            [for m in lookup(var.service_metrics, svc, []) : [var.metrics_namespace, m.name, "service", svc, merge({ stat = m.stat }, endswith(m.name, "Ms") ? { yAxis = "right" } : {})]],
            [[{
              id         = "refusedByReason"
              expression = "SEARCH('{${var.metrics_namespace},service,Reason} MetricName=\"EventsRefused\" service=\"${svc}\"', 'Sum', 60)"
              label      = "EventsRefused by Reason"
            }]],
          )
        }
      },
    ]
  ])
}

resource "aws_sns_topic" "this" {
  name              = var.alarm_topic_name
  kms_master_key_id = var.kms_key_arn

  tags = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.dashboard_name
  dashboard_body = jsonencode({ widgets = concat(local.stream_widgets, local.lambda_widgets, local.http_api_widgets) })
}
