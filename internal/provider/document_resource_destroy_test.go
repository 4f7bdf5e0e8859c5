package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

func jobConfig(baseURL, onDestroy string) string {
	setting := ""
	if onDestroy != "" {
		setting = fmt.Sprintf("on_destroy  = %q", onDestroy)
	}
	return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
resource "crescendo_provisioning_document" "job" {
  collection  = "jobs"
  document_id = "nightly-export"
  %s
  body        = jsonencode({ schedule = "0 2 * * *", enabled = true })
}
`, setting)
}

func TestDocumentResource_destroyKeepsDocument(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	jobPath := mockapi.DocPath{Tenant: testTenant, Collection: "jobs", DocumentID: "nightly-export"}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy:             checkRemoteBody(srv, jobPath, `{"enabled":true,"schedule":"0 2 * * *"}`),
		Steps: []resource.TestStep{
			{Config: jobConfig(baseURL, "")},
		},
	})

	writes := countWrites(srv)
	if writes != 1 {
		t.Errorf("create and destroy sent %d writes; want 1, the create", writes)
	}
}

func TestDocumentResource_destroyEmptiesDocument(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	jobPath := mockapi.DocPath{Tenant: testTenant, Collection: "jobs", DocumentID: "nightly-export"}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			return checkRemoteBody(srv, jobPath, `{}`)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: jobConfig(baseURL, onDestroyEmpty),
				Check:  checkRemoteBody(srv, jobPath, `{"enabled":true,"schedule":"0 2 * * *"}`),
			},
		},
	})
}
