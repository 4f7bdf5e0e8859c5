package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	testresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/jsondoc"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

const (
	botAddress     = "crescendo_provisioning_document.bot"
	testSecret     = "wo-secret-token-1f9c5e"
	testNextSecret = "wo-secret-token-2b7d04"
)

var botPath = mockapi.DocPath{Tenant: testTenant, Collection: "bots", DocumentID: "bot-001"}

// writeOnlyConfig returns a bot document whose webhook token comes from the sensitive
// variable webhook_token through body_wo. An empty version leaves out body_wo and
// body_wo_version.
func writeOnlyConfig(baseURL, greeting, version string) string {
	writeOnly := ""
	if version != "" {
		writeOnly = fmt.Sprintf(`
  body_wo         = jsonencode({ webhook = { token = var.webhook_token } })
  body_wo_version = %s`, version)
	}
	return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
variable "webhook_token" {
  type      = string
  sensitive = true
  default   = null
}

resource "crescendo_provisioning_document" "bot" {
  collection  = "bots"
  document_id = "bot-001"
  body        = jsonencode({ name = "Support Bot", greeting = %q })%s
}
`, greeting, writeOnly)
}

func tokenVariable(token string) config.Variables {
	return config.Variables{"webhook_token": config.StringVariable(token)}
}

// expectPlanOmits checks that the JSON plan, which contains everything that Terraform
// shows of a plan, does not contain secret. It leaves out the input variables, because
// Terraform 1.11 stores their values in the plan, sensitive ones included.
type expectPlanOmits struct{ secret string }

func (c expectPlanOmits) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	plan := *req.Plan
	plan.Variables = nil
	text, err := json.Marshal(plan)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(text), botAddress) {
		resp.Error = fmt.Errorf("the plan does not mention %s, so the check cannot see its values", botAddress)
		return
	}
	if strings.Contains(string(text), c.secret) {
		resp.Error = fmt.Errorf("the plan contains the write-only value %q", c.secret)
	}
}

// expectStateOmits checks that the JSON state, with every attribute of every
// resource, does not contain secret.
type expectStateOmits struct{ secret string }

func (c expectStateOmits) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	text, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(text), "Support Bot") {
		resp.Error = fmt.Errorf("the state does not contain the bot's body, so the check cannot see its values")
		return
	}
	if strings.Contains(string(text), c.secret) {
		resp.Error = fmt.Errorf("the state contains the write-only value %q", c.secret)
	}
}

// checkBotPosts checks that the provider has sent want POST requests for the bot
// document since the test started.
func checkBotPosts(srv *mockapi.Server, want int) testresource.TestCheckFunc {
	return func(*terraform.State) error {
		got := 0
		for _, req := range srv.Requests() {
			if req.Method == http.MethodPost && req.Path == "/api/v1/provisioning/tenants/tenant-alpha/bots/bot-001" {
				got++
			}
		}
		if got != want {
			return fmt.Errorf("the provider sent %d POST requests for the bot; want %d", got, want)
		}
		return nil
	}
}

func TestDocumentResource_writeOnlyLifecycle(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	withToken := func(greeting, token string) string {
		return fmt.Sprintf(`{"greeting":%q,"name":"Support Bot","webhook":{"token":%q}}`, greeting, token)
	}

	testresource.ParallelTest(t, testresource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []testresource.TestStep{
			// Create sends body_wo merged into body, and neither plan nor state contains it.
			{
				Config:          writeOnlyConfig(baseURL, "hello", `"1"`),
				ConfigVariables: tokenVariable(testSecret),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(botAddress, plancheck.ResourceActionCreate),
						expectPlanOmits{testSecret},
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectStateOmits{testSecret}},
				Check: testresource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, botPath, withToken("hello", testSecret)),
					checkStateOmits(testSecret),
					checkBotPosts(srv, 1),
				),
			},
			// The token on the server is not drift, and a new token alone sends nothing.
			{
				Config:          writeOnlyConfig(baseURL, "hello", `"1"`),
				ConfigVariables: tokenVariable(testNextSecret),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: testresource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, botPath, withToken("hello", testSecret)),
					checkBotPosts(srv, 1),
				),
			},
			// A new body_wo_version sends the document again with the new token. A number
			// works as well as a string.
			{
				Config:          writeOnlyConfig(baseURL, "hello", `2`),
				ConfigVariables: tokenVariable(testNextSecret),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(botAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(botAddress, tfjsonpath.New("updated")),
						expectPlanOmits{testNextSecret},
						expectPlanOmits{testSecret},
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectStateOmits{testNextSecret}},
				Check: testresource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, botPath, withToken("hello", testNextSecret)),
					checkBotPosts(srv, 2),
				),
			},
			// A change of body alone sends body_wo along, because every write replaces
			// the whole document.
			{
				Config:          writeOnlyConfig(baseURL, "good morning", `2`),
				ConfigVariables: tokenVariable(testNextSecret),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(botAddress, plancheck.ResourceActionUpdate),
						expectPlanOmits{testNextSecret},
					},
				},
				Check: testresource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, botPath, withToken("good morning", testNextSecret)),
					checkBotPosts(srv, 3),
				),
			},
			// Removing body_wo and body_wo_version writes body alone, which removes the
			// token from the server.
			{
				Config: writeOnlyConfig(baseURL, "good morning", ""),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(botAddress, plancheck.ResourceActionUpdate)},
				},
				Check: testresource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, botPath, `{"greeting":"good morning","name":"Support Bot"}`),
					checkBotPosts(srv, 4),
				),
			},
			// From then on, Read compares the whole document with body again.
			{
				PreConfig: func() {
					srv.SetDocument(botPath, []byte(`{"greeting":"good morning","name":"Support Bot","webhook":{"token":"added"}}`))
				},
				Config: writeOnlyConfig(baseURL, "good morning", ""),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(botAddress, plancheck.ResourceActionUpdate)},
				},
			},
		},
	})
}

func TestDocumentResource_writeOnlyValidation(t *testing.T) {
	_, baseURL := newTestAPI(t)
	resourceConfig := func(arguments string) string {
		return providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
resource "crescendo_provisioning_document" "bot" {
  collection  = "bots"
  document_id = "bot-001"
  %s
}
`, arguments)
	}

	testresource.ParallelTest(t, testresource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []testresource.TestStep{
			{
				Config: resourceConfig(`
  body            = jsonencode({ name = "Support Bot", webhook = {} })
  body_wo         = jsonencode({ webhook = { token = "x" } })
  body_wo_version = "1"`),
				// PlanOnly proves the error comes before apply.
				PlanOnly:    true,
				ExpectError: expectMessage(`The top-level key "webhook" is set in both body and body_wo.`),
			},
			{
				Config: resourceConfig(`
  body    = jsonencode({ name = "Support Bot" })
  body_wo = jsonencode({ token = "x" })`),
				ExpectError: expectMessage(`body_wo and body_wo_version must be set together, but body_wo_version is not set.`),
			},
			{
				Config: resourceConfig(`
  body            = jsonencode({ name = "Support Bot" })
  body_wo         = jsonencode({ updatedBy = "x" })
  body_wo_version = "1"`),
				ExpectError: expectMessage(`Server-Owned Member in Body`),
			},
			{
				Config: resourceConfig(`
  body            = jsonencode({ name = "Support Bot" })
  body_wo         = jsonencode(["x"])
  body_wo_version = "1"`),
				ExpectError: expectMessage(`The value of body_wo must be a JSON object`),
			},
		},
	})
}

// TestDocumentResource_writeOnlyNotLogged applies a body_wo with TRACE logging and
// checks that the write-only value is not in the log while the log does contain the
// request lines. The value comes from TF_VAR_webhook_token, because the test harness
// logs the whole configuration at TRACE.
func TestDocumentResource_writeOnlyNotLogged(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_VAR_webhook_token", testSecret)

	testresource.Test(t, testresource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []testresource.TestStep{
			{
				Config: writeOnlyConfig(baseURL, "hello", `"1"`),
				Check:  checkRemoteBody(srv, botPath, fmt.Sprintf(`{"greeting":"hello","name":"Support Bot","webhook":{"token":%q}}`, testSecret)),
			},
			// A refresh reads the document with the token back from the API.
			{
				Config:             writeOnlyConfig(baseURL, "hello", `"1"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
		},
	})

	logText, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the log: %v", err)
	}
	for _, want := range []string{"Crescendo API request body", "Crescendo API response body", "http_path=/api/v1/provisioning/tenants/tenant-alpha/bots/bot-001"} {
		if !strings.Contains(string(logText), want) {
			t.Errorf("the TRACE log does not contain %q, so it may not have captured the provider's logs", want)
		}
	}
	if strings.Contains(string(logText), testSecret) {
		t.Errorf("the TRACE log contains the write-only value %q", testSecret)
	}
}

// TestDocumentResourceValidateConfig_oldTerraform checks the message for a Terraform
// version without write-only attributes. The CLI on hand supports them, so the test
// calls ValidateConfig directly with the capability unset.
func TestDocumentResourceValidateConfig_oldTerraform(t *testing.T) {
	ctx := context.Background()
	r := &documentResource{}
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T, not tftypes.Object", schemaResp.Schema.Type().TerraformType(ctx))
	}

	values := map[string]tftypes.Value{}
	for name, attributeType := range objectType.AttributeTypes {
		values[name] = tftypes.NewValue(attributeType, nil)
	}
	values["body"] = tftypes.NewValue(tftypes.String, `{"name":"Support Bot"}`)
	values["body_wo"] = tftypes.NewValue(tftypes.String, `{"token":"x"}`)
	values["body_wo_version"] = tftypes.NewValue(tftypes.String, "1")
	cfg := tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, values)}

	for _, allowed := range []bool{false, true} {
		var resp resource.ValidateConfigResponse
		req := resource.ValidateConfigRequest{Config: cfg}
		req.ClientCapabilities.WriteOnlyAttributesAllowed = allowed
		r.ValidateConfig(ctx, req, &resp)

		found := hasError(resp.Diagnostics, "Terraform 1.11 or Later Required for body_wo")
		if found == allowed {
			t.Errorf("with WriteOnlyAttributesAllowed = %v, the Terraform version error is reported: %v; diagnostics: %v", allowed, found, resp.Diagnostics)
		}
	}
}

func TestWarnMissingWriteOnlyMembers(t *testing.T) {
	remote, err := jsondoc.ParseObject([]byte(`{"name":"Support Bot","webhook":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	docPath := client.DocumentPath{TenantID: testTenant, Collection: "bots", DocumentID: "bot-001"}
	var diags diag.Diagnostics
	warnMissingWriteOnlyMembers(docPath, remote, []string{"webhook"}, &diags)
	if len(diags) != 0 {
		t.Errorf("a document with every write-only key gave diagnostics: %v", diags)
	}
	warnMissingWriteOnlyMembers(docPath, remote, []string{"token", "webhook"}, &diags)
	if !hasWarning(diags, "Write-Only Members Missing from Document") {
		t.Fatalf("a document without the key \"token\" gave no warning: %v", diags)
	}
	if detail := diags[0].Detail(); !strings.Contains(detail, `key "token" that body_wo supplied`) || strings.Contains(detail, `"webhook"`) {
		t.Errorf("the warning should name only the missing key: %s", detail)
	}
}

func hasError(diags diag.Diagnostics, summary string) bool {
	for _, d := range diags.Errors() {
		if d.Summary() == summary {
			return true
		}
	}
	return false
}

// TestDocumentResource_writeOnlyAfterImport imports a document that already contains a
// token and applies body_wo in the same run. The imported state briefly contains the
// old token, which the README warns about; after the apply the state contains neither
// token and the server has the new one.
func TestDocumentResource_writeOnlyAfterImport(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	srv.SetDocument(botPath, []byte(fmt.Sprintf(`{"greeting":"hello","name":"Support Bot","webhook":{"token":%q}}`, testSecret)))
	importBlock := `
import {
  to = crescendo_provisioning_document.bot
  id = "tenant-alpha/bots/bot-001"
}
`

	testresource.ParallelTest(t, testresource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []testresource.TestStep{
			{
				Config:          writeOnlyConfig(baseURL, "hello", `"1"`) + importBlock,
				ConfigVariables: tokenVariable(testNextSecret),
				ConfigPlanChecks: testresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(botAddress, plancheck.ResourceActionUpdate),
						expectPlanOmits{testNextSecret},
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectStateOmits{testSecret}, expectStateOmits{testNextSecret}},
				Check:             checkRemoteBody(srv, botPath, fmt.Sprintf(`{"greeting":"hello","name":"Support Bot","webhook":{"token":%q}}`, testNextSecret)),
			},
		},
	})
}
