# Each consumer's and stream's settings in this environment: the contract's common defaults, the consumer's
# `default`, its entry for var.environment, then var.tuning (tuning.auto.tfvars.json of the environment, written
# by `npm run tune`), each on top of the one before. libs/contract's consumerSettings computes the same.
locals {
  consumers = {
    for app, c in local.contract.consumers : app => merge(
      local.contract.common.settings,
      c.settings.default,
      try(c.settings[var.environment], {}),
      { for setting, value in try(var.tuning.consumers[app], {}) : setting => value if value != null },
    )
  }
  # Each ingest function's settings: its `default`, then its entry for var.environment (ingestSettings computes
  # the same); reserved concurrency null means the module's default.
  ingest = {
    for app, i in local.contract.ingest : app => merge(
      { reserved_concurrency = null },
      i.settings.default,
      try(i.settings[var.environment], {}),
    )
  }

  # The OpenSearch domain's size: the contract's `default` for the domain, then its entry for var.environment
  # (libs/contract's domainSettings computes the same).
  opensearch = merge(
    local.contract.resources.events.settings.default,
    try(local.contract.resources.events.settings[var.environment], {}),
  )
  mapping = merge(local.contract.common.mapping.default, try(local.contract.common.mapping[var.environment], {}))
  streams = {
    for name, s in local.contract.streams : name => merge(
      s.settings.default,
      try(s.settings[var.environment], {}),
      { for setting, value in try(var.tuning.streams[name], {}) : setting => value if value != null },
    )
  }

  # Every setting outside its limits: the contract's `limits`, then each consumer's own, tighter ones (parallelization
  # factor 1 where exactly once needs one batch per shard at a time, the aggregator's large batches).
  setting_violations = concat(
    flatten([
      for app, settings in local.consumers : [
        for setting, limit in try(local.contract.consumers[app].limits, {}) :
        "${app} ${setting} is ${settings[setting]}, must be ${try("${limit.minimum} to ${limit.maximum}", "at least ${limit.minimum}", "at most ${limit.maximum}")}: ${limit.reason}"
        if can(settings[setting] + 0) && (try(settings[setting] < limit.minimum, false) || try(settings[setting] > limit.maximum, false))
      ]
    ]),
    flatten([
      for app, settings in local.consumers : [
        for setting, limit in local.contract.limits :
        "${app} ${setting} is ${settings[setting]}, must be ${try("${limit.minimum} to ${limit.maximum}", "at least ${limit.minimum}", "at most ${limit.maximum}")}: ${limit.reason}"
        if can(settings[setting] + 0) && (try(settings[setting] < limit.minimum, false) || try(settings[setting] > limit.maximum, false))
      ]
    ]),
    flatten([
      for name, settings in local.streams : [
        for setting, limit in local.contract.limits :
        "stream ${name} ${setting} is ${settings[setting]}, must be ${try("${limit.minimum} to ${limit.maximum}", "at least ${limit.minimum}", "at most ${limit.maximum}")}: ${limit.reason}"
        if can(settings[setting] + 0) && (try(settings[setting] < limit.minimum, false) || try(settings[setting] > limit.maximum, false))
      ]
    ]),
  )
}
