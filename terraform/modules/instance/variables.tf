variable "name" {
  description = "The layout's host name (Name tag)."
  type        = string
}

variable "ami_id" {
  description = "AMI to boot."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type (the layout's `size`)."
  type        = string
}

variable "subnet_id" {
  description = "Subnet that holds private_ip."
  type        = string
}

variable "private_ip" {
  description = "The layout's address of this host."
  type        = string
  validation {
    condition     = can(cidrhost("${var.private_ip}/32", 0))
    error_message = "private_ip must be an IPv4 address."
  }
}

variable "security_group_ids" {
  description = "Security groups of the host's roles."
  type        = list(string)
}

variable "public" {
  description = "Give the host a public address (only roles marked `public` in the layout)."
  type        = bool
  default     = false
}

variable "key_name" {
  description = "EC2 key pair for SSH, or null for none."
  type        = string
  default     = null
}

variable "instance_profile" {
  description = "IAM instance profile (solution mode: may read only this host's bundle), or null."
  type        = string
  default     = null
}

variable "user_data" {
  description = "cloud-init user data, or null for a bare host (lab mode)."
  type        = string
  default     = null
}

variable "disk_gb" {
  description = "Root volume size in GiB."
  type        = number
  default     = 10
  validation {
    condition     = var.disk_gb >= 10
    error_message = "disk_gb must be at least 10 (RHEL 9 images need it)."
  }
}

variable "tags" {
  description = "Tags added to the instance."
  type        = map(string)
  default     = {}
}
