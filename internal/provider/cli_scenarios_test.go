package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// TestCLI runs the scenarios that need the Terraform CLI as a subprocess. They share
// one provider build and run in parallel.
func TestCLI(t *testing.T) {
	h := newCLIHarness(t)
	t.Run("interruptConverges", func(t *testing.T) { t.Parallel(); testCLIInterrupt(t, h) })
	t.Run("keyNeverPrintedOrStored", func(t *testing.T) { t.Parallel(); testCLISecrets(t, h) })
	t.Run("largeBody", func(t *testing.T) { t.Parallel(); testCLILargeBody(t, h) })
}

func cliProvider(baseURL string, extra ...string) string {
	return fmt.Sprintf(`
provider "crescendo" {
  base_url  = %q
  tenant_id = %q
  %s
}
`, baseURL, testTenant, strings.Join(extra, "\n  "))
}

// testCLIInterrupt interrupts an apply of six documents while three requests hang in
// the server and one waits out a Retry-After of five minutes. Terraform must stop
// within seconds, keep the two finished documents in state, and converge on the next
// apply without writing them again.
func testCLIInterrupt(t *testing.T, h *cliHarness) {
	srv, baseURL := newTestAPI(t)
	w := h.workspace(t, cliProvider(baseURL, `max_retries = 4`, `retry_wait_max = "10m"`, `request_timeout = "10m"`)+userDocuments(6))
	w.env[envAPIKey] = testKey

	docPath := func(i int) string { return fmt.Sprintf("%s/users/user-%02d", tenantAPIPath, i) }
	for i := 3; i <= 5; i++ {
		srv.AddFault(mockapi.Fault{Method: http.MethodPost, PathPrefix: docPath(i), Delay: 5 * time.Minute})
	}
	srv.AddFault(mockapi.Fault{Method: http.MethodPost, PathPrefix: docPath(2), Status: http.StatusServiceUnavailable,
		Header: http.Header{"Retry-After": {"300"}}})

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd, output := w.command(ctx, "apply", "-auto-approve", "-no-color")
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting terraform apply: %v", err)
	}

	// Wait until two documents are written, three requests hang and one is waiting to
	// retry.
	ready := func() bool {
		written, hanging, unavailable := 0, 0, 0
		for _, r := range srv.Requests() {
			if r.Method != http.MethodPost {
				continue
			}
			switch r.Status {
			case http.StatusCreated:
				written++
			case http.StatusServiceUnavailable:
				unavailable++
			case 0:
				hanging++
			}
		}
		return written == 2 && hanging == 3 && unavailable == 1
	}
	deadline := time.Now().Add(time.Minute)
	for !ready() {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("the apply did not reach the expected point within a minute. Output:\n%s", output)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // let the 503's backoff wait begin

	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatalf("sending SIGINT: %v", err)
	}
	err := cmd.Wait()
	stopped := time.Since(interrupted)
	w.record(output.String())
	t.Logf("terraform stopped %s after SIGINT", stopped.Round(time.Millisecond))
	if err == nil {
		t.Errorf("the interrupted apply exited with 0; want an error. Output:\n%s", output)
	}
	// The hanging requests would last five minutes and the retry wait five more.
	if stopped > 20*time.Second {
		t.Errorf("terraform took %s to stop after SIGINT; want a few seconds", stopped)
	}
	flat := strings.Join(strings.Fields(output.String()), " ")
	for _, want := range []string{"Interrupt received", "Create of Provisioning Document Cancelled", "user-03 failed: context canceled", "user-02 failed: context canceled while waiting"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the output of the interrupted apply does not contain %q:\n%s", want, output)
		}
	}

	stateList := w.mustRun(0, "state", "list")
	for i := range 6 {
		address := fmt.Sprintf("crescendo_provisioning_document.user[%d]", i)
		if inState := strings.Contains(stateList, address+"\n"); inState != (i < 2) {
			t.Errorf("after the interrupt, %s in state = %t; want %t. State:\n%s", address, inState, i < 2, stateList)
		}
	}

	srv.ClearFaults()
	w.mustRun(0, "apply", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")
	for i := range 6 {
		checkStored(t, srv, userPath(i), fmt.Sprintf(`{"email":"user-%d@alpha.test","index":%d}`, i, i))
		want := 1
		if i >= 2 {
			want = 2 // the interrupted attempt and the one that succeeded
		}
		if got := len(writesTo(srv, docPath(i))); got != want {
			t.Errorf("user-%02d got %d POSTs; want %d", i, got, want)
		}
	}
}

// testCLISecrets runs applies and plans with TF_LOG=TRACE and TF_LOG=DEBUG, with the
// key written in the provider block, through retries, an API error and a server that
// echoes the key, and checks that the key is in no output, log, state or plan file.
func testCLISecrets(t *testing.T, h *cliHarness) {
	srv, baseURL := newTestAPI(t)
	provider := cliProvider(baseURL, fmt.Sprintf("api_key = %q", testKey), `retry_wait_max = "50ms"`)
	// A document far larger than what one log line may carry.
	big := `
resource "crescendo_provisioning_document" "big" {
  collection  = "bots"
  document_id = "big"
  body        = jsonencode({ blob = format("%0200000d", 42) })
}
`
	w := h.workspace(t, provider+userDocuments(3)+big)
	traceLog := filepath.Join(t.TempDir(), "trace.log")
	debugLog := filepath.Join(t.TempDir(), "debug.log")
	w.env["TF_LOG"] = "TRACE"
	w.env["TF_LOG_PATH"] = traceLog

	// A retried write, then a plan saved to a file.
	srv.AddFault(mockapi.Fault{Method: http.MethodPost, Status: http.StatusServiceUnavailable, Times: 1})
	w.mustRun(0, "apply", "-auto-approve")
	w.write(provider + strings.Replace(userDocuments(3), "index = count.index", "index = count.index + 100", 1) + big)
	w.mustRun(2, "plan", "-detailed-exitcode", "-out=tfplan")

	// A gateway error page that echoes the request headers, key included.
	srv.AddFault(mockapi.Fault{Method: http.MethodPost, Status: http.StatusUnauthorized, ContentType: "text/html",
		Body: "<html><pre>POST /api/v1 HTTP/1.1\nAuthorization: Bearer " + testKey + "\n</pre></html>"})
	output := w.mustRun(1, "apply", "-auto-approve")
	if !strings.Contains(output, "Authorization: Bearer [REDACTED]") {
		t.Errorf("the error does not show the echoed page with the key redacted:\n%s", output)
	}
	srv.ClearFaults()

	trace, err := os.ReadFile(traceLog)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Crescendo API request body", "Crescendo API response body", "Retrying Crescendo API request", "Authorization: Bearer [REDACTED]", "http_status=503", "body_truncated=true"} {
		if !strings.Contains(string(trace), want) {
			t.Errorf("the TRACE log does not contain %q", want)
		}
	}

	// At DEBUG each request is logged with method, path, status, attempt and duration,
	// and no body.
	w.env["TF_LOG"] = "DEBUG"
	w.env["TF_LOG_PATH"] = debugLog
	w.mustRun(0, "apply", "-auto-approve")
	debug, err := os.ReadFile(debugLog)
	if err != nil {
		t.Fatal(err)
	}
	requestLines := 0
	for _, line := range strings.Split(string(debug), "\n") {
		if !strings.Contains(line, "Crescendo API request:") {
			continue
		}
		requestLines++
		for _, field := range []string{"http_method=", "http_path=/api/v1/provisioning/tenants/tenant-alpha/", "http_status=", "attempt=1", "duration_ms="} {
			if !strings.Contains(line, field) {
				t.Errorf("the DEBUG line %q has no %s", line, field)
			}
		}
	}
	if requestLines < 3 {
		t.Errorf("the DEBUG log has %d request lines; want at least one per document", requestLines)
	}
	for _, unwanted := range []string{"Crescendo API request body", "Crescendo API response body", "user-0@alpha.test", strings.Repeat("0", 1000)} {
		if i := strings.Index(string(debug), unwanted); i >= 0 {
			start := strings.LastIndex(string(debug[:i]), "\n") + 1
			t.Errorf("the DEBUG log contains %.40q; bodies belong at TRACE only. The line starts: %.300s", unwanted, debug[start:])
		}
	}

	w.assertNoSecret(testKey, traceLog, debugLog)
}

// testCLILargeBody applies a document of more than 5 MB and checks that the next plan
// is empty.
func testCLILargeBody(t *testing.T, h *cliHarness) {
	srv, baseURL := newTestAPI(t)
	w := h.workspace(t, cliProvider(baseURL)+`
resource "crescendo_provisioning_document" "big" {
  collection  = "bots"
  document_id = "big"
  body = jsonencode({
    blob  = format("%05000000d", 7)
    items = [for i in range(100) : { id = i, name = format("item-%04d", i), tags = ["a", "b"] }]
  })
}
`)
	w.env[envAPIKey] = testKey
	start := time.Now()
	w.mustRun(0, "apply", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")
	t.Logf("applied and planned a 5 MB document in %s", time.Since(start).Round(time.Millisecond))
	raw, ok := srv.Document(mockapi.DocPath{Tenant: testTenant, Collection: "bots", DocumentID: "big"})
	if !ok || len(raw) < 5_000_000 || !strings.Contains(string(raw), `"item-0099"`) {
		t.Errorf("the mock stored %d bytes; want the whole document of more than 5 MB", len(raw))
	}
}

func checkStored(t *testing.T, srv *mockapi.Server, p mockapi.DocPath, want string) {
	t.Helper()
	if err := checkRemoteBody(srv, p, want)(nil); err != nil {
		t.Error(err)
	}
}
