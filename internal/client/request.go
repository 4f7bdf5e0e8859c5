package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxTimedOutAttempts is how many attempts of one request may time out before the
// request fails, whatever max_retries allows. A second attempt on a fresh connection
// gets past a connection that a gateway or NAT silently dropped; after that, the server
// itself is slow, and waiting request_timeout again for every remaining retry would only
// stretch a hung run.
const maxTimedOutAttempts = 2

// errAttemptTimeout is the cause of an attempt's context when request_timeout ends it.
var errAttemptTimeout = errors.New("request timeout")

// attemptResult is the outcome of one attempt: a response read in full, or err.
type attemptResult struct {
	status int // 0 when no response arrived
	header http.Header
	body   []byte
	err    error
}

// do sends one request, retrying as needed, and returns the status and body of a
// response whose status is one of expected. Any other status becomes an *APIError; a
// request without a usable response becomes a *RequestError. Both say how many
// attempts were made.
//
// Connection errors, cut-short responses and the statuses 429, 502, 503 and 504 are
// retried up to maxRetries times, with exponential backoff and jitter, or after the
// server's Retry-After, capped at retryWaitMax. Other statuses are never retried. Every
// attempt waits for the rate limit first and then has requestTimeout to complete. The
// context bounds everything: cancelling it stops a request, a rate-limit wait or a wait
// between attempts at once.
func (c *Client) do(ctx context.Context, method, path string, body []byte, expected ...int) (int, []byte, error) {
	ctx = tflog.MaskLogStrings(ctx, c.apiKey)
	start := time.Now()

	if body != nil && tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "Crescendo API request body", bodyFields(method, path, 0, body))
	}

	var (
		res        attemptResult
		attempts   int
		timeouts   int
		lastStatus int
	)
	for {
		if err := c.waitForRateLimit(ctx); err != nil {
			return 0, nil, c.requestError(method, path, attempts, lastStatus, start, err)
		}
		attempts++
		res = c.attempt(ctx, method, path, body, attempts)
		if res.status != 0 {
			lastStatus = res.status
		}
		if err := ctx.Err(); err != nil && res.err != nil {
			// Cancelled (an interrupt) or out of the operation's time: say so first, and
			// keep what the attempt saw. A response that arrived in full still counts.
			if !errors.Is(res.err, err) {
				err = fmt.Errorf("%w (%w)", err, res.err)
			}
			return 0, nil, c.requestError(method, path, attempts, lastStatus, start, err)
		}

		reason := retryReason(res)
		if reason == "" {
			break
		}
		if isAttemptTimeout(res.err) {
			timeouts++
		}
		if attempts > c.maxRetries || timeouts >= maxTimedOutAttempts {
			break
		}

		wait, fromHeader := c.backoff(attempts, res)
		tflog.Debug(ctx, "Retrying Crescendo API request", map[string]any{
			"http_method":  method,
			"http_path":    path,
			"attempt":      attempts,
			"reason":       reason,
			"wait_ms":      wait.Milliseconds(),
			"retry_after":  fromHeader,
			"next_attempt": attempts + 1,
			"max_attempts": c.maxRetries + 1,
		})
		if err := sleep(ctx, wait); err != nil {
			return 0, nil, c.requestError(method, path, attempts, lastStatus, start, fmt.Errorf("%w while waiting %s to retry after %s", err, wait.Round(time.Millisecond), reason))
		}
	}

	if res.err != nil {
		return 0, nil, c.requestError(method, path, attempts, lastStatus, start, res.err)
	}
	if tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "Crescendo API response body", bodyFields(method, path, res.status, res.body))
	}
	for _, status := range expected {
		if res.status == status {
			return res.status, res.body, nil
		}
	}
	apiErr := newAPIError(method, path, res.status, c.redact(res.body), attempts)
	apiErr.Elapsed = time.Since(start)
	return res.status, nil, apiErr
}

// attempt sends the request once and reads the whole response, within requestTimeout.
func (c *Client) attempt(ctx context.Context, method, path string, body []byte, attempt int) attemptResult {
	attemptCtx, cancel := context.WithTimeoutCause(ctx, c.requestTimeout, errAttemptTimeout)
	defer cancel()
	attemptCtx = withAttempt(attemptCtx, attempt)

	var reqBody io.Reader
	if body != nil {
		reqBody = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(attemptCtx, method, c.baseURL+path, reqBody)
	if err != nil {
		return attemptResult{err: &permanentError{err}}
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	start := time.Now()
	logFields := func() map[string]any {
		return map[string]any{
			"http_method": method,
			"http_path":   path,
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
		}
	}

	resp, err := c.http.Do(req)
	if err != nil {
		err = c.attemptError(ctx, attemptCtx, err)
		fields := logFields()
		fields["error"] = err.Error()
		tflog.Debug(ctx, "Crescendo API request failed", fields)
		return attemptResult{err: err}
	}
	defer resp.Body.Close()

	limit := c.maxResponseBytes
	if resp.StatusCode >= 400 {
		limit = min(limit, maxErrorBodyBytes)
	}
	data, err := readBody(resp.Body, limit, resp.StatusCode < 400)
	fields := logFields()
	fields["http_status"] = resp.StatusCode
	fields["response_bytes"] = len(data)
	if err != nil {
		err = c.attemptError(ctx, attemptCtx, err)
		fields["error"] = err.Error()
		tflog.Debug(ctx, "Crescendo API response unreadable", fields)
		return attemptResult{status: resp.StatusCode, header: resp.Header, err: err}
	}
	tflog.Debug(ctx, "Crescendo API request", fields)
	return attemptResult{status: resp.StatusCode, header: resp.Header, body: data}
}

// attemptError replaces the error of an attempt that request_timeout ended with an
// *AttemptTimeoutError. Errors after the caller's context ended are left alone; do
// reports them as a cancellation or an operation timeout.
func (c *Client) attemptError(ctx, attemptCtx context.Context, err error) error {
	if ctx.Err() == nil && errors.Is(context.Cause(attemptCtx), errAttemptTimeout) {
		return &AttemptTimeoutError{Limit: c.requestTimeout, Err: err}
	}
	return err
}

// retryReason returns why the attempt should be retried, or "" when it should not.
func retryReason(res attemptResult) string {
	if res.err != nil {
		if !isTransient(res.err) {
			return ""
		}
		if isAttemptTimeout(res.err) {
			return "timeout"
		}
		return "connection error"
	}
	switch res.status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return fmt.Sprintf("HTTP %d", res.status)
	}
	return ""
}

// isTransient reports whether an attempt that failed with err may succeed when tried
// again: dropped, refused and reset connections, responses cut short and timeouts.
// Certificate problems, unknown hosts, redirect refusals and oversized responses are
// permanent.
func isTransient(err error) bool {
	var permanent *permanentError
	if errors.As(err, &permanent) {
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuthority) || errors.As(err, &hostnameErr) ||
		errors.As(err, &invalidCert) || errors.As(err, &recordErr) {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return false
	}
	return true
}

func isAttemptTimeout(err error) bool {
	var timeout *AttemptTimeoutError
	return errors.As(err, &timeout)
}

// backoff returns how long to wait after the given attempt (1 for the first). A
// Retry-After header, in seconds or as an HTTP date, on any retryable status wins,
// with up to a tenth added so that parallel requests told the same time do not all
// return at once. Otherwise the wait doubles from retryWaitMin with each attempt,
// and half of it is random ("equal jitter"). Either way it never exceeds retryWaitMax.
func (c *Client) backoff(attempt int, res attemptResult) (time.Duration, bool) {
	if res.err == nil {
		if wait, ok := parseRetryAfter(res.header.Get("Retry-After"), time.Now(), c.retryWaitMax); ok {
			return min(wait+jitter(wait/10), c.retryWaitMax), true
		}
	}
	wait := c.retryWaitMin
	for i := 1; i < attempt && wait < c.retryWaitMax; i++ {
		wait *= 2
	}
	wait = min(wait, c.retryWaitMax)
	return wait/2 + jitter(wait/2), false
}

// parseRetryAfter parses a Retry-After value: a number of seconds or an HTTP date
// (RFC 9110, section 10.2.3). A date in the past means no wait. Values above limit are
// returned as limit, so absurd values cannot overflow.
func parseRetryAfter(value string, now time.Time, limit time.Duration) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseUint(value, 10, 64); err == nil {
		if seconds > uint64(limit/time.Second) {
			return limit, true
		}
		return time.Duration(seconds) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) {
		return limit, true
	}
	if date, err := http.ParseTime(value); err == nil {
		return min(max(date.Sub(now), 0), limit), true
	}
	return 0, false
}

// waitForRateLimit waits until the rate limit lets one more request through.
func (c *Client) waitForRateLimit(ctx context.Context) error {
	if c.limiter == nil {
		return nil
	}
	reservation := c.limiter.Reserve()
	delay := reservation.Delay()
	if delay <= 0 {
		return nil
	}
	tflog.Trace(ctx, "Waiting for the client-side rate limit", map[string]any{"wait_ms": delay.Milliseconds()})
	if err := sleep(ctx, delay); err != nil {
		reservation.Cancel()
		return fmt.Errorf("%w while waiting for the rate_limit", err)
	}
	return nil
}

// sleep waits for d, or returns the context's error when it ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// readBody reads body up to limit bytes. With strict, a longer body is a permanent
// error; otherwise, for error responses of which only the start matters, it is cut.
func readBody(body io.Reader, limit int64, strict bool) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response body failed after %d bytes: %w", len(data), err)
	}
	if int64(len(data)) > limit {
		if !strict {
			return data[:limit], nil
		}
		return nil, &permanentError{fmt.Errorf("the response body is larger than the limit of %s", formatBytes(limit))}
	}
	return data, nil
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// requestError builds the error of a request that got no usable response.
func (c *Client) requestError(method, path string, attempts, lastStatus int, start time.Time, err error) *RequestError {
	return &RequestError{
		Method:     method,
		Path:       path,
		Attempts:   attempts,
		LastStatus: lastStatus,
		Elapsed:    time.Since(start),
		Err:        err,
	}
}

// redact removes the API key from text that came from the server, in case a gateway
// or a misbehaving server echoes the request's headers in an error page.
func (c *Client) redact(data []byte) []byte {
	if c.apiKey == "" || !bytes.Contains(data, []byte(c.apiKey)) {
		return data
	}
	return bytes.ReplaceAll(data, []byte(c.apiKey), []byte(redacted))
}

// maxLoggedBodyBytes bounds how much of a body one TRACE entry carries. The provider
// emits every level and Terraform filters, but Terraform passes a log line longer than
// 64 KiB through unparsed at DEBUG, so a whole large document would land in a DEBUG
// log. 8 KiB stays under that limit even if JSON escaping multiplies it by six.
const maxLoggedBodyBytes = 8 << 10

// bodyFields returns the log fields for a request or response body, cut at
// maxLoggedBodyBytes.
func bodyFields(method, path string, status int, body []byte) map[string]any {
	fields := map[string]any{"http_method": method, "http_path": path, "body_bytes": len(body)}
	if status != 0 {
		fields["http_status"] = status
	}
	if len(body) > maxLoggedBodyBytes {
		fields["body"] = cut(strings.ToValidUTF8(string(body[:maxLoggedBodyBytes+1]), "\uFFFD"), maxLoggedBodyBytes)
		fields["body_truncated"] = true
	} else {
		fields["body"] = string(body)
	}
	return fields
}

// permanentError marks a failure that retrying cannot fix, such as an oversized body.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }
