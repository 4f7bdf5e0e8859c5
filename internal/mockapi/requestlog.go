package mockapi

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Request is one entry of the request log.
type Request struct {
	Method string

	// RequestURI is the request target as received, query included, so it
	// contains the key when the client sent it as bearer_token.
	RequestURI string

	// Path is the escaped path, in which "%2F" inside a segment stays escaped.
	Path string

	Header http.Header

	// Body is nil until the server has read the body. After a 413 it is the
	// part read before the limit.
	Body []byte

	// Status is the status code sent. It is 0 until the server starts the
	// response, and stays 0 when no response was sent: after a Reset fault,
	// or when the client went away during a delay.
	Status int

	// Time is the arrival time by the wall clock. Options.Clock does not
	// affect it.
	Time time.Time
}

// Stats contains the request counters. The counters are exact however many
// entries the log keeps, and requests to /_mock/ are not counted.
type Stats struct {
	// Total is the number of requests received.
	Total int `json:"total"`

	// ByMethod is the number of requests received per HTTP method.
	ByMethod map[string]int `json:"byMethod"`

	// ByStatus is the number of responses per status code, as a decimal
	// string. "0" counts requests that ended without a response.
	ByStatus map[string]int `json:"byStatus"`

	// InFlight is the number of /api/v1 requests received whose response
	// has not started yet.
	InFlight int `json:"inFlight"`

	// MaxInFlight is the highest InFlight seen since the start or the last
	// reset.
	MaxInFlight int `json:"maxInFlight"`
}

// requestLog is a ring buffer of the latest entries plus exact counters.
type requestLog struct {
	mu       sync.Mutex
	capacity int
	entries  []*Request // ring buffer, with the oldest entry at entries[start] once full
	start    int
	stats    Stats
}

func newRequestLog(size int) *requestLog {
	switch {
	case size == 0:
		size = DefaultRequestLogSize
	case size < 0:
		size = 0
	}
	return &requestLog{
		capacity: size,
		stats:    Stats{ByMethod: map[string]int{}, ByStatus: map[string]int{}},
	}
}

// begin counts the request and adds its entry, dropping the oldest entry
// when the log is full. loggingResponseWriter completes the entry.
func (l *requestLog) begin(r *http.Request, path string, isAPI bool) *Request {
	uri := r.RequestURI
	if uri == "" {
		uri = r.URL.RequestURI()
	}
	entry := &Request{
		Method:     r.Method,
		RequestURI: uri,
		Path:       path,
		Header:     r.Header.Clone(),
		Time:       time.Now(),
	}

	l.mu.Lock()
	defer l.mu.Unlock()

	l.stats.Total++
	l.stats.ByMethod[r.Method]++
	if isAPI {
		l.stats.InFlight++
		l.stats.MaxInFlight = max(l.stats.MaxInFlight, l.stats.InFlight)
	}

	switch {
	case l.capacity == 0:
	case len(l.entries) < l.capacity:
		l.entries = append(l.entries, entry)
	default:
		l.entries[l.start] = entry
		l.start = (l.start + 1) % l.capacity
	}
	return entry
}

func (l *requestLog) setBody(entry *Request, body []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	entry.Body = body
}

// complete records the status of a request and counts it as finished.
func (l *requestLog) complete(entry *Request, status int, isAPI bool) {
	l.mu.Lock()
	defer l.mu.Unlock()

	entry.Status = status
	l.stats.ByStatus[strconv.Itoa(status)]++
	if isAPI {
		l.stats.InFlight--
	}
}

// loggingResponseWriter completes the log entry of its request when the
// response status is written. Doing so before the first byte reaches the
// client means that a client which has received a response always finds it
// complete in Requests and Stats. Unwrap lets http.ResponseController reach
// the connection's Hijacker and Flusher.
type loggingResponseWriter struct {
	http.ResponseWriter
	log       *requestLog
	entry     *Request
	isAPI     bool
	completed bool
}

// complete records status in the log, unless a status was recorded before.
func (w *loggingResponseWriter) complete(status int) {
	if w.completed {
		return
	}
	w.completed = true
	w.log.complete(w.entry, status, w.isAPI)
}

func (w *loggingResponseWriter) WriteHeader(status int) {
	w.complete(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *loggingResponseWriter) Write(p []byte) (int, error) {
	w.complete(http.StatusOK)
	return w.ResponseWriter.Write(p)
}

func (w *loggingResponseWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// Requests returns copies of the logged requests in arrival order. Only the
// latest Options.RequestLogSize requests are kept.
func (s *Server) Requests() []Request {
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()

	requests := make([]Request, 0, len(l.entries))
	for i := range l.entries {
		entry := l.entries[(l.start+i)%len(l.entries)]
		copied := *entry
		copied.Header = entry.Header.Clone()
		copied.Body = slices.Clone(entry.Body)
		requests = append(requests, copied)
	}
	return requests
}

// ResetRequests empties the log and resets the counters. InFlight keeps
// counting the requests still running, and MaxInFlight restarts from it.
// Requests that began before the reset are counted in ByStatus when their
// response starts after it.
func (s *Server) ResetRequests() {
	l := s.log
	l.mu.Lock()
	defer l.mu.Unlock()

	l.entries = nil
	l.start = 0
	l.stats = Stats{
		ByMethod:    map[string]int{},
		ByStatus:    map[string]int{},
		InFlight:    l.stats.InFlight,
		MaxInFlight: l.stats.InFlight,
	}
}

// RequestCount returns the number of requests received since the start or
// the last ResetRequests, including those dropped from the log.
func (s *Server) RequestCount() int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.stats.Total
}

// MaxInFlight returns the highest number of /api/v1 requests handled at the
// same time since the start or the last ResetRequests.
func (s *Server) MaxInFlight() int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.stats.MaxInFlight
}

// Stats returns a copy of the request counters.
func (s *Server) Stats() Stats {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	stats := s.log.stats
	stats.ByMethod = maps.Clone(stats.ByMethod)
	stats.ByStatus = maps.Clone(stats.ByStatus)
	return stats
}
