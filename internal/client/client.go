// Package client is the HTTP client for the provisioning part of the Crescendo Platform
// API. It owns authentication, retries, timeouts, rate limiting, TLS and request
// logging; it knows nothing about Terraform schemas.
package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Defaults for Config fields left at their zero value.
const (
	DefaultBaseURL        = "https://platform.crescendo.ai"
	DefaultMaxRetries     = 4
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultRequestTimeout = 30 * time.Second

	// MaxResponseBytes caps how much of a response body is read. The API documents no
	// size limit for documents; 64 MiB is far above any realistic provisioning document
	// and keeps a broken or hostile server from exhausting the provider's memory.
	MaxResponseBytes = 64 << 20

	// maxIdleConnsPerHost is sized above Terraform's default -parallelism of 10, so that
	// parallel requests reuse keep-alive connections instead of opening new ones.
	maxIdleConnsPerHost = 64
	maxRedirects        = 10
)

// Config configures a Client. BaseURL and APIKey are required.
type Config struct {
	BaseURL   string
	APIKey    string
	UserAgent string

	// MaxRetries is how many times a failed request is retried; 0 disables retries.
	MaxRetries   int
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration

	// RequestTimeout bounds one attempt of one request, including reading the body.
	RequestTimeout time.Duration

	// RateLimit is the maximum number of requests per second across every caller of this
	// Client; 0 means no limit.
	RateLimit float64

	// CACertificatePEM adds certificates to the system pool for verifying the server.
	CACertificatePEM   string
	InsecureSkipVerify bool
}

// Client sends requests to the API. It is safe for concurrent use; parallel requests
// share one pool of keep-alive connections.
type Client struct {
	baseURL   string
	apiKey    string
	userAgent string
	http      *retryablehttp.Client
}

// ParseBaseURL validates a base URL and returns it without a trailing slash. Plain http
// is accepted only for loopback hosts, because the API key would otherwise cross the
// network in clear text.
func ParseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL %q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("base URL %q must be an absolute http:// or https:// URL, such as %s", raw, DefaultBaseURL)
	}
	if u.Host == "" {
		return "", fmt.Errorf("base URL %q has no host; use an absolute URL such as %s", raw, DefaultBaseURL)
	}
	if u.User != nil {
		return "", fmt.Errorf("base URL %q must not contain user information; set the API key with api_key or CRESCENDO_API_KEY instead", redactUserInfo(u))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q must not have a query or fragment", raw)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return "", fmt.Errorf("base URL %q uses plain http to a host that is not a loopback address, which would send the API key in clear text; use https://%s%s", raw, u.Host, u.Path)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func redactUserInfo(u *url.URL) string {
	c := *u
	c.User = url.User("REDACTED")
	return c.String()
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	baseURL, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.APIKey == "" {
		return nil, errors.New("the API key is empty")
	}
	if cfg.MaxRetries < 0 {
		return nil, fmt.Errorf("max retries is %d; it must be 0 or more", cfg.MaxRetries)
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMin > cfg.RetryWaitMax {
		cfg.RetryWaitMin = cfg.RetryWaitMax
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}

	transport, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}

	retrying := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport:     transport,
			Timeout:       cfg.RequestTimeout,
			CheckRedirect: checkRedirect,
		},
		// Logger is nil because loggingTransport logs every attempt through tflog with
		// the caller's context, which the library's logger interface cannot carry.
		Logger:       nil,
		RetryMax:     cfg.MaxRetries,
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: passLastResponse,
	}

	return &Client{
		baseURL:   baseURL,
		apiKey:    cfg.APIKey,
		userAgent: cfg.UserAgent,
		http:      retrying,
	}, nil
}

// newTransport clones http.DefaultTransport, so proxy settings from HTTPS_PROXY and
// NO_PROXY apply and the process-wide transport is never changed.
func newTransport(cfg Config) (http.RoundTripper, error) {
	defaultTransport, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("http.DefaultTransport is a %T, not an *http.Transport, so the client cannot clone it", http.DefaultTransport)
	}
	base := defaultTransport.Clone()
	base.MaxIdleConnsPerHost = maxIdleConnsPerHost
	base.MaxIdleConns = maxIdleConnsPerHost

	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CACertificatePEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CACertificatePEM)) {
			return nil, errors.New("the CA certificate contains no PEM-encoded certificate; give the text of a PEM file that starts with -----BEGIN CERTIFICATE-----")
		}
		tlsConfig.RootCAs = pool
	}
	// The provider exposes this switch only with a warning, for test installations with
	// self-signed certificates.
	tlsConfig.InsecureSkipVerify = cfg.InsecureSkipVerify //nolint:gosec
	base.TLSClientConfig = tlsConfig

	var limiter *rate.Limiter
	if cfg.RateLimit > 0 {
		burst := max(1, int(cfg.RateLimit))
		limiter = rate.NewLimiter(rate.Limit(cfg.RateLimit), burst)
	}
	return &loggingTransport{next: base, limiter: limiter}, nil
}

// checkRedirect follows at most maxRedirects redirects and drops the Authorization
// header whenever a redirect leaves the original scheme and host, so the key is never
// sent to a server other than the configured one.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	first := via[0].URL
	if req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
		req.Header.Del("Authorization")
	}
	return nil
}

// checkRetry retries connection failures and the statuses that mean "try again later":
// 429, 502, 503 and 504. POST is safe to retry because it replaces the whole document.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		var permanent *permanentError
		if errors.As(err, &permanent) {
			return false, err
		}
		// Certificate, redirect and scheme errors do not go away on their own.
		var certErr *tls.CertificateVerificationError
		var unknownAuthority x509.UnknownAuthorityError
		var hostnameErr x509.HostnameError
		if errors.As(err, &certErr) || errors.As(err, &unknownAuthority) || errors.As(err, &hostnameErr) {
			return false, err
		}
		if strings.Contains(err.Error(), "stopped after") {
			return false, err
		}
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// backoff waits exponentially longer after each attempt, with jitter so that parallel
// requests do not retry in lockstep. A Retry-After header on a 429 or 503 takes
// precedence, in seconds or as an HTTP date, but never beyond the maximum wait.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.Header.Get("Retry-After") != "" {
		wait := retryablehttp.DefaultBackoff(minWait, maxWait, attempt, resp)
		return min(wait, maxWait)
	}
	wait := retryablehttp.DefaultBackoff(minWait, maxWait, attempt, nil)
	return wait/2 + jitter(wait/2)
}

// passLastResponse returns the last response when retries run out, so the caller can
// report its status and the API's message instead of a generic "giving up" error.
func passLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	return resp, nil
}

// permanentError marks a failure that retrying cannot fix, such as an oversized body.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// readBody reads at most MaxResponseBytes of body.
func readBody(body io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response body failed: %w", err)
	}
	if len(data) > MaxResponseBytes {
		return nil, &permanentError{fmt.Errorf("the response body is larger than the limit of %d MiB", MaxResponseBytes>>20)}
	}
	return data, nil
}
