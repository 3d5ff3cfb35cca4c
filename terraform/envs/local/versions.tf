terraform {
  # Built-in resources only (terraform_data, local-exec): init, plan, apply and destroy run offline.
  required_version = ">= 1.4"
  # `cloudkart infra init` sets the path (var/infra/<env>/terraform.tfstate); swap in an "s3" backend to share state.
  backend "local" {}
}
