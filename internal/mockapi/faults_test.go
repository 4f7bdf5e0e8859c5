package mockapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFaultStatusAppliesTimes(t *testing.T) {
	s, client := startServer(t, nil)
	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{}`))
	s.AddFault(Fault{Status: http.StatusServiceUnavailable, Times: 2})

	for i := range 2 {
		response := client.do(http.MethodGet, tenantPath, tokenAdmin, "")
		assertError(t, response, http.StatusServiceUnavailable, "Unavailable")
		if t.Failed() {
			t.Fatalf("request %d did not get the fault", i+1)
		}
	}
	assertStatus(t, client.do(http.MethodGet, tenantPath, tokenAdmin, ""), http.StatusOK)
}

func TestFaultUntilCleared(t *testing.T) {
	server, client := startServer(t, nil)
	server.AddFault(Fault{Status: http.StatusTooManyRequests})

	for range 3 {
		assertError(t, client.do(http.MethodGet, tenantPath+"/users", tokenAdmin, ""), http.StatusTooManyRequests, "TooManyRequests")
	}
	server.ClearFaults()
	assertStatus(t, client.do(http.MethodGet, tenantPath+"/users", tokenAdmin, ""), http.StatusOK)
}

func TestFaultMatchesMethodAndPrefix(t *testing.T) {
	s, client := startServer(t, nil)
	s.AddFault(Fault{Method: http.MethodPost, PathPrefix: tenantPath + "/bots", Status: http.StatusBadGateway})

	assertError(t, client.do(http.MethodPost, tenantPath+"/bots/b1", tokenAdmin, `{}`), http.StatusBadGateway, "BadGateway")
	assertStatus(t, client.do(http.MethodPost, tenantPath+"/users/u1", tokenAdmin, `{}`), http.StatusCreated)
	assertStatus(t, client.do(http.MethodGet, tenantPath+"/bots", tokenAdmin, ""), http.StatusOK)

	// An empty prefix matches only /api/v1 paths, and an explicit one can match others.
	s.ClearFaults()
	s.AddFault(Fault{Status: http.StatusServiceUnavailable})
	assertStatus(t, client.do(http.MethodGet, "/health", "", ""), http.StatusOK)
	s.AddFault(Fault{PathPrefix: "/health", Status: http.StatusServiceUnavailable})
	assertError(t, client.do(http.MethodGet, "/health", "", ""), http.StatusServiceUnavailable, "Unavailable")
}

func TestFaultAppliesBeforeAuth(t *testing.T) {
	s, client := startServer(t, nil)
	s.AddFault(Fault{Status: http.StatusServiceUnavailable, Times: 1})

	assertError(t, client.do(http.MethodGet, tenantPath, "", ""), http.StatusServiceUnavailable, "Unavailable")
	assertError(t, client.do(http.MethodGet, tenantPath, "", ""), http.StatusUnauthorized, "Unauthenticated")
}

func TestFaultCustomBodyAndHeaders(t *testing.T) {
	s, client := startServer(t, nil)
	s.AddFault(Fault{
		Status:      http.StatusGatewayTimeout,
		Body:        "<html><body>Gateway Timeout</body></html>",
		ContentType: "text/html",
		Header:      http.Header{"Retry-After": {"3"}},
	})

	response := client.do(http.MethodGet, tenantPath, tokenAdmin, "")
	assertStatus(t, response, http.StatusGatewayTimeout)
	if got := string(response.body); got != "<html><body>Gateway Timeout</body></html>" {
		t.Errorf("body = %q", got)
	}
	if got := response.header.Get("Content-Type"); got != "text/html" {
		t.Errorf("Content-Type = %q, want text/html", got)
	}
	if got := response.header.Get("Retry-After"); got != "3" {
		t.Errorf("Retry-After = %q, want 3", got)
	}
}

func TestFaultDefaultBodies(t *testing.T) {
	s, client := startServer(t, nil)

	s.AddFault(Fault{Status: http.StatusInternalServerError, Times: 1})
	internal := client.do(http.MethodGet, tenantPath, tokenAdmin, "")
	assertStatus(t, internal, http.StatusInternalServerError)
	assertJSON(t, internal.body, `{"message":"500 Internal Server Error (fault injected by the mock server)"}`)

	s.AddFault(Fault{Body: `{"code":"Unavailable","message":"maintenance"}`, Times: 1})
	withBody := client.do(http.MethodGet, tenantPath, tokenAdmin, "")
	assertError(t, withBody, http.StatusServiceUnavailable, "Unavailable")
}

func TestFaultDelayEndsOnCancellation(t *testing.T) {
	s, client := startServer(t, nil)
	s.AddFault(Fault{Delay: time.Minute, Status: http.StatusServiceUnavailable})

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	request, _ := http.NewRequestWithContext(ctx, http.MethodGet, client.baseURL+tenantPath, nil)
	request.Header.Set("Authorization", "Bearer "+tokenAdmin)
	if response, err := client.http.Do(request); err == nil {
		response.Body.Close()
		t.Fatalf("request returned status %d, want a timeout", response.StatusCode)
	}

	deadline := time.Now().Add(5 * time.Second)
	for s.Stats().InFlight != 0 {
		if time.Now().After(deadline) {
			t.Fatal("handler still running 5s after the client cancelled; the delay ignores cancellation")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := s.Requests()[0].Status; got != 0 {
		t.Errorf("logged Status = %d, want 0 for a request that got no response", got)
	}
}

func TestFaultDelayOnlyPassesThrough(t *testing.T) {
	s, client := startServer(t, nil)
	s.AddFault(Fault{Delay: 80 * time.Millisecond, Times: 1})

	start := time.Now()
	assertStatus(t, client.do(http.MethodPost, tenantPath+"/users/u1", tokenAdmin, `{}`), http.StatusCreated)
	if elapsed := time.Since(start); elapsed < 80*time.Millisecond {
		t.Errorf("delayed request took %v, want at least 80ms", elapsed)
	}
}

func TestFaultResetClosesConnection(t *testing.T) {
	s, client := startServer(t, nil)
	transport, ok := client.http.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("the test client's transport is a %T, want *http.Transport", client.http.Transport)
	}
	transport.DisableKeepAlives = true
	s.AddFault(Fault{Reset: true, Times: 1})

	_, err := client.send(http.MethodGet, tenantPath, tokenAdmin, "")
	if err == nil {
		t.Fatal("request succeeded, want a connection reset")
	}
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("error = %v, want ECONNRESET", err)
	}
	if got := s.Requests()[0].Status; got != 0 {
		t.Errorf("logged Status = %d, want 0", got)
	}

	assertStatus(t, client.do(http.MethodGet, tenantPath+"/users", tokenAdmin, ""), http.StatusOK)
}

func TestFaultTruncateCutsBody(t *testing.T) {
	s, client := startServer(t, nil)
	body := `{"id":"user-1","data":{"padding":"` + strings.Repeat("x", 100) + `"}}`
	s.AddFault(Fault{Truncate: true, Status: http.StatusOK, Body: body, Header: http.Header{"X-Request-Id": {"r1"}}, Times: 1})

	request, _ := http.NewRequest(http.MethodGet, client.baseURL+tenantPath+"/users/user-1", nil)
	request.Header.Set("Authorization", "Bearer "+tokenAdmin)
	response, err := client.http.Do(request)
	if err != nil {
		t.Fatalf("request failed before the body: %v", err)
	}
	defer response.Body.Close()

	if response.StatusCode != http.StatusOK {
		t.Errorf("status = %d, want 200", response.StatusCode)
	}
	if response.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length = %d, want %d", response.ContentLength, len(body))
	}
	if got := response.Header.Get("X-Request-Id"); got != "r1" {
		t.Errorf("X-Request-Id = %q, want r1", got)
	}
	received, err := io.ReadAll(response.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading the body: error = %v, want io.ErrUnexpectedEOF", err)
	}
	if string(received) != body[:len(body)/2] {
		t.Errorf("received %q, want the first half of the body", received)
	}
	if got := s.Requests()[0].Status; got != http.StatusOK {
		t.Errorf("logged Status = %d, want 200", got)
	}
}

func TestAddFaultPanicsOnInvalidFault(t *testing.T) {
	cases := map[string]Fault{
		"negative times":     {Times: -1, Status: 503},
		"reset and truncate": {Reset: true, Truncate: true},
	}
	for name, fault := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("AddFault did not panic")
				}
			}()
			New(Options{}).AddFault(fault)
		})
	}
}

func TestErrorCodeForStatus(t *testing.T) {
	cases := map[int]string{
		400: "BadRequest",
		401: "Unauthenticated",
		403: "PermissionDenied",
		404: "NotFound",
		405: "MethodNotAllowed",
		413: "RequestEntityTooLarge",
		429: "TooManyRequests",
		502: "BadGateway",
		503: "Unavailable",
		599: "Status599",
	}
	for status, want := range cases {
		if got := errorCode(status); got != want {
			t.Errorf("errorCode(%d) = %q, want %q", status, got, want)
		}
	}
}
