output "id" {
  description = "Instance ID."
  value       = aws_instance.this.id
}

output "private_ip" {
  description = "Private address (the layout's)."
  value       = aws_instance.this.private_ip
}

output "public_ip" {
  description = "Public address, or null for a private host."
  value       = var.public ? aws_instance.this.public_ip : null
}
