package client

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	valid := map[string]string{
		"https://platform.crescendo.ai":     "https://platform.crescendo.ai",
		"https://platform.crescendo.ai/":    "https://platform.crescendo.ai",
		"https://gw.example.test:8443/crx/": "https://gw.example.test:8443/crx",
		"http://localhost:8080":             "http://localhost:8080",
		"http://LOCALHOST":                  "http://LOCALHOST",
		"http://127.0.0.1:9000":             "http://127.0.0.1:9000",
		"http://127.45.0.9":                 "http://127.45.0.9",
		"http://[::1]:9000/":                "http://[::1]:9000",
	}
	for raw, want := range valid {
		got, err := ParseBaseURL(raw)
		if err != nil || got != want {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}

	invalid := map[string]string{
		"http://platform.crescendo.ai":         `uses plain http to a host that is not a loopback address, which would send the API key across the network in clear text; use https://platform.crescendo.ai`,
		"http://10.0.0.8:8080/api":             `use https://10.0.0.8:8080/api`,
		"http://localhost.example.com":         "not a loopback address",
		"http://[::ffff:10.0.0.1]":             "not a loopback address",
		"ftp://platform.crescendo.ai":          "must be an absolute http:// or https:// URL",
		"platform.crescendo.ai":                "must be an absolute http:// or https:// URL",
		"https://":                             "has no host",
		"https://user:hunter2@example.test":    "must not contain user information",
		"https://example.test/?tenant=a":       "must not have a query or fragment",
		"https://example.test/#top":            "must not have a query or fragment",
		"https://exa mple.test":                "is not a valid URL",
		"":                                     "must be an absolute",
		"https://platform.crescendo.ai/api/v1": "ends with /api/v1, which the provider adds to every request itself, so requests would go to /api/v1/api/v1; use https://platform.crescendo.ai",
		"https://gw.example.test/crx/api/v1/":  "use https://gw.example.test/crx",
		"http://127.0.0.1:9000/api/v1":         "use http://127.0.0.1:9000",
	}
	for raw, want := range invalid {
		_, err := ParseBaseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBaseURL(%q) = %v; want an error containing %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseBaseURL(%q) error shows the password: %v", raw, err)
		}
	}
}

func TestNew_rejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	cases := map[string]Config{
		"the API key is empty":                         {BaseURL: "https://a.test"},
		"max retries is -1":                            {BaseURL: "https://a.test", APIKey: "k", MaxRetries: -1},
		"rate limit is -2":                             {BaseURL: "https://a.test", APIKey: "k", RateLimit: -2},
		"the CA certificate contains no PEM-encoded":   {BaseURL: "https://a.test", APIKey: "k", CACertificatePEM: "not a certificate"},
		"uses plain http to a host that is not a loop": {BaseURL: "http://a.test", APIKey: "k"},
	}
	for want, cfg := range cases {
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%+v) = %v; want an error containing %q", cfg, err, want)
		}
	}
}

func TestTLS_verifiedByDefault(t *testing.T) {
	t.Parallel()
	var requests sync.Map
	srv, baseURL := startHTTPServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Store(r.URL.Path, true)
		_, _ = w.Write([]byte(`{}`))
	}), true)

	// The test server's certificate is self-signed, so by default it is refused, at
	// once and without retries, before any request reaches the server.
	c := newClient(t, fastConfig(baseURL))
	_, err := c.GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "certificate")
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 1 {
		t.Errorf("GetDocument returned %v; want a *RequestError after 1 attempt, because a bad certificate does not go away", err)
	}

	// Trusting its CA as PEM works.
	cfg := fastConfig(baseURL)
	cfg.CACertificatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	if _, err := newClient(t, cfg).GetDocument(context.Background(), tenantDoc); err != nil {
		t.Errorf("GetDocument with the server's CA: %v", err)
	}

	// So does turning verification off.
	cfg = fastConfig(baseURL)
	cfg.InsecureSkipVerify = true
	if _, err := newClient(t, cfg).GetDocument(context.Background(), tenantDoc); err != nil {
		t.Errorf("GetDocument with insecure_skip_verify: %v", err)
	}
}

func TestTLS_minimumVersionAndDefaultTransportUntouched(t *testing.T) {
	t.Parallel()
	defaultTransport, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		t.Fatalf("http.DefaultTransport is a %T, not an *http.Transport", http.DefaultTransport)
	}
	_ = defaultTransport.Clone() // lets net/http finish its own lazy setup first
	tlsBefore, idleBefore, proxyBefore := defaultTransport.TLSClientConfig, defaultTransport.MaxIdleConnsPerHost, defaultTransport.Proxy == nil
	c := newClient(t, Config{BaseURL: "https://api.example.test", APIKey: testKey, CACertificatePEM: testCAPEM, InsecureSkipVerify: true})
	transport := baseTransport(c)
	if transport == defaultTransport {
		t.Fatal("the client uses http.DefaultTransport itself")
	}
	if transport.TLSClientConfig.MinVersion < 0x0303 {
		t.Errorf("MinVersion = %x; want TLS 1.2 or later", transport.TLSClientConfig.MinVersion)
	}
	if transport.MaxIdleConnsPerHost < 10 {
		t.Errorf("MaxIdleConnsPerHost = %d; want at least Terraform's default parallelism of 10", transport.MaxIdleConnsPerHost)
	}
	if defaultTransport.TLSClientConfig != tlsBefore || defaultTransport.MaxIdleConnsPerHost != idleBefore || (defaultTransport.Proxy == nil) != proxyBefore {
		t.Error("New changed http.DefaultTransport")
	}
	if tlsBefore != nil && (tlsBefore.InsecureSkipVerify || tlsBefore.RootCAs != nil) {
		t.Error("New changed the TLS configuration of http.DefaultTransport")
	}
}

// testCAPEM is a valid self-signed certificate, used where only parsing matters.
var testCAPEM = func() string {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
}()

// connectProxy is an HTTP CONNECT proxy that records the targets it was requested for
// and tunnels every one of them to a single loopback address, so a test can use a
// public name such as example.com while no traffic leaves the machine.
type connectProxy struct {
	target  string
	mu      sync.Mutex
	asked   []string
	headers []http.Header
}

func (p *connectProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.asked = append(p.asked, r.Method+" "+r.Host)
	p.headers = append(p.headers, r.Header.Clone())
	p.mu.Unlock()
	if r.Method != http.MethodConnect {
		http.Error(w, "only CONNECT", http.StatusMethodNotAllowed)
		return
	}
	upstream, err := net.Dial("tcp", p.target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buffered, err := http.NewResponseController(w).Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	go func() {
		_, _ = io.Copy(upstream, buffered)
		upstream.Close()
	}()
	_, _ = io.Copy(conn, upstream)
	conn.Close()
}

// TestProxy_httpsProxyFromEnvironment sends a request for https://example.com through
// HTTPS_PROXY. The proxy tunnels it to a local TLS server whose certificate is valid
// for example.com, and the client's dialer refuses anything but loopback, so nothing
// leaves the machine. The proxy receives only the CONNECT request, never the key.
func TestProxy_httpsProxyFromEnvironment(t *testing.T) {
	var serverAuth []string
	var mu sync.Mutex
	tlsServer, _ := startHTTPServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		serverAuth = append(serverAuth, r.Host+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		_, _ = w.Write([]byte(`{"via":"proxy"}`))
	}), true)
	proxy := &connectProxy{target: tlsServer.Listener.Addr().String()}
	proxyURL := newLoopbackServer(t, proxy)

	t.Setenv("HTTPS_PROXY", proxyURL)
	t.Setenv("https_proxy", proxyURL)
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	cfg := fastConfig("https://example.com")
	cfg.CACertificatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsServer.Certificate().Raw}))
	c := newClient(t, cfg)

	body, err := c.GetDocument(context.Background(), tenantDoc)
	if err != nil {
		t.Fatalf("GetDocument through the proxy: %v", err)
	}
	if string(body) != `{"via":"proxy"}` {
		t.Errorf("body = %q", body)
	}
	proxy.mu.Lock()
	defer proxy.mu.Unlock()
	if len(proxy.asked) != 1 || proxy.asked[0] != "CONNECT example.com:443" {
		t.Errorf("the proxy was asked %q; want one CONNECT example.com:443", proxy.asked)
	}
	for _, h := range proxy.headers {
		if h.Get("Authorization") != "" {
			t.Error("the proxy saw the Authorization header")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(serverAuth) != 1 || serverAuth[0] != "example.com Bearer "+testKey {
		t.Errorf("the server saw %q; want the request for example.com with the key", serverAuth)
	}
}

func TestProxy_noProxyAndLoopbackBypass(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
	t.Setenv("https_proxy", "http://proxy.invalid:3128")
	t.Setenv("HTTP_PROXY", "http://proxy.invalid:3128")
	t.Setenv("http_proxy", "http://proxy.invalid:3128")
	t.Setenv("NO_PROXY", "internal.example.test")
	t.Setenv("no_proxy", "internal.example.test")

	proxyFor := func(rawURL string) string {
		c := newClient(t, Config{BaseURL: rawURL, APIKey: testKey})
		req, _ := http.NewRequest(http.MethodGet, rawURL+"/api/v1", nil)
		proxy, err := baseTransport(c).Proxy(req)
		if err != nil {
			t.Fatalf("Proxy(%s): %v", rawURL, err)
		}
		if proxy == nil {
			return ""
		}
		return proxy.String()
	}
	if got := proxyFor("https://platform.example.test"); got != "http://proxy.invalid:3128" {
		t.Errorf("proxy for platform.example.test = %q; want HTTPS_PROXY", got)
	}
	if got := proxyFor("https://internal.example.test"); got != "" {
		t.Errorf("proxy for a NO_PROXY host = %q; want none", got)
	}
	// A loopback base URL never goes through a proxy: prove it by sending a request.
	srv := newScriptedServer(t, ok(`{}`))
	if got := proxyFor(srv.URL); got != "" {
		t.Errorf("proxy for %s = %q; want none", srv.URL, got)
	}
	if _, err := newClient(t, fastConfig(srv.URL)).GetDocument(context.Background(), tenantDoc); err != nil {
		t.Errorf("GetDocument on loopback with a proxy configured: %v", err)
	}
}

func TestRedirect_authorizationStaysWithTheConfiguredHost(t *testing.T) {
	t.Parallel()
	other := newScriptedServer(t, ok(`{"from":"other"}`))
	origin := newScriptedServer(t,
		func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/api/v1/provisioning/tenants/moved", http.StatusTemporaryRedirect)
		},
		func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
		})
	c := newClient(t, fastConfig(origin.URL))
	body, _, err := c.ReplaceDocument(context.Background(), tenantDoc, []byte(`{"a":1}`))
	if err != nil {
		t.Fatalf("ReplaceDocument: %v", err)
	}
	if string(body) != `{"from":"other"}` {
		t.Errorf("body = %q", body)
	}
	if origin.auth[0] != "Bearer "+testKey || origin.auth[1] != "Bearer "+testKey {
		t.Errorf("the configured host got Authorization %q; want the key on both requests, including the same-host redirect", origin.auth)
	}
	if other.auth[0] != "" {
		t.Errorf("the other host got Authorization %q; want none", other.auth[0])
	}
}

func TestRedirect_refusesDowngradeAndLoops(t *testing.T) {
	t.Parallel()
	plain := newScriptedServer(t, ok(`{}`))
	secure, secureURL := startHTTPServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusFound)
	}), true)
	cfg := fastConfig(secureURL)
	cfg.CACertificatePEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: secure.Certificate().Raw}))
	_, err := newClient(t, cfg).GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "refusing to follow a redirect from https to http://")
	if plain.requests() != 0 {
		t.Errorf("the plain-http server got %d requests after a downgrade redirect; want 0", plain.requests())
	}

	var loops int
	var mu sync.Mutex
	loop := newLoopbackServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		loops++
		mu.Unlock()
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	_, err = newClient(t, fastConfig(loop)).GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "stopped after 10 redirects")
	if loops != 10 {
		t.Errorf("the server got %d requests; want 10, with no retries of a redirect loop", loops)
	}
}

func TestResponseSize_capped(t *testing.T) {
	t.Parallel()
	huge := func(n int64) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.CopyN(w, zeros{}, n)
		}
	}

	// The real limit: 64 MiB and one byte is refused, once, without retries.
	srv := newScriptedServer(t, huge(MaxResponseBytes+1))
	_, err := newClient(t, fastConfig(srv.URL)).GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "the response body is larger than the limit of 64 MiB")
	if srv.requests() != 1 {
		t.Errorf("the server got %d requests; want 1: an oversized response is not retried", srv.requests())
	}

	// The boundary, with a smaller configured limit.
	srv = newScriptedServer(t, huge(1000), huge(1001))
	cfg := fastConfig(srv.URL)
	cfg.MaxResponseBytes = 1000
	c := newClient(t, cfg)
	if body, err := c.GetDocument(context.Background(), tenantDoc); err != nil || len(body) != 1000 {
		t.Errorf("a response of exactly the limit: %d bytes, %v", len(body), err)
	}
	_, err = c.GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "the response body is larger than the limit of 1000 bytes")

	// A large error page is cut, not refused: its start is enough for the message.
	srv = newScriptedServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("<html>internal error"))
		_, _ = io.CopyN(w, spaces{}, 5<<20)
	})
	_, err = newClient(t, fastConfig(srv.URL)).GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "HTTP 500 Internal Server Error", `began with: "<html>internal error"`)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestSecrets_keyNeverInErrors checks that a server echoing the request, as some
// gateways' error pages do, cannot put the key into an error message.
func TestSecrets_keyNeverInErrors(t *testing.T) {
	t.Parallel()
	echo := func(code int, json bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var buf bytes.Buffer
			_ = r.Header.Write(&buf)
			if json {
				status(code, `{"code":"Unauthenticated","message":"bad token in `+strings.ReplaceAll(buf.String(), "\r\n", " ")+`"}`)(w, r)
				return
			}
			status(code, "<html><pre>"+buf.String()+"</pre></html>")(w, r)
		}
	}
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"json 401", echo(http.StatusUnauthorized, true)},
		{"html 403", echo(http.StatusForbidden, false)},
		{"html 502", echo(http.StatusBadGateway, false)},
	} {
		srv := newScriptedServer(t, tc.h)
		_, err := newClient(t, fastConfig(srv.URL)).GetDocument(context.Background(), tenantDoc)
		if err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		if strings.Contains(err.Error(), testKey) {
			t.Errorf("%s: the error contains the API key: %v", tc.name, err)
		}
		if !strings.Contains(err.Error(), "Bearer "+redacted) {
			t.Errorf("%s: the error %q does not show where the key was redacted", tc.name, err)
		}
	}
}

// TestLogging_requestsAndSecrets captures the provider log at TRACE and checks that
// each attempt is logged with method, path, status, attempt and duration, that bodies
// and redacted headers appear, and that the key appears nowhere, not even when the
// server echoes it.
func TestLogging_requestsAndSecrets(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t,
		status(http.StatusServiceUnavailable, `{"message":"busy"}`),
		func(w http.ResponseWriter, r *http.Request) {
			status(http.StatusOK, `{"echo":"`+r.Header.Get("Authorization")+`"}`)(w, r)
		})
	var output bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &output)
	c := newClient(t, fastConfig(srv.URL))
	if _, _, err := c.ReplaceDocument(ctx, DocumentPath{TenantID: testTenant, Collection: "users", DocumentID: "u 1"}, []byte(`{"name":"Ada"}`)); err != nil {
		t.Fatalf("ReplaceDocument: %v", err)
	}

	if strings.Contains(output.String(), testKey) {
		t.Fatalf("the log contains the API key:\n%s", output.String())
	}
	entries, err := tflogtest.MultilineJSONDecode(&output)
	if err != nil {
		t.Fatalf("decoding the log: %v", err)
	}
	find := func(message string, match func(map[string]any) bool) map[string]any {
		for _, e := range entries {
			if e["@message"] == message && (match == nil || match(e)) {
				return e
			}
		}
		t.Errorf("no log entry %q in:\n%v", message, entries)
		return nil
	}
	const path = "/api/v1/provisioning/tenants/tenant-alpha/users/u%201"
	for attempt, code := range []float64{503, 200} {
		e := find("Crescendo API request", func(e map[string]any) bool { return e["attempt"] == float64(attempt+1) })
		if e == nil {
			continue
		}
		if e["@level"] != "debug" || e["http_method"] != "POST" || e["http_path"] != path || e["http_status"] != code || e["duration_ms"] == nil {
			t.Errorf("attempt %d logged %v; want debug level, POST, %s, status %v and a duration", attempt+1, e, path, code)
		}
	}
	if e := find("Retrying Crescendo API request", nil); e != nil && (e["reason"] != "HTTP 503" || e["wait_ms"] == nil || e["next_attempt"] != float64(2)) {
		t.Errorf("retry logged %v; want the reason, the wait and the next attempt", e)
	}
	if e := find("Crescendo API request body", nil); e != nil && (e["@level"] != "trace" || e["body"] != `{"name":"Ada"}`) {
		t.Errorf("request body logged %v; want it at trace", e)
	}
	if e := find("Crescendo API response body", nil); e != nil && e["body"] != `{"echo":"Bearer ***"}` {
		t.Errorf("response body logged %v; want the echoed key masked", e)
	}
	if e := find("Crescendo API request headers", nil); e != nil {
		headers, _ := e["http_headers"].(string)
		if !strings.Contains(headers, "Authorization: Bearer "+redacted) || !strings.Contains(headers, "Content-Type: application/json") {
			t.Errorf("request headers logged as %q; want Authorization redacted and the other headers shown", headers)
		}
	}
}

func TestRedactHeaders(t *testing.T) {
	t.Parallel()
	h := http.Header{
		"Authorization":       {"Bearer abc"},
		"Proxy-Authorization": {"Basic dXNlcjpwYXNz"},
		"Cookie":              {"session=1"},
		"Set-Cookie":          {"a=b", "c=d"},
		"X-Api-Key":           {"k"},
		"Accept":              {"application/json"},
	}
	got := redactHeaders(h)
	want := "Accept: application/json\nAuthorization: Bearer [REDACTED]\nCookie: [REDACTED]\nProxy-Authorization: Basic [REDACTED]\nSet-Cookie: [REDACTED]\nSet-Cookie: [REDACTED]\nX-Api-Key: [REDACTED]"
	if got != want {
		t.Errorf("redactHeaders =\n%s\nwant\n%s", got, want)
	}
	if h.Get("Authorization") != "Bearer abc" {
		t.Error("redactHeaders changed its argument")
	}
}

func TestLogging_largeBodiesCut(t *testing.T) {
	t.Parallel()
	large := `{"blob":"` + strings.Repeat("<", 100_000) + `"}`
	srv := newScriptedServer(t, ok(large))
	var output bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &output)
	if _, _, err := newClient(t, fastConfig(srv.URL)).ReplaceDocument(ctx, tenantDoc, []byte(large)); err != nil {
		t.Fatalf("ReplaceDocument: %v", err)
	}
	for _, line := range strings.Split(output.String(), "\n") {
		// Terraform parses provider log lines of up to 64 KiB; longer ones would reach a
		// DEBUG log unfiltered.
		if len(line) > 60_000 {
			t.Errorf("a log line is %d bytes long: %.200s", len(line), line)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(&output)
	if err != nil {
		t.Fatal(err)
	}
	bodies := 0
	for _, e := range entries {
		if e["@message"] == "Crescendo API request body" || e["@message"] == "Crescendo API response body" {
			bodies++
			if e["body_truncated"] != true || e["body_bytes"] != float64(len(large)) || !strings.HasSuffix(fmt.Sprint(e["body"]), "…") {
				t.Errorf("a large body was logged as %.300v; want it cut, with its size", e)
			}
		}
	}
	if bodies != 2 {
		t.Errorf("%d body entries; want the request's and the response's", bodies)
	}
}
