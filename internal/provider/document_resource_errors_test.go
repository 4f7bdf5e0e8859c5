package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestDocumentResource_invalidConfiguration checks that every bad input fails at plan,
// before the provider sends any request.
func TestDocumentResource_invalidConfiguration(t *testing.T) {
	srv, baseURL := newTestAPI(t)

	cases := []struct {
		name      string
		arguments string
		message   string
	}{
		{"array body", `body = "[1, 2]"`, `The value of body must be a JSON object, such as jsonencode({ name = "example" }) or a heredoc containing {...}: the document must be a JSON object ({...}), but found an array.`},
		{"string body", `body = jsonencode("text")`, `must be a JSON object`},
		{"invalid JSON", `body = "{\"a\": }"`, `The value of body must be a JSON object`},
		{"trailing comma", `body = "{\"a\": 1,}"`, `The value of body must be a JSON object`},
		{"duplicate key", `body = "{\"a\": 1, \"a\": 2}"`, `"a"`},
		{"updated member", `body = jsonencode({ name = "x", updated = 1 })`, `body sets "updated", which the API stamps on every write and would overwrite.`},
		{"updatedBy member", `body = jsonencode({ updatedBy = "me" })`, `body sets "updatedBy"`},
		{"collection without document_id", `collection = "users"` + "\n" + `body = "{}"`, `These attributes must be configured together: [collection,document_id]`},
		{"slash in collection", `collection = "users/admins"` + "\n" + `document_id = "u1"` + "\n" + `body = "{}"`, `collection "users/admins" contains "/", which the API treats as a path separator; remove it.`},
		{"dot-dot document_id", `collection = "users"` + "\n" + `document_id = ".."` + "\n" + `body = "{}"`, `document_id ".." is a relative path name; use a real identifier.`},
		{"empty tenant", `tenant_id = ""` + "\n" + `body = "{}"`, `tenant_id must not be empty.`},
		{"control character", `collection = "users"` + "\n" + `document_id = "a\tb"` + "\n" + `body = "{}"`, `contains the control character U+0009`},
		{"unknown on_destroy", `on_destroy = "delete"` + "\n" + `body = "{}"`, `on_destroy value must be one of: ["keep" "empty"]`},
	}

	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config: providerConfig(baseURL, testKey, testTenant) + fmt.Sprintf(`
resource "crescendo_provisioning_document" "bad" {
  %s
}
`, tc.arguments),
			PlanOnly:    true,
			ExpectError: expectMessage(tc.message),
		})
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps:                    steps,
	})

	if got := srv.RequestCount(); got != 0 {
		t.Errorf("invalid configurations sent %d requests; want 0", got)
	}
}

func TestDocumentResource_missingTenant(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
provider "crescendo" {
  base_url = %q
  api_key  = %q
}

resource "crescendo_provisioning_document" "tenant" {
  body = "{}"
}
`, baseURL, testKey),
				PlanOnly:    true,
				ExpectError: expectMessage("The resource has no tenant_id and the provider has no default tenant. Set tenant_id on the resource, or tenant_id in the provider block, or the CRESCENDO_TENANT_ID environment variable."),
			},
		},
	})
	if got := srv.RequestCount(); got != 0 {
		t.Errorf("a plan without a tenant sent %d requests; want 0", got)
	}
}

func TestDocumentResource_authErrors(t *testing.T) {
	_, baseURL := newTestAPI(t)
	body := `body = jsonencode({ plan = "free" })`

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(baseURL, "wrong-key", testTenant) + "resource \"crescendo_provisioning_document\" \"t\" {\n" + body + "\n}\n",
				ExpectError: expectMessage("The API rejected the API key. Check the provider's api_key argument or the CRESCENDO_API_KEY environment variable"),
			},
			{
				Config:      providerConfig(baseURL, testOtherKey, testTenant) + "resource \"crescendo_provisioning_document\" \"t\" {\n" + body + "\n}\n",
				ExpectError: expectMessage(`The API key has no access to tenant "tenant-alpha" or lacks the scope for this request.`),
			},
			{
				Config:      providerConfig(baseURL, testReadOnlyKey, testTenant) + "resource \"crescendo_provisioning_document\" \"t\" {\ncollection = \"users\"\ndocument_id = \"u1\"\n" + body + "\n}\n",
				ExpectError: expectMessage(`check tenant_id, and that the key has provisioning:users.read and provisioning:users.write (or provisioning:*).`),
			},
		},
	})
}

// TestDocumentResource_keyNotLogged runs an apply with TRACE logging and checks that
// the API key appears neither in the provider's log nor in state, while the log does
// contain the request lines, so the check cannot pass on an empty log. The key comes
// from CRESCENDO_API_KEY, as it should in CI, because the test harness logs the whole
// configuration at TRACE.
func TestDocumentResource_keyNotLogged(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv(envAPIKey, testKey)
	config := fmt.Sprintf(`
provider "crescendo" {
  base_url  = %q
  tenant_id = %q
}

resource "crescendo_provisioning_document" "tenant" {
  body = jsonencode({ plan = "enterprise" })
}
`, baseURL, testTenant)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  checkStateOmits(testKey),
			},
			{
				PreConfig:   func() { t.Setenv(envAPIKey, testKey+"-revoked") },
				Config:      config,
				ExpectError: expectMessage("The API rejected the API key."),
			},
		},
	})

	logText, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the log: %v", err)
	}
	for _, want := range []string{"Crescendo API request", `http_path=/api/v1/provisioning/tenants/tenant-alpha`, "Crescendo API request body"} {
		if !strings.Contains(string(logText), want) {
			t.Errorf("the TRACE log does not contain %q, so it may not have captured the provider's logs", want)
		}
	}
	for _, secret := range []string{testKey, testKey + "-revoked"} {
		if strings.Contains(string(logText), secret) {
			t.Errorf("the TRACE log contains the API key %q", secret)
		}
	}
	if authorized := srv.Requests(); len(authorized) == 0 || authorized[0].Header.Get("Authorization") != "Bearer "+testKey {
		t.Errorf("the provider did not send the key as a bearer token")
	}
	for _, req := range srv.Requests() {
		if strings.Contains(req.RequestURI, testKey) {
			t.Errorf("request URI %q contains the API key", req.RequestURI)
		}
	}
}
