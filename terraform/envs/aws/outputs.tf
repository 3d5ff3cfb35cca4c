output "inventory" {
  description = "The hosts in services/deploy/inventory.py's format: what grading and `cloudkart render --inventory` read."
  value = {
    layout = var.layout
    source = "terraform-aws"
    hosts = [
      for h in local.layout.hosts : {
        name           = h.name
        roles          = h.roles
        address        = module.host[h.name].private_ip
        public_address = module.host[h.name].public_ip
        connection     = "ssh://ec2-user@${coalesce(module.host[h.name].public_ip, module.host[h.name].private_ip)}"
      }
    ]
    extra = {
      region    = var.region
      lab_mode  = var.lab_mode
      nat_ip    = module.network.nat_public_ip
      vpc_id    = module.network.vpc_id
      admin_ssh = var.admin_cidr
    }
  }
  precondition {
    condition     = alltrue([for name, cidr in local.host_subnet : cidr != null])
    error_message = "Every host's address must lie in one subnet of its kind (public roles: public_subnets) in layout.yml's network section."
  }
}

output "shop_url" {
  description = "The storefront, through Nginx on the public host(s)."
  value       = [for name in local.public_hosts : "http://${module.host[name].public_ip}/"]
}

output "security_groups" {
  description = "Role -> security group ID."
  value       = module.security.group_ids
}
