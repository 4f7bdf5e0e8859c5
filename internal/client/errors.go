package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// maxExcerptBytes bounds how much of a non-JSON error body is quoted in an error.
const maxExcerptBytes = 200

// maxMessageBytes bounds the API's code and message quoted in an error.
const maxMessageBytes = 1000

// APIError is a response from the API with a status other than the expected ones.
type APIError struct {
	Method     string
	Path       string // escaped request path, without query
	StatusCode int
	// Code and Message come from the API's {"code": ..., "message": ...} error body.
	// Either may be empty: a 500 can carry only a message, and a gateway can respond
	// with HTML, in which case Excerpt holds the start of the body.
	Code    string
	Message string
	Excerpt string
	// Attempts is how many times the request was sent, and Elapsed how long all of
	// them took, waits included.
	Attempts int
	Elapsed  time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s returned HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " on each of %d attempts", e.Attempts)
		if e.Elapsed > 0 {
			fmt.Fprintf(&b, " over %s", roundDuration(e.Elapsed))
		}
	}
	switch {
	case e.Code != "" && e.Message != "":
		fmt.Fprintf(&b, ": %s: %s", e.Code, e.Message)
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case e.Code != "":
		fmt.Fprintf(&b, ": %s", e.Code)
	case e.Excerpt != "":
		fmt.Fprintf(&b, "; the response was not a JSON error body and began with: %q", e.Excerpt)
	default:
		b.WriteString("; the response had no body")
	}
	return b.String()
}

// IsNotFound reports whether err is an API error with status 404.
func IsNotFound(err error) bool {
	return hasStatus(err, http.StatusNotFound)
}

func hasStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// newAPIError builds an APIError from a response body that has already been read.
func newAPIError(method, path string, status int, body []byte, attempts int) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, Attempts: attempts}
	var payload struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &payload) == nil && (payload.Code != "" || payload.Message != "") {
		e.Code = cut(strings.Join(strings.Fields(payload.Code), " "), maxMessageBytes)
		e.Message = cut(strings.Join(strings.Fields(payload.Message), " "), maxMessageBytes)
		return e
	}
	e.Excerpt = excerpt(body)
	return e
}

// excerpt returns the start of body as single-line text, cut at a rune boundary.
func excerpt(body []byte) string {
	if len(body) > 4*maxExcerptBytes {
		body = body[:4*maxExcerptBytes]
	}
	return cut(strings.Join(strings.Fields(strings.ToValidUTF8(string(body), "\uFFFD")), " "), maxExcerptBytes)
}

// cut shortens text to at most limit bytes at a rune boundary, marking the cut.
func cut(text string, limit int) string {
	if len(text) <= limit {
		return text
	}
	end := limit
	for end > 0 && !utf8.RuneStart(text[end]) {
		end--
	}
	return text[:end] + "…"
}

// RequestError is a request that got no usable response: the connection failed, the
// request timed out or was cancelled, or the response body could not be read.
type RequestError struct {
	Method string
	Path   string
	// Attempts is how many times the request was sent (0 when it was cancelled before
	// the first), and Elapsed how long all of them took, waits included.
	Attempts int
	Elapsed  time.Duration
	// LastStatus is the status of the last response received, if any attempt got one.
	LastStatus int
	Err        error
}

func (e *RequestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s failed", e.Method, e.Path)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts over %s", e.Attempts, roundDuration(e.Elapsed))
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	if e.LastStatus != 0 && e.Attempts > 1 {
		fmt.Fprintf(&b, "; the last status received was HTTP %d %s", e.LastStatus, http.StatusText(e.LastStatus))
	}
	return b.String()
}

func (e *RequestError) Unwrap() error { return e.Err }

// AttemptTimeoutError is an attempt that request_timeout ended before the whole
// response arrived.
type AttemptTimeoutError struct {
	Limit time.Duration // request_timeout
	Err   error
}

func (e *AttemptTimeoutError) Error() string {
	var urlErr *url.Error
	if e.Err == nil || errors.As(e.Err, &urlErr) {
		// net/http's error only repeats the URL and "request timeout".
		return fmt.Sprintf("no complete response within the request timeout of %s", e.Limit)
	}
	return fmt.Sprintf("no complete response within the request timeout of %s (%v)", e.Limit, e.Err)
}

func (e *AttemptTimeoutError) Unwrap() error { return e.Err }

// Timeout reports true, as net.Error does for timeouts.
func (e *AttemptTimeoutError) Timeout() bool { return true }

// ResponseError is a successful status whose body is not what the API promises: not
// JSON, not an object, too large or cut short.
type ResponseError struct {
	Method string
	Path   string
	Err    error
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s %s returned an unusable response: %v", e.Method, e.Path, e.Err)
}

func (e *ResponseError) Unwrap() error { return e.Err }

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Millisecond)
	}
}
