locals {
  # One route per way in, each with its authorizer: a JWT from any OIDC issuer for apps and browsers, SigV4 for
  # server producers. No route is anonymous; without a JWT issuer only the SigV4 route exists.
  routes = merge(
    var.jwt == null ? {} : { jwt = { route_key = "POST /v1/events", path = "/v1/events" } },
    var.iam_route ? { iam = { route_key = "POST /v1/iam/events", path = "/v1/iam/events" } } : {},
  )

  # The access log, one JSON object per request: who called, what the API and the function answered, how long
  # each took. status is the answer the producer got; integrationStatus is empty when the API answered alone
  # (throttled, unauthorised) without invoking the function.
  access_log_format = jsonencode({
    requestId         = "$context.requestId"
    time              = "$context.requestTime"
    ip                = "$context.identity.sourceIp"
    userAgent         = "$context.identity.userAgent"
    routeKey          = "$context.routeKey"
    status            = "$context.status"
    protocol          = "$context.protocol"
    requestLength     = "$context.requestHeader.Content-Length"
    responseLength    = "$context.responseLength"
    latencyMs         = "$context.responseLatency"
    integrationMs     = "$context.integrationLatency"
    integrationStatus = "$context.integrationStatus"
    integrationError  = "$context.integrationErrorMessage"
    authorizerError   = "$context.authorizer.error"
    jwtSubject        = "$context.authorizer.claims.sub"
    iamCaller         = "$context.identity.userArn"
    error             = "$context.error.message"
  })
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338:Retention is an input per environment; access logs are operational only.
  name              = "/aws/apigateway/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

# The function, its log group and its role: its own logs, the pipeline key (the stream and the environment are
# encrypted with it), traces; the stream access comes from the contract through var.policy_statements.
module "function" {
  source = "../lambda-function"

  function_name                  = var.function_name
  description                    = var.description
  service_name                   = var.service_name
  metrics_namespace              = var.metrics_namespace
  log_level                      = var.log_level
  package_path                   = var.package_path
  handler                        = var.handler
  memory_size                    = var.memory_size
  timeout_seconds                = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrent_executions
  environment                    = var.environment
  kms_key_arn                    = var.kms_key_arn
  policy_statements              = var.policy_statements
  permissions_boundary_arn       = var.permissions_boundary_arn
  log_retention_days             = var.log_retention_days
  tags                           = var.tags
}

moved {
  from = aws_cloudwatch_log_group.function
  to   = module.function.aws_cloudwatch_log_group.this
}

moved {
  from = aws_iam_role.this
  to   = module.function.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.this
  to   = module.function.aws_iam_role_policy.this
}

moved {
  from = aws_lambda_function.this
  to   = module.function.aws_lambda_function.this
}


resource "aws_apigatewayv2_api" "this" {
  name          = var.function_name
  description   = var.description
  protocol_type = "HTTP"

  dynamic "cors_configuration" {
    for_each = length(var.cors_allowed_origins) > 0 ? [1] : []

    content {
      allow_origins = var.cors_allowed_origins
      allow_methods = ["POST"]
      allow_headers = ["authorization", "content-type", "content-encoding", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
      # Browsers read the per-event answer and when to retry.
      expose_headers = ["retry-after"]
      max_age        = 3600
    }
  }

  tags = var.tags
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.jwt == null ? 0 : 1

  api_id           = aws_apigatewayv2_api.this.id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt.issuer
    audience = var.jwt.audiences
  }
}

resource "aws_apigatewayv2_integration" "this" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function.invoke_arn
  payload_format_version = "2.0"
  # The most an HTTP API waits; the function's timeout is set below it.
  timeout_milliseconds = 30000
}

# One resource per authorizer, each with its authorization type written out, so no route can end up anonymous.
resource "aws_apigatewayv2_route" "jwt" {
  count = contains(keys(local.routes), "jwt") ? 1 : 0

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = local.routes.jwt.route_key
  target             = "integrations/${aws_apigatewayv2_integration.this.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt[0].id
}

resource "aws_apigatewayv2_route" "iam" {
  count = contains(keys(local.routes), "iam") ? 1 : 0

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = local.routes.iam.route_key
  target             = "integrations/${aws_apigatewayv2_integration.this.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit    = var.throttling.rate_limit
    throttling_burst_limit   = var.throttling.burst_limit
    detailed_metrics_enabled = true
  }

  dynamic "route_settings" {
    for_each = local.routes

    content {
      route_key                = route_settings.value.route_key
      throttling_rate_limit    = var.throttling.rate_limit
      throttling_burst_limit   = var.throttling.burst_limit
      detailed_metrics_enabled = true
    }
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = local.access_log_format
  }

  tags = var.tags

  depends_on = [aws_apigatewayv2_route.jwt, aws_apigatewayv2_route.iam]
}

# The push model's resource-based policy: this API's routes, and nothing else, may invoke the function.
resource "aws_lambda_permission" "this" {
  for_each = local.routes

  statement_id  = "AllowApiGateway-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/${aws_apigatewayv2_stage.this.name}/POST${each.value.path}"
}

# Requests answered 429, by the API's throttling or by the function when the stream throttled it: both mean
# producers are told to slow down.
resource "aws_cloudwatch_log_metric_filter" "throttled" {
  name           = "${var.function_name}-throttled-requests"
  log_group_name = aws_cloudwatch_log_group.access.name
  pattern        = "{ $.status = \"429\" }"

  metric_transformation {
    name          = "ThrottledRequests"
    namespace     = var.metrics_namespace
    value         = "1"
    default_value = "0"
    dimensions    = {}
    unit          = "Count"
  }
}

# What producers would notice, each summed over 5 minutes: 5xx answers, 429 answers, whole invocations failed,
# the function throttled at its reserved concurrency.
locals {
  alarms = {
    "5xx" = {
      description = "The ingest API answered 5xx: the function failed or timed out, or the stream could not store events (producers retry)."
      namespace   = "AWS/ApiGateway"
      metric      = "5xx"
      dimensions  = { ApiId = aws_apigatewayv2_api.this.id, Stage = aws_apigatewayv2_stage.this.name }
      threshold   = var.alarms.server_errors
    }
    "throttled-requests" = {
      description = "Producers were answered 429: raise the route throttling, reserved concurrency or the raw stream's shards."
      namespace   = var.metrics_namespace
      metric      = aws_cloudwatch_log_metric_filter.throttled.metric_transformation[0].name
      dimensions  = {}
      threshold   = var.alarms.throttled_requests
    }
    errors = {
      description = "${var.function_name} failed whole invocations (unhandled errors, timeouts): producers got a 5xx."
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = module.function.function_name }
      threshold   = var.alarms.errors
    }
    throttles = {
      description = "${var.function_name} is throttled at its reserved concurrency: producers got a 5xx; raise it."
      namespace   = "AWS/Lambda"
      metric      = "Throttles"
      dimensions  = { FunctionName = module.function.function_name }
      threshold   = var.alarms.function_throttles
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.function_name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns

  tags = var.tags
}
