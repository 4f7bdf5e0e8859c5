import {
  to = crescendo_provisioning_document.owner
  id = "tenant-alpha/users/user-001"
}
