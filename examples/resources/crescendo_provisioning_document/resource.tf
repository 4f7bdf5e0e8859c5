# The tenant document: leave out collection and document_id.
resource "crescendo_provisioning_document" "tenant" {
  body = jsonencode({
    displayName = "Alpha Corp"
    features    = { knowledgeBase = true }
  })
}

# A document of a collection. on_destroy = "empty" makes destroy replace the document
# with {} instead of leaving it on the server.
resource "crescendo_provisioning_document" "owner" {
  collection  = "users"
  document_id = "user-001"
  on_destroy  = "empty"
  body = jsonencode({
    email = "owner@alpha.test"
    role  = "owner"
  })
}

# A document of another tenant than the provider's default, with longer time limits.
resource "crescendo_provisioning_document" "beta_bot" {
  tenant_id   = "tenant-beta"
  collection  = "bots"
  document_id = "bot-support"
  body = jsonencode({
    name     = "Support Bot"
    versions = { current = { spec = { greeting = "Hello!" } } }
  })

  timeouts {
    create = "2m"
    update = "2m"
  }
}
