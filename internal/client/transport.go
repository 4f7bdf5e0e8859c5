package client

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// redacted replaces secrets in logs and errors.
const redacted = "[REDACTED]"

// sensitiveHeaders are never logged with their values.
var sensitiveHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key"}

// loggingTransport logs, at TRACE, the headers of every request and response it
// carries, redirects included, with the Authorization header and other credentials
// redacted. The caller's context also masks the key itself (tflog.MaskLogStrings), so
// the key cannot reach the log even if a server echoes it.
type loggingTransport struct {
	next http.RoundTripper
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if !tflog.IsTrace(ctx) {
		return t.next.RoundTrip(req)
	}
	tflog.Trace(ctx, "Crescendo API request headers", map[string]any{
		"http_method":  req.Method,
		"http_path":    req.URL.EscapedPath(),
		"http_host":    req.URL.Host,
		"attempt":      attemptFrom(ctx),
		"http_headers": redactHeaders(req.Header),
	})
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		tflog.Trace(ctx, "Crescendo API response headers", map[string]any{
			"http_method":  req.Method,
			"http_path":    req.URL.EscapedPath(),
			"http_status":  resp.StatusCode,
			"attempt":      attemptFrom(ctx),
			"http_headers": redactHeaders(resp.Header),
		})
	}
	return resp, err
}

// redactHeaders returns the headers as one "Name: value" string per line, sorted, with
// the values of sensitive headers replaced. The scheme of an Authorization header is
// kept ("Bearer [REDACTED]"), which helps debugging and reveals nothing.
func redactHeaders(h http.Header) string {
	clean := h.Clone()
	for _, name := range sensitiveHeaders {
		values := clean.Values(name)
		for i, v := range values {
			if scheme, _, found := strings.Cut(v, " "); found && (name == "Authorization" || name == "Proxy-Authorization") {
				values[i] = scheme + " " + redacted
			} else {
				values[i] = redacted
			}
		}
	}
	var b strings.Builder
	_ = clean.WriteSubset(&b, nil)
	return strings.TrimRight(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n")
}

// jitter returns a random duration in [0, d].
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}
