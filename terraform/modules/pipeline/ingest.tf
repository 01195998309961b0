# The push-model front door: one HTTPS ingestion API per ingest function of the contract with trigger "http-api"
# (today ingest-api), in front of the stream the contract says it writes.
locals {
  http_ingest = { for name, i in local.contract.ingest : name => { stream = i.stream, description = i.description } if i.trigger == "http-api" }

  # An ingest function's settings in this environment: its `default`, then its entry for var.environment
  # (libs/contract's ingestSettings computes the same).
  ingest_settings = {
    for name, i in local.contract.ingest : name => merge(
      { reserved_concurrency = null },
      i.settings.default,
      try(i.settings[var.environment], {}),
    )
  }
}

module "http_ingest" {
  source   = "../http-ingest"
  for_each = local.http_ingest

  function_name                  = "${local.prefix}-${each.key}"
  description                    = each.value.description
  service_name                   = each.key
  metrics_namespace              = local.contract.namespace
  log_level                      = var.log_level
  package_path                   = "${var.packages_dir}/${each.key}.zip"
  handler                        = "index.handler"
  memory_size                    = local.ingest_settings[each.key].memory_size
  timeout_seconds                = local.ingest_settings[each.key].timeout_seconds
  reserved_concurrent_executions = local.ingest_settings[each.key].reserved_concurrency
  environment                    = local.wiring[each.key].environment
  policy_statements              = local.wiring[each.key].policy_statements
  kms_key_arn                    = aws_kms_key.this.arn
  log_retention_days             = var.log_retention_days
  alarm_topic_arns               = [module.monitoring.alarm_topic_arn]

  jwt                  = var.http_ingest.jwt
  iam_route            = var.http_ingest.iam_route
  cors_allowed_origins = var.http_ingest.cors_allowed_origins
  throttling           = var.http_ingest.throttling

  tags = merge(local.tags, { App = each.key })
}
