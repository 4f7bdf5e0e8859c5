// Command crescendo-mock serves the mock Crescendo Platform API on a loopback
// address, for running the Terraform provider against it by hand or from
// scripts.
//
// The API key comes from the CRESCENDO_API_KEY environment variable and is
// granted provisioning:* on one tenant. The /_mock/ admin endpoints are always
// on: GET /_mock/documents, GET /_mock/stats and POST /_mock/stats/reset.
//
// Usage:
//
//	CRESCENDO_API_KEY=test-key crescendo-mock -tenant tenant-demo -addr-file /tmp/mock-url
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// shutdownTimeout is how long a stop waits for running requests.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := run(ctx, os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crescendo-mock:", err)
		os.Exit(1)
	}
}

type config struct {
	listen   string
	tenant   string
	keyName  string
	addrFile string
	latency  time.Duration
	verbose  bool
	apiKey   string
}

func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	var cfg config
	flags := flag.NewFlagSet("crescendo-mock", flag.ContinueOnError)
	flags.SetOutput(output)
	flags.StringVar(&cfg.listen, "listen", "127.0.0.1:0",
		"loopback `address` to listen on (port 0 picks a free port)")
	flags.StringVar(&cfg.tenant, "tenant", "tenant-demo",
		"tenant `ID` that the API key from CRESCENDO_API_KEY may access")
	flags.StringVar(&cfg.keyName, "key-name", "crescendo-mock-key",
		"identity `name` stored in updatedBy for writes made with the API key")
	flags.StringVar(&cfg.addrFile, "addr-file", "",
		"`file` that receives the base URL (http://127.0.0.1:PORT, no newline) once the server listens, replaced atomically")
	flags.DurationVar(&cfg.latency, "latency", 0,
		"delay added to every /api/v1 request, such as 50ms")
	flags.BoolVar(&cfg.verbose, "v", false,
		"log one line per request: method, path, status and duration")
	flags.Usage = func() {
		fmt.Fprintf(output, "Usage: CRESCENDO_API_KEY=<key> crescendo-mock [flags]\n\n"+
			"Serves a mock Crescendo Platform API on a loopback address.\n\nFlags:\n")
		flags.PrintDefaults()
	}

	if err := flags.Parse(args); err != nil {
		return config{}, err
	}
	if flags.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q, because crescendo-mock takes only flags (see -h)", flags.Arg(0))
	}
	if cfg.tenant == "" {
		return config{}, errors.New("-tenant is empty, but it must name the tenant that the API key may access")
	}
	if cfg.latency < 0 {
		return config{}, fmt.Errorf("-latency %v is negative", cfg.latency)
	}
	cfg.apiKey = getenv("CRESCENDO_API_KEY")
	if cfg.apiKey == "" {
		return config{}, errors.New("CRESCENDO_API_KEY is not set. Set it to the API key that clients will send, for example CRESCENDO_API_KEY=test-key")
	}
	return cfg, nil
}

// run serves until ctx ends, then shuts the server down. It returns
// flag.ErrHelp after printing the help for -h.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	listener, err := listenLoopback(cfg.listen)
	if err != nil {
		return err
	}
	baseURL := "http://" + listener.Addr().String()

	mock := mockapi.New(mockapi.Options{
		Keys: []mockapi.Key{{
			Token:  cfg.apiKey,
			Name:   cfg.keyName,
			Tenant: cfg.tenant,
			Scopes: []string{"provisioning:*"},
		}},
		Latency: cfg.latency,
		Admin:   true,
	})
	var handler http.Handler = mock
	if cfg.verbose {
		handler = logRequests(logger, handler)
	}

	// Cancelling requestsCtx on stop ends latency and fault delays at once,
	// so that Shutdown does not wait for them.
	requestsCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	server := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return requestsCtx },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	if cfg.addrFile != "" {
		if err := writeFileAtomic(cfg.addrFile, []byte(baseURL)); err != nil {
			listener.Close()
			return err
		}
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- server.Serve(listener) }()
	logger.Info("crescendo-mock started", "url", baseURL, "tenant", cfg.tenant, "latency", cfg.latency)

	select {
	case err := <-serveErr:
		return fmt.Errorf("serving on %s failed: %w", baseURL, err)
	case <-ctx.Done():
	}

	logger.Info("crescendo-mock stopping", "url", baseURL)
	cancelRequests()
	shutdownCtx, cancelShutdown := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancelShutdown()
	if err := server.Shutdown(shutdownCtx); err != nil {
		logger.Error("shutdown timed out, closing open connections", "error", err, "timeout", shutdownTimeout)
		server.Close()
	}
	logger.Info("crescendo-mock stopped", "url", baseURL, "requests", mock.RequestCount())
	return nil
}

// listenLoopback listens on address after checking that it is a loopback
// address, because the mock has no real authentication and its admin
// endpoints need no key at all.
func listenLoopback(address string) (net.Listener, error) {
	if err := checkLoopback(address); err != nil {
		return nil, err
	}
	listener, err := net.Listen("tcp", address)
	if err != nil {
		return nil, fmt.Errorf("listening on %s failed: %w", address, err)
	}
	// "localhost" is resolved by the system, so check the address it got.
	if tcp, ok := listener.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		listener.Close()
		return nil, fmt.Errorf("-listen %q resolved to %s, which is not a loopback address", address, listener.Addr())
	}
	return listener, nil
}

func checkLoopback(address string) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("-listen %q is not a host:port address: %w", address, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q is not a loopback address. Use 127.0.0.1:PORT, [::1]:PORT or localhost:PORT, "+
		"because the admin endpoints need no key", address)
}

// writeFileAtomic writes data to a temporary file in the same directory and
// renames it to path, so that a reader never sees a partial file.
func writeFileAtomic(path string, data []byte) error {
	temporary, err := os.CreateTemp(filepath.Dir(path), ".crescendo-mock-addr-*")
	if err != nil {
		return fmt.Errorf("writing -addr-file %s failed: %w", path, err)
	}
	_, writeErr := temporary.Write(data)
	closeErr := temporary.Close()
	if err := errors.Join(writeErr, closeErr); err != nil {
		os.Remove(temporary.Name())
		return fmt.Errorf("writing -addr-file %s failed: %w", path, err)
	}
	if err := os.Rename(temporary.Name(), path); err != nil {
		os.Remove(temporary.Name())
		return fmt.Errorf("writing -addr-file %s failed: %w", path, err)
	}
	return nil
}

// logRequests logs one line per request. It logs the path without the query,
// because the query may contain the API key as bearer_token.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		recorder := &statusWriter{ResponseWriter: w}
		defer func() {
			logger.Info("request", "method", r.Method, "path", r.URL.EscapedPath(),
				"status", recorder.status, "duration", time.Since(start))
		}()
		next.ServeHTTP(recorder, r)
	})
}

// statusWriter records the response status. It stays 0 when nothing was sent
// through the ResponseWriter, which includes Reset and Truncate faults because
// they write to the hijacked connection. Unwrap lets the mock hijack the
// connection through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}
