package mockapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const (
	// DefaultMaxBodyBytes is the request body limit when Options.MaxBodyBytes is 0.
	// The API reference documents no limit, so this only guards the mock's memory.
	DefaultMaxBodyBytes = 64 << 20

	// DefaultRequestLogSize is the number of log entries kept when
	// Options.RequestLogSize is 0.
	DefaultRequestLogSize = 10000

	// APIName and APIVersion are returned by GET /. The version is the one of
	// the API reference that the mock follows.
	APIName    = "Crescendo Platform API (mock)"
	APIVersion = "1.6.0"

	apiPrefix   = "/api/v1"
	adminPrefix = "/_mock"
)

// Options configures a Server. With the zero value, New returns a server that
// accepts no key.
type Options struct {
	// Keys are the API keys the server accepts.
	Keys []Key

	// Clock supplies the "updated" stamp. Nil means time.Now. The request log
	// always uses the wall clock.
	Clock func() time.Time

	// Latency is the delay added to every /api/v1 request before it is
	// handled. SetLatency changes it later.
	Latency time.Duration

	// MaxBodyBytes is the maximum request body size in bytes. 0 or less means
	// DefaultMaxBodyBytes. A larger body gets 413 with a JSON error.
	MaxBodyBytes int64

	// RequestLogSize is the maximum number of entries that Requests returns.
	// The oldest entries are dropped first, but the counters in Stats stay
	// exact. 0 means DefaultRequestLogSize, and a negative value keeps no
	// entries at all.
	RequestLogSize int

	// Admin enables the /_mock/ endpoints (see admin.go).
	Admin bool
}

// Server is a mock Crescendo Platform API. It implements http.Handler, and all
// its methods are safe for concurrent use.
type Server struct {
	clock        func() time.Time
	maxBodyBytes int64
	admin        bool
	keys         *keyring
	store        *store
	faults       *faultSet
	log          *requestLog
	latency      atomic.Int64 // time.Duration
}

// New returns a Server configured by opts. It panics on an invalid key list
// (see Key), because that is a programming error in the test that builds it.
func New(opts Options) *Server {
	s := &Server{
		clock:        opts.Clock,
		maxBodyBytes: opts.MaxBodyBytes,
		admin:        opts.Admin,
		keys:         newKeyring(opts.Keys),
		store:        newStore(),
		faults:       &faultSet{},
		log:          newRequestLog(opts.RequestLogSize),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.maxBodyBytes <= 0 {
		s.maxBodyBytes = DefaultMaxBodyBytes
	}
	s.latency.Store(int64(opts.Latency))
	return s
}

// NewTestServer creates a Server from opts, serves it on a 127.0.0.1 port and
// returns it with its base URL (http://127.0.0.1:PORT). The test's cleanup
// first cancels the context of requests still running, so that delayed
// handlers return, and then closes the server.
func NewTestServer(t testing.TB, opts Options) (*Server, string) {
	t.Helper()

	s := New(opts)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mockapi: listening on 127.0.0.1 failed: %v", err)
	}

	ts := httptest.NewUnstartedServer(s)
	ts.Listener.Close()
	ts.Listener = listener
	ctx, cancel := context.WithCancel(context.Background())
	ts.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	ts.Start()

	// Cleanup functions run last-registered first, so cancel runs before Close,
	// which waits for every running handler.
	t.Cleanup(ts.Close)
	t.Cleanup(cancel)
	return s, ts.URL
}

// SetLatency sets the delay added to every later /api/v1 request.
func (s *Server) SetLatency(d time.Duration) {
	s.latency.Store(int64(d))
}

// ServeHTTP logs the request and, for /api/v1 paths, applies the latency and
// any matching fault before routing it. Requests to /_mock/ are neither logged
// nor counted.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if s.admin && (path == adminPrefix || strings.HasPrefix(path, adminPrefix+"/")) {
		s.serveAdmin(w, r, path)
		return
	}

	isAPI := path == apiPrefix || strings.HasPrefix(path, apiPrefix+"/")
	entry := s.log.begin(r, path, isAPI)
	recorder := &loggingResponseWriter{ResponseWriter: w, log: s.log, entry: entry, isAPI: isAPI}
	// A request that ends without a response is logged with status 0.
	defer recorder.complete(0)

	// MaxBytesReader gets the original writer so that net/http closes the
	// connection after a 413 instead of reading the rest of the body.
	requestBody := r.Body
	if requestBody == nil {
		requestBody = http.NoBody
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, requestBody, s.maxBodyBytes))
	s.log.setBody(entry, body)

	if isAPI && !sleepContext(r.Context(), time.Duration(s.latency.Load())) {
		return
	}
	if fault, ok := s.faults.take(r.Method, path, isAPI); ok {
		if s.applyFault(recorder, r, fault) {
			return
		}
	}

	if readErr != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(readErr, &tooLarge) {
			writeError(recorder, http.StatusRequestEntityTooLarge, codeTooLarge,
				"the request body exceeds the limit of %d bytes", tooLarge.Limit)
			return
		}
		writeError(recorder, http.StatusBadRequest, codeBadRequest, "reading the request body failed: %v", readErr)
		return
	}

	switch {
	case isAPI:
		s.serveAPI(recorder, r, path, body)
	case path == "/":
		serveStatic(recorder, r, map[string]string{"name": APIName, "version": APIVersion})
	case path == "/health":
		serveStatic(recorder, r, map[string]string{"status": "ok"})
	default:
		writeError(recorder, http.StatusNotFound, codeNotFound, "no route for path %s", path)
	}
}

// serveStatic writes value for GET and HEAD, and a 405 for other methods.
func serveStatic(w http.ResponseWriter, r *http.Request, value any) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeMethodNotAllowed(w, r.Method, []string{http.MethodGet, http.MethodHead})
		return
	}
	writeJSON(w, http.StatusOK, value)
}

// sleepContext waits for d and reports false when ctx ends first.
func sleepContext(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Error codes of the API's {"code","message"} error bodies. The API reference
// defines the first five, and the mock adds the last two for 405 and 413.
const (
	codeBadRequest       = "BadRequest"
	codeUnauthenticated  = "Unauthenticated"
	codePermissionDenied = "PermissionDenied"
	codeNotFound         = "NotFound"
	codeUnavailable      = "Unavailable"
	codeMethodNotAllowed = "MethodNotAllowed"
	codeTooLarge         = "RequestEntityTooLarge"
)

// apiError is an error response. It is also returned as a Go error by store
// updates, so that a handler can write it unchanged.
type apiError struct {
	status  int
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string {
	return e.Code + ": " + e.Message
}

func newAPIError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// internalErrorBody returns a 500 body, which has only a message, as the API
// reference describes for real 500 responses.
func internalErrorBody(message string) []byte {
	data, _ := json.Marshal(map[string]string{"message": message})
	return data
}

func writeError(w http.ResponseWriter, status int, code, format string, args ...any) {
	writeAPIError(w, newAPIError(status, code, format, args...))
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, e)
}

func writeMethodNotAllowed(w http.ResponseWriter, method string, allowed []string) {
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, http.StatusMethodNotAllowed, codeMethodNotAllowed,
		"method %s is not allowed on this path, which allows %s", method, strings.Join(allowed, ", "))
}

// writeJSON sends value with sorted keys and two-space indentation, so that
// the bytes differ from what a client sent even when the content is equal.
func writeJSON(w http.ResponseWriter, status int, value any) {
	data, err := json.MarshalIndent(value, "", "  ")
	if err != nil {
		// Stored documents come from json.Decoder, so this is a bug in the mock.
		status = http.StatusInternalServerError
		data = internalErrorBody("encoding the response failed: " + err.Error())
	}
	data = append(data, '\n')

	header := w.Header()
	header.Set("Content-Type", "application/json")
	header.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
