package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
)

// operation names a resource or data source operation in diagnostics.
type operation struct {
	verb       string // "create", used in sentences
	title      string // "Create", used in summaries
	timeoutKey string // the timeouts block argument that bounds it, or "" for none
	// subject is "data source" for data source operations; empty means the resource.
	subject string
	// object is the name used in summaries. Empty means "Provisioning Document".
	object string
	// readOnly is true for operations that need only the read scope.
	readOnly bool
}

func (op operation) subjectName() string {
	if op.subject == "" {
		return "resource"
	}
	return op.subject
}

func (op operation) objectName() string {
	if op.object == "" {
		return "Provisioning Document"
	}
	return op.object
}

var (
	opCreate = operation{verb: "create", title: "Create", timeoutKey: "create"}
	opRead   = operation{verb: "read", title: "Read", timeoutKey: "read"}
	opUpdate = operation{verb: "update", title: "Update", timeoutKey: "update"}
	opDelete = operation{verb: "empty", title: "Empty", timeoutKey: "delete"}

	opReadDocumentDataSource   = operation{verb: "read", title: "Read", timeoutKey: "read", subject: "data source", readOnly: true}
	opListCollectionDataSource = operation{verb: "list", title: "List", timeoutKey: "read", subject: "data source", object: "Provisioning Collection", readOnly: true}
)

// addRequestError turns an error from the client into a diagnostic that states what
// failed, why, and what to change. It names the operation, the document and, for a
// timeout, the setting that bounds it. operationTimeout is the limit of the whole
// operation, requestTimeout that of one attempt.
func addRequestError(ctx context.Context, diags *diag.Diagnostics, op operation, p client.DocumentPath, err error, operationTimeout, requestTimeout time.Duration) {
	addRequestErrorFor(ctx, diags, op, describePath(p), p, err, operationTimeout, requestTimeout)
}

// addRequestErrorFor is addRequestError for a target that describePath cannot name,
// such as a collection. target names it in a sentence, and p supplies the tenant and
// collection for the scope hints.
func addRequestErrorFor(ctx context.Context, diags *diag.Diagnostics, op operation, target string, p client.DocumentPath, err error, operationTimeout, requestTimeout time.Duration) {
	tflog.Error(ctx, "Crescendo API request failed", map[string]any{"operation": op.verb, "error": err.Error()})
	summary := fmt.Sprintf("Failed to %s %s", op.title, op.objectName())
	what := fmt.Sprintf("The provider could not %s %s.", op.verb, target)

	var apiErr *client.APIError
	var reqErr *client.RequestError
	var attemptTimeout *client.AttemptTimeoutError
	switch {
	case errors.As(err, &apiErr):
		diags.AddError(summary, what+"\n\n"+explainAPIError(apiErr, p, op.readOnly))
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		hint := fmt.Sprintf("Raise the limit in the %s's timeouts block", op.subjectName())
		if op.timeoutKey != "" {
			hint = fmt.Sprintf("Raise timeouts.%s on the %s (the default is %s)", op.timeoutKey, op.subjectName(), defaultOperationTimeout)
		}
		diags.AddError(fmt.Sprintf("Timed Out Trying to %s %s", op.title, op.objectName()),
			fmt.Sprintf("%s The operation did not finish within its timeout of %s%s. %s, or check that the API at base_url is reachable.\n\n%s", what, operationTimeout, attemptsSuffix(err), hint, err))
	case errors.Is(err, context.Canceled):
		diags.AddError(fmt.Sprintf("%s of %s Cancelled", op.title, op.objectName()),
			fmt.Sprintf("%s The operation was cancelled, for example by an interrupt, before the API answered. The next plan shows whether the document needs another apply.\n\n%s", what, err))
	case errors.As(err, &attemptTimeout):
		diags.AddError(fmt.Sprintf("Timed Out Trying to %s %s", op.title, op.objectName()),
			fmt.Sprintf("%s The API did not answer within the provider's request_timeout of %s%s. Raise request_timeout (or %s) on the provider, or check that the API at base_url is reachable and healthy.\n\n%s", what, requestTimeout, attemptsSuffix(err), envRequestTimeout, err))
	case errors.As(err, &reqErr):
		retries := "Retries are off (max_retries = 0)."
		if reqErr.Attempts > 1 {
			retries = fmt.Sprintf("The provider tried %d times; max_retries and retry_wait_max on the provider control how often and how long it retries.", reqErr.Attempts)
		}
		diags.AddError(summary, fmt.Sprintf("%s The request got no usable response. Check base_url, the network and any proxy (HTTPS_PROXY, NO_PROXY). %s\n\n%s", what, retries, err))
	default:
		diags.AddError(summary, fmt.Sprintf("%s\n\n%s", what, err))
	}
}

// attemptsSuffix describes how many attempts a failed request made and how long they took
// together, when it made more than one.
func attemptsSuffix(err error) string {
	var reqErr *client.RequestError
	if errors.As(err, &reqErr) && reqErr.Attempts > 1 {
		return fmt.Sprintf(" on any of %d attempts, %s in total", reqErr.Attempts, reqErr.Elapsed.Round(100*time.Millisecond))
	}
	return ""
}

// explainAPIError explains what an API error status means for the user. readOnly limits
// the scope hint to the read scope.
func explainAPIError(e *client.APIError, p client.DocumentPath, readOnly bool) string {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return fmt.Sprintf("The API rejected the API key. Check the provider's api_key argument or the %s environment variable: the key may be mistyped, revoked or expired.\n\n%s", envAPIKey, e)
	case http.StatusForbidden:
		scope := "provisioning:read and provisioning:write"
		if !p.IsTenantDocument() {
			scope = fmt.Sprintf("provisioning:%[1]s.read and provisioning:%[1]s.write (or provisioning:*)", p.Collection)
		}
		if readOnly {
			scope = "provisioning:read"
			if !p.IsTenantDocument() {
				scope = fmt.Sprintf("provisioning:%[1]s.read (or provisioning:read)", p.Collection)
			}
		}
		return fmt.Sprintf("The API key has no access to tenant %q or lacks the scope for this request. A key belongs to one tenant: check tenant_id, and that the key has %s.\n\n%s", p.TenantID, scope, e)
	case http.StatusBadRequest:
		return fmt.Sprintf("The API rejected the request as invalid. Check body against what the API accepts for this document.\n\n%s", e)
	case http.StatusRequestEntityTooLarge:
		return fmt.Sprintf("The API rejected body as too large. Make the document smaller, or split it into several documents.\n\n%s", e)
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		advice := "The API stayed unavailable through every retry. Try again later, or raise max_retries or retry_wait_max on the provider."
		if e.Attempts <= 1 {
			advice = "The API was unavailable and retries are off (max_retries = 0). Try again later, or set max_retries on the provider."
		}
		if e.StatusCode == http.StatusTooManyRequests {
			advice += " HTTP 429 means the API is limiting the request rate: set rate_limit on the provider (requests per second) to stay under its limit, or run Terraform with a lower -parallelism."
		}
		return advice + "\n\n" + e.Error()
	default:
		return e.Error()
	}
}

// isKnown reports whether a value is neither null nor unknown.
func isKnown(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
