package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testKey = "secret-test-key"

// lockedBuffer is an io.Writer that the server's goroutines and the test can
// share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func envWithKey(name string) string {
	if name == "CRESCENDO_API_KEY" {
		return testKey
	}
	return ""
}

func TestRunRequiresAPIKey(t *testing.T) {
	err := run(context.Background(), nil, func(string) string { return "" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "CRESCENDO_API_KEY is not set") {
		t.Errorf("error = %v, want one about CRESCENDO_API_KEY", err)
	}
}

func TestRunRejectsInvalidFlags(t *testing.T) {
	cases := map[string][]string{
		"empty tenant":     {"-tenant", ""},
		"negative latency": {"-latency", "-1s"},
		"extra argument":   {"serve"},
		"unknown flag":     {"-port", "80"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			if err := run(context.Background(), args, envWithKey, io.Discard); err == nil {
				t.Errorf("run(%q) succeeded, want an error", args)
			}
		})
	}
}

func TestCheckLoopback(t *testing.T) {
	accepted := []string{"127.0.0.1:0", "127.0.0.1:8080", "[::1]:0", "localhost:0", "127.1.2.3:0"}
	for _, address := range accepted {
		if err := checkLoopback(address); err != nil {
			t.Errorf("checkLoopback(%q) = %v, want nil", address, err)
		}
	}

	rejected := []string{":0", "0.0.0.0:0", "[::]:0", "192.0.2.1:0", "example.com:0", "127.0.0.1"}
	for _, address := range rejected {
		if err := checkLoopback(address); err == nil {
			t.Errorf("checkLoopback(%q) = nil, want an error", address)
		}
	}
}

func TestRunServesAndStops(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "url")
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-tenant", "tenant-x", "-addr-file", addrFile, "-v"}, envWithKey, logs)
	}()

	baseURL := waitForFile(t, addrFile, done)
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") {
		t.Errorf("base URL = %q, want http://127.0.0.1:PORT", baseURL)
	}

	health := send(t, http.MethodGet, baseURL+"/health", "", "")
	if health.StatusCode != http.StatusOK {
		t.Errorf("GET /health: status = %d, want 200", health.StatusCode)
	}
	created := send(t, http.MethodPost, baseURL+"/api/v1/provisioning/tenants/tenant-x/users/u1", testKey, `{"a":1}`)
	if created.StatusCode != http.StatusCreated {
		t.Errorf("POST user: status = %d, want 201", created.StatusCode)
	}
	other := send(t, http.MethodGet, baseURL+"/api/v1/provisioning/tenants/tenant-y", testKey, "")
	if other.StatusCode != http.StatusForbidden {
		t.Errorf("GET other tenant: status = %d, want 403", other.StatusCode)
	}
	stats := send(t, http.MethodGet, baseURL+"/_mock/stats", "", "")
	if stats.StatusCode != http.StatusOK {
		t.Errorf("GET /_mock/stats: status = %d, want 200", stats.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return within 10s of cancel")
	}

	output := logs.String()
	for _, want := range []string{"crescendo-mock started", "crescendo-mock stopped", "method=POST", "status=201", "requests=3"} {
		if !strings.Contains(output, want) {
			t.Errorf("log has no %q:\n%s", want, output)
		}
	}
	if strings.Contains(output, testKey) {
		t.Errorf("log contains the API key:\n%s", output)
	}
}

func TestRunRejectsNonLoopbackListen(t *testing.T) {
	err := run(context.Background(), []string{"-listen", "0.0.0.0:0"}, envWithKey, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("error = %v, want one about a loopback address", err)
	}
}

// waitForFile polls path until it exists and returns its content. It fails
// the test if run returns first.
func waitForFile(t *testing.T, path string, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		data, err := os.ReadFile(path)
		if err == nil {
			return string(data)
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("reading %s failed: %v", path, err)
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before writing the address file: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("%s was not written within 10s", path)
	return ""
}

func send(t *testing.T, method, url, key, body string) *http.Response {
	t.Helper()
	request, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		request.Header.Set("Authorization", "Bearer "+key)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatalf("%s %s failed: %v", method, url, err)
	}
	_, _ = io.Copy(io.Discard, response.Body)
	response.Body.Close()
	return response
}
