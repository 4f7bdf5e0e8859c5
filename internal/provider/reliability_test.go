package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// The tests in this file inject faults into the mock API and check what an apply
// does. Waits are short (retry_wait_max of 50ms) unless a test measures them.

const tenantAPIPath = "/api/v1/provisioning/tenants/" + testTenant

// retryingProvider returns a provider block with retries on and short waits, plus any
// extra arguments.
func retryingProvider(baseURL string, extra ...string) string {
	return fmt.Sprintf(`
provider "crescendo" {
  base_url        = %q
  api_key         = %q
  tenant_id       = %q
  max_retries     = 4
  retry_wait_max  = "50ms"
  request_timeout = "5s"
  %s
}
`, baseURL, testKey, testTenant, strings.Join(extra, "\n  "))
}

// withArgument replaces the value of an argument that retryingProvider sets.
func withArgument(config, name, value string) string {
	lines := strings.Split(config, "\n")
	for i, line := range lines {
		if fields := strings.Fields(line); len(fields) > 0 && fields[0] == name {
			lines[i] = fmt.Sprintf("  %s = %s", name, value)
		}
	}
	return strings.Join(lines, "\n")
}

func tenantResource(body string, extra ...string) string {
	return fmt.Sprintf(`
resource "crescendo_provisioning_document" "tenant" {
  body = jsonencode(%s)
  %s
}
`, body, strings.Join(extra, "\n  "))
}

// writesTo returns the POST requests that srv received for the escaped path.
func writesTo(srv *mockapi.Server, path string) []mockapi.Request {
	var writes []mockapi.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == path {
			writes = append(writes, r)
		}
	}
	return writes
}

func checkWriteCount(srv *mockapi.Server, path string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(writesTo(srv, path)); got != want {
			return fmt.Errorf("the mock got %d POSTs to %s; want %d", got, path, want)
		}
		return nil
	}
}

func TestReliability_503TwiceThenSuccess(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	srv.AddFault(mockapi.Fault{Method: http.MethodPost, Status: http.StatusServiceUnavailable, Times: 2})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: retryingProvider(baseURL) + tenantResource(`{ plan = "enterprise" }`),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant}, `{"plan":"enterprise"}`),
				checkWriteCount(srv, tenantAPIPath, 3),
			),
		}},
	})
}

func TestReliability_429RetryAfterSeconds(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	srv.AddFault(mockapi.Fault{Method: http.MethodPost, Status: http.StatusTooManyRequests, Times: 1, Header: http.Header{"Retry-After": {"1"}}})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: withArgument(retryingProvider(baseURL), "retry_wait_max", `"10s"`) + tenantResource(`{ plan = "enterprise" }`),
			Check: func(*terraform.State) error {
				writes := writesTo(srv, tenantAPIPath)
				if len(writes) != 2 || writes[0].Status != http.StatusTooManyRequests || writes[1].Status != http.StatusCreated {
					return fmt.Errorf("the mock got %d POSTs; want a 429 and then a 201", len(writes))
				}
				if gap := writes[1].Time.Sub(writes[0].Time); gap < time.Second {
					return fmt.Errorf("the retry came %s after a 429 with Retry-After: 1; want at least 1s", gap)
				}
				return nil
			},
		}},
	})
}

func TestReliability_429RetryAfterHTTPDate(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	var retryAt time.Time
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				// A few seconds ahead: Terraform takes a moment to send the first request,
				// and the date has whole seconds.
				retryAt = time.Now().Add(4 * time.Second).Truncate(time.Second)
				srv.AddFault(mockapi.Fault{Method: http.MethodPost, Status: http.StatusTooManyRequests, Times: 1,
					Header: http.Header{"Retry-After": {retryAt.UTC().Format(http.TimeFormat)}}})
			},
			Config: withArgument(retryingProvider(baseURL), "retry_wait_max", `"10s"`) + tenantResource(`{ plan = "enterprise" }`),
			Check: func(*terraform.State) error {
				writes := writesTo(srv, tenantAPIPath)
				if len(writes) != 2 {
					return fmt.Errorf("the mock got %d POSTs; want 2", len(writes))
				}
				if writes[0].Time.After(retryAt) {
					t.Logf("the first request came after the Retry-After date, so the wait could not be measured")
					return nil
				}
				if writes[1].Time.Before(retryAt.Add(-50 * time.Millisecond)) {
					return fmt.Errorf("the retry came at %s, before the Retry-After date %s", writes[1].Time.Format(time.StampMilli), retryAt.Format(time.StampMilli))
				}
				return nil
			},
		}},
	})
}

const gatewayPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The upstream server returned an invalid response.</p></body></html>`

func TestReliability_htmlBadGateway(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	htmlFault := func(times int) mockapi.Fault {
		return mockapi.Fault{Method: http.MethodPost, Status: http.StatusBadGateway, Body: gatewayPage, ContentType: "text/html", Times: times}
	}
	config := retryingProvider(baseURL)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { srv.AddFault(htmlFault(1)) },
				Config:    config + tenantResource(`{ plan = "free" }`),
				Check:     checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant}, `{"plan":"free"}`),
			},
			{
				PreConfig: func() { srv.AddFault(htmlFault(0)) },
				Config:    config + tenantResource(`{ plan = "enterprise" }`),
				ExpectError: expectMessage(`The provider could not update the tenant document of tenant "tenant-alpha". ` +
					`The API stayed unavailable through every retry. Try again later, or raise max_retries or retry_wait_max on the provider. ` +
					`POST /api/v1/provisioning/tenants/tenant-alpha returned HTTP 502 Bad Gateway on each of 5 attempts over`),
			},
			{
				PreConfig:   func() {},
				Config:      config + tenantResource(`{ plan = "enterprise" }`),
				ExpectError: expectMessage(`the response was not a JSON error body and began with: "<!DOCTYPE html> <html><head><title>502 Bad Gateway</title></head>`),
			},
		},
	})
}

func TestReliability_connectionReset(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	config := retryingProvider(baseURL)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { srv.AddFault(mockapi.Fault{Method: http.MethodPost, Reset: true, Times: 2}) },
				Config:    config + tenantResource(`{ plan = "free" }`),
				Check:     checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant}, `{"plan":"free"}`),
			},
			{
				PreConfig: func() { srv.AddFault(mockapi.Fault{Method: http.MethodPost, Reset: true}) },
				Config:    config + tenantResource(`{ plan = "enterprise" }`),
				ExpectError: expectMessage(`The request got no usable response. Check base_url, the network and any proxy (HTTPS_PROXY, NO_PROXY). ` +
					`The provider tried 5 times; max_retries and retry_wait_max on the provider control how often and how long it retries.`),
			},
			{
				Config:      config + tenantResource(`{ plan = "enterprise" }`),
				ExpectError: expectMessage(`connection reset by peer`),
			},
		},
	})
}

// TestReliability_truncatedResponse checks that a response cut short is retried and,
// when it keeps happening, reported without leaving a half-written state.
func TestReliability_truncatedResponse(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	config := retryingProvider(baseURL)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { srv.AddFault(mockapi.Fault{Method: http.MethodPost, Truncate: true, Times: 1}) },
				Config:    config + tenantResource(`{ plan = "free" }`),
				Check:     checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant}, `{"plan":"free"}`),
			},
			{
				PreConfig:   func() { srv.AddFault(mockapi.Fault{Method: http.MethodGet, Truncate: true}) },
				Config:      config + tenantResource(`{ plan = "free" }`),
				ExpectError: expectMessage(`The provider could not read the tenant document of tenant "tenant-alpha".`),
			},
			{
				Config:      config + tenantResource(`{ plan = "free" }`),
				ExpectError: expectMessage(`reading the response body failed after`),
			},
		},
	})
}

// TestReliability_timeouts checks a server slower than request_timeout and than the
// resource's timeouts block, for create, read and update. Each error names the
// operation, the document and the setting to raise.
func TestReliability_timeouts(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	slow := func(method string) func() {
		return func() {
			srv.ClearFaults()
			srv.AddFault(mockapi.Fault{Method: method, Delay: time.Minute})
		}
	}
	fast := withArgument(retryingProvider(baseURL), "request_timeout", `"500ms"`)
	patient := withArgument(retryingProvider(baseURL), "request_timeout", `"1m"`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: slow(http.MethodPost),
				Config:    fast + tenantResource(`{ plan = "free" }`),
				ExpectError: expectMessage(`The provider could not create the tenant document of tenant "tenant-alpha". ` +
					`The API did not answer within the provider's request_timeout of 500ms on any of 2 attempts,`),
			},
			{
				Config:      fast + tenantResource(`{ plan = "free" }`),
				ExpectError: expectMessage(`Raise request_timeout (or CRESCENDO_REQUEST_TIMEOUT) on the provider`),
			},
			{
				Config: patient + tenantResource(`{ plan = "free" }`, `timeouts { create = "1s" }`),
				ExpectError: expectMessage(`The provider could not create the tenant document of tenant "tenant-alpha". ` +
					`The operation did not finish within its timeout of 1s. Raise timeouts.create on the resource (the default is 10m0s)`),
			},
			// Read takes its timeout from state, so the block must be applied first.
			{
				PreConfig: srv.ClearFaults,
				Config:    patient + tenantResource(`{ plan = "free" }`, `timeouts { read = "1s" }`),
			},
			{
				PreConfig:   slow(http.MethodGet),
				Config:      patient + tenantResource(`{ plan = "free" }`, `timeouts { read = "1s" }`),
				ExpectError: expectMessage(`The provider could not read the tenant document of tenant "tenant-alpha". The operation did not finish within its timeout of 1s. Raise timeouts.read on the resource`),
			},
			{
				PreConfig:   slow(http.MethodPost),
				Config:      patient + tenantResource(`{ plan = "enterprise" }`, `timeouts {`, `read = "1s"`, `update = "1s"`, `}`),
				ExpectError: expectMessage(`The provider could not update the tenant document of tenant "tenant-alpha". The operation did not finish within its timeout of 1s. Raise timeouts.update on the resource`),
			},
			{
				PreConfig: srv.ClearFaults,
				Config:    patient + tenantResource(`{ plan = "enterprise" }`),
				Check:     checkRemoteBody(srv, mockapi.DocPath{Tenant: testTenant}, `{"plan":"enterprise"}`),
			},
		},
	})
}

// TestReliability_authErrorsNotRetried checks that 401 and 403 fail at once, with
// retries on.
func TestReliability_authErrorsNotRetried(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	keyConfig := func(key string) string {
		return withArgument(retryingProvider(baseURL), "api_key", fmt.Sprintf("%q", key)) + tenantResource(`{ plan = "free" }`)
	}
	checkOneRequest := func() {
		if got := srv.RequestCount(); got != 1 {
			t.Errorf("the mock got %d requests; want 1, because 401 and 403 are not retried", got)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   srv.ResetRequests,
				Config:      keyConfig("revoked-key-0000"),
				ExpectError: expectMessage("The API rejected the API key. Check the provider's api_key argument or the CRESCENDO_API_KEY environment variable"),
			},
			{
				PreConfig:   func() { checkOneRequest(); srv.ResetRequests() },
				Config:      keyConfig(testOtherKey),
				ExpectError: expectMessage(`The API key has no access to tenant "tenant-alpha"`),
			},
			{
				PreConfig: func() { checkOneRequest(); srv.ResetRequests() },
				Config:    keyConfig(testKey),
			},
		},
	})
}

// TestReliability_parallelRequests checks that an apply of many documents runs
// requests in parallel, up to Terraform's -parallelism of 10, with no global lock.
func TestReliability_parallelRequests(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	srv.SetLatency(300 * time.Millisecond)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config:    retryingProvider(baseURL) + userDocuments(20),
			Check: func(*terraform.State) error {
				if got := srv.MaxInFlight(); got < 5 || got > 10 {
					return fmt.Errorf("at most %d requests ran at once; want between 5 and Terraform's parallelism of 10", got)
				}
				return nil
			},
		}},
	})
}

// TestReliability_rateLimit checks that rate_limit paces the requests of all the
// resources of one provider together.
func TestReliability_rateLimit(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: retryingProvider(baseURL, "rate_limit = 4") + userDocuments(10),
			Check: func(*terraform.State) error {
				var first, last time.Time
				writes := 0
				for _, r := range srv.Requests() {
					if r.Method != http.MethodPost {
						continue
					}
					if writes == 0 {
						first = r.Time
					}
					last = r.Time
					writes++
				}
				// A burst of 4, then 6 more at 4 per second.
				if span := last.Sub(first); writes != 10 || span < 1400*time.Millisecond {
					return fmt.Errorf("%d POSTs arrived within %s; want 10 spread over at least 1.5s by rate_limit = 4", writes, span)
				}
				return nil
			},
		}},
	})
}

// userDocuments returns count user documents, user-00 to user-NN.
func userDocuments(count int) string {
	return fmt.Sprintf(`
resource "crescendo_provisioning_document" "user" {
  count       = %d
  collection  = "users"
  document_id = format("user-%%02d", count.index)
  body        = jsonencode({ email = "user-${count.index}@alpha.test", index = count.index })
}
`, count)
}

func userPath(i int) mockapi.DocPath {
	return mockapi.DocPath{Tenant: testTenant, Collection: "users", DocumentID: fmt.Sprintf("user-%02d", i)}
}

// TestReliability_partialFailureConverges applies 20 documents while the API keeps
// failing one. The other 19 must be stored and in state; the re-apply after the fault
// clears must create only the missing one, with no duplicate or lost write.
func TestReliability_partialFailureConverges(t *testing.T) {
	srv, baseURL := newTestAPI(t)
	const failing = 7
	failingPath := tenantAPIPath + "/users/user-07"
	config := retryingProvider(baseURL) + userDocuments(20)

	checkWrites := func(wantFailing int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for i := range 20 {
				path := fmt.Sprintf("%s/users/user-%02d", tenantAPIPath, i)
				want := 1
				if i == failing {
					want = wantFailing
				}
				if got := len(writesTo(srv, path)); got != want {
					return fmt.Errorf("the mock got %d POSTs for user-%02d; want %d", got, i, want)
				}
			}
			return nil
		}
	}

	var noops []plancheck.PlanCheck
	for i := range 20 {
		action := plancheck.ResourceActionNoop
		if i == failing {
			action = plancheck.ResourceActionCreate
		}
		noops = append(noops, plancheck.ExpectResourceAction(fmt.Sprintf("crescendo_provisioning_document.user[%d]", i), action))
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.AddFault(mockapi.Fault{Method: http.MethodPost, PathPrefix: failingPath, Status: http.StatusInternalServerError,
						Body: `{"message":"document store unavailable for this key range"}`})
				},
				Config: config,
				ExpectError: expectMessage(`The provider could not create document "user-07" in collection "users" of tenant "tenant-alpha". ` +
					`POST /api/v1/provisioning/tenants/tenant-alpha/users/user-07 returned HTTP 500 Internal Server Error: document store unavailable for this key range`),
			},
			{
				PreConfig: func() {
					for i := range 20 {
						_, stored := srv.Document(userPath(i))
						if stored != (i != failing) {
							t.Errorf("after the failed apply, user-%02d stored = %t", i, stored)
						}
					}
					if err := checkWrites(1)(nil); err != nil {
						t.Error(err)
					}
					srv.ClearFaults()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: noops,
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRemoteBody(srv, userPath(failing), `{"email":"user-7@alpha.test","index":7}`),
					checkRemoteBody(srv, userPath(19), `{"email":"user-19@alpha.test","index":19}`),
					checkWrites(2),
				),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
