package mockapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	tokenAdmin     = "secret-admin-token"
	tokenReader    = "secret-reader-token"
	tokenUsers     = "secret-users-token"
	tokenUsersRead = "secret-users-read-token"
	tokenTenantB   = "secret-tenant-b-token"

	tenantPath = "/api/v1/provisioning/tenants/tenant-a"
)

// fixedTime is the test clock; its epoch milliseconds are 1700000000123.
var fixedTime = time.UnixMilli(1700000000123)

func testKeys() []Key {
	return []Key{
		{Token: tokenAdmin, Name: "admin-key", Tenant: "tenant-a", Scopes: []string{"provisioning:*"}},
		{Token: tokenReader, Name: "reader-key", Tenant: "tenant-a", Scopes: []string{"provisioning:read"}},
		{Token: tokenUsers, Name: "users-key", Tenant: "tenant-a", Scopes: []string{"provisioning:users.*"}},
		{Token: tokenUsersRead, Name: "users-read-key", Tenant: "tenant-a", Scopes: []string{"provisioning:users.read"}},
		{Token: tokenTenantB, Name: "tenant-b-key", Tenant: "tenant-b", Scopes: []string{"provisioning:*"}},
	}
}

// testClient sends requests to one test server over its own transport, so
// connections are never shared between tests.
type testClient struct {
	t       *testing.T
	baseURL string
	http    *http.Client
}

type testResponse struct {
	status int
	header http.Header
	body   []byte
}

// startServer starts a test server with testKeys and fixedTime. modify, if
// not nil, changes the options first.
func startServer(t *testing.T, modify func(*Options)) (*Server, *testClient) {
	t.Helper()
	opts := Options{Keys: testKeys(), Clock: func() time.Time { return fixedTime }}
	if modify != nil {
		modify(&opts)
	}
	s, baseURL := NewTestServer(t, opts)

	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	return s, &testClient{t: t, baseURL: baseURL, http: &http.Client{Transport: transport}}
}

// do sends a request with the token as a Bearer header ("" sends none) and
// returns the complete response. It fails the test on a transport error.
func (c *testClient) do(method, path, token, body string) testResponse {
	c.t.Helper()
	response, err := c.send(method, path, token, body)
	if err != nil {
		c.t.Fatalf("%s %s failed: %v", method, path, err)
	}
	return response
}

func (c *testClient) send(method, path, token, body string) (testResponse, error) {
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	request, err := http.NewRequest(method, c.baseURL+path, reader)
	if err != nil {
		c.t.Fatalf("building %s %s failed: %v", method, path, err)
	}
	if token != "" {
		request.Header.Set("Authorization", "Bearer "+token)
	}

	response, err := c.http.Do(request)
	if err != nil {
		return testResponse{}, err
	}
	defer response.Body.Close()
	data, err := io.ReadAll(response.Body)
	if err != nil {
		return testResponse{}, err
	}
	return testResponse{status: response.StatusCode, header: response.Header, body: data}, nil
}

// decodeJSON decodes data with json.Number, as the server does.
func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil {
		t.Fatalf("response is not valid JSON: %v\n%s", err, data)
	}
	return value
}

// assertJSON fails unless got and want are the same JSON value.
func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	if !reflect.DeepEqual(decodeJSON(t, got), decodeJSON(t, []byte(want))) {
		t.Errorf("JSON mismatch\n got: %s\nwant: %s", got, want)
	}
}

func assertStatus(t *testing.T, response testResponse, want int) {
	t.Helper()
	if response.status != want {
		t.Fatalf("status = %d, want %d; body: %s", response.status, want, response.body)
	}
}

// assertError checks the status and the code of a JSON error response.
func assertError(t *testing.T, response testResponse, status int, code string) {
	t.Helper()
	assertStatus(t, response, status)
	if got := response.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	var body struct{ Code, Message string }
	if err := json.Unmarshal(response.body, &body); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, response.body)
	}
	if body.Code != code {
		t.Errorf("code = %q, want %q", body.Code, code)
	}
	if body.Message == "" {
		t.Errorf("error body has no message: %s", response.body)
	}
}
