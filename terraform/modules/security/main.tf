# A security group per role. Its ingress rules are exactly the layout's `listens[].from` lists:
# a role source becomes a reference to that role's group, `internet` 0.0.0.0/0, `admin` the
# admin CIDR. SSH (22) comes only from the admin CIDR. Nothing else is open (rules in rules.tf).

resource "aws_security_group" "role" {
  for_each    = var.roles
  name        = "${var.name}-${each.key}"
  description = "CloudKart role ${each.key}: only the ports and sources layout.yml lists"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-${each.key}", Role = each.key })
}

resource "aws_vpc_security_group_ingress_rule" "listen" {
  for_each                     = local.ingress
  security_group_id            = aws_security_group.role[each.value.role].id
  description                  = "${each.value.component} from ${each.value.source}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  cidr_ipv4                    = each.value.source == "internet" ? "0.0.0.0/0" : each.value.source == "admin" ? var.admin_cidr : null
  referenced_security_group_id = contains(["internet", "admin"], each.value.source) ? null : aws_security_group.role[each.value.source].id
  tags                         = var.tags
}

# Hosts install packages and the code (through the NAT gateway); outbound stays open.
resource "aws_vpc_security_group_egress_rule" "all" {
  for_each          = var.roles
  security_group_id = aws_security_group.role[each.key].id
  description       = "outbound: packages, PyPI, the repository"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}
