# Solution mode only (lab_mode = false): how each host gets its rendered configs, which hold
# passwords. User data is readable by any process on the instance (IMDS) and by anyone allowed
# ec2:DescribeInstanceAttribute, so it carries no secret: only where to fetch the bundle.
# The bundles sit in a private, encrypted bucket; each host's instance role may read only its own
# object, over a gateway endpoint, and IMDSv2 with hop limit 1 keeps those credentials on the host.

resource "aws_s3_bucket" "bundles" {
  count         = var.lab_mode ? 0 : 1
  bucket_prefix = "${var.name}-bundles-"
  force_destroy = true # holds only rendered copies; `terraform destroy` must not stall on them
}

resource "aws_s3_bucket_public_access_block" "bundles" {
  count                   = var.lab_mode ? 0 : 1
  bucket                  = aws_s3_bucket.bundles[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bundles" {
  count  = var.lab_mode ? 0 : 1
  bucket = aws_s3_bucket.bundles[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_object" "bundle" {
  for_each = var.lab_mode ? {} : local.hosts
  bucket   = aws_s3_bucket.bundles[0].id
  key      = "bundles/${each.key}.tar.gz"
  source   = "${var.bundle_dir}/${each.key}.tar.gz"
  etag     = filemd5("${var.bundle_dir}/${each.key}.tar.gz")
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "bundle" {
  for_each           = var.lab_mode ? {} : local.hosts
  name_prefix        = "${var.name}-${substr(each.key, 0, 20)}-"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy" "bundle" {
  for_each = var.lab_mode ? {} : local.hosts
  role     = aws_iam_role.bundle[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["${aws_s3_bucket.bundles[0].arn}/${aws_s3_object.bundle[each.key].key}"]
    }]
  })
}

resource "aws_iam_instance_profile" "bundle" {
  for_each    = var.lab_mode ? {} : local.hosts
  name_prefix = "${var.name}-${substr(each.key, 0, 20)}-"
  role        = aws_iam_role.bundle[each.key].name
}

resource "aws_vpc_endpoint" "s3" {
  count             = var.lab_mode ? 0 : 1
  vpc_id            = module.network.vpc_id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = module.network.route_table_ids
}
