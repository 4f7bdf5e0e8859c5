package client

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

const (
	testKey    = "secret-key-3c1d8e77f0a2"
	testTenant = "tenant-alpha"
)

var tenantDoc = DocumentPath{TenantID: testTenant}

// fastConfig returns a configuration for baseURL with short waits, so that retry
// tests take milliseconds.
func fastConfig(baseURL string) Config {
	return Config{
		BaseURL:        baseURL,
		APIKey:         testKey,
		MaxRetries:     3,
		RetryWaitMin:   5 * time.Millisecond,
		RetryWaitMax:   20 * time.Millisecond,
		RequestTimeout: 5 * time.Second,
	}
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	guardLoopback(t, c)
	return c
}

// guardLoopback makes the client's transport refuse to dial anything but loopback
// addresses, so that no test can send traffic off the machine even when the code under
// test is wrong (for example a proxy setting that is ignored).
func guardLoopback(t *testing.T, c *Client) {
	t.Helper()
	transport := baseTransport(c)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			t.Errorf("the client tried to dial %s, which is not a loopback address", addr)
			return nil, &net.OpError{Op: "dial", Net: network, Err: errNotLoopback}
		}
		return dialer.DialContext(ctx, network, addr)
	}
}

var errNotLoopback = &permanentError{err: errString("the test refuses to dial a non-loopback address")}

type errString string

func (e errString) Error() string { return string(e) }

// newMock starts the mock API with a full-access key for testTenant.
func newMock(t *testing.T) (*mockapi.Server, string) {
	t.Helper()
	return mockapi.NewTestServer(t, mockapi.Options{Keys: []mockapi.Key{
		{Token: testKey, Name: "client-test", Tenant: testTenant, Scopes: []string{"provisioning:*"}},
	}})
}

// scriptedServer responds to each request with the next handler of a script, and with the
// last one once the script runs out. It records when each request arrived and what
// Authorization header it carried.
type scriptedServer struct {
	t        *testing.T
	mu       sync.Mutex
	script   []http.HandlerFunc
	arrivals []time.Time
	auth     []string
	calls    atomic.Int32
	URL      string
}

func newScriptedServer(t *testing.T, script ...http.HandlerFunc) *scriptedServer {
	t.Helper()
	s := &scriptedServer{t: t, script: script}
	srv := newLoopbackServer(t, http.HandlerFunc(s.serve))
	s.URL = srv
	return s
}

func (s *scriptedServer) serve(w http.ResponseWriter, r *http.Request) {
	n := int(s.calls.Add(1)) - 1
	s.mu.Lock()
	s.arrivals = append(s.arrivals, time.Now())
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	handler := s.script[min(n, len(s.script)-1)]
	s.mu.Unlock()
	handler(w, r)
}

func (s *scriptedServer) requests() int { return int(s.calls.Load()) }

// gap returns the time between the arrivals of request i and i+1 (0-based).
func (s *scriptedServer) gap(i int) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i+1 >= len(s.arrivals) {
		s.t.Fatalf("only %d requests arrived; want at least %d", len(s.arrivals), i+2)
	}
	return s.arrivals[i+1].Sub(s.arrivals[i])
}

func status(code int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if strings.HasPrefix(body, "<") {
			w.Header().Set("Content-Type", "text/html")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func ok(body string) http.HandlerFunc { return status(http.StatusOK, body) }

// reset closes the connection with a TCP reset and sends nothing.
func reset(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// stall waits until the client goes away or the test ends.
func stall(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(30 * time.Second):
	}
}

func newLoopbackServer(t *testing.T, h http.Handler) string {
	t.Helper()
	_, baseURL := startHTTPServer(t, h, false)
	return baseURL
}

func errorContains(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error; want one containing %q", parts)
	}
	for _, part := range parts {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not contain %q", err, part)
		}
	}
}

func mockDoc(p DocumentPath) mockapi.DocPath {
	return mockapi.DocPath{Tenant: p.TenantID, Collection: p.Collection, DocumentID: p.DocumentID}
}

func mockTruncate(times int) mockapi.Fault {
	return mockapi.Fault{Truncate: true, Times: times}
}

func mockStatus(code, times int) mockapi.Fault {
	return mockapi.Fault{Status: code, Times: times}
}

// baseTransport returns the *http.Transport at the bottom of the client's transports.
func baseTransport(c *Client) *http.Transport {
	attempt, ok := c.http.Transport.(*attemptTransport)
	if !ok {
		panic(fmt.Sprintf("the client's transport is a %T, not an *attemptTransport", c.http.Transport))
	}
	logging, ok := attempt.next.(*loggingTransport)
	if !ok {
		panic(fmt.Sprintf("the attempt transport wraps a %T, not a *loggingTransport", attempt.next))
	}
	base, ok := logging.next.(*http.Transport)
	if !ok {
		panic(fmt.Sprintf("the logging transport wraps a %T, not an *http.Transport", logging.next))
	}
	return base
}
