package mockapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRootAndHealthNeedNoKey(t *testing.T) {
	_, client := startServer(t, nil)

	root := client.do(http.MethodGet, "/", "", "")
	assertStatus(t, root, http.StatusOK)
	assertJSON(t, root.body, `{"name":"Crescendo Platform API (mock)","version":"1.6.0"}`)

	health := client.do(http.MethodGet, "/health", "", "")
	assertStatus(t, health, http.StatusOK)
	assertJSON(t, health.body, `{"status":"ok"}`)

	assertError(t, client.do(http.MethodPost, "/health", "", "{}"), http.StatusMethodNotAllowed, "MethodNotAllowed")
}

func TestUnknownPathsNotFound(t *testing.T) {
	_, client := startServer(t, nil)

	paths := []string{
		"/other",
		"/api/v1",
		"/api/v1/provisioning",
		"/api/v1/provisioning/tenants",
		"/api/v1/other/tenants/tenant-a",
		tenantPath + "/bots/bot-1/versions",
		tenantPath + "/bots/bot-1/versions/previous",
		tenantPath + "/bots/bot-1/versions/current/extra",
		"/_mock/stats", // the admin endpoints are off by default
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			assertError(t, client.do(http.MethodGet, path, tokenAdmin, ""), http.StatusNotFound, "NotFound")
		})
	}
}

func TestTenantDocumentLifecycle(t *testing.T) {
	_, client := startServer(t, nil)

	assertError(t, client.do(http.MethodGet, tenantPath, tokenAdmin, ""), http.StatusNotFound, "NotFound")
	assertError(t, client.do(http.MethodPut, tenantPath, tokenAdmin, `{"a":1}`), http.StatusNotFound, "NotFound")

	created := client.do(http.MethodPost, tenantPath, tokenAdmin, `{"displayName":"Alpha","plan":"pro"}`)
	assertStatus(t, created, http.StatusCreated)
	assertJSON(t, created.body, `{"displayName":"Alpha","plan":"pro","updated":1700000000123,"updatedBy":"admin-key"}`)

	read := client.do(http.MethodGet, tenantPath, tokenAdmin, "")
	assertStatus(t, read, http.StatusOK)
	assertJSON(t, read.body, string(created.body))

	replaced := client.do(http.MethodPost, tenantPath, tokenAdmin, `{"displayName":"Alpha 2"}`)
	assertStatus(t, replaced, http.StatusOK)
	assertJSON(t, replaced.body, `{"displayName":"Alpha 2","updated":1700000000123,"updatedBy":"admin-key"}`)

	merged := client.do(http.MethodPut, tenantPath, tokenAdmin, `{"plan":"enterprise"}`)
	assertStatus(t, merged, http.StatusOK)
	assertJSON(t, merged.body, `{"displayName":"Alpha 2","plan":"enterprise","updated":1700000000123,"updatedBy":"admin-key"}`)
}

func TestCollectionDocumentLifecycle(t *testing.T) {
	s, client := startServer(t, nil)
	path := tenantPath + "/users/user-123"

	assertError(t, client.do(http.MethodGet, path, tokenAdmin, ""), http.StatusNotFound, "NotFound")
	assertError(t, client.do(http.MethodPut, path, tokenAdmin, `{"role":"owner"}`), http.StatusNotFound, "NotFound")

	created := client.do(http.MethodPost, path, tokenAdmin, `{"email":"new.user@example.com","role":"viewer"}`)
	assertStatus(t, created, http.StatusCreated)
	assertJSON(t, created.body, `{"email":"new.user@example.com","role":"viewer","updated":1700000000123,"updatedBy":"admin-key"}`)

	again := client.do(http.MethodPost, path, tokenAdmin, `{"email":"new.user@example.com"}`)
	assertStatus(t, again, http.StatusOK)
	assertJSON(t, again.body, `{"email":"new.user@example.com","updated":1700000000123,"updatedBy":"admin-key"}`)

	merged := client.do(http.MethodPut, path, tokenAdmin, `{"role":"owner"}`)
	assertStatus(t, merged, http.StatusOK)
	assertJSON(t, merged.body, `{"email":"new.user@example.com","role":"owner","updated":1700000000123,"updatedBy":"admin-key"}`)

	stored, ok := s.Document(DocPath{Tenant: "tenant-a", Collection: "users", DocumentID: "user-123"})
	if !ok {
		t.Fatal("Document found no stored user-123")
	}
	assertJSON(t, stored, string(merged.body))
}

func TestStampsFollowClockAndKeyName(t *testing.T) {
	now := time.UnixMilli(1000)
	_, client := startServer(t, func(o *Options) {
		o.Clock = func() time.Time { return now }
	})
	path := tenantPath + "/users/u1"

	// Stamps sent by the client are overwritten.
	first := client.do(http.MethodPost, path, tokenUsers, `{"updated":5,"updatedBy":"someone else"}`)
	assertStatus(t, first, http.StatusCreated)
	assertJSON(t, first.body, `{"updated":1000,"updatedBy":"users-key"}`)
	if bytes.Contains(first.body, []byte(tokenUsers)) {
		t.Errorf("response contains the API key: %s", first.body)
	}

	now = time.UnixMilli(2500)
	second := client.do(http.MethodPut, path, tokenAdmin, `{"x":1}`)
	assertStatus(t, second, http.StatusOK)
	assertJSON(t, second.body, `{"x":1,"updated":2500,"updatedBy":"admin-key"}`)
}

func TestPutMergesObjectsRecursively(t *testing.T) {
	_, client := startServer(t, nil)
	path := tenantPath + "/bots/bot-1"

	assertStatus(t, client.do(http.MethodPost, path, tokenAdmin,
		`{"name":"Bot","spec":{"greeting":"hi","limits":{"max":5,"min":1}},"tags":["a","b"],"keep":true}`), http.StatusCreated)

	merged := client.do(http.MethodPut, path, tokenAdmin,
		`{"spec":{"limits":{"max":9},"language":"en"},"tags":["c"],"keep":null,"name":{"full":"Bot One"}}`)
	assertStatus(t, merged, http.StatusOK)
	assertJSON(t, merged.body, `{
		"name":{"full":"Bot One"},
		"spec":{"greeting":"hi","language":"en","limits":{"max":9,"min":1}},
		"tags":["c"],
		"keep":null,
		"updated":1700000000123,"updatedBy":"admin-key"}`)
}

func TestInvalidBodyRejected(t *testing.T) {
	s, client := startServer(t, nil)
	path := tenantPath + "/users/u1"
	s.SetDocument(DocPath{"tenant-a", "users", "u1"}, []byte(`{"keep":1}`))

	bodies := map[string]string{
		"empty":         "",
		"not JSON":      "not json",
		"truncated":     `{"a":`,
		"array":         `[1,2]`,
		"string":        `"text"`,
		"number":        `42`,
		"null":          `null`,
		"two objects":   `{} {}`,
		"trailing data": `{"a":1} x`,
	}
	for name, body := range bodies {
		for _, method := range []string{http.MethodPost, http.MethodPut} {
			t.Run(name+"/"+method, func(t *testing.T) {
				assertError(t, client.do(method, path, tokenAdmin, body), http.StatusBadRequest, "BadRequest")
			})
		}
	}

	stored, _ := s.Document(DocPath{"tenant-a", "users", "u1"})
	assertJSON(t, stored, `{"keep":1}`)
}

func TestUnsupportedMethodsNotAllowed(t *testing.T) {
	_, client := startServer(t, nil)
	cases := []struct {
		method, path, allow string
	}{
		{http.MethodDelete, tenantPath, "GET, HEAD, OPTIONS, POST, PUT"},
		{http.MethodDelete, tenantPath + "/users/u1", "GET, HEAD, OPTIONS, POST, PUT"},
		{http.MethodDelete, tenantPath + "/bots/b1/versions/current", "GET, HEAD, OPTIONS, POST, PUT"},
		{http.MethodDelete, tenantPath + "/users", "GET, HEAD, OPTIONS"},
		{http.MethodPost, tenantPath + "/users", "GET, HEAD, OPTIONS"},
		{http.MethodPut, tenantPath + "/users", "GET, HEAD, OPTIONS"},
		{http.MethodPatch, tenantPath + "/users/u1", "GET, HEAD, OPTIONS, POST, PUT"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			response := client.do(tc.method, tc.path, tokenAdmin, "")
			assertError(t, response, http.StatusMethodNotAllowed, "MethodNotAllowed")
			if got := response.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
}

func TestHeadAndOptions(t *testing.T) {
	s, client := startServer(t, nil)
	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{"a":1}`))

	head := client.do(http.MethodHead, tenantPath, tokenReader, "")
	assertStatus(t, head, http.StatusOK)
	if len(head.body) != 0 {
		t.Errorf("HEAD returned a body: %q", head.body)
	}

	options := client.do(http.MethodOptions, tenantPath+"/users", tokenReader, "")
	assertStatus(t, options, http.StatusNoContent)
	if got := options.header.Get("Allow"); got != "GET, HEAD, OPTIONS" {
		t.Errorf("Allow = %q, want %q", got, "GET, HEAD, OPTIONS")
	}
}

func TestEscapedSlashStaysInSegment(t *testing.T) {
	s, client := startServer(t, nil)

	created := client.do(http.MethodPost, tenantPath+"/users/team%2Falice", tokenAdmin, `{"n":1}`)
	assertStatus(t, created, http.StatusCreated)

	if _, ok := s.Document(DocPath{"tenant-a", "users", "team/alice"}); !ok {
		t.Errorf("no document with ID %q; stored: %v", "team/alice", s.Documents())
	}
	assertError(t, client.do(http.MethodGet, tenantPath+"/users/team", tokenAdmin, ""), http.StatusNotFound, "NotFound")
	assertStatus(t, client.do(http.MethodGet, tenantPath+"/users/team%2Falice", tokenAdmin, ""), http.StatusOK)

	list := client.do(http.MethodGet, tenantPath+"/users", tokenAdmin, "")
	assertJSON(t, list.body, `[{"id":"team/alice","data":{"n":1,"updated":1700000000123,"updatedBy":"admin-key"}}]`)

	// An escaped slash in the collection segment is part of the collection name.
	assertStatus(t, client.do(http.MethodPost, tenantPath+"/a%2Fb/doc", tokenAdmin, `{}`), http.StatusCreated)
	if _, ok := s.Document(DocPath{"tenant-a", "a/b", "doc"}); !ok {
		t.Errorf("no document in collection %q; stored: %v", "a/b", s.Documents())
	}

	requests := s.Requests()
	if got, want := requests[0].Path, tenantPath+"/users/team%2Falice"; got != want {
		t.Errorf("logged Path = %q, want %q", got, want)
	}
}

func TestInvalidPathSegmentsRejected(t *testing.T) {
	s, client := startServer(t, nil)
	s.SetDocument(DocPath{"tenant-a", "users", "u1"}, []byte(`{}`))

	paths := []string{
		tenantPath + "//users",
		tenantPath + "/users/",
		tenantPath + "/users/./u1",
		tenantPath + "/users/../users/u1",
		tenantPath + "/users/%2E%2E",
		tenantPath + "/users/%2e",
		"/api/v1//provisioning/tenants/tenant-a",
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			assertError(t, client.do(http.MethodGet, path, tokenAdmin, ""), http.StatusBadRequest, "BadRequest")
		})
	}
}

func TestBigNumbersKeepEveryDigit(t *testing.T) {
	s, client := startServer(t, nil)
	path := tenantPath + "/jobs/job-1"
	body := `{"big":9007199254740993,"precise":0.1000000000000000000000001,"huge":1e400,"nested":{"n":[18446744073709551617]}}`

	created := client.do(http.MethodPost, path, tokenAdmin, body)
	read := client.do(http.MethodGet, path, tokenAdmin, "")
	stored, _ := s.Document(DocPath{"tenant-a", "jobs", "job-1"})

	for name, data := range map[string][]byte{"POST response": created.body, "GET response": read.body, "Document": stored} {
		for _, literal := range []string{"9007199254740993", "0.1000000000000000000000001", "1e400", "18446744073709551617"} {
			if !bytes.Contains(data, []byte(literal)) {
				t.Errorf("%s lost the number %s: %s", name, literal, data)
			}
		}
	}
}

func TestResponsesAreReencoded(t *testing.T) {
	_, client := startServer(t, nil)
	body := `{"zeta":1,"alpha":{"b":2,"a":1}}`

	response := client.do(http.MethodPost, tenantPath+"/users/u1", tokenAdmin, body)
	assertStatus(t, response, http.StatusCreated)
	if bytes.Contains(response.body, []byte(`{"b":2,"a":1}`)) {
		t.Errorf("response echoes the request bytes: %s", response.body)
	}
	if !bytes.HasPrefix(response.body, []byte("{\n  \"alpha\": {\n    \"a\": 1,")) {
		t.Errorf("response is not indented with sorted keys: %s", response.body)
	}
}

func TestCollectionListOrderAndContent(t *testing.T) {
	s, client := startServer(t, nil)
	usersPath := tenantPath + "/users"

	empty := client.do(http.MethodGet, usersPath, tokenAdmin, "")
	assertStatus(t, empty, http.StatusOK)
	assertJSON(t, empty.body, `[]`)

	for _, id := range []string{"user-a", "user-b", "user-c"} {
		assertStatus(t, client.do(http.MethodPost, usersPath+"/"+id, tokenAdmin, `{"id":"`+id+`"}`), http.StatusCreated)
	}
	// Replacing a document keeps its position, documents in other
	// collections and the tenant document are not listed.
	assertStatus(t, client.do(http.MethodPost, usersPath+"/user-a", tokenAdmin, `{"id":"user-a","v":2}`), http.StatusOK)
	s.SetDocument(DocPath{"tenant-a", "bots", "bot-1"}, []byte(`{}`))
	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{}`))
	s.SetDocument(DocPath{"tenant-b", "users", "user-x"}, []byte(`{}`))

	list := client.do(http.MethodGet, usersPath, tokenAdmin, "")
	assertStatus(t, list, http.StatusOK)
	assertJSON(t, list.body, `[
		{"id":"user-c","data":{"id":"user-c","updated":1700000000123,"updatedBy":"admin-key"}},
		{"id":"user-b","data":{"id":"user-b","updated":1700000000123,"updatedBy":"admin-key"}},
		{"id":"user-a","data":{"id":"user-a","v":2,"updated":1700000000123,"updatedBy":"admin-key"}}
	]`)

	// A deleted and recreated document counts as new.
	s.DeleteDocument(DocPath{"tenant-a", "users", "user-b"})
	s.SetDocument(DocPath{"tenant-a", "users", "user-b"}, []byte(`{}`))
	var entries []struct{ ID string }
	if err := json.Unmarshal(client.do(http.MethodGet, usersPath, tokenAdmin, "").body, &entries); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, entry := range entries {
		ids = append(ids, entry.ID)
	}
	if got, want := strings.Join(ids, ","), "user-b,user-c,user-a"; got != want {
		t.Errorf("listing order = %s, want %s", got, want)
	}
}

func TestVersionsCurrentIsParentMember(t *testing.T) {
	s, client := startServer(t, nil)
	botPath := tenantPath + "/bots/bot-002"
	currentPath := botPath + "/versions/current"

	assertError(t, client.do(http.MethodGet, currentPath, tokenAdmin, ""), http.StatusNotFound, "NotFound")
	assertError(t, client.do(http.MethodPut, currentPath, tokenAdmin, `{}`), http.StatusNotFound, "NotFound")

	assertStatus(t, client.do(http.MethodPost, botPath, tokenAdmin,
		`{"name":"Support Bot","versions":{"current":{"spec":{"greeting":"hello"}},"v1":{"old":true}}}`), http.StatusCreated)

	// A write to the parent is visible at versions/current, unstamped.
	read := client.do(http.MethodGet, currentPath, tokenAdmin, "")
	assertStatus(t, read, http.StatusOK)
	assertJSON(t, read.body, `{"spec":{"greeting":"hello"}}`)

	// A merge at versions/current changes the member and stamps it and the parent.
	merged := client.do(http.MethodPut, currentPath, tokenAdmin, `{"spec":{"language":"en"}}`)
	assertStatus(t, merged, http.StatusOK)
	assertJSON(t, merged.body, `{"spec":{"greeting":"hello","language":"en"},"updated":1700000000123,"updatedBy":"admin-key"}`)
	parent := client.do(http.MethodGet, botPath, tokenAdmin, "")
	assertJSON(t, parent.body, `{
		"name":"Support Bot",
		"versions":{
			"current":{"spec":{"greeting":"hello","language":"en"},"updated":1700000000123,"updatedBy":"admin-key"},
			"v1":{"old":true}},
		"updated":1700000000123,"updatedBy":"admin-key"}`)

	// POST replaces the member only, and returns 200 because it existed.
	replaced := client.do(http.MethodPost, currentPath, tokenAdmin, `{"spec":{"greeting":"bye"}}`)
	assertStatus(t, replaced, http.StatusOK)
	assertJSON(t, replaced.body, `{"spec":{"greeting":"bye"},"updated":1700000000123,"updatedBy":"admin-key"}`)
	stored, _ := s.Document(DocPath{"tenant-a", "bots", "bot-002"})
	assertJSON(t, stored, `{
		"name":"Support Bot",
		"versions":{"current":{"spec":{"greeting":"bye"},"updated":1700000000123,"updatedBy":"admin-key"},"v1":{"old":true}},
		"updated":1700000000123,"updatedBy":"admin-key"}`)
}

func TestVersionsCurrentPostCreatesParent(t *testing.T) {
	s, client := startServer(t, nil)
	currentPath := tenantPath + "/bots/bot-new/versions/current"

	created := client.do(http.MethodPost, currentPath, tokenAdmin, `{"spec":{}}`)
	assertStatus(t, created, http.StatusCreated)
	stored, ok := s.Document(DocPath{"tenant-a", "bots", "bot-new"})
	if !ok {
		t.Fatal("POST to versions/current created no parent document")
	}
	assertJSON(t, stored, `{"versions":{"current":{"spec":{},"updated":1700000000123,"updatedBy":"admin-key"}},"updated":1700000000123,"updatedBy":"admin-key"}`)

	assertStatus(t, client.do(http.MethodPost, currentPath, tokenAdmin, `{"spec":{"a":1}}`), http.StatusOK)

	// A parent without versions.current gets 201 from POST and 404 from GET and PUT.
	s.SetDocument(DocPath{"tenant-a", "bots", "bot-plain"}, []byte(`{"name":"plain","versions":{"current":null}}`))
	plainPath := tenantPath + "/bots/bot-plain/versions/current"
	assertError(t, client.do(http.MethodGet, plainPath, tokenAdmin, ""), http.StatusNotFound, "NotFound")
	assertError(t, client.do(http.MethodPut, plainPath, tokenAdmin, `{}`), http.StatusNotFound, "NotFound")
	assertStatus(t, client.do(http.MethodPost, plainPath, tokenAdmin, `{"v":1}`), http.StatusCreated)

	// A versions member that is not an object is not overwritten.
	s.SetDocument(DocPath{"tenant-a", "bots", "bot-odd"}, []byte(`{"versions":"v1"}`))
	oddPath := tenantPath + "/bots/bot-odd/versions/current"
	assertError(t, client.do(http.MethodPost, oddPath, tokenAdmin, `{}`), http.StatusBadRequest, "BadRequest")
	assertError(t, client.do(http.MethodGet, oddPath, tokenAdmin, ""), http.StatusNotFound, "NotFound")
}

func TestBodyLimit(t *testing.T) {
	s, client := startServer(t, func(o *Options) { o.MaxBodyBytes = 100 })
	path := tenantPath + "/users/u1"

	atLimit := `{"a":"` + strings.Repeat("x", 100-len(`{"a":""}`)) + `"}`
	assertStatus(t, client.do(http.MethodPost, path, tokenAdmin, atLimit), http.StatusCreated)

	overLimit := atLimit + " "
	assertError(t, client.do(http.MethodPost, path, tokenAdmin, overLimit), http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")

	stored, _ := s.Document(DocPath{"tenant-a", "users", "u1"})
	assertJSON(t, stored, atLimit[:len(atLimit)-1]+`,"updated":1700000000123,"updatedBy":"admin-key"}`)
}

func TestDefaultBodyLimit(t *testing.T) {
	s := New(Options{})
	if s.maxBodyBytes != DefaultMaxBodyBytes {
		t.Errorf("maxBodyBytes = %d, want %d", s.maxBodyBytes, DefaultMaxBodyBytes)
	}
}

func TestOutOfBandDocumentAccess(t *testing.T) {
	s, client := startServer(t, nil)
	user := DocPath{"tenant-a", "users", "u1"}

	s.SetDocument(user, []byte("{\n  \"big\": 9007199254740993,\n  \"role\": \"owner\"\n}\n"))
	read := client.do(http.MethodGet, tenantPath+"/users/u1", tokenAdmin, "")
	assertStatus(t, read, http.StatusOK)
	assertJSON(t, read.body, `{"big":9007199254740993,"role":"owner"}`)

	stored, ok := s.Document(user)
	if !ok {
		t.Fatal("Document found nothing after SetDocument")
	}
	if got, want := string(stored), `{"big":9007199254740993,"role":"owner"}`; got != want {
		t.Errorf("Document = %s, want %s", got, want)
	}
	if s.RequestCount() != 1 {
		t.Errorf("RequestCount = %d, want 1: out-of-band access must not be logged", s.RequestCount())
	}

	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{}`))
	if got := len(s.Documents()); got != 2 {
		t.Errorf("len(Documents) = %d, want 2", got)
	}

	s.DeleteDocument(user)
	if _, ok := s.Document(user); ok {
		t.Error("Document still found after DeleteDocument")
	}
	assertError(t, client.do(http.MethodGet, tenantPath+"/users/u1", tokenAdmin, ""), http.StatusNotFound, "NotFound")
	if _, ok := s.Document(DocPath{Tenant: "tenant-a", Collection: "users"}); ok {
		t.Error("Document found something at an invalid path")
	}
}

func TestSetDocumentPanicsOnInvalidInput(t *testing.T) {
	s := New(Options{})
	cases := map[string]struct {
		path DocPath
		raw  string
	}{
		"invalid JSON":       {DocPath{Tenant: "t"}, `{"a":`},
		"array":              {DocPath{Tenant: "t"}, `[]`},
		"empty tenant":       {DocPath{Collection: "c", DocumentID: "d"}, `{}`},
		"collection only":    {DocPath{Tenant: "t", Collection: "c"}, `{}`},
		"document ID only":   {DocPath{Tenant: "t", DocumentID: "d"}, `{}`},
		"data after object":  {DocPath{Tenant: "t"}, `{} 1`},
		"empty input":        {DocPath{Tenant: "t"}, ``},
		"null instead of {}": {DocPath{Tenant: "t"}, `null`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("SetDocument(%+v, %q) did not panic", tc.path, tc.raw)
				}
			}()
			s.SetDocument(tc.path, []byte(tc.raw))
		})
	}
}

func TestLatencyDelaysAPIRequests(t *testing.T) {
	s, client := startServer(t, func(o *Options) { o.Latency = 80 * time.Millisecond })

	start := time.Now()
	client.do(http.MethodGet, tenantPath, tokenAdmin, "")
	if elapsed := time.Since(start); elapsed < 80*time.Millisecond {
		t.Errorf("request with 80ms latency took %v", elapsed)
	}

	s.SetLatency(0)
	start = time.Now()
	client.do(http.MethodGet, tenantPath, tokenAdmin, "")
	if elapsed := time.Since(start); elapsed >= 80*time.Millisecond {
		t.Errorf("request after SetLatency(0) took %v", elapsed)
	}
}

func TestServeHTTPWithoutNetwork(t *testing.T) {
	s := New(Options{Keys: testKeys()})
	request := httptest.NewRequest(http.MethodPost, tenantPath+"/users/u1", strings.NewReader(`{"a":1}`))
	request.Header.Set("Authorization", "Bearer "+tokenAdmin)
	recorder := httptest.NewRecorder()

	s.ServeHTTP(recorder, request)
	if recorder.Code != http.StatusCreated {
		t.Errorf("status = %d, want 201; body: %s", recorder.Code, recorder.Body)
	}
	if got := s.Requests()[0].Status; got != http.StatusCreated {
		t.Errorf("logged Status = %d, want 201", got)
	}
}
