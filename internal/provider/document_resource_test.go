package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

const tenantDocAddress = "crescendo_provisioning_document.tenant"

func tenantDocConfig(baseURL, body string) string {
	return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
resource "crescendo_provisioning_document" "tenant" {
  body = %s
}
`, body)
}

func TestDocumentResource_lifecycle(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	tenantPath := mockapi.DocPath{Tenant: testTenant}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			// Create, then the framework's post-apply plan must be empty.
			{
				Config: tenantDocConfig(baseURL, `jsonencode({
    displayName = "Alpha Corp"
    limits      = { seats = 10, ratio = 0.5 }
    regions     = ["eu-west-1", "us-east-1"]
    big         = 9007199254740993
  })`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tenantDocAddress, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("id"), knownvalue.StringExact(testTenant)),
						plancheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("tenant_id"), knownvalue.StringExact(testTenant)),
						plancheck.ExpectUnknownValue(tenantDocAddress, tfjsonpath.New("updated")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("id"), knownvalue.StringExact(testTenant)),
					statecheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("updated_by"), knownvalue.StringExact(testKeyName)),
					statecheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("updated"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("on_destroy"), knownvalue.StringExact(onDestroyKeep)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, tenantPath, `{"big":9007199254740993,"displayName":"Alpha Corp","limits":{"ratio":0.5,"seats":10},"regions":["eu-west-1","us-east-1"]}`),
					checkStateOmits(testKey),
				),
			},
			// The same object written differently plans nothing: key order, white
			// space, escapes and number spelling.
			{
				Config: tenantDocConfig(baseURL, `<<-EOT
    {
      "regions": ["eu-west-1", "us-east-1"],
      "limits": {"seats": 1.0e1, "ratio": 5E-1},
      "displayName": "Alpha\u0020Corp",
      "big": 9007199254740993
    }
  EOT`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			// A changed value is an in-place update with new stamps.
			{
				Config: tenantDocConfig(baseURL, `jsonencode({
    displayName = "Alpha Corp"
    limits      = { seats = 12, ratio = 0.5 }
    regions     = ["eu-west-1", "us-east-1"]
    big         = 9007199254740993
  })`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tenantDocAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(tenantDocAddress, tfjsonpath.New("updated")),
						plancheck.ExpectUnknownValue(tenantDocAddress, tfjsonpath.New("updated_by")),
						plancheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("id"), knownvalue.StringExact(testTenant)),
					},
				},
				Check: checkRemoteBody(srv, tenantPath, `{"big":9007199254740993,"displayName":"Alpha Corp","limits":{"ratio":0.5,"seats":12},"regions":["eu-west-1","us-east-1"]}`),
			},
			// A number that differs only past float64 precision is a change.
			{
				Config: tenantDocConfig(baseURL, `jsonencode({
    displayName = "Alpha Corp"
    limits      = { seats = 12, ratio = 0.5 }
    regions     = ["eu-west-1", "us-east-1"]
    big         = 9007199254740992
  })`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tenantDocAddress, plancheck.ResourceActionUpdate),
					},
				},
				Check: checkRemoteBody(srv, tenantPath, `{"big":9007199254740992,"displayName":"Alpha Corp","limits":{"ratio":0.5,"seats":12},"regions":["eu-west-1","us-east-1"]}`),
			},
			// Changing on_destroy alone sends nothing and keeps the stamps.
			{
				Config: providerConfig(baseURL, testKey, testTenant) + `
resource "crescendo_provisioning_document" "tenant" {
  on_destroy = "keep"
  body = jsonencode({
    displayName = "Alpha Corp"
    limits      = { seats = 12, ratio = 0.5 }
    regions     = ["eu-west-1", "us-east-1"]
    big         = 9007199254740992
  })
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			// A different tenant replaces the resource, whether set on the resource or
			// through the provider's default. Only planned: the key of tenant-alpha
			// cannot write to tenant-beta.
			{
				Config: providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
resource "crescendo_provisioning_document" "tenant" {
  tenant_id = %q
  body      = jsonencode({ displayName = "Beta Corp" })
}
`, testOtherTenant),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tenantDocAddress, plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("id"), knownvalue.StringExact(testOtherTenant)),
					},
				},
			},
			{
				Config: providerConfig(baseURL, testKey, testOtherTenant) + `
resource "crescendo_provisioning_document" "tenant" {
  body = jsonencode({ displayName = "Alpha Corp" })
}
`,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tenantDocAddress, plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("tenant_id"), knownvalue.StringExact(testOtherTenant)),
					},
				},
			},
		},
	})
}

func TestDocumentResource_outOfBandChanges(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	tenantPath := mockapi.DocPath{Tenant: testTenant}
	config := tenantDocConfig(baseURL, `jsonencode({ plan = "enterprise", seats = 50 })`)
	const want = `{"plan":"enterprise","seats":50}`

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  checkRemoteBody(srv, tenantPath, want),
			},
			// An edit made outside Terraform shows as drift and the apply restores it.
			{
				PreConfig: func() {
					srv.SetDocument(tenantPath, []byte(`{"plan": "free", "seats": 50, "updated": 1, "updatedBy": "console"}`))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tenantDocAddress, plancheck.ResourceActionUpdate),
					},
				},
				Check: checkRemoteBody(srv, tenantPath, want),
			},
			// New stamps on unchanged content, pretty-printed and reordered, plan nothing.
			{
				PreConfig: func() {
					srv.SetDocument(tenantPath, []byte("{\n  \"updatedBy\": \"nightly-sync\",\n  \"seats\": 50.0,\n  \"updated\": 1893456000000,\n  \"plan\": \"enterprise\"\n}"))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("updated_by"), knownvalue.StringExact("nightly-sync")),
					statecheck.ExpectKnownValue(tenantDocAddress, tfjsonpath.New("updated"), knownvalue.Int64Exact(1893456000000)),
				},
			},
			// A document deleted outside Terraform is created again.
			{
				PreConfig: func() { srv.DeleteDocument(tenantPath) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(tenantDocAddress, plancheck.ResourceActionCreate),
					},
				},
				Check: checkRemoteBody(srv, tenantPath, want),
			},
		},
	})
}

func TestDocumentResource_collectionDocuments(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	config := providerConfig(baseURL, testKey, testTenant) + `
resource "crescendo_provisioning_document" "user" {
  collection  = "users"
  document_id = "user-123"
  body        = jsonencode({ email = "new.user@example.com", role = "viewer" })
}

resource "crescendo_provisioning_document" "bot" {
  collection  = "bots"
  document_id = "bot 002"
  body = jsonencode({
    name     = "Support Bot"
    versions = { current = { spec = { greeting = "hello <team> & co" } } }
  })
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("crescendo_provisioning_document.user", tfjsonpath.New("id"), knownvalue.StringExact(testTenant+"/users/user-123")),
					statecheck.ExpectKnownValue("crescendo_provisioning_document.bot", tfjsonpath.New("id"), knownvalue.StringExact(testTenant+"/bots/bot 002")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-123"}, `{"email":"new.user@example.com","role":"viewer"}`),
					checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant, Collection: "bots", DocumentID: "bot 002"}, `{"name":"Support Bot","versions":{"current":{"spec":{"greeting":"hello <team> & co"}}}}`),
					checkNoRemoteDocument(srv, mockapi.DocPath{Tenant: testTenant}),
				),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			// Moving a document to another ID replaces it.
			{
				Config: regexp.MustCompile(`user-123`).ReplaceAllString(config, "user-124"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("crescendo_provisioning_document.user", plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectResourceAction("crescendo_provisioning_document.bot", plancheck.ResourceActionNoop),
					},
				},
				Check: checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-124"}, `{"email":"new.user@example.com","role":"viewer"}`),
			},
		},
	})
}
