# The layout's 12 hosts on AWS: network, a security group per role, one instance per host.
# Every host, address, size and rule comes from layout.yml (locals in layout.tf).

data "aws_availability_zones" "available" {
  state = "available"
}

# Red Hat's own account publishes the RHEL images.
data "aws_ami" "rhel9" {
  count       = var.ami_id == null ? 1 : 0
  most_recent = true
  owners      = ["309956199498"]
  filter {
    name   = "name"
    values = ["RHEL-9.*_HVM-*-x86_64-*"]
  }
  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

module "network" {
  source            = "../../modules/network"
  name              = var.name
  vpc_cidr          = local.network.vpc_cidr
  public_subnets    = local.network.public_subnets
  private_subnets   = local.network.private_subnets
  availability_zone = data.aws_availability_zones.available.names[0]
  tags              = local.tags
}

module "security" {
  source     = "../../modules/security"
  name       = var.name
  vpc_id     = module.network.vpc_id
  roles      = local.roles
  admin_cidr = var.admin_cidr
  tags       = local.tags
}

module "host" {
  source             = "../../modules/instance"
  for_each           = local.hosts
  name               = each.key
  ami_id             = var.ami_id != null ? var.ami_id : data.aws_ami.rhel9[0].id
  instance_type      = each.value.size
  subnet_id          = module.network.subnet_ids[local.host_subnet[each.key]]
  private_ip         = each.value.address
  security_group_ids = [for r in each.value.roles : module.security.group_ids[r]]
  public             = contains(local.public_hosts, each.key)
  key_name           = var.key_name
  disk_gb            = var.disk_gb
  instance_profile   = var.lab_mode ? null : aws_iam_instance_profile.bundle[each.key].name
  user_data = var.lab_mode ? null : templatefile("${path.module}/user_data.sh.tftpl", {
    host          = each.key
    roles         = each.value.roles
    repo_url      = var.repo_url
    repo_ref      = var.repo_ref
    region        = var.region
    bucket        = aws_s3_bucket.bundles[0].id
    key           = aws_s3_object.bundle[each.key].key
    boto3_version = var.boto3_version
  })
  tags = { Role = join(",", each.value.roles) }
}
