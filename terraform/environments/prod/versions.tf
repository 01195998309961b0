terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Partial configuration: bucket, key and region come from backend.hcl (see README), so no account id is
  # committed. use_lockfile takes an S3 lock object next to the state (Terraform >= 1.10, OpenTofu >= 1.10).
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "shardline"
      Environment = "prod"
      ManagedBy   = "terraform"
    }
  }
}
