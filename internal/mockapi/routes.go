package mockapi

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// routeKind is the kind of resource that a path below
// /api/v1/provisioning/tenants/ names.
type routeKind int

const (
	routeTenant         routeKind = iota // {tenantId}
	routeCollection                      // {tenantId}/{collection}
	routeDocument                        // {tenantId}/{collection}/{docId}
	routeCurrentVersion                  // {tenantId}/{collection}/{docId}/versions/current
)

type route struct {
	kind routeKind
	// doc is the document the route reads or writes. For routeCollection only
	// Tenant and Collection are set, and for routeCurrentVersion it is the
	// parent document.
	doc DocPath
}

var (
	documentMethods   = []string{http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPost, http.MethodPut}
	collectionMethods = []string{http.MethodGet, http.MethodHead, http.MethodOptions}
)

func (rt route) allowedMethods() []string {
	if rt.kind == routeCollection {
		return collectionMethods
	}
	return documentMethods
}

// splitPath splits an escaped path into unescaped segments. Splitting before
// unescaping keeps "%2F" inside its segment. Empty, "." and ".." segments are
// rejected, whether written literally or escaped, so a path cannot name a
// document other than the one it shows.
func splitPath(escapedPath string) ([]string, *apiError) {
	parts := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	segments := make([]string, len(parts))
	for i, part := range parts {
		segment, err := url.PathUnescape(part)
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, codeBadRequest,
				"path segment %d (%q) has an invalid escape: %v", i+1, part, err)
		}
		switch segment {
		case "":
			return nil, newAPIError(http.StatusBadRequest, codeBadRequest,
				"path segment %d is empty because of a repeated or trailing slash", i+1)
		case ".", "..":
			return nil, newAPIError(http.StatusBadRequest, codeBadRequest,
				"path segment %d is %q, which is not allowed", i+1, segment)
		}
		segments[i] = segment
	}
	return segments, nil
}

// parseRoute maps an escaped /api/v1 path to a route, or returns a 400 or 404
// error.
func parseRoute(escapedPath string) (route, *apiError) {
	segments, err := splitPath(escapedPath)
	if err != nil {
		return route{}, err
	}

	notFound := newAPIError(http.StatusNotFound, codeNotFound, "no route for path %s", escapedPath)
	base := []string{"api", "v1", "provisioning", "tenants"}
	if len(segments) <= len(base) || !slices.Equal(segments[:len(base)], base) {
		return route{}, notFound
	}

	rest := segments[len(base):]
	switch len(rest) {
	case 1:
		return route{kind: routeTenant, doc: DocPath{Tenant: rest[0]}}, nil
	case 2:
		return route{kind: routeCollection, doc: DocPath{Tenant: rest[0], Collection: rest[1]}}, nil
	case 3:
		return route{kind: routeDocument, doc: DocPath{Tenant: rest[0], Collection: rest[1], DocumentID: rest[2]}}, nil
	case 5:
		if rest[3] == "versions" && rest[4] == "current" {
			return route{kind: routeCurrentVersion, doc: DocPath{Tenant: rest[0], Collection: rest[1], DocumentID: rest[2]}}, nil
		}
	}
	return route{}, notFound
}

// serveAPI checks, in this order: the key (401), the path (400, 404), the
// tenant (403), the method (405) and the scope (403). It then runs the
// handler for the route.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string, body []byte) {
	key, err := s.keys.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="crescendo"`)
		writeAPIError(w, err)
		return
	}

	rt, err := parseRoute(path)
	if err != nil {
		writeAPIError(w, err)
		return
	}
	if rt.doc.Tenant != key.Tenant {
		writeError(w, http.StatusForbidden, codePermissionDenied,
			"the API key belongs to tenant %q and cannot access tenant %q", key.Tenant, rt.doc.Tenant)
		return
	}
	allowed := rt.allowedMethods()
	if !slices.Contains(allowed, r.Method) {
		writeMethodNotAllowed(w, r.Method, allowed)
		return
	}
	if err := key.authorize(r.Method, rt.doc.Collection); err != nil {
		writeAPIError(w, err)
		return
	}

	switch r.Method {
	case http.MethodOptions:
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet, http.MethodHead:
		s.handleRead(w, rt)
	case http.MethodPost, http.MethodPut:
		s.handleWrite(w, r.Method, rt, key, body)
	}
}

func (s *Server) handleRead(w http.ResponseWriter, rt route) {
	if rt.kind == routeCollection {
		writeJSON(w, http.StatusOK, s.store.list(rt.doc.Tenant, rt.doc.Collection))
		return
	}

	doc, ok := s.store.get(rt.doc)
	if !ok {
		writeError(w, http.StatusNotFound, codeNotFound, "document %s not found", rt.doc)
		return
	}
	if rt.kind == routeCurrentVersion {
		current, err := currentVersion(rt.doc, doc)
		if err != nil {
			writeAPIError(w, err)
			return
		}
		doc = current
	}
	writeJSON(w, http.StatusOK, doc)
}

// handleWrite replaces (POST) or merges into (PUT) the document of the route
// and responds with the stored result, stamps included. POST responds 201
// when it created the document and 200 when it replaced one.
func (s *Server) handleWrite(w http.ResponseWriter, method string, rt route, key *Key, body []byte) {
	patch, decodeErr := decodeObject(body)
	if decodeErr != nil {
		writeError(w, http.StatusBadRequest, codeBadRequest, "%v", decodeErr)
		return
	}

	// One clock reading per request, so that a parent document and its
	// versions.current member get the same stamp.
	updated := json.Number(strconv.FormatInt(s.clock().UnixMilli(), 10))
	stamp := func(doc map[string]any) {
		doc["updated"] = updated
		doc["updatedBy"] = key.Name
	}
	replace := method == http.MethodPost

	var result map[string]any
	created := false
	err := s.store.update(rt.doc, func(current map[string]any) (map[string]any, error) {
		if rt.kind == routeCurrentVersion {
			parent, written, wasCreated, err := writeCurrentVersion(rt.doc, current, patch, replace, stamp)
			result, created = written, wasCreated
			return parent, err
		}

		if replace {
			created = current == nil
			result = patch
		} else {
			if current == nil {
				return nil, newAPIError(http.StatusNotFound, codeNotFound,
					"document %s not found, and PUT merges only into an existing document (POST creates one)", rt.doc)
			}
			result = mergeObjects(current, patch)
		}
		stamp(result)
		return result, nil
	})
	if err != nil {
		var apiErr *apiError
		if !errors.As(err, &apiErr) {
			// Only *apiError values are returned by the update functions above.
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write(internalErrorBody("updating the document failed: " + err.Error()))
			return
		}
		writeAPIError(w, apiErr)
		return
	}

	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, result)
}

// currentVersion returns the versions.current member of parent, or a 404
// error when it is missing, null or not an object.
func currentVersion(p DocPath, parent map[string]any) (map[string]any, *apiError) {
	versions, _ := parent["versions"].(map[string]any)
	current, ok := versions["current"].(map[string]any)
	if !ok {
		return nil, newAPIError(http.StatusNotFound, codeNotFound,
			"document %s has no versions.current object", p)
	}
	return current, nil
}

// writeCurrentVersion implements POST and PUT on .../versions/current, which
// the mock treats as the versions.current member of the parent document at p,
// so that a GET of either path shows a write made through the other.
//
// POST replaces the member and creates the parent document, or its versions
// object, when missing. It reports created=true when the member was missing
// or null. POST fails with 400 when the parent's versions member is neither an
// object nor null, because replacing it would drop data the client did not
// address. PUT merges into the member and fails with 404 when the parent or
// the member is missing.
//
// Both the member and the parent are stamped, because the response must carry
// the stamps and the parent document has changed too.
func writeCurrentVersion(p DocPath, parent, body map[string]any, replace bool, stamp func(map[string]any)) (newParent, written map[string]any, created bool, err error) {
	if replace {
		versions := map[string]any{}
		if parent != nil {
			switch existing := parent["versions"].(type) {
			case nil:
			case map[string]any:
				versions = maps.Clone(existing)
			default:
				return nil, nil, false, newAPIError(http.StatusBadRequest, codeBadRequest,
					"document %s has a versions member that is %s, not an object", p, describeJSON(existing))
			}
		}
		created = versions["current"] == nil
		written = body
		stamp(written)
		versions["current"] = written

		newParent = maps.Clone(parent)
		if newParent == nil {
			newParent = map[string]any{}
		}
		newParent["versions"] = versions
		stamp(newParent)
		return newParent, written, created, nil
	}

	if parent == nil {
		return nil, nil, false, newAPIError(http.StatusNotFound, codeNotFound,
			"document %s not found, and PUT merges only into an existing document (POST creates one)", p)
	}
	current, notFound := currentVersion(p, parent)
	if notFound != nil {
		return nil, nil, false, notFound
	}
	written = mergeObjects(current, body)
	stamp(written)
	versions := map[string]any{}
	if existing, ok := parent["versions"].(map[string]any); ok {
		versions = maps.Clone(existing)
	}
	versions["current"] = written

	newParent = maps.Clone(parent)
	newParent["versions"] = versions
	stamp(newParent)
	return newParent, written, false, nil
}
