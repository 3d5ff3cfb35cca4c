"""Terraform and Vagrant environments of the layout: `cloudkart infra ... --env aws|local`."""
