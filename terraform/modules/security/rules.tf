# Every ingress rule, keyed role:port:source. Only locals here: tests/infra evaluates this file with
# the real Terraform offline and checks it against the layout's from-lists.

locals {
  listen_rules = flatten([
    for role, spec in var.roles : [
      for listen in spec.listens : [
        for source in listen.from : {
          key       = "${role}:${listen.port}:${source}"
          role      = role
          port      = listen.port
          component = listen.component
          source    = source
        }
      ]
    ]
  ])

  ssh_rules = [
    for role in keys(var.roles) : {
      key = "${role}:22:admin", role = role, port = 22, component = "ssh", source = "admin"
    }
  ]

  ingress = { for r in concat(local.listen_rules, local.ssh_rules) : r.key => r }
}
