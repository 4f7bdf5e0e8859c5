package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
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

// do sends one request, with retries, and returns the status and body of a response
// whose status is one of expected. Any other status becomes an *APIError; a request
// without a usable response becomes a *RequestError.
func (c *Client) do(ctx context.Context, method, path string, body []byte, expected ...int) (int, []byte, error) {
	ctx = tflog.MaskLogStrings(ctx, c.apiKey)
	ctx, state := withRequestState(ctx)

	var reqBody any
	if body != nil {
		reqBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.baseURL+path, reqBody)
	if err != nil {
		return 0, nil, &RequestError{Method: method, Path: path, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		if tflog.IsTrace(ctx) {
			tflog.Trace(ctx, "Crescendo API request body", map[string]any{"http_method": method, "http_path": path, "body": string(body)})
		}
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	// Reading the body inside the retry loop means a response cut short is retried like
	// a dropped connection.
	var respBody []byte
	req.SetResponseHandler(func(resp *http.Response) error {
		defer resp.Body.Close()
		data, err := readBody(resp.Body)
		if err != nil {
			return err
		}
		respBody = data
		return nil
	})

	resp, err := c.http.Do(req)
	attempts := int(state.attempts.Load())
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		return 0, nil, &RequestError{Method: method, Path: path, Attempts: attempts, Err: err}
	}
	if respBody == nil {
		// Retries ran out on a retryable status; the handler did not run for it.
		defer resp.Body.Close()
		respBody, err = readBody(resp.Body)
		if err != nil {
			return 0, nil, &RequestError{Method: method, Path: path, Attempts: attempts, Err: err}
		}
	}
	if tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "Crescendo API response body", map[string]any{"http_method": method, "http_path": path, "http_status": resp.StatusCode, "body": string(respBody)})
	}

	for _, status := range expected {
		if resp.StatusCode == status {
			return resp.StatusCode, respBody, nil
		}
	}
	return resp.StatusCode, nil, newAPIError(method, path, resp.StatusCode, respBody, attempts)
}
