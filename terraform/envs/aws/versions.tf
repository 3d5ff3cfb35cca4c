terraform {
  # 1.9+: variable validations that look at other variables (lab_mode needs repo_url and bundle_dir).
  required_version = ">= 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = local.tags
  }
}
