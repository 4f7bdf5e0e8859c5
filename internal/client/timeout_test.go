package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// TestTimeout_slowServer checks that request_timeout ends an attempt that gets no
// response, that such an attempt is retried once on a fresh connection and no more, and
// that the error states how long each attempt and the whole request took.
func TestTimeout_slowServer(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, stall)
	cfg := fastConfig(srv.URL)
	cfg.RequestTimeout = 200 * time.Millisecond
	cfg.MaxRetries = 4
	c := newClient(t, cfg)

	start := time.Now()
	_, err := c.GetDocument(context.Background(), tenantDoc)
	elapsed := time.Since(start)

	var timeoutErr *AttemptTimeoutError
	var reqErr *RequestError
	if !errors.As(err, &timeoutErr) || !errors.As(err, &reqErr) {
		t.Fatalf("GetDocument returned %v; want a *RequestError wrapping an *AttemptTimeoutError", err)
	}
	if reqErr.Attempts != maxTimedOutAttempts || srv.requests() != maxTimedOutAttempts {
		t.Errorf("attempts = %d, server requests = %d; want %d: a timed-out attempt is retried once", reqErr.Attempts, srv.requests(), maxTimedOutAttempts)
	}
	if elapsed < 400*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("the request took %s; want about two request timeouts of 200ms", elapsed)
	}
	errorContains(t, err, "failed after 2 attempts over", "no complete response within the request timeout of 200ms")
	if errors.Is(err, context.DeadlineExceeded) && !timeoutErr.Timeout() {
		t.Errorf("the attempt timeout does not report Timeout()")
	}
}

func TestTimeout_oneSlowAttemptIsRetried(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, stall, ok(`{"a":1}`))
	cfg := fastConfig(srv.URL)
	cfg.RequestTimeout = 200 * time.Millisecond
	c := newClient(t, cfg)
	if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
		t.Fatalf("GetDocument: %v", err)
	}
}

// TestTimeout_coversBodyRead checks that a server that sends headers and then stalls
// in the body is cut off by request_timeout too.
func TestTimeout_coversBodyRead(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"a":`))
		_ = http.NewResponseController(w).Flush()
		stall(w, r)
	})
	cfg := fastConfig(srv.URL)
	cfg.RequestTimeout = 200 * time.Millisecond
	cfg.MaxRetries = 0
	c := newClient(t, cfg)
	start := time.Now()
	_, err := c.GetDocument(context.Background(), tenantDoc)
	errorContains(t, err, "no complete response within the request timeout of 200ms")
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("the request took %s; want about 200ms", elapsed)
	}
}

// TestTimeout_operationDeadline checks that the caller's deadline (the resource's
// timeouts block) ends a request even when request_timeout is longer.
func TestTimeout_operationDeadline(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, stall)
	cfg := fastConfig(srv.URL)
	cfg.RequestTimeout = time.Minute
	c := newClient(t, cfg)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetDocument(ctx, tenantDoc)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("GetDocument returned %v; want context.DeadlineExceeded", err)
	}
	var timeoutErr *AttemptTimeoutError
	if errors.As(err, &timeoutErr) {
		t.Errorf("the operation deadline was reported as a request_timeout: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("the request took %s after a 300ms deadline", elapsed)
	}
}

func TestCancel_inFlightRequest(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, stall)
	cfg := fastConfig(srv.URL)
	cfg.RequestTimeout = time.Minute
	c := newClient(t, cfg)
	err := assertCancelledPromptly(t, c, func() bool { return srv.requests() == 1 })
	if !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("error %q does not say the request was cancelled", err)
	}
}

func TestCancel_backoffWait(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, status(http.StatusServiceUnavailable, `{}`, "Retry-After", "60"))
	cfg := fastConfig(srv.URL)
	cfg.RetryWaitMax = 2 * time.Minute
	c := newClient(t, cfg)
	err := assertCancelledPromptly(t, c, func() bool { return srv.requests() == 1 })
	errorContains(t, err, "while waiting 1m", "to retry after HTTP 503")
	if n := srv.requests(); n != 1 {
		t.Errorf("the server got %d requests; want 1", n)
	}
}

func TestCancel_rateLimitWait(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, ok(`{}`))
	cfg := fastConfig(srv.URL)
	cfg.RateLimit = 0.01 // one request now, the next in 100 seconds
	c := newClient(t, cfg)
	if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
		t.Fatalf("first GetDocument: %v", err)
	}
	err := assertCancelledPromptly(t, c, func() bool { return true })
	errorContains(t, err, "while waiting for the rate_limit")
	var reqErr *RequestError
	if errors.As(err, &reqErr) && reqErr.Attempts != 0 {
		t.Errorf("attempts = %d; want 0 for a request cancelled before it was sent", reqErr.Attempts)
	}
	// The cancelled request gave its slot back, so the limiter is not left in debt.
	if tokens := c.limiter.Tokens(); tokens < -0.5 {
		t.Errorf("the limiter has %g tokens after a cancelled wait; the reservation was not cancelled", tokens)
	}
}

// assertCancelledPromptly starts a GetDocument, cancels it once started() is true and
// checks that it returns context.Canceled within a moment.
func assertCancelledPromptly(t *testing.T, c *Client, started func() bool) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.GetDocument(ctx, tenantDoc)
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !started() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	cancelledAt := time.Now()
	cancel()
	select {
	case err := <-done:
		if since := time.Since(cancelledAt); since > time.Second {
			t.Errorf("the request returned %s after cancellation; want promptly", since)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("GetDocument returned %v; want context.Canceled", err)
		}
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the request did not return within 10s of cancellation")
		return nil
	}
}

// TestRateLimit_sharedAndPaced checks that the limit applies across goroutines and
// that waiting for it does not count against request_timeout: with 2 requests per
// second, 8 parallel requests queue for 3 seconds, far longer than the 500ms timeout.
func TestRateLimit_sharedAndPaced(t *testing.T) {
	t.Parallel()
	srv := newScriptedServer(t, ok(`{}`))
	cfg := fastConfig(srv.URL)
	cfg.RateLimit = 2
	cfg.RequestTimeout = 500 * time.Millisecond
	cfg.MaxRetries = 0
	c := newClient(t, cfg)

	start := time.Now()
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 8 {
		wg.Go(func() {
			if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
				failures.Add(1)
				t.Errorf("GetDocument: %v", err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failures.Load() > 0 {
		return
	}
	// A burst of 2, then 6 more at 2 per second.
	if elapsed < 2700*time.Millisecond {
		t.Errorf("8 requests at rate_limit 2 took %s; want at least 3s", elapsed)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	first, last := srv.arrivals[0], srv.arrivals[len(srv.arrivals)-1]
	if span := last.Sub(first); span < 2700*time.Millisecond {
		t.Errorf("the server saw 8 requests within %s; want them spread over 3s", span)
	}
}

// TestParallel_noGlobalLockAndKeepAlive checks that parallel requests run at the same
// time and reuse a small set of keep-alive connections.
func TestParallel_noGlobalLockAndKeepAlive(t *testing.T) {
	t.Parallel()
	var inFlight, maxInFlight atomic.Int32
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		_, _ = w.Write([]byte(`{}`))
	})
	var newConns atomic.Int32
	_, baseURL := startHTTPServer(t, handler, false, func(s *http.Server) {
		s.ConnState = func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				newConns.Add(1)
			}
		}
	})
	c := newClient(t, fastConfig(baseURL))

	const workers, perWorker = 10, 10
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil {
					t.Errorf("GetDocument: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := maxInFlight.Load(); got < workers/2 {
		t.Errorf("at most %d requests ran at once; want up to %d in parallel", got, workers)
	}
	// Without keep-alive every request would open a connection. With it, each worker
	// mostly reuses one; a few more open when a request starts before the previous
	// connection is back in the pool.
	if got := newConns.Load(); got > 3*workers {
		t.Errorf("%d requests opened %d connections; want about %d reused keep-alive connections", workers*perWorker, got, workers)
	}
}

func TestTimeout_mockDelayFault(t *testing.T) {
	t.Parallel()
	srv, baseURL := newMock(t)
	srv.AddFault(mockapi.Fault{Delay: time.Minute, Times: 1})
	cfg := fastConfig(baseURL)
	cfg.RequestTimeout = 300 * time.Millisecond
	c := newClient(t, cfg)
	// The first attempt hits the delay and times out; the second is served.
	_, created, err := c.ReplaceDocument(context.Background(), tenantDoc, []byte(`{"a":1}`))
	if err != nil || !created {
		t.Fatalf("ReplaceDocument = created %t, %v; want a created document", created, err)
	}
}

func TestRateLimit_waitPastDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	srv, baseURL := newMock(t)
	cfg := fastConfig(baseURL)
	cfg.RateLimit = 0.001 // one request, then one every 1000 seconds
	c := newClient(t, cfg)

	if _, err := c.GetDocument(context.Background(), tenantDoc); err != nil && !IsNotFound(err) {
		t.Fatalf("first request: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := c.GetDocument(ctx, tenantDoc)
	if err == nil {
		t.Fatal("the second request succeeded; want an error from the rate limit")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("the request failed after %s; want at once, because the wait exceeds the deadline", elapsed)
	}
	if !strings.Contains(err.Error(), "would delay this request") || !strings.Contains(err.Error(), "raise rate_limit") {
		t.Errorf("error %q does not explain the rate limit and the fix", err)
	}
	if got := srv.RequestCount(); got != 1 {
		t.Errorf("the mock received %d requests; want 1, the first", got)
	}
}
