# The tenant document of the provider's tenant.
data "crescendo_provisioning_document" "tenant" {}

# A user that the Crescendo console manages.
data "crescendo_provisioning_document" "owner" {
  collection  = "users"
  document_id = "user-001"
}

# A bot that may not exist yet: with allow_missing, a missing document sets
# exists = false instead of failing the plan.
data "crescendo_provisioning_document" "legacy_bot" {
  collection    = "bots"
  document_id   = "bot-legacy"
  allow_missing = true
}

output "owner_email" {
  value = jsondecode(data.crescendo_provisioning_document.owner.body).email
}

output "legacy_bot_name" {
  value = data.crescendo_provisioning_document.legacy_bot.exists ? jsondecode(data.crescendo_provisioning_document.legacy_bot.body).name : null
}
