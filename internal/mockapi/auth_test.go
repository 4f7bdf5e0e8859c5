package mockapi

import (
	"bytes"
	"net/http"
	"slices"
	"testing"
)

func TestAuthHeaderAndQueryParameter(t *testing.T) {
	s, client := startServer(t, nil)
	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{"a":1}`))

	assertStatus(t, client.do(http.MethodGet, tenantPath, tokenReader, ""), http.StatusOK)
	assertStatus(t, client.do(http.MethodGet, tenantPath+"?bearer_token="+tokenReader, "", ""), http.StatusOK)

	// The header takes precedence over the query parameter.
	assertStatus(t, client.do(http.MethodGet, tenantPath+"?bearer_token=wrong", tokenReader, ""), http.StatusOK)
	assertError(t, client.do(http.MethodGet, tenantPath+"?bearer_token="+tokenReader, "wrong", ""),
		http.StatusUnauthorized, "Unauthenticated")

	request, _ := http.NewRequest(http.MethodGet, client.baseURL+tenantPath, nil)
	request.Header.Set("Authorization", "bearer "+tokenReader)
	response, err := client.http.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	response.Body.Close()
	if response.StatusCode != http.StatusOK {
		t.Errorf("lower-case bearer scheme: status = %d, want 200", response.StatusCode)
	}
}

func TestAuthRejectsMissingOrInvalidKey(t *testing.T) {
	_, client := startServer(t, nil)

	cases := map[string]string{
		"no key":       "",
		"unknown key":  "Bearer not-a-key",
		"empty bearer": "Bearer ",
		"basic scheme": "Basic " + tokenAdmin,
		"no scheme":    tokenAdmin,
	}
	for name, authorization := range cases {
		t.Run(name, func(t *testing.T) {
			request, _ := http.NewRequest(http.MethodGet, client.baseURL+tenantPath, nil)
			if authorization != "" {
				request.Header.Set("Authorization", authorization)
			}
			httpResponse, err := client.http.Do(request)
			if err != nil {
				t.Fatal(err)
			}
			defer httpResponse.Body.Close()
			body := new(bytes.Buffer)
			_, _ = body.ReadFrom(httpResponse.Body)
			response := testResponse{status: httpResponse.StatusCode, header: httpResponse.Header, body: body.Bytes()}

			assertError(t, response, http.StatusUnauthorized, "Unauthenticated")
			if response.header.Get("WWW-Authenticate") == "" {
				t.Error("401 response has no WWW-Authenticate header")
			}
			if bytes.Contains(response.body, []byte(tokenAdmin)) || bytes.Contains(response.body, []byte("not-a-key")) {
				t.Errorf("error body contains the presented key: %s", response.body)
			}
		})
	}
}

func TestOtherTenantForbidden(t *testing.T) {
	s, client := startServer(t, nil)
	s.SetDocument(DocPath{Tenant: "tenant-b"}, []byte(`{}`))

	for _, request := range []struct{ method, path, body string }{
		{http.MethodGet, "/api/v1/provisioning/tenants/tenant-b", ""},
		{http.MethodPost, "/api/v1/provisioning/tenants/tenant-b/users/u1", `{}`},
		{http.MethodGet, "/api/v1/provisioning/tenants/tenant-b/users", ""},
	} {
		t.Run(request.method+" "+request.path, func(t *testing.T) {
			assertError(t, client.do(request.method, request.path, tokenAdmin, request.body), http.StatusForbidden, "PermissionDenied")
		})
	}
	assertStatus(t, client.do(http.MethodGet, "/api/v1/provisioning/tenants/tenant-b", tokenTenantB, ""), http.StatusOK)
	if _, ok := s.Document(DocPath{"tenant-b", "users", "u1"}); ok {
		t.Error("a forbidden POST stored a document")
	}
}

func TestScopesLimitAccess(t *testing.T) {
	s, client := startServer(t, nil)
	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{}`))
	s.SetDocument(DocPath{"tenant-a", "users", "u1"}, []byte(`{}`))
	s.SetDocument(DocPath{"tenant-a", "bots", "b1"}, []byte(`{"versions":{"current":{}}}`))

	cases := []struct {
		name, token, method, path string
		want                      int
	}{
		{"reader reads tenant", tokenReader, http.MethodGet, tenantPath, http.StatusOK},
		{"reader reads user", tokenReader, http.MethodGet, tenantPath + "/users/u1", http.StatusOK},
		{"reader lists bots", tokenReader, http.MethodGet, tenantPath + "/bots", http.StatusOK},
		{"reader cannot POST", tokenReader, http.MethodPost, tenantPath + "/users/u1", http.StatusForbidden},
		{"reader cannot PUT", tokenReader, http.MethodPut, tenantPath, http.StatusForbidden},

		{"users key reads user", tokenUsers, http.MethodGet, tenantPath + "/users/u1", http.StatusOK},
		{"users key lists users", tokenUsers, http.MethodGet, tenantPath + "/users", http.StatusOK},
		{"users key writes user", tokenUsers, http.MethodPost, tenantPath + "/users/u2", http.StatusCreated},
		{"users key merges user", tokenUsers, http.MethodPut, tenantPath + "/users/u1", http.StatusOK},
		{"users key cannot read bot", tokenUsers, http.MethodGet, tenantPath + "/bots/b1", http.StatusForbidden},
		{"users key cannot list bots", tokenUsers, http.MethodGet, tenantPath + "/bots", http.StatusForbidden},
		{"users key cannot read tenant", tokenUsers, http.MethodGet, tenantPath, http.StatusForbidden},
		{"users key cannot write tenant", tokenUsers, http.MethodPost, tenantPath, http.StatusForbidden},
		{"users key cannot read bot version", tokenUsers, http.MethodGet, tenantPath + "/bots/b1/versions/current", http.StatusForbidden},

		{"users read key reads user", tokenUsersRead, http.MethodGet, tenantPath + "/users/u1", http.StatusOK},
		{"users read key OPTIONS", tokenUsersRead, http.MethodOptions, tenantPath + "/users/u1", http.StatusNoContent},
		{"users read key cannot POST user", tokenUsersRead, http.MethodPost, tenantPath + "/users/u1", http.StatusForbidden},
		{"users read key cannot read tenant", tokenUsersRead, http.MethodGet, tenantPath, http.StatusForbidden},

		{"admin reads bot version", tokenAdmin, http.MethodGet, tenantPath + "/bots/b1/versions/current", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := ""
			if tc.method == http.MethodPost || tc.method == http.MethodPut {
				body = `{"x":1}`
			}
			response := client.do(tc.method, tc.path, tc.token, body)
			if tc.want == http.StatusForbidden {
				assertError(t, response, http.StatusForbidden, "PermissionDenied")
				return
			}
			assertStatus(t, response, tc.want)
		})
	}
}

func TestAcceptedScopes(t *testing.T) {
	cases := []struct {
		method, collection string
		want               []string
	}{
		{http.MethodGet, "", []string{"provisioning:*", "provisioning:read"}},
		{http.MethodHead, "", []string{"provisioning:*", "provisioning:read"}},
		{http.MethodOptions, "", []string{"provisioning:*", "provisioning:read"}},
		{http.MethodPost, "", []string{"provisioning:*", "provisioning:write"}},
		{http.MethodPut, "users", []string{"provisioning:*", "provisioning:write", "provisioning:users.*", "provisioning:users.write"}},
		{http.MethodGet, "team.users", []string{"provisioning:*", "provisioning:read", "provisioning:team.users.*", "provisioning:team.users.read"}},
	}
	for _, tc := range cases {
		if got := acceptedScopes(tc.method, tc.collection); !slices.Equal(got, tc.want) {
			t.Errorf("acceptedScopes(%s, %q) = %v, want %v", tc.method, tc.collection, got, tc.want)
		}
	}
}

func TestKeyWithoutNameGetsPositionalName(t *testing.T) {
	_, client := startServer(t, func(o *Options) {
		o.Keys = append(o.Keys, Key{Token: "unnamed-token", Tenant: "tenant-a", Scopes: []string{"provisioning:*"}})
	})

	response := client.do(http.MethodPost, tenantPath, "unnamed-token", `{}`)
	assertStatus(t, response, http.StatusCreated)
	assertJSON(t, response.body, `{"updated":1700000000123,"updatedBy":"api-key-6"}`)
}

func TestNewPanicsOnInvalidKeys(t *testing.T) {
	cases := map[string][]Key{
		"empty token":    {{Name: "k", Tenant: "t"}},
		"empty tenant":   {{Token: "x", Name: "k"}},
		"repeated token": {{Token: "x", Tenant: "t"}, {Token: "x", Tenant: "u"}},
	}
	for name, keys := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			New(Options{Keys: keys})
		})
	}
}
