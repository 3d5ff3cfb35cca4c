output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "subnet_ids" {
  description = "Subnet CIDR -> subnet ID, public and private."
  value       = merge({ for c, s in aws_subnet.public : c => s.id }, { for c, s in aws_subnet.private : c => s.id })
}

output "nat_public_ip" {
  description = "The address private hosts reach the internet from (allow it on package mirrors if needed)."
  value       = aws_eip.nat.public_ip
}

output "route_table_ids" {
  description = "Public and private route table IDs (for gateway endpoints)."
  value       = [aws_route_table.public.id, aws_route_table.private.id]
}
