package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// Keys and tenants of the mock API used throughout the tests.
const (
	testTenant      = "tenant-alpha"
	testOtherTenant = "tenant-beta"
	testKey         = "test-key-7f3a9c2e1b"
	testOtherKey    = "test-key-other-4d81"
	testReadOnlyKey = "test-key-readonly-92be"
	testKeyName     = "ci-pipeline"
)

var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"crescendo": providerserver.NewProtocol6WithError(New("test")()),
}

// testMockKeys returns a full-access key for each test tenant and a read-only key.
func testMockKeys() []mockapi.Key {
	return []mockapi.Key{
		{Token: testKey, Name: testKeyName, Tenant: testTenant, Scopes: []string{"provisioning:*"}},
		{Token: testOtherKey, Name: "beta-pipeline", Tenant: testOtherTenant, Scopes: []string{"provisioning:*"}},
		{Token: testReadOnlyKey, Name: "auditor", Tenant: testTenant, Scopes: []string{"provisioning:read"}},
	}
}

// newTestAPI starts a mock API on loopback for one test.
func newTestAPI(t *testing.T) (*mockapi.Server, string) {
	t.Helper()
	return mockapi.NewTestServer(t, mockapi.Options{Keys: testMockKeys()})
}

// providerConfig returns a provider block for the mock at baseURL, authenticated with
// apiKey and defaulting to tenant.
func providerConfig(baseURL, apiKey, tenant string) string {
	return fmt.Sprintf(`
provider "crescendo" {
  base_url    = %q
  api_key     = %q
  tenant_id   = %q
  max_retries = 0
}
`, baseURL, apiKey, tenant)
}

// testAccPreCheck checks that no environment variable changes what the tests
// configure. Tests that exercise an environment variable set it with t.Setenv and skip
// this check.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	for _, name := range []string{envAPIKey, envBaseURL, envTenantID, envMaxRetries, envRetryWaitMax, envRequestTimeout, envRateLimit, envCACertificatePEM, envInsecureSkipVerify} {
		if _, set := os.LookupEnv(name); set {
			t.Fatalf("%s is set in the environment; unset it, because it would change what the tests configure", name)
		}
	}
}
