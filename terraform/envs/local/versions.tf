terraform {
  # Built-in resources only (terraform_data, local-exec): init, plan, apply and destroy run offline.
  required_version = ">= 1.4"
}
