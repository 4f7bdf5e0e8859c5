package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// maxExcerptBytes bounds how much of a non-JSON error body is quoted in an error.
const maxExcerptBytes = 200

// APIError is a response from the API with a status other than the expected ones.
type APIError struct {
	Method     string
	Path       string // escaped request path, without query
	StatusCode int
	// Code and Message come from the API's {"code": ..., "message": ...} error body.
	// Either may be empty: a 500 can carry only a message, and a gateway can answer
	// with HTML, in which case Excerpt holds the start of the body.
	Code     string
	Message  string
	Excerpt  string
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s returned HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
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
		e.Code = payload.Code
		e.Message = payload.Message
		return e
	}
	e.Excerpt = excerpt(body)
	return e
}

// excerpt returns the start of body as single-line text, cut at a rune boundary.
func excerpt(body []byte) string {
	text := strings.Join(strings.Fields(string(body)), " ")
	if len(text) <= maxExcerptBytes {
		return text
	}
	cut := maxExcerptBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}

// RequestError is a request that got no usable response: the connection failed, the
// request timed out or was cancelled, or the response body could not be read.
type RequestError struct {
	Method   string
	Path     string
	Attempts int
	Err      error
}

func (e *RequestError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("%s %s failed after %d attempts: %v", e.Method, e.Path, e.Attempts, e.Err)
	}
	return fmt.Sprintf("%s %s failed: %v", e.Method, e.Path, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

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
