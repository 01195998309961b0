# Each consumer's sizing with the defaults filled in. Kept apart from main.tf and free of resource references,
# so that tools/terraform/check.sh can plan it with variables.tf alone, without a provider.
locals {
  # Mapping sizes not given in var.consumers. The aggregator batches more: its writes per batch are the
  # distinct (campaign, type, minute) items, so fewer, larger batches cost fewer writes.
  mapping_defaults = {
    batch_size                         = { default = 500, dynamodb-aggregator = 1000 }
    maximum_batching_window_in_seconds = { default = 1, dynamodb-aggregator = 5 }
  }
  consumers = {
    for app, c in var.consumers : app => merge(c, {
      for setting, defaults in local.mapping_defaults : setting => coalesce(c[setting], lookup(defaults, app, defaults.default))
    })
  }
}
