output "inventory" {
  description = "The hosts in services/deploy/inventory.py's format (the same output as the AWS root)."
  value = {
    layout     = var.layout
    source     = var.drive_hosts ? "terraform-local-hosts" : "terraform-local"
    ssh_config = var.ssh_config
    extra      = { drive_hosts = var.drive_hosts }
    hosts = [
      for h in local.layout.hosts : {
        name           = h.name
        roles          = h.roles
        address        = terraform_data.host[h.name].output.address
        public_address = anytrue([for r in h.roles : try(local.spec.roles[r].public, false)]) ? terraform_data.host[h.name].output.address : null
        connection     = "ssh://root@${terraform_data.host[h.name].output.address}"
      } if length(var.only) == 0 || contains(var.only, h.name)
    ]
  }
}
