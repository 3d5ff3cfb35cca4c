variable "region" {
  description = "AWS region."
  type        = string
  default     = "ap-south-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must look like ap-south-1 or us-east-1."
  }
}

variable "layout_file" {
  description = "Path of layout.yml, the one description of hosts, roles, ports and sizes. Empty: the repository's."
  type        = string
  default     = ""
}

variable "layout" {
  description = "Which layout of layout.yml to build."
  type        = string
  default     = "cloudkart-12"
}

variable "admin_cidr" {
  description = "Where SSH and the RabbitMQ management UI may be reached from (your address as a /32)."
  type        = string
  validation {
    condition     = can(cidrnetmask(var.admin_cidr)) && var.admin_cidr != "0.0.0.0/0"
    error_message = "admin_cidr must be an IPv4 CIDR narrower than 0.0.0.0/0, e.g. 203.0.113.7/32."
  }
}

variable "ami_id" {
  description = "AMI for every host. Null: the newest Red Hat RHEL 9 x86_64 image of the region."
  type        = string
  default     = null
  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be an AMI ID such as ami-0123456789abcdef0, or null."
  }
}

variable "key_name" {
  description = "Existing EC2 key pair for SSH (user ec2-user), or null."
  type        = string
  default     = null
}

variable "lab_mode" {
  description = "true: bare RHEL 9 hosts that students build by following the labs. false: each host runs its role's solution script (labs/roles/<role>.sh) at first boot."
  type        = bool
  default     = true
}

variable "repo_url" {
  description = "Git URL the hosts clone the CloudKart repository from (solution mode)."
  type        = string
  default     = ""
  validation {
    condition     = var.lab_mode || can(regex("^(https://|git@)", var.repo_url))
    error_message = "Solution mode (lab_mode = false) needs repo_url, an https:// or git@ URL of the repository."
  }
}

variable "repo_ref" {
  description = "Branch, tag or commit the hosts check out (solution mode)."
  type        = string
  default     = "main"
}

variable "bundle_dir" {
  description = "Folder with <host>.tar.gz, each host's rendered configs (solution mode; `cloudkart infra apply --env aws --solution` makes it)."
  type        = string
  default     = ""
  validation {
    condition     = var.lab_mode || var.bundle_dir != ""
    error_message = "Solution mode (lab_mode = false) needs bundle_dir: run `cloudkart infra apply --env aws --solution`, which renders it."
  }
}

variable "boto3_version" {
  description = "boto3 the hosts install to fetch their bundle from S3 (solution mode)."
  type        = string
  default     = "1.35.99"
}

variable "disk_gb" {
  description = "Root volume size of every host, GiB."
  type        = number
  default     = 10
  validation {
    condition     = var.disk_gb >= 10 && var.disk_gb <= 100
    error_message = "disk_gb must be between 10 and 100."
  }
}

variable "name" {
  description = "Name prefix and `Project` tag of every resource."
  type        = string
  default     = "cloudkart"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "tags" {
  description = "Extra tags for every resource (e.g. Owner, Course)."
  type        = map(string)
  default     = {}
}
