variable "name" {
  description = "Prefix of the security group names."
  type        = string
}

variable "vpc_id" {
  description = "VPC the groups belong to."
  type        = string
}

variable "roles" {
  description = "layout.yml's `roles` map: each role's `listens` with `port`, `component` and `from`."
  type = map(object({
    listens = list(object({
      port      = number
      component = string
      from      = list(string)
    }))
  }))
}

variable "admin_cidr" {
  description = "Where SSH and the `admin` sources of the layout (RabbitMQ management) may come from."
  type        = string
  validation {
    condition     = can(cidrnetmask(var.admin_cidr))
    error_message = "admin_cidr must be an IPv4 CIDR."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
