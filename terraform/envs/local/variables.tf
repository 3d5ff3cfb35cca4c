variable "layout_file" {
  description = "Path of layout.yml. Empty: the repository's."
  type        = string
  default     = ""
}

variable "layout" {
  description = "Which layout of layout.yml."
  type        = string
  default     = "cloudkart-12"
}

variable "drive_hosts" {
  description = "true: apply boots the layout's local systemd hosts (`cloudkart hosts up`, needs root) and destroy stops them. false: only record the layout's hosts and give their inventory."
  type        = bool
  default     = false
}

variable "only" {
  description = "Host names to boot when drive_hosts is true (empty: every host of the layout)."
  type        = list(string)
  default     = []
}

variable "cloudkart" {
  description = "The cloudkart command local-exec runs (e.g. /work/main/.venv/bin/cloudkart)."
  type        = string
  default     = "cloudkart"
  validation {
    condition     = length(trimspace(var.cloudkart)) > 0
    error_message = "cloudkart must name the cloudkart command."
  }
}

variable "addresses" {
  description = "Host name -> address, replacing the layout's. `cloudkart infra --env local` passes the local hosts' bridge addresses when drive_hosts is true."
  type        = map(string)
  default     = {}
  validation {
    condition     = alltrue([for a in values(var.addresses) : can(cidrhost("${a}/32", 0))])
    error_message = "addresses must map host names to IPv4 addresses."
  }
}

variable "ssh_config" {
  description = "ssh_config file that reaches the hosts (the local hosts write one), or null."
  type        = string
  default     = null
}
