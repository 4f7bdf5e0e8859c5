package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// hostileIDs are document IDs and collections that are valid but need escaping. Each
// must reach the server as exactly one path segment.
var hostileIDs = []struct{ collection, id string }{
	{"users", "user 1"},
	{"users", "a%2Fb"},
	{"users", "%2e%2e"},
	{"users", "ü-ñ-日本語-😀"},
	{"users", "a?b=c#frag"},
	{"users", `back\slash`},
	{"users", "..."},
	{"team members", "100%"},
}

func TestHostileInput_pathValuesAreOneSegment(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	var config strings.Builder
	config.WriteString(retryingProvider(baseURL))
	for i, h := range hostileIDs {
		fmt.Fprintf(&config, `
resource "crescendo_provisioning_document" "hostile_%d" {
  collection  = %q
  document_id = %q
  body        = jsonencode({ n = %d })
}
`, i, h.collection, h.id, i)
	}

	checkPaths := func(*terraform.State) error {
		for i, h := range hostileIDs {
			p := mockapi.DocPath{Tenant: testTenant, Collection: h.collection, DocumentID: h.id}
			if _, ok := srv.Document(p); !ok {
				return fmt.Errorf("no document stored at collection %q, ID %q", h.collection, h.id)
			}
			want := tenantAPIPath + "/" + url.PathEscape(h.collection) + "/" + url.PathEscape(h.id)
			if len(writesTo(srv, want)) != 1 {
				return fmt.Errorf("resource %d: no single POST to the raw path %s", i, want)
			}
		}
		for _, r := range srv.Requests() {
			segments := strings.Split(strings.TrimPrefix(r.Path, "/"), "/")
			if len(segments) != 7 {
				return fmt.Errorf("the mock received %s %s, with %d segments; want 7", r.Method, r.Path, len(segments))
			}
		}
		return nil
	}

	acc.ParallelTest(t, acc.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []acc.TestStep{
			{Config: config.String(), Check: checkPaths},
			{
				Config:           config.String(),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config:        config.String(),
				ResourceName:  "crescendo_provisioning_document.hostile_1",
				ImportState:   true,
				ImportStateId: testTenant + "/users/a%2Fb",
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["document_id"] != "a%2Fb" || states[0].Attributes["body"] != `{"n":1}` {
						return fmt.Errorf("imported %v; want document_id a%%2Fb with its body", states)
					}
					return nil
				},
			},
		},
	})
}

func TestHostileInput_invalidPathValuesRejectedAtPlan(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	cases := []struct{ documentID, message string }{
		{strings.Repeat("x", 513), "document_id is 513 bytes long; the maximum is 512 bytes."},
		{strings.Repeat("日", 200), "document_id is 600 bytes long"},
		{`rtl\u202eevil`, `contains the invisible character U+202E, which makes the value look like another`},
		{`zero\u200bwidth`, `contains the invisible character U+200B`},
		{`bell\u0007`, `contains the control character U+0007`},
		{"a%2F/b", `document_id "a%2F/b" contains "/"`},
		{"..", `document_id ".." is a relative path name`},
	}
	var steps []acc.TestStep
	for _, tc := range cases {
		steps = append(steps, acc.TestStep{
			Config: retryingProvider(baseURL) + fmt.Sprintf(`
resource "crescendo_provisioning_document" "bad" {
  collection  = "users"
  document_id = "%s"
  body        = "{}"
}
`, tc.documentID),
			PlanOnly:    true,
			ExpectError: expectMessage(tc.message),
		})
	}
	steps = append(steps, acc.TestStep{
		Config:        retryingProvider(baseURL) + `resource "crescendo_provisioning_document" "bad" {` + "\n" + `body = "{}"` + "\n}\n",
		ResourceName:  "crescendo_provisioning_document.bad",
		ImportState:   true,
		ImportStateId: testTenant + "/users/a\u202eb",
		ExpectError:   expectMessage(`contains the invisible character U+202E`),
	})
	acc.ParallelTest(t, acc.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps:                    steps,
	})
	if got := srv.RequestCount(); got != 0 {
		t.Errorf("invalid path values sent %d requests; want 0", got)
	}
}

// A document of more than 5 MB is applied and planned by TestCLI/largeBody, which
// runs two Terraform commands instead of the test framework's ten.

// deepJSON returns an object whose member holds depth nested arrays.
func deepJSON(depth int) string {
	return `{"a":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`
}

func TestHostileInput_absurdNestingRejected(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	acc.ParallelTest(t, acc.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []acc.TestStep{{
			Config: retryingProvider(baseURL) + `
locals {
  depth = 100000
}

resource "crescendo_provisioning_document" "deep" {
  body = "{\"a\":${replace(format("%0${local.depth}d", 0), "0", "[")}${replace(format("%0${local.depth}d", 0), "0", "]")}}"
}
`,
			PlanOnly:    true,
			ExpectError: expectMessage(`The value of body must be a JSON object, such as jsonencode({ name = "example" }) or a heredoc containing {...}: invalid JSON at byte offset 1004: arrays and objects are nested deeper than the maximum of 1000 levels; reduce the nesting.`),
		}},
	})
	if got := srv.RequestCount(); got != 0 {
		t.Errorf("a deeply nested body sent %d requests; want 0", got)
	}
}

// TestHostileInput_brokenResponses imports a document while the server responds with
// something other than a JSON object. Each must be a clear error, never a crash.
func TestHostileInput_brokenResponses(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	userPath := mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: "user-9"}
	srv.SetDocument(userPath, []byte(`{"email":"a@alpha.test"}`))
	config := retryingProvider(baseURL) + `
resource "crescendo_provisioning_document" "user" {
  collection  = "users"
  document_id = "user-9"
  body        = jsonencode({ email = "a@alpha.test" })
}
`
	getFault := func(body string) func() {
		return func() {
			srv.ClearFaults()
			srv.AddFault(mockapi.Fault{Method: http.MethodGet, Status: http.StatusOK, Body: body})
		}
	}
	step := func(preConfig func(), message string) acc.TestStep {
		return acc.TestStep{
			PreConfig:     preConfig,
			Config:        config,
			ResourceName:  "crescendo_provisioning_document.user",
			ImportState:   true,
			ImportStateId: testTenant + "/users/user-9",
			ExpectError:   expectMessage(message),
		}
	}
	huge := `{"blob":"` + strings.Repeat("x", client.MaxResponseBytes) + `"}`
	acc.ParallelTest(t, acc.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []acc.TestStep{
			step(getFault("<html>Sign in to continue</html>"), `Invalid Document from API The API returned a document at document "user-9" in collection "users" of tenant "tenant-alpha" that is not a JSON object: invalid JSON at byte offset 0`),
			step(getFault(`[{"email":"a@alpha.test"}]`), `that is not a JSON object: the document must be a JSON object ({...}), but found an array.`),
			step(getFault(`"just a string"`), `but found a string`),
			step(getFault(`{"email":"a@alpha.test"`), `that is not a JSON object: invalid JSON at byte offset`),
			step(getFault(deepJSON(100000)), `arrays and objects are nested deeper than the maximum of 1000 levels`),
			step(getFault(huge), `the response body is larger than the limit of 64 MiB`),
			step(func() {
				srv.ClearFaults()
				srv.AddFault(mockapi.Fault{Method: http.MethodGet, Truncate: true})
			}, `reading the response body failed after`),
			{
				PreConfig:          srv.ClearFaults,
				Config:             config,
				ResourceName:       "crescendo_provisioning_document.user",
				ImportState:        true,
				ImportStateId:      testTenant + "/users/user-9",
				ImportStatePersist: true,
			},
		},
	})
}

// TestHostileInput_unusableWriteResponseWarns checks that a write the API accepted
// with a body that is not a JSON object is kept, with a warning, rather than failed.
func TestHostileInput_unusableWriteResponseWarns(t *testing.T) {
	ctx := context.Background()
	r, srv, schemaResp := newUnitResource(t)
	srv.AddFault(mockapi.Fault{Method: http.MethodPost, Status: http.StatusCreated, Body: `["accepted"]`})

	plan := tfsdk.Plan{Schema: schemaResp.Schema, Raw: emptyValue(schemaResp)}
	if diags := plan.Set(ctx, unitModel(t, schemaResp, `{"plan":"enterprise"}`)); diags.HasError() {
		t.Fatalf("setting the plan: %v", diags)
	}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: emptyValue(schemaResp)}}
	r.Create(ctx, resource.CreateRequest{Plan: plan, Config: tfsdk.Config(plan)}, &resp)
	if resp.Diagnostics.HasError() || !hasWarning(resp.Diagnostics, "Unexpected Response from API") {
		t.Fatalf("diagnostics %v; want only the warning about an unexpected response", resp.Diagnostics)
	}
	var state documentResourceModel
	resp.State.Get(ctx, &state)
	if state.ID.ValueString() != testTenant || !state.Updated.IsNull() {
		t.Errorf("state = %+v; want the document in state with no stamps", state)
	}
}

func TestJSONObjectString_summarisesLargeValues(t *testing.T) {
	small := NewJSONObject(`{"a":1}`)
	if got := small.String(); got != `"{\"a\":1}"` {
		t.Errorf("String of a small object = %s", got)
	}
	large := NewJSONObject(`{"blob":"` + strings.Repeat("é", 100_000) + `"}`)
	got := large.String()
	if len(got) > 2*maxSummaryBytes || !strings.HasSuffix(got, "… (200011 bytes)") || !strings.HasPrefix(got, `"{\"blob\":\"éé`) {
		t.Errorf("String of a 200 kB object = %.400s; want its start and size", got)
	}
	if !strings.Contains(got, "é\"…") {
		t.Errorf("String cut inside a character: %.400s", got)
	}
}
