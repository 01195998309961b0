# Each stream's and consumer's sizing with the tuning applied and the defaults filled in. Kept apart from main.tf and free of resource references,
# so that tools/terraform/check.sh can plan it with variables.tf alone, without a provider.
locals {
  # Mapping sizes not given in var.consumers. The aggregator batches more: its writes per batch are the
  # distinct (campaign, type, minute) items, so fewer, larger batches cost fewer writes.
  mapping_defaults = {
    batch_size                         = { default = 500, dynamodb-aggregator = 1000 }
    maximum_batching_window_in_seconds = { default = 1, dynamodb-aggregator = 5 }
  }
  # The tuning layer (`npm run tune` writes it, tuning.auto.tfvars.json of the environment) wins over the
  # declared settings; unset fields keep them.
  streams = {
    for name, s in { raw = var.raw_stream, enriched = var.enriched_stream } :
    name => merge(s, { for k, v in try(var.tuning.streams[name], {}) : k => v if v != null })
  }
  tuned_consumers = {
    for app, c in var.consumers : app => merge(c, { for k, v in try(var.tuning.consumers[app], {}) : k => v if v != null })
  }
  consumers = {
    for app, c in local.tuned_consumers : app => merge(c, {
      for setting, defaults in local.mapping_defaults : setting => coalesce(c[setting], lookup(defaults, app, defaults.default))
    })
  }
}
