# A document of a collection: TENANT/COLLECTION/DOCUMENT_ID.
terraform import crescendo_provisioning_document.owner tenant-alpha/users/user-001

# The tenant document: TENANT.
terraform import crescendo_provisioning_document.tenant tenant-alpha
