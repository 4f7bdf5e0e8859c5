package client

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSegmentBytes is the longest tenant ID, collection or document ID accepted. The API
// documents no limit, so this is a guard against mistakes (a whole document pasted into
// an ID, say) rather than a server rule.
const MaxSegmentBytes = 512

// DocumentPath addresses one provisioning document: the tenant document when Collection
// and DocumentID are empty, otherwise a document in a collection.
type DocumentPath struct {
	TenantID   string
	Collection string
	DocumentID string
}

// IsTenantDocument reports whether the path addresses the tenant document itself.
func (p DocumentPath) IsTenantDocument() bool {
	return p.Collection == "" && p.DocumentID == ""
}

// ID returns the Terraform ID of the document: TENANT or TENANT/COLLECTION/DOCUMENT_ID.
func (p DocumentPath) ID() string {
	if p.IsTenantDocument() {
		return p.TenantID
	}
	return p.TenantID + "/" + p.Collection + "/" + p.DocumentID
}

// Validate checks every segment of the path, so that no value can address a path other
// than the one it names.
func (p DocumentPath) Validate() error {
	if err := ValidateSegment("tenant_id", p.TenantID); err != nil {
		return err
	}
	if p.IsTenantDocument() {
		return nil
	}
	if (p.Collection == "") != (p.DocumentID == "") {
		return fmt.Errorf("collection and document_id must be set together or both left out; got collection %q and document_id %q", p.Collection, p.DocumentID)
	}
	if err := ValidateSegment("collection", p.Collection); err != nil {
		return err
	}
	return ValidateSegment("document_id", p.DocumentID)
}

// URLPath returns the escaped request path below the API root, for example
// /api/v1/provisioning/tenants/acme/users/u%201.
func (p DocumentPath) URLPath() string {
	var b strings.Builder
	b.WriteString(tenantsPath)
	b.WriteString(url.PathEscape(p.TenantID))
	if !p.IsTenantDocument() {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p.Collection))
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p.DocumentID))
	}
	return b.String()
}

// CollectionURLPath returns the escaped request path that lists a collection.
func CollectionURLPath(tenantID, collection string) string {
	return tenantsPath + url.PathEscape(tenantID) + "/" + url.PathEscape(collection)
}

const tenantsPath = "/api/v1/provisioning/tenants/"

// ValidateSegment checks one path segment. The value is escaped when the request is
// built (URLPath), so spaces, "%", "?", "#", "\\" and any other Unicode text reach the
// server as exactly one segment. The rules only reject what no escaping can make safe or
// meaningful: an empty value, a "/" (which the API cannot tell from a separator in an
// ID), the relative names "." and "..", control characters, invisible formatting
// characters and line separators (which make an ID look like another), invalid UTF-8
// and values over MaxSegmentBytes. The error names the attribute and the value.
func ValidateSegment(attribute, value string) error {
	switch {
	case value == "":
		return fmt.Errorf("%s must not be empty", attribute)
	case len(value) > MaxSegmentBytes:
		return fmt.Errorf("%s is %d bytes long; the maximum is %d bytes", attribute, len(value), MaxSegmentBytes)
	case !utf8.ValidString(value):
		return fmt.Errorf("%s %q is not valid UTF-8", attribute, value)
	case value == "." || value == "..":
		return fmt.Errorf("%s %q is a relative path name; use a real identifier", attribute, value)
	case strings.Contains(value, "/"):
		return fmt.Errorf("%s %q contains \"/\", which the API treats as a path separator; remove it", attribute, value)
	}
	for _, r := range value {
		switch {
		case unicode.IsControl(r):
			return fmt.Errorf("%s %q contains the control character %U; remove it", attribute, value, r)
		case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			return fmt.Errorf("%s %q contains the invisible character %U, which makes the value look like another; remove it", attribute, value, r)
		}
	}
	return nil
}

// IDFormats lists the accepted import ID formats, for error messages.
const IDFormats = `"TENANT" for the tenant document, or "TENANT/COLLECTION/DOCUMENT_ID" for a document in a collection`

// ParseID parses a Terraform ID of the form TENANT or TENANT/COLLECTION/DOCUMENT_ID.
func ParseID(id string) (DocumentPath, error) {
	parts := strings.Split(id, "/")
	var p DocumentPath
	switch len(parts) {
	case 1:
		p = DocumentPath{TenantID: parts[0]}
	case 3:
		p = DocumentPath{TenantID: parts[0], Collection: parts[1], DocumentID: parts[2]}
		// Each part of the long form is required, so name the empty one.
		for i, name := range []string{"tenant_id", "collection", "document_id"} {
			if err := ValidateSegment(name, parts[i]); err != nil {
				return DocumentPath{}, fmt.Errorf("invalid ID %q: %w; expected %s", id, err, IDFormats)
			}
		}
	default:
		return DocumentPath{}, fmt.Errorf("invalid ID %q: it has %d parts separated by \"/\"; expected %s", id, len(parts), IDFormats)
	}
	if err := p.Validate(); err != nil {
		return DocumentPath{}, fmt.Errorf("invalid ID %q: %w; expected %s", id, err, IDFormats)
	}
	return p, nil
}
