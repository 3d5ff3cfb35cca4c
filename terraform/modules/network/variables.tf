variable "name" {
  description = "Name tag prefix of every network resource."
  type        = string
}

variable "vpc_cidr" {
  description = "The VPC's address range (layout.yml: layouts.<layout>.network.vpc_cidr)."
  type        = string
  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR such as 172.31.0.0/16."
  }
}

variable "public_subnets" {
  description = "CIDRs of the public subnets; the first one holds the NAT gateway."
  type        = list(string)
  validation {
    condition     = length(var.public_subnets) > 0 && alltrue([for c in var.public_subnets : can(cidrnetmask(c))])
    error_message = "public_subnets needs at least one IPv4 CIDR."
  }
}

variable "private_subnets" {
  description = "CIDRs of the private subnets (no public addresses, out through the NAT gateway)."
  type        = list(string)
  validation {
    condition     = alltrue([for c in var.private_subnets : can(cidrnetmask(c))])
    error_message = "private_subnets must be IPv4 CIDRs."
  }
}

variable "availability_zone" {
  description = "Availability zone of every subnet."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
