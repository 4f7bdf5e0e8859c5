package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"sync"
)

// DocPath identifies a stored document by its unescaped path segments. With
// Collection and DocumentID empty it is the tenant document. Otherwise both
// must be set.
type DocPath struct {
	Tenant, Collection, DocumentID string
}

func (p DocPath) valid() bool {
	if p.Tenant == "" {
		return false
	}
	return (p.Collection == "") == (p.DocumentID == "")
}

// String returns the document ID used by the admin endpoint: "tenant" or
// "tenant/collection/docId", each segment escaped with url.PathEscape so that
// an ID containing "/" stays unambiguous.
func (p DocPath) String() string {
	if p.Collection == "" {
		return url.PathEscape(p.Tenant)
	}
	return url.PathEscape(p.Tenant) + "/" + url.PathEscape(p.Collection) + "/" + url.PathEscape(p.DocumentID)
}

// store keeps documents as trees decoded with json.Decoder.UseNumber. A stored
// tree is never modified: every write builds a new top-level map and copies
// the maps it changes below. Readers can therefore encode a tree after
// releasing the lock.
type store struct {
	mu      sync.RWMutex
	docs    map[DocPath]storedDocument
	lastSeq uint64
}

type storedDocument struct {
	// seq orders documents by creation. Replacing a document keeps its seq.
	seq  uint64
	body map[string]any
}

// listEntry is one element of a collection listing.
type listEntry struct {
	ID   string         `json:"id"`
	Data map[string]any `json:"data"`
}

func newStore() *store {
	return &store{docs: make(map[DocPath]storedDocument)}
}

func (st *store) get(p DocPath) (map[string]any, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	doc, ok := st.docs[p]
	return doc.body, ok
}

// update runs change on the current document under the write lock and
// stores the map it returns. change receives nil when the document does not
// exist. When change returns an error or a nil map, nothing is stored.
func (st *store) update(p DocPath, change func(current map[string]any) (map[string]any, error)) error {
	st.mu.Lock()
	defer st.mu.Unlock()

	existing, exists := st.docs[p]
	updated, err := change(existing.body)
	if err != nil || updated == nil {
		return err
	}
	if !exists {
		st.lastSeq++
		existing.seq = st.lastSeq
	}
	st.docs[p] = storedDocument{seq: existing.seq, body: updated}
	return nil
}

func (st *store) remove(p DocPath) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.docs, p)
}

// list returns the documents of one collection, newest first by creation.
// The order is deliberately not sorted by ID, so that clients which rely on
// sorted listings fail in tests.
func (st *store) list(tenant, collection string) []listEntry {
	st.mu.RLock()
	type found struct {
		seq   uint64
		entry listEntry
	}
	var matches []found
	for p, doc := range st.docs {
		if p.Tenant == tenant && p.Collection == collection && p.DocumentID != "" {
			matches = append(matches, found{doc.seq, listEntry{ID: p.DocumentID, Data: doc.body}})
		}
	}
	st.mu.RUnlock()

	slices.SortFunc(matches, func(a, b found) int {
		switch {
		case a.seq > b.seq:
			return -1
		case a.seq < b.seq:
			return 1
		default:
			return 0
		}
	})
	entries := make([]listEntry, 0, len(matches))
	for _, m := range matches {
		entries = append(entries, m.entry)
	}
	return entries
}

func (st *store) snapshot() map[DocPath]map[string]any {
	st.mu.RLock()
	defer st.mu.RUnlock()
	docs := make(map[DocPath]map[string]any, len(st.docs))
	for p, doc := range st.docs {
		docs[p] = doc.body
	}
	return docs
}

// decodeObject decodes data as one JSON object, keeping numbers as
// json.Number so that no digit is lost. The error message is written for the
// client that sent data.
func decodeObject(data []byte) (map[string]any, error) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()

	var value any
	if err := decoder.Decode(&value); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the request body is empty, but it must be a JSON object")
		}
		return nil, fmt.Errorf("the request body is not valid JSON: %v", err)
	}
	object, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the request body must be a JSON object, not %s", describeJSON(value))
	}
	if _, err := decoder.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("the request body contains more data after the JSON object")
	}
	return object, nil
}

func describeJSON(value any) string {
	switch value.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

// mergeObjects returns a new map with patch merged into base. Members that
// are objects on both sides are merged recursively. Any other patch value
// replaces the base value, so arrays are replaced whole and null is stored as
// null instead of deleting the member. Neither argument is modified.
func mergeObjects(base, patch map[string]any) map[string]any {
	merged := maps.Clone(base)
	if merged == nil {
		merged = make(map[string]any, len(patch))
	}
	for name, patchValue := range patch {
		baseObject, baseIsObject := merged[name].(map[string]any)
		patchObject, patchIsObject := patchValue.(map[string]any)
		if baseIsObject && patchIsObject {
			merged[name] = mergeObjects(baseObject, patchObject)
		} else {
			merged[name] = patchValue
		}
	}
	return merged
}

// SetDocument stores raw as the document at p, replacing any document there.
// It adds no stamps and does not log a request. raw may have any formatting,
// and numbers keep every digit. SetDocument panics if raw is not a JSON
// object or p is not a valid DocPath.
func (s *Server) SetDocument(p DocPath, raw []byte) {
	if !p.valid() {
		panic(fmt.Sprintf("mockapi: SetDocument: invalid path %+v: Tenant is required, and Collection and DocumentID must be both set or both empty", p))
	}
	doc, err := decodeObject(raw)
	if err != nil {
		panic(fmt.Sprintf("mockapi: SetDocument %s: %v", p, err))
	}
	_ = s.store.update(p, func(map[string]any) (map[string]any, error) {
		return doc, nil
	})
}

// Document returns the document at p as compact JSON with sorted keys, and
// false if there is none.
func (s *Server) Document(p DocPath) ([]byte, bool) {
	doc, ok := s.store.get(p)
	if !ok {
		return nil, false
	}
	return mustMarshal(doc), true
}

// DeleteDocument removes the document at p, if any. A document stored at p
// later counts as new and moves to the front of collection listings.
func (s *Server) DeleteDocument(p DocPath) {
	s.store.remove(p)
}

// Documents returns every stored document as compact JSON with sorted keys.
func (s *Server) Documents() map[DocPath][]byte {
	snapshot := s.store.snapshot()
	docs := make(map[DocPath][]byte, len(snapshot))
	for p, doc := range snapshot {
		docs[p] = mustMarshal(doc)
	}
	return docs
}

// mustMarshal encodes a stored document or a value built by the mock. Stored
// trees contain only values produced by json.Decoder, so an error is a bug in
// the mock.
func mustMarshal(value any) []byte {
	data, err := json.Marshal(value)
	if err != nil {
		panic("mockapi: encoding JSON failed: " + err.Error())
	}
	return data
}
