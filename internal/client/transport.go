package client

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// requestState follows one logical request across its attempts.
type requestState struct {
	attempts atomic.Int32
}

type requestStateKey struct{}

func withRequestState(ctx context.Context) (context.Context, *requestState) {
	state := &requestState{}
	return context.WithValue(ctx, requestStateKey{}, state), state
}

// loggingTransport applies the client-side rate limit and logs each attempt at DEBUG:
// method, path, attempt, status and duration. It never logs headers, so the
// Authorization header cannot reach the log.
type loggingTransport struct {
	next    http.RoundTripper
	limiter *rate.Limiter
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if t.limiter != nil {
		if err := t.limiter.Wait(ctx); err != nil {
			return nil, err
		}
	}

	attempt := int32(1)
	if state, ok := ctx.Value(requestStateKey{}).(*requestState); ok {
		attempt = state.attempts.Add(1)
	}

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	if !tflog.IsDebug(ctx) {
		return resp, err
	}

	fields := map[string]any{
		"http_method": req.Method,
		"http_path":   req.URL.EscapedPath(),
		"attempt":     attempt,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
		tflog.Debug(ctx, "Crescendo API request failed", fields)
		return resp, err
	}
	fields["http_status"] = resp.StatusCode
	tflog.Debug(ctx, "Crescendo API request", fields)
	return resp, err
}

// jitter returns a random duration in [0, d].
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}
