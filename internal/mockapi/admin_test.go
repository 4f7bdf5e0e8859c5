package mockapi

import (
	"encoding/json"
	"net/http"
	"testing"
)

func startAdminServer(t *testing.T) (*Server, *testClient) {
	return startServer(t, func(o *Options) { o.Admin = true })
}

func TestAdminDocuments(t *testing.T) {
	s, client := startAdminServer(t)
	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{"t":1}`))
	s.SetDocument(DocPath{"tenant-a", "users", "u1"}, []byte(`{"big":9007199254740993}`))
	s.SetDocument(DocPath{"tenant-a", "users", "team/bob"}, []byte(`{}`))

	response := client.do(http.MethodGet, "/_mock/documents", "", "")
	assertStatus(t, response, http.StatusOK)
	assertJSON(t, response.body, `{
		"tenant-a":{"t":1},
		"tenant-a/users/u1":{"big":9007199254740993},
		"tenant-a/users/team%2Fbob":{}}`)
}

func TestAdminStatsAndReset(t *testing.T) {
	s, client := startAdminServer(t)
	client.do(http.MethodPost, tenantPath+"/users/u1", tokenAdmin, `{}`)
	client.do(http.MethodGet, tenantPath+"/users/u1", tokenAdmin, "")
	client.do(http.MethodGet, tenantPath+"/users", tokenAdmin, "")

	var stats Stats
	response := client.do(http.MethodGet, "/_mock/stats", "", "")
	assertStatus(t, response, http.StatusOK)
	if err := json.Unmarshal(response.body, &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Total != 3 {
		t.Errorf("total = %d, want 3", stats.Total)
	}
	if stats.ByMethod["GET"] != 2 || stats.ByMethod["POST"] != 1 {
		t.Errorf("byMethod = %v, want GET 2 and POST 1", stats.ByMethod)
	}
	if stats.MaxInFlight != 1 {
		t.Errorf("maxInFlight = %d, want 1", stats.MaxInFlight)
	}

	assertStatus(t, client.do(http.MethodPost, "/_mock/stats/reset", "", ""), http.StatusNoContent)
	if got := s.RequestCount(); got != 0 {
		t.Errorf("RequestCount after reset = %d, want 0 (admin requests are not counted)", got)
	}
	assertJSON(t, client.do(http.MethodGet, "/_mock/stats", "", "").body,
		`{"total":0,"byMethod":{},"byStatus":{},"inFlight":0,"maxInFlight":0}`)
}

func TestAdminRejectsWrongMethodAndPath(t *testing.T) {
	_, client := startAdminServer(t)

	assertError(t, client.do(http.MethodGet, "/_mock/stats/reset", "", ""), http.StatusMethodNotAllowed, "MethodNotAllowed")
	assertError(t, client.do(http.MethodDelete, "/_mock/documents", "", ""), http.StatusMethodNotAllowed, "MethodNotAllowed")
	assertError(t, client.do(http.MethodGet, "/_mock/other", "", ""), http.StatusNotFound, "NotFound")
}
