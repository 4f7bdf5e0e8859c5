terraform {
  required_providers {
    crescendo = {
      source  = "crescendo-ai/crescendo"
      version = "~> 0.1"
    }
  }
}

# The API key comes from the CRESCENDO_API_KEY environment variable, so it stays out
# of configuration files and state.
provider "crescendo" {
  tenant_id = "tenant-alpha"
}
