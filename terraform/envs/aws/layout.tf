# What this root reads from layout.yml. Only locals here: tests/infra evaluates this file with the
# real Terraform offline (no provider needed) and compares the result with layout.py's reading.

locals {
  layout_file = var.layout_file != "" ? var.layout_file : "${path.module}/../../../layout.yml"
  spec        = yamldecode(file(local.layout_file))
  layout      = local.spec.layouts[var.layout]
  network     = local.layout.network
  roles       = local.spec.roles
  hosts       = { for h in local.layout.hosts : h.name => h }
  tags        = merge(var.tags, { Project = var.name, Layout = var.layout, ManagedBy = "terraform" })

  public_hosts = toset([for name, h in local.hosts : name if anytrue([for r in h.roles : try(local.roles[r].public, false)])])

  # Each host goes in the subnet of its kind (public or private) that holds its layout address.
  subnets_of_kind = {
    for name in keys(local.hosts) : name => contains(local.public_hosts, name) ? local.network.public_subnets : local.network.private_subnets
  }
  host_subnet = {
    for name, h in local.hosts : name => one([
      for cidr in local.subnets_of_kind[name] : cidr if cidrsubnet("${h.address}/${split("/", cidr)[1]}", 0, 0) == cidr
    ])
  }
}
