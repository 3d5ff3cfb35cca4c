output "group_ids" {
  description = "Role name -> security group ID."
  value       = { for role, sg in aws_security_group.role : role => sg.id }
}
