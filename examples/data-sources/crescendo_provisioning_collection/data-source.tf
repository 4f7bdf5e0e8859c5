# Every user of the provider's tenant, whoever created them.
data "crescendo_provisioning_collection" "users" {
  collection = "users"
}

locals {
  users = { for id, body in data.crescendo_provisioning_collection.users.documents : id => jsondecode(body) }
}

output "user_ids" {
  value = data.crescendo_provisioning_collection.users.document_ids
}

output "owner_emails" {
  value = [for user in local.users : user.email if user.role == "owner"]
}
