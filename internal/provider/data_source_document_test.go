package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

const documentDataAddress = "data.crescendo_provisioning_document.test"

func TestDocumentDataSource_outOfBand(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	srv.SetDocument(mockapi.DocPath{Tenant: testTenant}, []byte(`{
  "displayName": "Alpha Corp", "big": 9007199254740993, "updated": 1700000000000, "updatedBy": "console"
}`))
	srv.SetDocument(mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user 1"},
		[]byte(`{"role": "owner", "email": "owner@alpha.test", "ratio": 5E-1, "updated": 1700000000001, "updatedBy": "console"}`))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			// The tenant document, with the provider's tenant.
			{
				Config: providerConfig(baseURL, testKey, testTenant) + `
data "crescendo_provisioning_document" "test" {}

output "display_name" {
  value = jsondecode(data.crescendo_provisioning_document.test.body).displayName
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("id"), knownvalue.StringExact(testTenant)),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("tenant_id"), knownvalue.StringExact(testTenant)),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("body"),
						knownvalue.StringExact(`{"big":9007199254740993,"displayName":"Alpha Corp"}`)),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("updated"), knownvalue.Int64Exact(1700000000000)),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("updated_by"), knownvalue.StringExact("console")),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("exists"), knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("display_name", knownvalue.StringExact("Alpha Corp")),
				},
			},
			// A collection document whose ID needs escaping, with an explicit tenant.
			{
				Config: providerConfig(baseURL, testKey, testOtherTenant) + fmt.Sprintf(`
data "crescendo_provisioning_document" "test" {
  tenant_id   = %q
  collection  = "users"
  document_id = "user 1"
}
`, testTenant),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("id"), knownvalue.StringExact(testTenant+"/users/user 1")),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("body"),
						knownvalue.StringExact(`{"email":"owner@alpha.test","ratio":0.5,"role":"owner"}`)),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("updated"), knownvalue.Int64Exact(1700000000001)),
				},
			},
		},
	})
}

func TestDocumentDataSource_fromResource(t *testing.T) {
	_, baseURL := newTestAPI(t)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(baseURL, testKey, testTenant) + `
resource "crescendo_provisioning_document" "bot" {
  collection  = "bots"
  document_id = "bot-002"
  body        = jsonencode({ name = "Support Bot", versions = { current = { spec = { greeting = "hello" } } } })
}

data "crescendo_provisioning_document" "test" {
  collection  = crescendo_provisioning_document.bot.collection
  document_id = crescendo_provisioning_document.bot.document_id
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("body"),
						knownvalue.StringExact(`{"name":"Support Bot","versions":{"current":{"spec":{"greeting":"hello"}}}}`)),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("updated_by"), knownvalue.StringExact(testKeyName)),
					statecheck.CompareValuePairs(documentDataAddress, tfjsonpath.New("updated"),
						"crescendo_provisioning_document.bot", tfjsonpath.New("updated"), compare.ValuesSame()),
				},
			},
		},
	})
}

func TestDocumentDataSource_missing(t *testing.T) {
	_, baseURL := newTestAPI(t)
	missing := func(allowMissing string) string {
		return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
data "crescendo_provisioning_document" "test" {
  collection  = "users"
  document_id = "nobody"
  %s
}
`, allowMissing)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      missing(""),
				ExpectError: expectMessage(`Document "nobody" in collection "users" of tenant "tenant-alpha" does not exist.`),
			},
			{
				Config:      missing("allow_missing = false"),
				ExpectError: expectMessage("set allow_missing = true"),
			},
			{
				Config: missing("allow_missing = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("exists"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("body"), knownvalue.Null()),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("updated"), knownvalue.Null()),
					statecheck.ExpectKnownValue(documentDataAddress, tfjsonpath.New("id"), knownvalue.StringExact(testTenant+"/users/nobody")),
				},
			},
		},
	})
}

func TestDocumentDataSource_invalidConfig(t *testing.T) {
	_, baseURL := newTestAPI(t)
	config := func(arguments string) string {
		return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
data "crescendo_provisioning_document" "test" {
  %s
}
`, arguments)
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(`collection = "users"`),
				ExpectError: regexp.MustCompile(`These attributes must be configured together`),
			},
			{
				Config:      config(`collection = "users/admins"` + "\n" + `document_id = "x"`),
				ExpectError: expectMessage("Invalid Path Segment"),
			},
			{
				Config:      config(`tenant_id = ".."`),
				ExpectError: expectMessage("Invalid Path Segment"),
			},
		},
	})
}

func TestDocumentDataSource_missingTenant(t *testing.T) {
	_, baseURL := newTestAPI(t)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
provider "crescendo" {
  base_url    = %q
  api_key     = %q
  max_retries = 0
}

data "crescendo_provisioning_document" "test" {}
`, baseURL, testKey),
				ExpectError: expectMessage("The data source has no tenant_id and the provider has no default tenant."),
			},
		},
	})
}

func TestDocumentDataSource_permissionDenied(t *testing.T) {
	_, baseURL := newTestAPI(t)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(baseURL, testOtherKey, testTenant) + `
data "crescendo_provisioning_document" "test" {
  collection  = "users"
  document_id = "user-001"
}
`,
				ExpectError: expectMessage(`check tenant_id, and that the key has provisioning:users.read (or provisioning:read).`),
			},
		},
	})
}
