package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// storedUser is a document as the console might have saved it: pretty-printed, keys
// in another order, numbers spelled differently, and stamped.
const storedUser = `{
  "updatedBy": "console",
  "role": "admin",
  "quota": 1.50e1,
  "email": "ops@alpha.test",
  "updated": 1767225600000,
  "teams": ["sre", "platform"]
}`

const userConfigBody = `jsonencode({
    email = "ops@alpha.test"
    role  = "admin"
    quota = 15
    teams = ["sre", "platform"]
  })`

func userConfig(baseURL string) string {
	return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
resource "crescendo_provisioning_document" "user" {
  collection  = "users"
  document_id = "user-9"
  body        = %s
}
`, userConfigBody)
}

func TestDocumentResource_importCommand(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	userPath := mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-9"}
	srv.SetDocument(userPath, []byte(storedUser))
	const address = "crescendo_provisioning_document.user"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             userConfig(baseURL),
				ResourceName:       address,
				ImportState:        true,
				ImportStateId:      testTenant + "/users/user-9",
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d instances; want 1", len(states))
					}
					want := map[string]string{
						"id":          testTenant + "/users/user-9",
						"tenant_id":   testTenant,
						"collection":  "users",
						"document_id": "user-9",
						"updated_by":  "console",
						"updated":     "1767225600000",
						"on_destroy":  onDestroyKeep,
						"body":        `{"email":"ops@alpha.test","quota":15,"role":"admin","teams":["sre","platform"]}`,
					}
					for name, value := range want {
						if got := states[0].Attributes[name]; got != value {
							return fmt.Errorf("imported %s is %q; want %q", name, got, value)
						}
					}
					return nil
				},
			},
			// The configuration with the same content plans nothing after the import.
			{
				Config: userConfig(baseURL),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})

	if got := countWrites(srv); got != 0 {
		t.Errorf("import and the empty plan sent %d writes; want 0", got)
	}
}

func TestDocumentResource_importBlock(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	userPath := mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-9"}
	srv.SetDocument(userPath, []byte(storedUser))
	const address = "crescendo_provisioning_document.user"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		// import blocks arrived in Terraform 1.5.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: userConfig(baseURL) + fmt.Sprintf(`
import {
  to = %s
  id = "%s/users/user-9"
}
`, address, testTenant),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("updated_by"), knownvalue.StringExact("console")),
				},
			},
			{
				Config: userConfig(baseURL),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})

	if got := countWrites(srv); got != 0 {
		t.Errorf("the import block sent %d writes; want 0", got)
	}
}

func TestDocumentResource_importErrors(t *testing.T) {
	_, baseURL := newTestAPI(t)
	const address = "crescendo_provisioning_document.user"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        userConfig(baseURL),
				ResourceName:  address,
				ImportState:   true,
				ImportStateId: testTenant + "/users/user-missing",
				ExpectError:   expectMessage(`Document "user-missing" in collection "users" of tenant "tenant-alpha" does not exist, so there is nothing to import.`),
			},
			{
				Config:        userConfig(baseURL),
				ResourceName:  address,
				ImportState:   true,
				ImportStateId: testTenant + "/users",
				ExpectError:   expectMessage(`invalid ID "tenant-alpha/users": it has 2 parts separated by "/"; expected "TENANT" for the tenant document`),
			},
			{
				Config:        userConfig(baseURL),
				ResourceName:  address,
				ImportState:   true,
				ImportStateId: testTenant + "/users/..",
				ExpectError:   expectMessage(`document_id ".." is a relative path name`),
			},
		},
	})
}

// countWrites counts the POST and PUT requests that srv received.
func countWrites(srv *mockapi.Server) int {
	count := 0
	for _, req := range srv.Requests() {
		if req.Method == "POST" || req.Method == "PUT" {
			count++
		}
	}
	return count
}
