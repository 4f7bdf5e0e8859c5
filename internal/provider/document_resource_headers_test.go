package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestDocumentResource_requestHeaders(t *testing.T) {
	srv, baseURL := newTestAPI(t)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: tenantDocConfig(baseURL, `jsonencode({ plan = "enterprise" })`)},
		},
	})

	requests := srv.Requests()
	if len(requests) == 0 {
		t.Fatal("the mock received no requests")
	}
	userAgent := regexp.MustCompile(`^terraform-provider-crescendo/test \(\+https://registry\.terraform\.io/providers/crescendo-ai/crescendo\) Terraform/\d+\.\d+\.\d+`)
	for _, req := range requests {
		if got := req.Header.Get("Authorization"); got != "Bearer "+testKey {
			t.Errorf("%s %s: Authorization header is %q; want the bearer key", req.Method, req.Path, got)
		}
		if got := req.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept is %q; want application/json", req.Method, req.Path, got)
		}
		if got := req.Header.Get("User-Agent"); !userAgent.MatchString(got) {
			t.Errorf("%s %s: User-Agent is %q; want it to match %s", req.Method, req.Path, got, userAgent)
		}
		if req.Method == "POST" {
			if got := req.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("POST %s: Content-Type is %q; want application/json", req.Path, got)
			}
		}
		if regexp.MustCompile(`bearer_token`).MatchString(req.RequestURI) {
			t.Errorf("%s %s: the key was sent in the query string: %s", req.Method, req.Path, req.RequestURI)
		}
	}
}
