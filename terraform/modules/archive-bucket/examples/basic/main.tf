resource "aws_kms_key" "example" {
  #checkov:skip=CKV2_AWS_64:Example only; real roots pass the pipeline key, which has an explicit policy.
  description         = "example archive key"
  enable_key_rotation = true
}

module "archive" {
  source = "../.."

  bucket_name        = "example-shardline-archive-123456789012"
  prefix             = "events"
  kms_key_arn        = aws_kms_key.example.arn
  force_destroy      = true
  glue_database_name = "example_archive"
  lifecycle_days     = { infrequent_access = 30, glacier_instant_retrieval = 90, expire = 365 }
}

output "glue_table" {
  description = "Athena table over the example archive."
  value       = "${module.archive.glue_database_name}.${module.archive.glue_table_name}"
}
