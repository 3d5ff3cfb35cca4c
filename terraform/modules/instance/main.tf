# One host of the layout: an EC2 instance at the layout's private address with its role's group.
# IMDSv2 only (hop limit 1): a process in a container on the host cannot read the instance role's
# credentials, and user_data is never given secrets (see terraform/README.md).

resource "aws_instance" "this" {
  ami                         = var.ami_id
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  private_ip                  = var.private_ip
  vpc_security_group_ids      = var.security_group_ids
  associate_public_ip_address = var.public
  key_name                    = var.key_name
  iam_instance_profile        = var.instance_profile
  user_data                   = var.user_data
  user_data_replace_on_change = true

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_size = var.disk_gb
    volume_type = "gp3"
    encrypted   = true
  }

  tags = merge(var.tags, { Name = var.name })
}
