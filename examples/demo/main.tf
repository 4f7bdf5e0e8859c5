# A tenant's provisioning as a platform team might keep it: the tenant settings, a few
# users, a bot with its current version, and a scheduled job. The provider reads
# CRESCENDO_API_KEY, CRESCENDO_BASE_URL and CRESCENDO_TENANT_ID from the environment,
# which `make demo` points at a local mock of the API.

terraform {
  required_providers {
    crescendo = {
      source = "crescendo-ai/crescendo"
    }
  }
}

provider "crescendo" {}

locals {
  users = {
    "user-001" = { email = "owner@demo.test", role = "owner" }
    "user-002" = { email = "analyst@demo.test", role = "viewer" }
    "user-003" = { email = "support.lead@demo.test", role = "editor" }
  }
}

resource "crescendo_provisioning_document" "tenant" {
  body = jsonencode({
    displayName = "Demo Corp"
    locale      = "en-GB"
    features = {
      knowledgeBase = true
      voice         = false
    }
    retentionDays = 90
  })
}

resource "crescendo_provisioning_document" "user" {
  for_each = local.users

  collection  = "users"
  document_id = each.key
  body        = jsonencode(each.value)
}

# The webhook token reaches the API through body_wo, so it is in neither the state nor
# the plan. The default is a placeholder for the demo; set a real token with
# TF_VAR_support_bot_webhook_token.
variable "support_bot_webhook_token" {
  type      = string
  sensitive = true
  default   = "demo-webhook-token"
}

resource "crescendo_provisioning_document" "support_bot" {
  collection  = "bots"
  document_id = "bot-support"
  body = jsonencode({
    name = "Support Bot"
    versions = {
      current = {
        spec = {
          greeting   = "Hello! How can I help you today?"
          escalateTo = crescendo_provisioning_document.user["user-003"].document_id
        }
      }
    }
  })

  body_wo = jsonencode({
    webhook = { url = "https://hooks.demo.test/support", token = var.support_bot_webhook_token }
  })
  # Change the version to send a new token: Terraform cannot see changes to body_wo.
  body_wo_version = "1"
}

# Every user of the tenant, including any that were created outside this
# configuration.
data "crescendo_provisioning_collection" "users" {
  collection = "users"
  depends_on = [crescendo_provisioning_document.user]
}

resource "crescendo_provisioning_document" "nightly_export" {
  collection  = "jobs"
  document_id = "nightly-export"
  on_destroy  = "empty"
  body        = <<-EOT
    {
      "schedule": "0 2 * * *",
      "enabled": true,
      "target": {"bucket": "demo-exports", "prefix": "daily/"}
    }
  EOT
}

output "document_ids" {
  value = concat(
    [crescendo_provisioning_document.tenant.id],
    [for user in crescendo_provisioning_document.user : user.id],
    [crescendo_provisioning_document.support_bot.id, crescendo_provisioning_document.nightly_export.id],
  )
}

output "user_roles" {
  value = { for id, body in data.crescendo_provisioning_collection.users.documents : id => jsondecode(body).role }
}

output "tenant_updated_by" {
  value = crescendo_provisioning_document.tenant.updated_by
}
