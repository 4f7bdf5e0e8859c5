package client

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// hostileSegments are values that must reach the server as exactly one path segment.
var hostileSegments = []string{
	"user 1",
	" leading-and-trailing ",
	"a%2Fb",
	"%2e%2e",
	"%2F",
	"%",
	"100%",
	"a?b=c",
	"a#frag",
	"a;b,c",
	"a+b&c=d",
	`back\slash`,
	"...",
	". ",
	"~user",
	"ü-ñ-日本語",
	"😀",
	"ÅÅ", // NFC and NFD spellings stay distinct
	"<script>",
	`"quoted"`,
	strings.Repeat("x", MaxSegmentBytes),
	strings.Repeat("é", MaxSegmentBytes/2),
}

// invalidSegments must be rejected, with the error containing the given text.
var invalidSegments = map[string]string{
	"":                                     "must not be empty",
	"/":                                    `contains "/"`,
	"users/admin":                          `contains "/"`,
	"..":                                   "is a relative path name",
	".":                                    "is a relative path name",
	"a\x00b":                               "control character U+0000",
	"line\nbreak":                          "control character U+000A",
	"tab\there":                            "control character U+0009",
	"del\x7f":                              "control character U+007F",
	"c1\u0085":                             "control character U+0085",
	"rtl\u202eevil":                        "invisible character U+202E",
	"zero\u200bwidth":                      "invisible character U+200B",
	"bom\ufeff":                            "invisible character U+FEFF",
	"line\u2028sep":                        "invisible character U+2028",
	"\xff\xfe":                             "is not valid UTF-8",
	strings.Repeat("x", MaxSegmentBytes+1): "is 513 bytes long; the maximum is 512 bytes",
	strings.Repeat("y", 1<<20):             "is 1048576 bytes long",
}

func TestValidateSegment(t *testing.T) {
	t.Parallel()
	for _, value := range hostileSegments {
		if err := ValidateSegment("document_id", value); err != nil {
			t.Errorf("ValidateSegment(%q) = %v; want it accepted and escaped", value, err)
		}
	}
	for value, want := range invalidSegments {
		err := ValidateSegment("document_id", value)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "document_id") {
			t.Errorf("ValidateSegment(%.40q) = %v; want an error naming document_id and containing %q", value, err, want)
		}
		if err != nil && len(err.Error()) > 2*MaxSegmentBytes+200 {
			t.Errorf("ValidateSegment on a %d-byte value returned a %d-byte error; want it short", len(value), len(err.Error()))
		}
	}
}

// TestURLPath_serverReceivesOneSegment writes a document for each hostile value and
// checks the raw path that the mock received and where it stored the document.
func TestURLPath_serverReceivesOneSegment(t *testing.T) {
	t.Parallel()
	srv, baseURL := newMock(t)
	c := newClient(t, fastConfig(baseURL))
	for _, value := range hostileSegments {
		for _, p := range []DocumentPath{
			{TenantID: testTenant, Collection: "users", DocumentID: value},
			{TenantID: testTenant, Collection: value, DocumentID: "doc"},
		} {
			srv.ResetRequests()
			if _, _, err := c.ReplaceDocument(context.Background(), p, []byte(`{"v":1}`)); err != nil {
				t.Errorf("ReplaceDocument(%q): %v", p.ID(), err)
				continue
			}
			requests := srv.Requests()
			if len(requests) != 1 {
				t.Fatalf("the mock got %d requests; want 1", len(requests))
			}
			raw := requests[0].Path
			segments := strings.Split(strings.TrimPrefix(raw, "/"), "/")
			want := []string{"api", "v1", "provisioning", "tenants", testTenant, p.Collection, p.DocumentID}
			if len(segments) != len(want) {
				t.Errorf("for %q the mock received %q, with %d segments; want %d", p.ID(), raw, len(segments), len(want))
				continue
			}
			for i, segment := range segments {
				got, err := url.PathUnescape(segment)
				if err != nil || got != want[i] {
					t.Errorf("for %q segment %d of %q unescapes to %q (%v); want %q", p.ID(), i, raw, got, err, want[i])
				}
			}
			if _, ok := srv.Document(mockapi.DocPath{Tenant: testTenant, Collection: p.Collection, DocumentID: p.DocumentID}); !ok {
				t.Errorf("the mock did not store %q under its own path", p.ID())
			}
		}
	}
}

func TestParseID(t *testing.T) {
	t.Parallel()
	valid := map[string]DocumentPath{
		"tenant-alpha":              {TenantID: "tenant-alpha"},
		"tenant-alpha/users/user 1": {TenantID: "tenant-alpha", Collection: "users", DocumentID: "user 1"},
		"t/bots/%2F":                {TenantID: "t", Collection: "bots", DocumentID: "%2F"},
		"t/c/日本語":                   {TenantID: "t", Collection: "c", DocumentID: "日本語"},
	}
	for id, want := range valid {
		got, err := ParseID(id)
		if err != nil || got != want {
			t.Errorf("ParseID(%q) = %+v, %v; want %+v", id, got, err, want)
		}
	}
	invalid := map[string]string{
		"":                  "tenant_id must not be empty",
		"a/b":               `it has 2 parts separated by "/"`,
		"a/b/c/d":           `it has 4 parts`,
		"a//c":              "collection must not be empty",
		"a/b/":              "document_id must not be empty",
		"../users/x":        `tenant_id ".." is a relative path name`,
		"t/users/..":        `document_id ".." is a relative path name`,
		"t/users/a\nb":      "control character",
		"t/users/" + "\xff": "not valid UTF-8",
		"/t/users/x":        "parts",
	}
	for id, want := range invalid {
		_, err := ParseID(id)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "TENANT/COLLECTION/DOCUMENT_ID") {
			t.Errorf("ParseID(%q) = %v; want an error containing %q and the expected formats", id, err, want)
		}
	}
}

// FuzzParseID checks that ParseID never panics, that every ID it accepts round-trips
// through ID, and that an accepted ID addresses only the path it names.
func FuzzParseID(f *testing.F) {
	for _, seed := range []string{"tenant", "t/c/d", "t/c/d/e", "a//b", "../x/y", "t/users/%2F..", "t/c/a%2Fb", "t/c/ ", "t/c/\x00", "t/c/\u202e", "t/c/\xff", strings.Repeat("a/", 300)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		p, err := ParseID(id)
		if err != nil {
			if p != (DocumentPath{}) {
				t.Fatalf("ParseID(%q) returned %+v with an error", id, p)
			}
			return
		}
		if p.ID() != id {
			t.Fatalf("ParseID(%q).ID() = %q", id, p.ID())
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParseID(%q) accepted a path that Validate rejects: %v", id, err)
		}
		checkOneSegmentEach(t, p)
	})
}

// FuzzURLPath checks that every path that Validate accepts is sent as one escaped
// segment per value, as the server parses the request line.
func FuzzURLPath(f *testing.F) {
	for _, seed := range hostileSegments {
		f.Add("tenant", "users", seed)
	}
	f.Add("t", "", "")
	f.Add("a%2Fb", "c", "..")
	f.Fuzz(func(t *testing.T, tenant, collection, document string) {
		p := DocumentPath{TenantID: tenant, Collection: collection, DocumentID: document}
		if p.Validate() != nil {
			return
		}
		checkOneSegmentEach(t, p)
	})
}

// checkOneSegmentEach builds the request URL for p the way the client does, turns it
// into the request line that net/http sends, parses that the way a server does, and
// checks that each value of p is exactly one segment.
func checkOneSegmentEach(t *testing.T, p DocumentPath) {
	t.Helper()
	u, err := url.Parse("https://api.example.test" + p.URLPath())
	if err != nil {
		t.Fatalf("the URL for %+v does not parse: %v", p, err)
	}
	received, err := url.ParseRequestURI(u.RequestURI())
	if err != nil {
		t.Fatalf("the request line %q for %+v does not parse: %v", u.RequestURI(), p, err)
	}
	if received.RawQuery != "" || received.Fragment != "" {
		t.Fatalf("the request line %q for %+v has a query or fragment", u.RequestURI(), p)
	}
	segments := strings.Split(strings.TrimPrefix(received.EscapedPath(), "/"), "/")
	want := []string{"api", "v1", "provisioning", "tenants", p.TenantID}
	if !p.IsTenantDocument() {
		want = append(want, p.Collection, p.DocumentID)
	}
	if len(segments) != len(want) {
		t.Fatalf("the server would see %q for %+v: %d segments, want %d", received.EscapedPath(), p, len(segments), len(want))
	}
	for i, segment := range segments {
		got, err := url.PathUnescape(segment)
		if err != nil || got != want[i] {
			t.Fatalf("segment %d of %q unescapes to %q (%v); want %q", i, received.EscapedPath(), got, err, want[i])
		}
		if !utf8.ValidString(segment) || strings.ContainsAny(segment, "?# ") {
			t.Fatalf("segment %d of %q is not escaped", i, received.EscapedPath())
		}
	}
}
