package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/jsondoc"
)

// privateKeyWriteOnlyMembers is the private state key under which the resource keeps
// the top-level keys that body_wo supplied at the last write, as a JSON array of
// strings. Only the keys are kept, never the values.
const privateKeyWriteOnlyMembers = "body_wo_keys"

// logFieldBody is the log field in which the client logs request and response bodies
// at TRACE. It is masked for documents that contain write-only members.
const logFieldBody = "body"

// privateState is the part of the framework's private state data that the resource
// uses. The framework's type lives in an internal package.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// ValidateConfig rejects body_wo on Terraform versions without write-only attributes,
// and a top-level key set in both body and body_wo.
func (r *documentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var body, bodyWO JSONObject
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("body"), &body)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("body_wo"), &bodyWO)...)
	if resp.Diagnostics.HasError() || bodyWO.IsNull() {
		return
	}

	if !req.ClientCapabilities.WriteOnlyAttributesAllowed {
		resp.Diagnostics.AddAttributeError(path.Root("body_wo"), "Terraform 1.11 or Later Required for body_wo",
			"body_wo is a write-only attribute, which Terraform supports from version 1.11. Upgrade Terraform to 1.11 or later, "+
				"or move the members of body_wo into body, where Terraform stores them in state and shows them in plans.")
		return
	}

	if !isKnown(body) || bodyWO.IsUnknown() {
		return // Create and Update check again once the values are known.
	}
	bodyObject, err := jsondoc.ParseObject([]byte(body.ValueString()))
	if err != nil {
		return // The attribute type reports invalid JSON.
	}
	writeOnlyObject, err := jsondoc.ParseObject([]byte(bodyWO.ValueString()))
	if err != nil {
		return
	}
	var both []string
	for _, key := range writeOnlyObject.Keys() {
		if bodyObject.Has(key) {
			both = append(both, fmt.Sprintf("%q", key))
		}
	}
	if len(both) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("body_wo"), "Key in Both body and body_wo",
			fmt.Sprintf("The top-level key %s is set in both body and body_wo. The provider merges body_wo into body at the top level, "+
				"so each top-level key must come from only one of them: remove %s from body to keep the value out of state, or from body_wo.",
				strings.Join(both, ", "), strings.Join(both, ", ")))
	}
}

// bodyWOTogether requires body_wo and body_wo_version together. It reads the raw
// configuration: getting body_wo through the framework also validates its JSON, so
// resourcevalidator.RequiredTogether took an invalid body_wo for a missing one and
// reported it next to the real error.
type bodyWOTogether struct{}

func (v bodyWOTogether) Description(context.Context) string {
	return "body_wo and body_wo_version must be set together"
}

func (v bodyWOTogether) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v bodyWOTogether) ValidateResource(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	bodyWO, ok := rawAttribute(req.Config, "body_wo")
	version, versionOK := rawAttribute(req.Config, "body_wo_version")
	if !ok || !versionOK || !bodyWO.IsKnown() || !version.IsKnown() {
		return
	}
	switch {
	case !bodyWO.IsNull() && version.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("body_wo_version"), "Missing body_wo_version",
			"body_wo and body_wo_version must be set together, but body_wo_version is not set. Set it to any string, such as \"1\", and change it whenever body_wo should be sent again.")
	case bodyWO.IsNull() && !version.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("body_wo"), "Missing body_wo",
			"body_wo and body_wo_version must be set together, but body_wo is not set. Set body_wo, or remove body_wo_version.")
	}
}

// rawAttribute returns a top-level attribute of config without converting it to its
// framework type, which would validate it.
func rawAttribute(config tfsdk.Config, name string) (tftypes.Value, bool) {
	raw, _, err := tftypes.WalkAttributePath(config.Raw, tftypes.NewAttributePath().WithAttributeName(name))
	value, ok := raw.(tftypes.Value)
	return value, err == nil && ok
}

// documentToWrite returns the document that a create or update sends: body, with the
// members of body_wo from config merged in at the top level. It also returns the keys
// that body_wo supplied, sorted, and ctx with the logged bodies masked when there are
// any, because the document then contains the write-only values.
func documentToWrite(ctx context.Context, config tfsdk.Config, body JSONObject) (context.Context, []byte, []string, diag.Diagnostics) {
	var diags diag.Diagnostics
	var bodyWO JSONObject
	diags.Append(config.GetAttribute(ctx, path.Root("body_wo"), &bodyWO)...)
	if diags.HasError() {
		return ctx, nil, nil, diags
	}
	if bodyWO.IsNull() {
		return ctx, []byte(body.ValueString()), nil, diags
	}

	bodyObject, err := jsondoc.ParseObject([]byte(body.ValueString()))
	if err != nil {
		diags.AddAttributeError(path.Root("body"), "Invalid JSON Object",
			fmt.Sprintf("The value of body must be a JSON object: %s.", err))
		return ctx, nil, nil, diags
	}
	writeOnlyObject, err := jsondoc.ParseObject([]byte(bodyWO.ValueString()))
	if err != nil {
		// The parser's message names an offset and at most one character of the input.
		diags.AddAttributeError(path.Root("body_wo"), "Invalid JSON Object",
			fmt.Sprintf("The value of body_wo must be a JSON object: %s.", err))
		return ctx, nil, nil, diags
	}
	merged, err := bodyObject.Merge(writeOnlyObject)
	var conflict *jsondoc.MergeConflictError
	if errors.As(err, &conflict) {
		diags.AddAttributeError(path.Root("body_wo"), "Key in Both body and body_wo",
			fmt.Sprintf("The top-level key %q is set in both body and body_wo. Remove it from body to keep the value out of state, or from body_wo.", conflict.Key))
		return ctx, nil, nil, diags
	}
	if err != nil {
		diags.AddError("Failed to Merge body_wo into body", err.Error()+".")
		return ctx, nil, nil, diags
	}

	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, logFieldBody)
	return ctx, merged.Canonical(), writeOnlyObject.Keys(), diags
}

// setWriteOnlyKeys records the keys that body_wo supplied at this write, replacing
// those of earlier writes. No keys removes the record.
func setWriteOnlyKeys(ctx context.Context, private privateState, keys []string) diag.Diagnostics {
	if len(keys) == 0 {
		return private.SetKey(ctx, privateKeyWriteOnlyMembers, nil)
	}
	value, err := json.Marshal(keys)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Failed to Record body_wo Keys", err.Error())
		return diags
	}
	return private.SetKey(ctx, privateKeyWriteOnlyMembers, value)
}

// writeOnlyKeys returns the keys that body_wo supplied at the last write. A resource
// that was imported, or never had body_wo, has none.
func writeOnlyKeys(ctx context.Context, private privateState) ([]string, diag.Diagnostics) {
	value, diags := private.GetKey(ctx, privateKeyWriteOnlyMembers)
	if diags.HasError() || len(value) == 0 {
		return nil, diags
	}
	var keys []string
	if err := json.Unmarshal(value, &keys); err != nil {
		diags.AddError("Invalid Private State",
			fmt.Sprintf("The resource's private state has an unreadable %s entry (%s). This is a bug in the provider; please report it.", privateKeyWriteOnlyMembers, err))
		return nil, diags
	}
	return keys, diags
}

// warnMissingWriteOnlyMembers warns when the server document lacks members that
// body_wo supplied, because Read cannot plan them back: their values are not in state.
func warnMissingWriteOnlyMembers(docPath client.DocumentPath, remote *jsondoc.Object, keys []string, diags *diag.Diagnostics) {
	var missing []string
	for _, key := range keys {
		if !remote.Has(key) {
			missing = append(missing, fmt.Sprintf("%q", key))
		}
	}
	if len(missing) == 0 {
		return
	}
	diags.AddWarning("Write-Only Members Missing from Document",
		fmt.Sprintf("%s no longer has the top-level key %s that body_wo supplied; it was changed outside Terraform. "+
			"Terraform cannot show this as a difference because body_wo is not stored in state. Change body_wo_version to send body_wo again.",
			capitalize(describePath(docPath)), strings.Join(missing, ", ")))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
