package mockapi

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestRequestLogRecordsRequests(t *testing.T) {
	s, client := startServer(t, nil)
	before := time.Now()

	client.do(http.MethodPost, tenantPath+"/users/a%2Fb?trace=1", tokenAdmin, `{"a":1}`)
	client.do(http.MethodGet, "/health", "", "")

	requests := s.Requests()
	if len(requests) != 2 {
		t.Fatalf("len(Requests) = %d, want 2", len(requests))
	}
	post := requests[0]
	if post.Method != http.MethodPost {
		t.Errorf("Method = %q, want POST", post.Method)
	}
	if want := tenantPath + "/users/a%2Fb?trace=1"; post.RequestURI != want {
		t.Errorf("RequestURI = %q, want %q", post.RequestURI, want)
	}
	if want := tenantPath + "/users/a%2Fb"; post.Path != want {
		t.Errorf("Path = %q, want %q", post.Path, want)
	}
	if got := post.Header.Get("Authorization"); got != "Bearer "+tokenAdmin {
		t.Errorf("Authorization header = %q", got)
	}
	if string(post.Body) != `{"a":1}` {
		t.Errorf("Body = %q", post.Body)
	}
	if post.Status != http.StatusCreated {
		t.Errorf("Status = %d, want 201", post.Status)
	}
	if post.Time.Before(before) || post.Time.After(time.Now()) {
		t.Errorf("Time = %v, want a wall-clock time during the test", post.Time)
	}
	if requests[1].Path != "/health" || requests[1].Status != http.StatusOK {
		t.Errorf("second entry = %s %d, want /health 200", requests[1].Path, requests[1].Status)
	}

	// Requests returns copies.
	requests[0].Body[0] = 'X'
	requests[0].Header.Set("Authorization", "changed")
	if again := s.Requests()[0]; string(again.Body) != `{"a":1}` || again.Header.Get("Authorization") != "Bearer "+tokenAdmin {
		t.Error("changing a returned Request changed the log")
	}
}

func TestRequestLogKeepsLatestEntries(t *testing.T) {
	s, client := startServer(t, func(o *Options) { o.RequestLogSize = 5 })

	for i := range 12 {
		method := http.MethodGet
		if i%3 == 0 {
			method = http.MethodPost
		}
		client.do(method, fmt.Sprintf("%s/users/u%d", tenantPath, i), tokenAdmin, `{}`)
	}

	requests := s.Requests()
	if len(requests) != 5 {
		t.Fatalf("len(Requests) = %d, want 5", len(requests))
	}
	for i, request := range requests {
		if want := fmt.Sprintf("%s/users/u%d", tenantPath, i+7); request.Path != want {
			t.Errorf("Requests()[%d].Path = %q, want %q", i, request.Path, want)
		}
	}
	if got := s.RequestCount(); got != 12 {
		t.Errorf("RequestCount = %d, want 12", got)
	}
	stats := s.Stats()
	if stats.ByMethod["POST"] != 4 || stats.ByMethod["GET"] != 8 {
		t.Errorf("ByMethod = %v, want POST 4 and GET 8", stats.ByMethod)
	}
	if stats.ByStatus["201"] != 4 || stats.ByStatus["404"] != 8 {
		t.Errorf("ByStatus = %v, want 201: 4 and 404: 8", stats.ByStatus)
	}
}

func TestRequestLogDisabledKeepsCounters(t *testing.T) {
	s, client := startServer(t, func(o *Options) { o.RequestLogSize = -1 })
	client.do(http.MethodGet, "/health", "", "")

	if got := len(s.Requests()); got != 0 {
		t.Errorf("len(Requests) = %d, want 0", got)
	}
	if got := s.RequestCount(); got != 1 {
		t.Errorf("RequestCount = %d, want 1", got)
	}
}

func TestResetRequestsClearsLogAndCounters(t *testing.T) {
	s, client := startServer(t, nil)
	client.do(http.MethodGet, tenantPath, tokenAdmin, "")

	s.ResetRequests()
	if got := len(s.Requests()); got != 0 {
		t.Errorf("len(Requests) = %d, want 0", got)
	}
	if got := s.RequestCount(); got != 0 {
		t.Errorf("RequestCount = %d, want 0", got)
	}
	if got := s.MaxInFlight(); got != 0 {
		t.Errorf("MaxInFlight = %d, want 0", got)
	}

	client.do(http.MethodGet, tenantPath, tokenAdmin, "")
	if got := s.RequestCount(); got != 1 {
		t.Errorf("RequestCount after one more request = %d, want 1", got)
	}
}

func TestConcurrentRequestsLogAndMaxInFlight(t *testing.T) {
	const parallel = 16
	s, client := startServer(t, func(o *Options) { o.Latency = 300 * time.Millisecond })

	var wg sync.WaitGroup
	statuses := make([]int, parallel)
	for i := range parallel {
		wg.Go(func() {
			response, err := client.send(http.MethodPost, fmt.Sprintf("%s/users/u%d", tenantPath, i), tokenAdmin, `{}`)
			if err != nil {
				t.Errorf("request %d failed: %v", i, err)
				return
			}
			statuses[i] = response.status
		})
	}
	wg.Wait()

	for i, status := range statuses {
		if status != http.StatusCreated {
			t.Errorf("request %d: status = %d, want 201", i, status)
		}
	}
	if got := s.MaxInFlight(); got != parallel {
		t.Errorf("MaxInFlight = %d, want %d", got, parallel)
	}
	if got := s.RequestCount(); got != parallel {
		t.Errorf("RequestCount = %d, want %d", got, parallel)
	}
	if got := len(s.Requests()); got != parallel {
		t.Errorf("len(Requests) = %d, want %d", got, parallel)
	}
	if got := s.Stats().InFlight; got != 0 {
		t.Errorf("InFlight after all responses = %d, want 0", got)
	}
	if got := len(s.Documents()); got != parallel {
		t.Errorf("len(Documents) = %d, want %d", got, parallel)
	}
}

func TestConcurrentMergesLoseNoField(t *testing.T) {
	const writers = 20
	s, client := startServer(t, nil)
	s.SetDocument(DocPath{Tenant: "tenant-a"}, []byte(`{}`))

	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			response, err := client.send(http.MethodPut, tenantPath, tokenAdmin, fmt.Sprintf(`{"field%d":%d}`, i, i))
			if err != nil || response.status != http.StatusOK {
				t.Errorf("merge %d failed: %v, status %d", i, err, response.status)
			}
		})
	}
	wg.Wait()

	stored, _ := s.Document(DocPath{Tenant: "tenant-a"})
	document, ok := decodeJSON(t, stored).(map[string]any)
	if !ok {
		t.Fatalf("the stored tenant document is not a JSON object: %s", stored)
	}
	for i := range writers {
		if _, ok := document[fmt.Sprintf("field%d", i)]; !ok {
			t.Errorf("field%d lost by a concurrent merge", i)
		}
	}
}
