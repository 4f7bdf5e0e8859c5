// Package client is the HTTP client for the provisioning part of the Crescendo Platform
// API. It owns authentication, retries, timeouts, rate limiting, TLS and request
// logging, and has no dependency on Terraform schemas.
package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"
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

	// maxErrorBodyBytes caps how much of an error response (status 400 or above) is
	// read: only its JSON message or an excerpt is used, so a gateway's large error
	// page is cut rather than rejected.
	maxErrorBodyBytes = 1 << 20

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

	// RequestTimeout bounds one attempt of one request, from sending it to reading the
	// whole response. Waiting for the rate limit and between attempts is not included.
	RequestTimeout time.Duration

	// RateLimit is the maximum number of requests per second across every caller of this
	// Client, retries included; 0 means no limit.
	RateLimit float64

	// CACertificatePEM adds certificates to the system pool for verifying the server.
	CACertificatePEM   string
	InsecureSkipVerify bool

	// MaxResponseBytes overrides the response size limit; 0 means MaxResponseBytes.
	MaxResponseBytes int64
}

// Client sends requests to the API. It is safe for concurrent use: requests run in
// parallel, share one pool of keep-alive connections and, when a rate limit is set,
// one limiter. No lock is held while a request runs.
type Client struct {
	baseURL   string
	apiKey    string
	userAgent string
	http      *http.Client
	limiter   *rate.Limiter

	maxRetries       int
	retryWaitMin     time.Duration
	retryWaitMax     time.Duration
	requestTimeout   time.Duration
	maxResponseBytes int64
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
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("base URL %q must not have a query or fragment", raw)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return "", fmt.Errorf("base URL %q uses plain http to a host that is not a loopback address, which would send the API key across the network in clear text; use https://%s%s (plain http is accepted only for localhost, 127.0.0.0/8 and [::1])", raw, u.Host, u.EscapedPath())
	}
	if prefix, found := strings.CutSuffix(strings.TrimRight(u.Path, "/"), apiPrefix); found {
		fixed := *u
		fixed.Path, fixed.RawPath = prefix, ""
		return "", fmt.Errorf("base URL %q ends with %s, which the provider adds to every request itself, so requests would go to %s%s; use %s", raw, apiPrefix, apiPrefix, apiPrefix, strings.TrimRight(fixed.String(), "/"))
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// apiPrefix starts every request path; a base URL must not include it.
const apiPrefix = "/api/v1"

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
	if cfg.RateLimit < 0 {
		return nil, fmt.Errorf("rate limit is %g; it must be 0 (no limit) or more", cfg.RateLimit)
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
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = MaxResponseBytes
	}

	transport, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}

	var limiter *rate.Limiter
	if cfg.RateLimit > 0 {
		// A burst of one second's worth lets a small apply start at once while a large
		// one settles at the configured rate.
		limiter = rate.NewLimiter(rate.Limit(cfg.RateLimit), max(1, int(cfg.RateLimit)))
	}

	c := &Client{
		baseURL:          baseURL,
		apiKey:           cfg.APIKey,
		userAgent:        cfg.UserAgent,
		limiter:          limiter,
		maxRetries:       cfg.MaxRetries,
		retryWaitMin:     cfg.RetryWaitMin,
		retryWaitMax:     cfg.RetryWaitMax,
		requestTimeout:   cfg.RequestTimeout,
		maxResponseBytes: cfg.MaxResponseBytes,
	}
	c.http = &http.Client{
		Transport:     &attemptTransport{client: c, next: &loggingTransport{next: transport}},
		CheckRedirect: checkRedirect,
		// No Timeout: attemptTransport gives each attempt its own deadline, so that
		// waiting for the rate limit never counts against request_timeout.
	}
	return c, nil
}

// newTransport clones http.DefaultTransport, so the process-wide transport is never
// changed, and sizes its keep-alive pool for parallel requests. The proxy comes from
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and their lower-case forms) as they are when the
// client is created; like net/http, requests to loopback hosts never use a proxy.
func newTransport(cfg Config) (*http.Transport, error) {
	defaultTransport, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("http.DefaultTransport is a %T, not an *http.Transport, so the client cannot clone it", http.DefaultTransport)
	}
	base := defaultTransport.Clone()
	base.MaxIdleConnsPerHost = maxIdleConnsPerHost
	base.MaxIdleConns = maxIdleConnsPerHost
	base.Proxy = proxyFromEnvironment()

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
	return base, nil
}

// proxyFromEnvironment is http.ProxyFromEnvironment, except that it reads the
// environment now rather than once per process, so each configured provider (and each
// test) uses the variables in force when it was configured.
func proxyFromEnvironment() func(*http.Request) (*url.URL, error) {
	proxyFor := httpproxy.FromEnvironment().ProxyFunc()
	return func(req *http.Request) (*url.URL, error) {
		return proxyFor(req.URL)
	}
}

// checkRedirect follows at most maxRedirects redirects. It drops the Authorization
// header whenever a redirect leaves the original scheme, host or port, so the key is
// never sent to a server other than the configured one, and it refuses to follow a
// redirect from https to http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return &permanentError{fmt.Errorf("stopped after %d redirects", maxRedirects)}
	}
	previous := via[len(via)-1].URL
	if previous.Scheme == "https" && req.URL.Scheme != "https" {
		return &permanentError{fmt.Errorf("refusing to follow a redirect from https to %s://%s, which would send the request unencrypted", req.URL.Scheme, req.URL.Host)}
	}
	first := via[0].URL
	if req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
		req.Header.Del("Authorization")
	}
	return nil
}
