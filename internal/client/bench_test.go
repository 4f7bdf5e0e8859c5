package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchDocument returns a JSON object of about size bytes, shaped like a user document.
func benchDocument(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"email":"user@example.com","role":"editor","updated":1700000000000,"updatedBy":"ci-pipeline","groups":[`)
	for i := 0; b.Len() < size-2; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"group-%d","since":%d}`, i, 1600000000000+i)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// newBenchServer starts a server that responds to every GET with document and to every
// POST with the request body, as the API does. It checks the Authorization header so that
// the benchmark fails if the client stops sending it.
func newBenchServer(b *testing.B, key string, document []byte) *Client {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+key {
			http.Error(w, `{"code":"Unauthenticated","message":"wrong key"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodGet:
			_, _ = w.Write(document)
		case http.MethodPost:
			body, _ := io.ReadAll(r.Body)
			_, _ = w.Write(body)
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	}))
	b.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, APIKey: key})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

var benchDocumentSizes = []struct {
	name string
	size int
}{
	{"1KB", 1 << 10},
	{"100KB", 100 << 10},
}

// BenchmarkGetDocument measures one GET on a keep-alive connection, response body
// included.
func BenchmarkGetDocument(b *testing.B) {
	for _, size := range benchDocumentSizes {
		b.Run(size.name, func(b *testing.B) {
			document := benchDocument(size.size)
			c := newBenchServer(b, "bench-key", document)
			p := DocumentPath{TenantID: "tenant-bench", Collection: "users", DocumentID: "user-1"}
			ctx := context.Background()
			b.ReportAllocs()
			b.SetBytes(int64(len(document)))
			for b.Loop() {
				body, err := c.GetDocument(ctx, p)
				if err != nil {
					b.Fatal(err)
				}
				if len(body) != len(document) {
					b.Fatalf("got %d bytes; want %d", len(body), len(document))
				}
			}
		})
	}
}

// BenchmarkReplaceDocument measures one POST that sends a document and reads it back.
func BenchmarkReplaceDocument(b *testing.B) {
	for _, size := range benchDocumentSizes {
		b.Run(size.name, func(b *testing.B) {
			document := benchDocument(size.size)
			c := newBenchServer(b, "bench-key", document)
			p := DocumentPath{TenantID: "tenant-bench", Collection: "users", DocumentID: "user-1"}
			ctx := context.Background()
			b.ReportAllocs()
			b.SetBytes(int64(2 * len(document)))
			for b.Loop() {
				stored, _, err := c.ReplaceDocument(ctx, p, document)
				if err != nil {
					b.Fatal(err)
				}
				if len(stored) != len(document) {
					b.Fatalf("got %d bytes back; want %d", len(stored), len(document))
				}
			}
		})
	}
}

// BenchmarkGetDocumentParallel measures GETs from Terraform's default of 10 concurrent
// callers sharing one Client.
func BenchmarkGetDocumentParallel(b *testing.B) {
	document := benchDocument(1 << 10)
	c := newBenchServer(b, "bench-key", document)
	p := DocumentPath{TenantID: "tenant-bench", Collection: "users", DocumentID: "user-1"}
	b.ReportAllocs()
	b.SetParallelism(5) // 5 × GOMAXPROCS goroutines, 10 on a 2-core machine
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := c.GetDocument(ctx, p); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
