# The layout's hosts on this machine, with the same `inventory` output as the AWS root.

locals {
  layout_file = var.layout_file != "" ? var.layout_file : "${path.module}/../../../layout.yml"
  spec        = yamldecode(file(local.layout_file))
  layout      = local.spec.layouts[var.layout]
  hosts       = { for h in local.layout.hosts : h.name => h }
  unknown     = setsubtract(var.only, keys(local.hosts))
}

# One record per layout host, so plan and state show the hosts this environment stands for.
resource "terraform_data" "host" {
  for_each = local.hosts
  input = {
    roles   = each.value.roles
    address = lookup(var.addresses, each.key, each.value.address)
    size    = each.value.size
  }
}

# The local systemd hosts. Destroy-time provisioners may only read `self`, so the commands
# they need travel in `input`.
resource "terraform_data" "local_hosts" {
  count = var.drive_hosts ? 1 : 0
  input = {
    up   = join(" ", compact([var.cloudkart, "hosts up --layout", var.layout, length(var.only) > 0 ? "--only ${join(",", var.only)}" : ""]))
    down = "${var.cloudkart} hosts down --layout ${var.layout}"
  }

  provisioner "local-exec" {
    command = self.input.up
  }

  provisioner "local-exec" {
    when    = destroy
    command = self.input.down
  }

  lifecycle {
    precondition {
      condition     = length(local.unknown) == 0
      error_message = "only names host(s) not in the layout: ${join(", ", local.unknown)}."
    }
  }
}
