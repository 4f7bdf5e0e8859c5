package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetry_retryableStatusesThenSuccess(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut} {
			t.Run(fmt.Sprintf("%d %s", code, method), func(t *testing.T) {
				t.Parallel()
				srv := newScriptedServer(t, status(code, `{"code":"x","message":"busy"}`), status(code, `{}`), ok(`{"a":1}`))
				c := newClient(t, fastConfig(srv.URL))
				var body []byte
				if method != http.MethodGet {
					body = []byte(`{"a":1}`)
				}
				got, data, err := c.do(context.Background(), method, tenantDoc.URLPath(), body, http.StatusOK)
				if err != nil {
					t.Fatalf("do: %v", err)
				}
				if got != http.StatusOK || string(data) != `{"a":1}` {
					t.Errorf("do returned %d %q; want 200 {\"a\":1}", got, data)
				}
				if n := srv.requests(); n != 3 {
					t.Errorf("the server got %d requests; want 3", n)
				}
			})
		}
	}
}

func TestRetry_neverRetriesClientErrors(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusInternalServerError, http.StatusNotImplemented} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			srv := newScriptedServer(t, status(code, `{"code":"Nope","message":"not allowed"}`), ok(`{}`))
			c := newClient(t, fastConfig(srv.URL))
			_, _, err := c.ReplaceDocument(context.Background(), tenantDoc, []byte(`{}`))
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("ReplaceDocument returned %v; want an *APIError", err)
			}
			if apiErr.StatusCode != code || apiErr.Attempts != 1 || apiErr.Code != "Nope" || apiErr.Message != "not allowed" {
				t.Errorf("got %+v; want status %d, 1 attempt, the API's code and message", apiErr, code)
			}
			if n := srv.requests(); n != 1 {
				t.Errorf("the server got %d requests; want 1", n)
			}
			if strings.Contains(err.Error(), "attempts") {
				t.Errorf("error %q mentions attempts for a request sent once", err)
			}
		})
	}
}

func TestRetry_exhaustedReportsAttemptsStatusAndMessage(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, status(http.StatusServiceUnavailable, `{"code":"Unavailable","message":"down for maintenance"}`))
	c := newClient(t, fastConfig(srv.URL))

	_, err := c.GetDocument(context.Background(), tenantDoc)
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("GetDocument returned %v; want an *APIError", err)
	}
	if apiErr.Attempts != 4 || srv.requests() != 4 {
		t.Errorf("attempts = %d, server requests = %d; want 4 and 4 (1 + max_retries 3)", apiErr.Attempts, srv.requests())
	}
	errorContains(t, err, "GET /api/v1/provisioning/tenants/tenant-alpha returned HTTP 503 Service Unavailable on each of 4 attempts over ", ": Unavailable: down for maintenance")
}

func TestRetry_zeroDisables(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, status(http.StatusServiceUnavailable, `{}`), ok(`{}`))
	cfg := fastConfig(srv.URL)
	cfg.MaxRetries = 0
	c := newClient(t, cfg)
	_, err := c.GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "returned HTTP 503 Service Unavailable")
	if n := srv.requests(); n != 1 {
		t.Errorf("the server got %d requests; want 1 with retries off", n)
	}
}

func TestRetry_htmlGatewayPage(t *testing.T) {
	t.Parallel()
	page := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	srv := newScriptedServer(t, status(http.StatusBadGateway, page))
	c := newClient(t, fastConfig(srv.URL))
	_, err := c.GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "HTTP 502 Bad Gateway on each of 4 attempts",
		`the response was not a JSON error body and began with: "<html> <head><title>502 Bad Gateway</title></head> <body>`)
}

func TestRetry_connectionResetThenSuccess(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, reset, reset, ok(`{"a":1}`))
	c := newClient(t, fastConfig(srv.URL))
	if _, _, err := c.ReplaceDocument(context.Background(), tenantDoc, []byte(`{"a":1}`)); err != nil {
		t.Fatalf("ReplaceDocument: %v", err)
	}
	if n := srv.requests(); n != 3 {
		t.Errorf("the server got %d requests; want 3", n)
	}
}

func TestRetry_connectionResetExhausted(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, status(http.StatusServiceUnavailable, `{}`), reset)
	c := newClient(t, fastConfig(srv.URL))
	_, err := c.GetDocument(context.Background(), tenantDoc)
	var reqErr *RequestError
	if !errors.As(err, &reqErr) || reqErr.Attempts != 4 || reqErr.LastStatus != http.StatusServiceUnavailable {
		t.Fatalf("GetDocument returned %#v; want a *RequestError after 4 attempts, the first with HTTP 503", err)
	}
	errorContains(t, err, "failed after 4 attempts over", "; the last status received was HTTP 503 Service Unavailable")
}

func TestRetry_connectionRefused(t *testing.T) {
	t.Parallel()
	// A port that was just free: nothing listens there.
	srv, baseURL := startHTTPServer(t, http.NotFoundHandler(), false)
	srv.Close()
	c := newClient(t, fastConfig(baseURL))
	_, err := c.GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "failed after 4 attempts", "connection refused")
}

func TestRetry_truncatedResponse(t *testing.T) {
	t.Parallel()
	srv, baseURL := newMock(t)
	srv.SetDocument(mockDoc(tenantDoc), []byte(`{"name":"a fairly long document, so half of it is missing"}`))
	c := newClient(t, fastConfig(baseURL))

	srv.AddFault(mockTruncate(1))
	if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
		t.Fatalf("GetDocument with one truncated response: %v", err)
	}

	srv.AddFault(mockTruncate(0))
	_, err := c.GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "failed after 4 attempts", "reading the response body failed", "unexpected EOF")
}

func TestRetry_postBodySentWholeOnEveryAttempt(t *testing.T) {
	t.Parallel()
	srv, baseURL := newMock(t)
	srv.AddFault(mockStatus(http.StatusServiceUnavailable, 2))
	c := newClient(t, fastConfig(baseURL))
	body := []byte(`{"name":"x","n":12345678901234567890}`)
	if _, _, err := c.ReplaceDocument(context.Background(), tenantDoc, body); err != nil {
		t.Fatalf("ReplaceDocument: %v", err)
	}
	requests := srv.Requests()
	if len(requests) != 3 {
		t.Fatalf("the mock got %d requests; want 3", len(requests))
	}
	for i, r := range requests {
		if string(r.Body) != string(body) {
			t.Errorf("attempt %d sent %q; want %q", i+1, r.Body, body)
		}
	}
}

func TestBackoff_exponentialWithJitter(t *testing.T) {
	t.Parallel()
	c := newClient(t, Config{BaseURL: "https://api.example.test", APIKey: testKey, RetryWaitMin: 100 * time.Millisecond, RetryWaitMax: time.Second})
	wantsMillis := []int{100, 200, 400, 800, 1000, 1000, 1000}
	for i, millis := range wantsMillis {
		want := time.Duration(millis) * time.Millisecond
		seen := map[time.Duration]bool{}
		for range 50 {
			wait, fromHeader := c.backoff(i+1, attemptResult{status: http.StatusServiceUnavailable, header: http.Header{}})
			if fromHeader {
				t.Fatalf("backoff used a Retry-After header that is not there")
			}
			if wait < want/2 || wait > want {
				t.Errorf("backoff after attempt %d = %s; want between %s and %s", i+1, wait, want/2, want)
			}
			seen[wait] = true
		}
		if len(seen) < 5 {
			t.Errorf("backoff after attempt %d took only %d distinct values in 50 draws; want jitter", i+1, len(seen))
		}
	}
	// A huge attempt number must not overflow.
	if wait, _ := c.backoff(1000, attemptResult{}); wait < 500*time.Millisecond || wait > time.Second {
		t.Errorf("backoff after attempt 1000 = %s; want between 500ms and 1s", wait)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	limit := time.Minute
	cases := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 12 ", 12 * time.Second, true},
		{"3600", limit, true},
		{"99999999999999999999999", limit, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second, true},  // IMF-fixdate
		{"Sunday, 01-Mar-26 12:00:45 GMT", 45 * time.Second, true}, // RFC 850
		{"Sun Mar  1 12:00:05 2026", 5 * time.Second, true},        // asctime
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},                 // in the past
		{"Mon, 01 Mar 2027 12:00:00 GMT", limit, true},             // far ahead
		{"2026-03-01T12:00:30Z", 0, false},                         // not an HTTP date
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.value, now, limit)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %t; want %s, %t", tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

// TestRetryAfter_honouredOnEveryRetryableStatus checks the wait between two attempts
// when the server sends Retry-After in seconds, for each retryable status.
func TestRetryAfter_honouredOnEveryRetryableStatus(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			srv := newScriptedServer(t, status(code, `{}`, "Retry-After", "1"), ok(`{}`))
			cfg := fastConfig(srv.URL)
			cfg.RetryWaitMax = 5 * time.Second
			c := newClient(t, cfg)
			if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
				t.Fatalf("GetDocument: %v", err)
			}
			if gap := srv.gap(0); gap < time.Second || gap > 3*time.Second {
				t.Errorf("the retry came %s after the %d with Retry-After: 1; want about 1s", gap, code)
			}
		})
	}
}

func TestRetryAfter_httpDate(t *testing.T) {
	t.Parallel()
	var retryAt time.Time
	srv := newScriptedServer(t,
		func(w http.ResponseWriter, r *http.Request) {
			// Two seconds ahead, so that the date, which has whole seconds, is at least
			// one second away.
			retryAt = time.Now().Add(2 * time.Second).Truncate(time.Second)
			status(http.StatusTooManyRequests, `{"code":"TooManyRequests","message":"slow down"}`, "Retry-After", retryAt.UTC().Format(http.TimeFormat))(w, r)
		},
		ok(`{}`))
	cfg := fastConfig(srv.URL)
	cfg.RetryWaitMax = 10 * time.Second
	c := newClient(t, cfg)
	if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
		t.Fatalf("GetDocument: %v", err)
	}
	if gap := srv.gap(0); gap < time.Second || gap > 4*time.Second {
		t.Errorf("the retry came %s after a Retry-After date 1 to 2 seconds ahead", gap)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.arrivals[1].Before(retryAt.Add(-50 * time.Millisecond)) {
		t.Errorf("the retry came at %s, before the Retry-After date %s", srv.arrivals[1], retryAt)
	}
}

func TestRetryAfter_cappedAtMaxWait(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, status(http.StatusTooManyRequests, `{}`, "Retry-After", "3600"), ok(`{}`))
	cfg := fastConfig(srv.URL)
	cfg.RetryWaitMax = 100 * time.Millisecond
	c := newClient(t, cfg)
	start := time.Now()
	if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
		t.Fatalf("GetDocument: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("the request took %s; Retry-After: 3600 should be capped at retry_wait_max (100ms)", elapsed)
	}
	if gap := srv.gap(0); gap < 100*time.Millisecond {
		t.Errorf("the retry came %s after the 429; want the capped wait of 100ms", gap)
	}
}
