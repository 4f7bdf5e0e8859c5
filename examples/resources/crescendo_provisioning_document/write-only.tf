# A bot whose webhook token stays out of Terraform state and plans. body_wo needs
# Terraform 1.11 or later. Its top-level members are merged into body when the
# document is written; a top-level key must not be in both.
variable "support_bot_webhook_token" {
  type      = string
  sensitive = true
}

resource "crescendo_provisioning_document" "support_bot" {
  collection  = "bots"
  document_id = "bot-support"
  body = jsonencode({
    name = "Support Bot"
    versions = {
      current = { spec = { greeting = "Hello! How can I help you today?" } }
    }
  })

  body_wo = jsonencode({
    webhook = { url = "https://hooks.example.com/support", token = var.support_bot_webhook_token }
  })
  # Terraform cannot see changes to body_wo. Change this version, for example to the
  # date of the token rotation, to send the new token.
  body_wo_version = "2026-12-01"
}
