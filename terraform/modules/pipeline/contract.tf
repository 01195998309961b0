# The pipeline contract (libs/contract/pipeline.json): the consumers, the streams and resources they use, their
# settings per environment, environment variables, metrics and access. Everything per app below derives from it.
locals {
  contract = jsondecode(file("${path.module}/../../../libs/contract/pipeline.json"))

  # Every consumer and the stream it reads. Free of resource references: it drives for_each, which must be known
  # before anything is created. Each function's package is <packages_dir>/<app>.zip, written by
  # `nx run <app>:package` from dist/apps/<app>/index.js.
  apps = { for app, c in local.contract.consumers : app => { stream = c.stream, description = c.description } }

  # Every function the contract declares, consumers and ingest (push-model) functions alike: their environment
  # and access resolve the same way.
  functions = merge(local.contract.consumers, local.contract.ingest)

  # The ingest functions an S3 inbox invokes, each with its inbox (a bucket-prefix resource of the contract).
  inboxes = {
    for app, i in local.contract.ingest : app => merge(local.contract.resources[i.inbox], { resource = i.inbox, description = i.description })
    if i.trigger == "s3-inbox"
  }

  # What the contract's symbolic values point at, by kind and name, with the attributes of each kind (the
  # ResourceMap of libs/contract/src/resolve.ts). Parameters resolve like a resource with a single attribute.
  resources = {
    stream = { for name, s in module.stream : name => { name = s.stream_name, arn = s.stream_arn } }
    table = {
      campaigns               = { name = module.reference_table.table_name, arn = module.reference_table.table_arn }
      aggregates              = { name = module.aggregates_table.table_name, arn = module.aggregates_table.table_arn }
      "enrichment-ledger"     = { name = module.ledger_table.table_name, arn = module.ledger_table.table_arn }
      "s3-import-checkpoints" = { name = module.checkpoint_table.table_name, arn = module.checkpoint_table.table_arn }
    }
    "bucket-prefix" = {
      for name, r in local.contract.resources : name => {
        bucket = local.buckets[r.bucket].bucket_name
        prefix = r.prefix
        arn    = "${local.buckets[r.bucket].bucket_arn}/${r.prefix}/*"
      } if r.kind == "bucket-prefix"
    }
    queue = {
      quarantine = { name = module.quarantine_queue.queue_name, arn = module.quarantine_queue.queue_arn, url = module.quarantine_queue.queue_url }
    }
    domain = {
      events = {
        name           = module.opensearch.domain_name
        arn            = module.opensearch.domain_arn
        paths          = "${module.opensearch.domain_arn}/*"
        endpoint       = "https://${module.opensearch.domain_endpoint}"
        "index-prefix" = local.contract.resources.events.indexPrefix
      }
    }
    key       = { pipeline = { arn = aws_kms_key.this.arn } }
    parameter = { for name, p in local.contract.parameters : name => { value = tostring(local.parameters[name]) } }
  }
  # Inbox buckets are named here rather than read from module.s3_inbox: the inbox feeds its own function's
  # environment and policy, so reading it back from the module would make a dependency cycle. The check below
  # proves the two agree.
  buckets = merge(
    { archive = { bucket_name = module.archive.bucket_name, bucket_arn = module.archive.bucket_arn } },
    { for app, r in local.inboxes : r.bucket => { bucket_name = local.inbox_bucket_names[app], bucket_arn = "arn:aws:s3:::${local.inbox_bucket_names[app]}" } },
  )
  inbox_bucket_names = { for app, r in local.inboxes : app => "${local.prefix}-${r.bucket}-${local.account_id}" }

  parameters = { for name, p in local.contract.parameters : name => try(p.value[var.environment], p.value.default) }

  # Each symbolic value as [kind, name, attribute]: it names one kind (a key of local.resources) beside "attribute"
  # and "only"; an environment value without an attribute is a parameter's value, an access resource without one
  # means the ARN. Entries marked "only": "local" are for the local runtime.
  references = {
    for app, c in local.functions : app => {
      environment = {
        for variable, ref in c.environment : variable => [
          for kind in keys(ref) : [kind, ref[kind], try(ref.attribute, "value")] if contains(keys(local.resources), kind)
        ] if try(ref.only, "aws") == "aws"
      }
      access = [
        for s in c.access : [
          for r in s.resources : [
            for kind in keys(r) : [kind, r[kind], try(r.attribute, "arn")] if contains(keys(local.resources), kind) && kind != "parameter"
          ]
        ]
      ]
    }
  }
  resolvable = {
    for kind, named in local.resources : kind => { for name, attributes in named : name => keys(attributes) }
  }
  # References the module cannot resolve (a resource the contract names that this module does not create):
  # computed from names alone, so the precondition below is decided at plan time.
  unresolved = concat(
    flatten([for app, r in local.references : [
      for variable, ref in r.environment : "${app} ${variable}"
      if length(ref) != 1 || !contains(keys(try(local.resolvable[ref[0][0]], {})), try(ref[0][1], "")) || !contains(try(local.resolvable[ref[0][0]][ref[0][1]], []), try(ref[0][2], ""))
    ]]),
    flatten([for app, r in local.references : [
      for i, statement in r.access : [
        for ref in statement : "${app} ${local.functions[app].access[i].sid}"
        if length(ref) != 1 || !contains(keys(try(local.resolvable[ref[0][0]], {})), try(ref[0][1], "")) || !contains(try(local.resolvable[ref[0][0]][ref[0][1]], []), try(ref[0][2], ""))
      ]
    ]]),
    [for name, r in local.contract.resources : "resource ${name}" if !contains(keys(try(local.resources[r.kind], {})), name)],
    [for name in keys(var.tuning.consumers) : "tuning.consumers.${name}" if !contains(keys(local.apps), name)],
    [for name in keys(var.tuning.streams) : "tuning.streams.${name}" if !contains(keys(local.contract.streams), name)],
  )

  wiring = {
    for app, r in local.references : app => {
      environment = {
        for variable, ref in r.environment : variable => try(local.resources[ref[0][0]][ref[0][1]][ref[0][2]], null)
      }
      policy_statements = [
        for i, statement in r.access : {
          sid       = local.functions[app].access[i].sid
          actions   = local.functions[app].access[i].actions
          resources = [for ref in statement : try(local.resources[ref[0][0]][ref[0][1]][ref[0][2]], null)]
        }
      ]
    }
  }

  # Roles that write to the domain: its fine-grained access control maps them to the writer role.
  # The ARNs are built from the role's name (stream-consumer names it "<function_name>-role") rather than read
  # from module.consumer: the domain feeds every consumer's environment and policies, so reading the roles back
  # from the consumers would make a dependency cycle. The check below proves the two agree.
  domain_writers = [
    for app, c in local.contract.consumers : local.role_arns[app]
    if anytrue([for s in c.access : anytrue([for r in s.resources : try(r.domain, null) != null])])
  ]
  role_arns = { for app in keys(local.contract.consumers) : app => "arn:aws:iam::${local.account_id}:role/${local.prefix}-${app}-role" }

  # Alarms the contract declares on functions' own metrics.
  metric_alarms = merge([
    for app, c in local.functions : {
      for metric, m in c.metrics : "${app}-${m.alarm.name}" => merge(m.alarm, { app = app, metric = metric }) if try(m.alarm, null) != null
    }
  ]...)
}

# The contract's rules, checked at plan time against the settings this environment resolves to (sizing.tf):
# every setting within its limits (the contract's, tightened per consumer), every parameter within its bounds,
# every symbolic value resolved. libs/contract's checkContract and settingViolations check the same in the tests.
resource "terraform_data" "contract" {
  input = { consumers = local.consumers, streams = local.streams, parameters = local.parameters }

  lifecycle {
    precondition {
      condition     = length(local.setting_violations) == 0
      error_message = "Settings outside the pipeline contract's limits: ${join("; ", local.setting_violations)}."
    }
    precondition {
      condition     = alltrue([for name, p in local.contract.parameters : local.parameters[name] >= p.minimum && local.parameters[name] <= p.maximum])
      error_message = "Parameters outside their bounds: ${join(", ", [for name, p in local.contract.parameters : "${name} = ${local.parameters[name]} (${p.minimum} to ${p.maximum})" if local.parameters[name] < p.minimum || local.parameters[name] > p.maximum])}."
    }
    precondition {
      condition     = length(local.unresolved) == 0
      error_message = "The pipeline contract names what this module does not create: ${join(", ", local.unresolved)}."
    }
  }
}

check "inbox_bucket_names" {
  assert {
    condition     = alltrue([for app, name in local.inbox_bucket_names : module.s3_inbox[app].bucket_name == name])
    error_message = "The inbox bucket names given to the functions' environment and policies differ from the buckets s3-inbox created."
  }
}

check "consumer_role_arns" {
  assert {
    condition     = alltrue([for app, arn in local.role_arns : module.consumer[app].role_arn == arn])
    error_message = "The role ARNs given to the OpenSearch domain differ from the consumers' roles: stream-consumer's role naming changed."
  }
}
