locals {
  prefix   = trim(var.prefix, "/")
  location = "s3://${aws_s3_bucket.this.bucket}/${local.prefix}"
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Server access logs need a second bucket per environment; CloudTrail data events are the audit trail of choice for this bucket.
  #checkov:skip=CKV_AWS_144:The archive is rebuilt from the stream and its retention window; cross-region replication is an organisational choice left to the caller.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new archive objects; Athena reads them through partition projection.
  bucket        = var.bucket_name
  force_destroy = var.force_destroy

  tags = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    # One data key per bucket instead of per object: fewer KMS calls from the archiver.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "archive-tiers"
    status = "Enabled"

    filter {
      prefix = "${local.prefix}/"
    }

    transition {
      days          = var.lifecycle_days.infrequent_access
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = var.lifecycle_days.glacier_instant_retrieval
      storage_class = "GLACIER_IR"
    }

    dynamic "expiration" {
      for_each = var.lifecycle_days.expire == null ? [] : [var.lifecycle_days.expire]

      content {
        days = expiration.value
      }
    }

    # Retries overwrite objects with the same key; old versions are kept only briefly.
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_glue_catalog_database" "this" {
  name        = var.glue_database_name
  description = "Shardline event archive."
}

# gzip NDJSON, one CloudEvent per line, Hive-style dt=/hour= partitions resolved by projection, so no crawler
# and no MSCK REPAIR are ever needed.
resource "aws_glue_catalog_table" "this" {
  name          = var.glue_table_name
  database_name = aws_glue_catalog_database.this.name
  table_type    = "EXTERNAL_TABLE"
  description   = "Archived enriched events (CloudEvents 1.0) written by s3-archiver."

  parameters = {
    EXTERNAL                      = "TRUE"
    classification                = "json"
    compressionType               = "gzip"
    "projection.enabled"          = "true"
    "projection.dt.type"          = "date"
    "projection.dt.format"        = "yyyy-MM-dd"
    "projection.dt.range"         = "${var.projection_start_date},NOW"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "DAYS"
    "projection.hour.type"        = "integer"
    "projection.hour.range"       = "0,23"
    "projection.hour.digits"      = "2"
    "storage.location.template"   = "${local.location}/dt=$${dt}/hour=$${hour}"
  }

  partition_keys {
    name = "dt"
    type = "string"
  }

  partition_keys {
    name = "hour"
    type = "string"
  }

  storage_descriptor {
    location      = "${local.location}/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      name                  = "json"
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
      parameters = {
        "ignore.malformed.json" = "true"
        "case.insensitive"      = "false"
      }
    }

    columns {
      name = "specversion"
      type = "string"
    }
    columns {
      name = "id"
      type = "string"
    }
    columns {
      name = "source"
      type = "string"
    }
    columns {
      name = "type"
      type = "string"
    }
    columns {
      name = "time"
      type = "string"
    }
    columns {
      name = "data"
      type = "struct<userId:string,campaignId:string,revenueMicros:bigint,currency:string,deviceId:string,sessionId:string,adId:string,placement:string,country:string,platform:string,appVersion:string,ip:string,userAgent:string,attributes:string>"
    }
    columns {
      name = "enrichment"
      type = "struct<campaign:struct<name:string,advertiser:string,known:boolean>,device:struct<os:string,osVersion:string,deviceType:string,browser:string>,ingestLagMs:bigint,eventDate:string,ipTruncated:boolean,origin:struct<shardId:string,sequenceNumber:string,subSequenceNumber:int>>"
    }
  }
}
