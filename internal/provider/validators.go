package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/jsondoc"
)

// pathSegment validates a value that becomes one segment of a request path.
func pathSegment() validator.String {
	return pathSegmentValidator{}
}

type pathSegmentValidator struct{}

func (v pathSegmentValidator) Description(context.Context) string {
	return "must be non-empty, at most 512 bytes of UTF-8, and contain no \"/\", control characters or invisible formatting characters, and must not be \".\" or \"..\""
}

func (v pathSegmentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v pathSegmentValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.Path.String()
	if err := client.ValidateSegment(name, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Path Segment", err.Error()+".")
	}
}

// withoutServerMembers rejects a body that sets a member the server stamps itself.
func withoutServerMembers() validator.String {
	return serverMembersValidator{}
}

type serverMembersValidator struct{}

func (v serverMembersValidator) Description(context.Context) string {
	return fmt.Sprintf("must not contain the server-owned members %q or %q", memberUpdated, memberUpdatedBy)
}

func (v serverMembersValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v serverMembersValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	object, err := jsondoc.ParseObject([]byte(req.ConfigValue.ValueString()))
	if err != nil {
		return // The attribute type reports invalid JSON.
	}
	var found []string
	for _, member := range []string{memberUpdated, memberUpdatedBy} {
		if object.Has(member) {
			found = append(found, fmt.Sprintf("%q", member))
		}
	}
	if len(found) > 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Server-Owned Member in Body",
			fmt.Sprintf("%s sets %s, which the API stamps on every write and would overwrite. Remove %s from %s; the provider reports the stamps in the updated and updated_by attributes.",
				req.Path, strings.Join(found, " and "), strings.Join(found, " and "), req.Path))
	}
}
