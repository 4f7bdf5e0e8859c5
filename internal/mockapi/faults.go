package mockapi

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Fault describes a failure that the server injects into matching requests,
// after the latency and before authentication. Of several matching faults,
// the one added first applies. A fault with Delay but no Status, Body, Reset
// or Truncate only delays the request, which is then handled normally.
type Fault struct {
	// Method is the HTTP method to match. "" matches any method.
	Method string

	// PathPrefix is matched against the escaped request path. "" matches any
	// /api/v1 path. A non-empty prefix can match any logged path, such as
	// /health.
	PathPrefix string

	// Times is the number of requests the fault applies to before it is
	// removed. 0 means until ClearFaults.
	Times int

	// Status is the response status. 0 means 503 when Body is set, and 200
	// for Truncate.
	Status int

	// Body is the response body. "" means a JSON error body for Status.
	Body string

	// ContentType is the Content-Type of Body. "" means application/json.
	ContentType string

	// Header contains extra response headers, such as Retry-After.
	Header http.Header

	// Delay is how long the server waits before it responds. The wait ends
	// early, with no response, when the request context is cancelled.
	Delay time.Duration

	// Reset closes the connection with a TCP reset and sends no response.
	Reset bool

	// Truncate sends a Content-Length for the whole body, writes only the
	// first half of the body and closes the connection.
	Truncate bool
}

type faultSet struct {
	mu     sync.Mutex
	faults []*activeFault
}

type activeFault struct {
	fault     Fault
	remaining int // 0 for a fault that applies until cleared
}

// AddFault adds f after the faults already added. It panics if f.Times is
// negative or both Reset and Truncate are set.
func (s *Server) AddFault(f Fault) {
	if f.Times < 0 {
		panic(fmt.Sprintf("mockapi: AddFault: Times is %d, but it must be positive, or 0 for a fault that applies until cleared", f.Times))
	}
	if f.Reset && f.Truncate {
		panic("mockapi: AddFault: Reset and Truncate cannot both be set")
	}
	f.Header = f.Header.Clone()

	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = append(s.faults.faults, &activeFault{fault: f, remaining: f.Times})
}

// ClearFaults removes all faults.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = nil
}

// take returns the first fault that matches the request and counts one use
// of it, removing it when its Times are used up.
func (fs *faultSet) take(method, path string, isAPI bool) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	for i, active := range fs.faults {
		f := active.fault
		if f.Method != "" && f.Method != method {
			continue
		}
		if f.PathPrefix == "" && !isAPI {
			continue
		}
		if !strings.HasPrefix(path, f.PathPrefix) {
			continue
		}

		if active.remaining > 0 {
			active.remaining--
			if active.remaining == 0 {
				fs.faults = append(fs.faults[:i:i], fs.faults[i+1:]...)
			}
		}
		return f, true
	}
	return Fault{}, false
}

// applyFault waits for f.Delay and then sends the fault's response. It
// reports false when the request should be handled normally.
func (s *Server) applyFault(w *loggingResponseWriter, r *http.Request, f Fault) bool {
	if !sleepContext(r.Context(), f.Delay) {
		return true // the client is gone, so there is no one to respond to
	}

	switch {
	case f.Reset:
		resetConnection(w)
	case f.Truncate:
		writeTruncated(w, f)
	case f.Status != 0 || f.Body != "":
		writeFaultResponse(w, f)
	default:
		return false
	}
	return true
}

// faultBody returns f.Body, or for an empty Body a JSON error body in the
// API's format. A 500 body has only a message, as the API reference
// describes for real 500 responses.
func faultBody(f Fault, status int) string {
	if f.Body != "" {
		return f.Body
	}
	message := fmt.Sprintf("%d %s (fault injected by the mock server)", status, http.StatusText(status))
	if status == http.StatusInternalServerError {
		return string(mustMarshal(map[string]string{"message": message}))
	}
	return string(mustMarshal(&apiError{Code: errorCode(status), Message: message}))
}

// errorCode returns the API error code for status, or the status text
// without spaces (for example "TooManyRequests") for statuses the API
// reference does not list.
func errorCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return codeBadRequest
	case http.StatusUnauthorized:
		return codeUnauthenticated
	case http.StatusForbidden:
		return codePermissionDenied
	case http.StatusNotFound:
		return codeNotFound
	case http.StatusMethodNotAllowed:
		return codeMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		return codeTooLarge
	case http.StatusServiceUnavailable:
		return codeUnavailable
	}
	if text := http.StatusText(status); text != "" {
		return strings.ReplaceAll(text, " ", "")
	}
	return fmt.Sprintf("Status%d", status)
}

func writeFaultResponse(w http.ResponseWriter, f Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	header := w.Header()
	for name, values := range f.Header {
		header[http.CanonicalHeaderKey(name)] = slices.Clone(values)
	}
	header.Set("Content-Type", contentTypeOrJSON(f.ContentType))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(faultBody(f, status)))
}

// resetConnection hijacks the connection and closes it with SO_LINGER 0, so
// the client sees a TCP reset (ECONNRESET) instead of an orderly close. When
// the connection cannot be hijacked, as with HTTP/2, the handler panics with
// http.ErrAbortHandler, which makes net/http abort the response.
func resetConnection(w *loggingResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	w.complete(0)
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// writeTruncated hijacks the connection and writes the response by hand,
// because net/http would refuse to send fewer bytes than the Content-Length.
func writeTruncated(w *loggingResponseWriter, f Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := faultBody(f, status)

	conn, buffer, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	w.complete(status)

	header := f.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	header.Set("Content-Type", contentTypeOrJSON(f.ContentType))
	header.Set("Content-Length", fmt.Sprint(len(body)))
	header.Set("Connection", "close")

	fmt.Fprintf(buffer, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	_ = header.Write(buffer)
	fmt.Fprint(buffer, "\r\n", body[:len(body)/2])
	_ = buffer.Flush()
}

func contentTypeOrJSON(contentType string) string {
	if contentType == "" {
		return "application/json"
	}
	return contentType
}
