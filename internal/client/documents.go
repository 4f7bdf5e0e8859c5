package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
)

// GetDocument returns the stored document at p, with the server's updated and updatedBy
// members. A missing document is an *APIError for which IsNotFound is true.
func (c *Client) GetDocument(ctx context.Context, p DocumentPath) ([]byte, error) {
	_, body, err := c.do(ctx, http.MethodGet, p.URLPath(), nil, http.StatusOK)
	return body, err
}

// ReplaceDocument stores body at p, replacing any document there, and returns the
// document as the server stored it. created is true when the document did not exist
// before (HTTP 201) and false when an existing one was replaced (HTTP 200).
func (c *Client) ReplaceDocument(ctx context.Context, p DocumentPath, body []byte) (stored []byte, created bool, err error) {
	status, stored, err := c.do(ctx, http.MethodPost, p.URLPath(), body, http.StatusCreated, http.StatusOK)
	if err != nil {
		return nil, false, err
	}
	return stored, status == http.StatusCreated, nil
}

// CollectionEntry is one document of a collection listing.
type CollectionEntry struct {
	ID   string          `json:"id"`
	Data json.RawMessage `json:"data"`
}

// ListCollection returns every document of a collection, sorted by ID because the API
// promises no order.
func (c *Client) ListCollection(ctx context.Context, tenantID, collection string) ([]CollectionEntry, error) {
	path := CollectionURLPath(tenantID, collection)
	_, body, err := c.do(ctx, http.MethodGet, path, nil, http.StatusOK)
	if err != nil {
		return nil, err
	}
	var entries []CollectionEntry
	if err := json.Unmarshal(body, &entries); err != nil {
		return nil, &ResponseError{Method: http.MethodGet, Path: path, Err: fmt.Errorf("expected a JSON array of {\"id\", \"data\"} entries: %w", err)}
	}
	for i, entry := range entries {
		if entry.ID == "" {
			return nil, &ResponseError{Method: http.MethodGet, Path: path, Err: fmt.Errorf("entry %d has no id", i)}
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	return entries, nil
}
