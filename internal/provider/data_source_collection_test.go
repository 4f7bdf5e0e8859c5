package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

const collectionDataAddress = "data.crescendo_provisioning_collection.test"

func collectionDataConfig(baseURL, collection string) string {
	return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
data "crescendo_provisioning_collection" "test" {
  collection = %q
}
`, collection)
}

func TestCollectionDataSource_outOfBandAndResource(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	// Stored out of order; the mock lists the newest document first.
	srv.SetDocument(mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-003"},
		[]byte(`{"role": "editor", "updated": 1700000000000, "updatedBy": "console"}`))
	srv.SetDocument(mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-001"},
		[]byte(`{"role": "owner", "big": 9007199254740993}`))
	srv.SetDocument(mockapi.DocPath{Tenant: testTenant, Collection: "bots", DocumentID: "bot-001"}, []byte(`{"name": "Other"}`))
	srv.SetDocument(mockapi.DocPath{Tenant: testOtherTenant, Collection: "users", DocumentID: "user-999"}, []byte(`{"role": "owner"}`))

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(baseURL, testKey, testTenant) + `
resource "crescendo_provisioning_document" "user" {
  collection  = "users"
  document_id = "user-002"
  body        = jsonencode({ role = "viewer" })
}

data "crescendo_provisioning_collection" "test" {
  collection = "users"
  depends_on = [crescendo_provisioning_document.user]
}

output "roles" {
  value = { for id, body in data.crescendo_provisioning_collection.test.documents : id => jsondecode(body).role }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(collectionDataAddress, tfjsonpath.New("id"), knownvalue.StringExact(testTenant+"/users")),
					statecheck.ExpectKnownValue(collectionDataAddress, tfjsonpath.New("tenant_id"), knownvalue.StringExact(testTenant)),
					statecheck.ExpectKnownValue(collectionDataAddress, tfjsonpath.New("document_ids"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("user-001"),
						knownvalue.StringExact("user-002"),
						knownvalue.StringExact("user-003"),
					})),
					statecheck.ExpectKnownValue(collectionDataAddress, tfjsonpath.New("documents"), knownvalue.MapExact(map[string]knownvalue.Check{
						"user-001": knownvalue.StringExact(`{"big":9007199254740993,"role":"owner"}`),
						"user-002": knownvalue.StringExact(`{"role":"viewer"}`),
						"user-003": knownvalue.StringExact(`{"role":"editor"}`),
					})),
					statecheck.ExpectKnownOutputValue("roles", knownvalue.MapExact(map[string]knownvalue.Check{
						"user-001": knownvalue.StringExact("owner"),
						"user-002": knownvalue.StringExact("viewer"),
						"user-003": knownvalue.StringExact("editor"),
					})),
				},
			},
		},
	})
}

func TestCollectionDataSource_empty(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	srv.SetDocument(mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-001"}, []byte(`{}`))
	emptyChecks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(collectionDataAddress, tfjsonpath.New("document_ids"), knownvalue.ListSizeExact(0)),
		statecheck.ExpectKnownValue(collectionDataAddress, tfjsonpath.New("documents"), knownvalue.MapSizeExact(0)),
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			// The API lists a collection without documents as [].
			{
				Config:            collectionDataConfig(baseURL, "jobs"),
				ConfigStateChecks: emptyChecks,
			},
			// An API that returns NotFound for it reads the same.
			{
				PreConfig: func() {
					srv.AddFault(mockapi.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/provisioning/tenants/tenant-alpha/jobs", Status: http.StatusNotFound})
				},
				Config:            collectionDataConfig(baseURL, "jobs"),
				ConfigStateChecks: emptyChecks,
			},
		},
	})
}

func TestCollectionDataSource_errors(t *testing.T) {
	srv, baseURL := newTestAPI(t)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      collectionDataConfig(baseURL, "a/b"),
				ExpectError: expectMessage("Invalid Path Segment"),
			},
			// A 404 that is not the API's own NotFound, such as a web server at the
			// wrong base_url, is an error.
			{
				PreConfig: func() {
					srv.AddFault(mockapi.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/provisioning/tenants/tenant-alpha/users", Times: 1,
						Status: http.StatusNotFound, Body: "<html>Not Found</html>", ContentType: "text/html"})
				},
				Config:      collectionDataConfig(baseURL, "users"),
				ExpectError: expectMessage(`Failed to List Provisioning Collection`),
			},
			{
				Config: providerConfig(baseURL, testOtherKey, testTenant) + `
data "crescendo_provisioning_collection" "test" {
  collection = "users"
}
`,
				ExpectError: expectMessage(`The provider could not list collection "users" of tenant "tenant-alpha".`),
			},
			{
				PreConfig: func() {
					srv.AddFault(mockapi.Fault{Method: http.MethodGet, PathPrefix: "/api/v1/provisioning/tenants/tenant-alpha/users", Times: 1,
						Status: http.StatusOK, Body: `[{"id": "user-001", "data": ["not", "an", "object"]}]`})
				},
				Config:      collectionDataConfig(baseURL, "users"),
				ExpectError: expectMessage(`The API listed document "user-001" in collection "users" of tenant "tenant-alpha" with data that is not a JSON object`),
			},
			{
				Config: fmt.Sprintf(`
provider "crescendo" {
  base_url    = %q
  api_key     = %q
  max_retries = 0
}

data "crescendo_provisioning_collection" "test" {
  collection = "users"
}
`, baseURL, testKey),
				ExpectError: expectMessage("The data source has no tenant_id and the provider has no default tenant."),
			},
		},
	})
}
