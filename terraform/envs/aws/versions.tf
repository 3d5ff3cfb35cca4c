terraform {
  # 1.9+: variable validations that look at other variables (lab_mode needs repo_url and bundle_dir).
  required_version = ">= 1.9"
  # `cloudkart infra init` sets the path (var/infra/<env>/terraform.tfstate); swap in an "s3" backend to share state.
  backend "local" {}
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
