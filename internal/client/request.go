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
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxTimedOutAttempts is how many attempts of one request may time out before the
// request fails, whatever max_retries allows. A second attempt on a fresh connection
// gets past a connection that a gateway or NAT silently dropped. After that the server
// itself is slow, so waiting request_timeout again for every remaining retry would only
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

// requestState follows one request across its attempts. go-retryablehttp runs the
// attempts of a request one after another, so the fields need no lock.
type requestState struct {
	attempts   int
	timeouts   int
	lastStatus int
	lastErr    error

	// The reason for retrying the last attempt and the wait before the next one, for
	// the log line of the next attempt. waiting is true during that wait.
	retryReason string
	retryWait   time.Duration
	retryAfter  bool
	waiting     bool
}

type requestStateKey struct{}

func requestStateFrom(ctx context.Context) *requestState {
	state, _ := ctx.Value(requestStateKey{}).(*requestState)
	return state
}

// attemptFrom returns the number of the attempt under way, for the log.
func attemptFrom(ctx context.Context) int {
	if state := requestStateFrom(ctx); state != nil {
		return state.attempts
	}
	return 0
}

// do sends one request, retrying as needed, and returns the status and body of a
// response whose status is one of expected. Any other status becomes an *APIError, and a
// request without a usable response becomes a *RequestError. Both record how many
// attempts were made.
//
// go-retryablehttp runs the attempts. Connection errors, cut-short responses and the
// statuses 429, 502, 503 and 504 are retried up to maxRetries times, with exponential
// backoff and jitter, or after the server's Retry-After, capped at retryWaitMax. Other
// statuses are never retried. Every attempt waits for the rate limit first and then
// has requestTimeout to complete (see attemptTransport). The context bounds
// everything: cancelling it stops a request, a rate-limit wait or a wait between
// attempts at once.
func (c *Client) do(ctx context.Context, method, path string, body []byte, expected ...int) (int, []byte, error) {
	ctx = tflog.MaskLogStrings(ctx, c.apiKey)
	start := time.Now()
	state := &requestState{}
	ctx = context.WithValue(ctx, requestStateKey{}, state)

	if body != nil && tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "Crescendo API request body", bodyFields(method, path, 0, body))
	}

	var reqBody any
	if body != nil {
		reqBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.baseURL+path, reqBody)
	if err != nil {
		return 0, nil, c.requestError(method, path, 0, 0, start, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	// The response handler runs for a response that is not retried for its status. It
	// reads the body inside the attempt, so a body cut short is retried like a dropped
	// connection.
	var res attemptResult
	req.SetResponseHandler(func(resp *http.Response) error {
		data, err := c.readResponse(ctx, resp)
		if err != nil {
			return err
		}
		res = attemptResult{status: resp.StatusCode, header: resp.Header, body: data}
		return nil
	})

	resp, err := c.retryingClient(state).Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			// Cancelled (an interrupt) or out of the operation's time: report that first, and
			// keep what the last attempt saw.
			// net/http's *url.Error only repeats the method and URL, which the
			// RequestError states already.
			var urlErr *url.Error
			if errors.As(state.lastErr, &urlErr) {
				state.lastErr = urlErr.Err
			}
			if state.waiting {
				err = fmt.Errorf("%w while waiting %s to retry after %s", ctxErr, state.retryWait.Round(time.Millisecond), state.retryReason)
			} else if state.lastErr != nil && errors.Is(state.lastErr, ctxErr) {
				err = state.lastErr
			} else if state.lastErr != nil {
				err = fmt.Errorf("%w (%w)", ctxErr, state.lastErr)
			} else {
				err = ctxErr
			}
		} else if state.lastErr != nil {
			err = state.lastErr
		}
		return 0, nil, c.requestError(method, path, state.attempts, state.lastStatus, start, err)
	}
	if res.header == nil {
		// Retries ran out on a retryable status, whose response the handler did not see.
		data, err := c.readResponse(ctx, resp)
		if err != nil {
			return 0, nil, c.requestError(method, path, state.attempts, state.lastStatus, start, err)
		}
		res = attemptResult{status: resp.StatusCode, header: resp.Header, body: data}
	}

	if tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "Crescendo API response body", bodyFields(method, path, res.status, res.body))
	}
	for _, status := range expected {
		if res.status == status {
			return res.status, res.body, nil
		}
	}
	apiErr := newAPIError(method, path, res.status, c.redact(res.body), state.attempts)
	apiErr.Elapsed = time.Since(start)
	return res.status, nil, apiErr
}

// retryingClient returns the go-retryablehttp client for one request. It is built per
// request, on the shared http.Client, so that its policies can record what they
// decide in state for the log and the final error.
//
// NOTE: go-retryablehttp v0.7.8 closes the shared pool's idle connections when a
// request fails for good or is cancelled, so the next requests dial again. That costs
// a connection setup per parallel request after a failure, not correctness.
func (c *Client) retryingClient(state *requestState) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   c.http,
		RetryMax:     c.maxRetries,
		RetryWaitMin: c.retryWaitMin,
		RetryWaitMax: c.retryWaitMax,
		// Logger is nil because attemptTransport and RequestLogHook log through tflog
		// with the request's context, which the library's logger interface cannot carry.
		Logger: nil,
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, retry int) {
			state.waiting = false
			if retry == 0 {
				return
			}
			tflog.Debug(req.Context(), "Retrying Crescendo API request", map[string]any{
				"http_method":  req.Method,
				"http_path":    req.URL.EscapedPath(),
				"attempt":      retry,
				"reason":       state.retryReason,
				"wait_ms":      state.retryWait.Milliseconds(),
				"retry_after":  state.retryAfter,
				"next_attempt": retry + 1,
				"max_attempts": c.maxRetries + 1,
			})
		},
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			result := attemptResult{err: err}
			if err == nil {
				result = attemptResult{status: resp.StatusCode, header: resp.Header}
				state.lastStatus = resp.StatusCode
			}
			state.lastErr = err
			if ctxErr := ctx.Err(); ctxErr != nil {
				return false, ctxErr
			}
			reason := retryReason(result)
			if reason == "" {
				return false, err
			}
			if isAttemptTimeout(err) {
				state.timeouts++
				if state.timeouts >= maxTimedOutAttempts {
					return false, err
				}
			}
			state.retryReason = reason
			return true, nil
		},
		Backoff: func(_, _ time.Duration, retry int, resp *http.Response) time.Duration {
			result := attemptResult{err: state.lastErr}
			if resp != nil {
				result = attemptResult{status: resp.StatusCode, header: resp.Header}
			}
			state.retryWait, state.retryAfter = c.backoff(retry+1, result)
			state.waiting = true
			return state.retryWait
		},
		ErrorHandler: passLastResponse,
	}
}

// passLastResponse returns the last response when retries run out on a retryable
// status, so that the caller can report the status and the API's message.
func passLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	return resp, nil
}

// readResponse reads and closes the body of resp, and logs the attempt's outcome.
func (c *Client) readResponse(ctx context.Context, resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	limit := c.maxResponseBytes
	if resp.StatusCode >= 400 {
		limit = min(limit, maxErrorBodyBytes)
	}
	data, err := readBody(resp.Body, limit, resp.StatusCode < 400)
	if err != nil && tflog.IsDebug(ctx) {
		tflog.Debug(ctx, "Crescendo API response unreadable", map[string]any{
			"http_method": resp.Request.Method,
			"http_path":   resp.Request.URL.EscapedPath(),
			"http_status": resp.StatusCode,
			"attempt":     attemptFrom(ctx),
			"error":       err.Error(),
		})
	}
	return data, err
}

// attemptTransport waits for the client-side rate limit, then gives the attempt
// requestTimeout to complete, until its response body is closed. Waiting for the rate
// limit is outside the timeout, so a long queue in a large apply does not fail
// requests. It logs each attempt at DEBUG: method, path, attempt, status and duration.
type attemptTransport struct {
	client *Client
	next   http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := t.client.waitForRateLimit(ctx); err != nil {
		return nil, err
	}

	if state := requestStateFrom(ctx); state != nil && req.Response == nil {
		// A request that follows a redirect carries that Response and is no new attempt.
		state.attempts++
	}

	attemptCtx, cancel := context.WithTimeoutCause(ctx, t.client.requestTimeout, errAttemptTimeout)
	start := time.Now()
	resp, err := t.next.RoundTrip(req.WithContext(attemptCtx))
	if err != nil {
		cancel()
		err = t.client.attemptError(ctx, attemptCtx, err)
		if tflog.IsDebug(ctx) {
			tflog.Debug(ctx, "Crescendo API request failed", map[string]any{
				"http_method": req.Method,
				"http_path":   req.URL.EscapedPath(),
				"attempt":     attemptFrom(ctx),
				"duration_ms": time.Since(start).Milliseconds(),
				"error":       err.Error(),
			})
		}
		return nil, err
	}
	if tflog.IsDebug(ctx) {
		tflog.Debug(ctx, "Crescendo API request", map[string]any{
			"http_method": req.Method,
			"http_path":   req.URL.EscapedPath(),
			"attempt":     attemptFrom(ctx),
			"http_status": resp.StatusCode,
			"duration_ms": time.Since(start).Milliseconds(),
		})
	}
	resp.Body = &attemptBody{ReadCloser: resp.Body, client: t.client, ctx: ctx, attemptCtx: attemptCtx, cancel: cancel}
	return resp, nil
}

// attemptBody ends the attempt's timeout when the body is closed, and reports a read
// that the timeout cut short as an *AttemptTimeoutError.
type attemptBody struct {
	io.ReadCloser
	client     *Client
	ctx        context.Context
	attemptCtx context.Context
	cancel     context.CancelFunc
}

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = b.client.attemptError(b.ctx, b.attemptCtx, err)
	}
	return n, err
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
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
// with up to a tenth added so that parallel requests given the same time do not all
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
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
		// Waiting would only end in a timeout, so fail now and explain why.
		reservation.Cancel()
		return &permanentError{fmt.Errorf("the rate_limit of %g requests per second would delay this request by %s, past the operation's timeout; raise rate_limit or the timeout", float64(c.limiter.Limit()), delay.Round(time.Millisecond))}
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
