package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/jsondoc"
)

// defaultOperationTimeout applies to each operation without a timeouts block entry. It
// covers every attempt of every request that the operation sends.
const defaultOperationTimeout = 10 * time.Minute

func (r *documentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan documentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.checkConfigured(&resp.Diagnostics) {
		return
	}

	timeout, diags := plan.Timeouts.Create(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	docPath := plan.documentPath()
	ctx, write := r.writeDocument(ctx, req.Config, plan, opCreate, timeout, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !write.created {
		resp.Diagnostics.AddWarning("Existing Document Replaced",
			fmt.Sprintf("%s already existed, and this apply replaced it with body. "+
				"To bring an existing document under Terraform without overwriting it first, import it: terraform import <address> %q, or an import block with id = %q.",
				capitalize(describePath(docPath)), docPath.ID(), docPath.ID()))
	}

	plan.ID = types.StringValue(docPath.ID())
	plan.Updated, plan.UpdatedBy = r.stampsFromWrite(ctx, docPath, write.stored, &resp.Diagnostics)
	if len(write.writeOnlyKeys) > 0 {
		resp.Diagnostics.Append(setWriteOnlyKeys(ctx, resp.Private, write.writeOnlyKeys)...)
	}
	tflog.Debug(ctx, "Created provisioning document", map[string]any{"created": write.created, "write_only_keys": write.writeOnlyKeys})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *documentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state documentResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.checkConfigured(&resp.Diagnostics) {
		return
	}

	timeout, diags := state.Timeouts.Read(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	docPath := state.documentPath()
	ctx = tflog.SetField(ctx, "document_id", docPath.ID())
	importing := state.Body.IsNull()
	writeOnly, diags := writeOnlyKeys(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(writeOnly) > 0 {
		// The stored document contains the values that body_wo supplied.
		ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, logFieldBody)
	}

	raw, err := r.data.client.GetDocument(ctx, docPath)
	if client.IsNotFound(err) {
		if importing {
			resp.Diagnostics.AddError("Document Not Found",
				fmt.Sprintf("%s does not exist, so there is nothing to import. Check the import ID, which has the form %s.", capitalize(describePath(docPath)), client.IDFormats))
			return
		}
		tflog.Warn(ctx, "Provisioning document not found; removing it from state so the next apply creates it again")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addRequestError(ctx, &resp.Diagnostics, opRead, docPath, err, timeout, r.data.requestTimeout)
		return
	}

	remote, ok := parseRemoteDocument(docPath, raw, &resp.Diagnostics)
	if !ok {
		return
	}
	state.Updated, state.UpdatedBy = stamps(remote)
	// Members that body_wo supplied are not part of body, so they are not drift.
	warnMissingWriteOnlyMembers(docPath, remote, writeOnly, &resp.Diagnostics)
	remoteBody := remote.Without(append([]string{memberUpdated, memberUpdatedBy}, writeOnly...)...)

	if importing || !sameObject(state.Body, remoteBody) {
		if !importing {
			tflog.Info(ctx, "Provisioning document changed outside Terraform; the next plan shows the difference")
		}
		state.Body = NewJSONObject(string(remoteBody.Canonical()))
	}
	if state.OnDestroy.IsNull() {
		state.OnDestroy = types.StringValue(onDestroyKeep)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *documentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state documentResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.checkConfigured(&resp.Diagnostics) {
		return
	}

	if !writesDocument(plan, state) {
		// Only on_destroy or timeouts changed: nothing to send.
		plan.Updated, plan.UpdatedBy = state.Updated, state.UpdatedBy
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}

	timeout, diags := plan.Timeouts.Update(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// Every write replaces the whole document, so body_wo goes along whenever body
	// changes too, not only when body_wo_version does.
	docPath := plan.documentPath()
	ctx, write := r.writeDocument(ctx, req.Config, plan, opUpdate, timeout, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	writeOnly := write.writeOnlyKeys
	plan.Updated, plan.UpdatedBy = r.stampsFromWrite(ctx, docPath, write.stored, &resp.Diagnostics)
	previous, diags := writeOnlyKeys(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if len(writeOnly) > 0 || len(previous) > 0 {
		resp.Diagnostics.Append(setWriteOnlyKeys(ctx, resp.Private, writeOnly)...)
	}
	tflog.Debug(ctx, "Replaced provisioning document", map[string]any{"write_only_keys": writeOnly})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *documentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state documentResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	docPath := state.documentPath()

	if state.OnDestroy.ValueString() != onDestroyEmpty {
		resp.Diagnostics.AddWarning("Document Left in Place",
			fmt.Sprintf("The Crescendo API cannot delete documents, so destroy removed %s from Terraform state and left it on the server unchanged. Set on_destroy = %q to replace it with {} on destroy instead.",
				describePath(docPath), onDestroyEmpty))
		return
	}
	if !r.checkConfigured(&resp.Diagnostics) {
		return
	}

	timeout, diags := state.Timeouts.Delete(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ctx = tflog.SetField(ctx, "document_id", docPath.ID())

	if _, _, err := r.data.client.ReplaceDocument(ctx, docPath, []byte("{}")); err != nil {
		addRequestError(ctx, &resp.Diagnostics, opDelete, docPath, err, timeout, r.data.requestTimeout)
		return
	}
	tflog.Debug(ctx, "Emptied provisioning document on destroy")
}

func (r *documentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	docPath, err := client.ParseID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error()+".")
		return
	}
	// Read fills in the body and stamps, and reports a missing document as an error
	// because body is still null.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), docPath.ID())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("tenant_id"), docPath.TenantID)...)
	if !docPath.IsTenantDocument() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("collection"), docPath.Collection)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("document_id"), docPath.DocumentID)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("on_destroy"), onDestroyKeep)...)
}

// documentWrite is the outcome of writeDocument.
type documentWrite struct {
	stored        []byte   // the document as the server stored it
	created       bool     // true for HTTP 201, false when an existing document was replaced
	writeOnlyKeys []string // top-level keys that body_wo supplied, sorted
}

// writeDocument POSTs the planned body, with body_wo from config merged in, and adds
// a diagnostic when that fails. The returned context carries the document ID and,
// when body_wo is set, masks logged bodies.
func (r *documentResource) writeDocument(ctx context.Context, config tfsdk.Config, plan documentResourceModel, op operation, timeout time.Duration, diags *diag.Diagnostics) (context.Context, documentWrite) {
	docPath := plan.documentPath()
	ctx = tflog.SetField(ctx, "document_id", docPath.ID())
	ctx, document, writeOnly, documentDiags := documentToWrite(ctx, config, plan.Body)
	diags.Append(documentDiags...)
	if diags.HasError() {
		return ctx, documentWrite{}
	}

	stored, created, err := r.data.client.ReplaceDocument(ctx, docPath, document)
	if err != nil {
		addRequestError(ctx, diags, op, docPath, err, timeout, r.data.requestTimeout)
		return ctx, documentWrite{}
	}
	return ctx, documentWrite{stored: stored, created: created, writeOnlyKeys: writeOnly}
}

// checkConfigured reports a missing provider configuration, which happens only when
// Terraform calls the resource before configuring the provider.
func (r *documentResource) checkConfigured(diags interface{ AddError(string, string) }) bool {
	if r.data != nil {
		return true
	}
	diags.AddError("Provider Not Configured",
		"The crescendo provider was not configured before the resource was used. This is a bug in the provider or in Terraform; please report it.")
	return false
}

// stampsFromWrite returns the stamps from the document a write returned. The write has
// already happened, so an unusable response is a warning: the state keeps the planned
// body and the next refresh fills in the stamps.
func (r *documentResource) stampsFromWrite(ctx context.Context, docPath client.DocumentPath, stored []byte, diags interface{ AddWarning(string, string) }) (types.Int64, types.String) {
	object, err := jsondoc.ParseObject(stored)
	if err != nil {
		tflog.Warn(ctx, "Write response is not a JSON object", map[string]any{"error": err.Error()})
		diags.AddWarning("Unexpected Response from API",
			fmt.Sprintf("The API stored the document at %s, but its response was not a JSON object (%s), so updated and updated_by stay empty until the next refresh.", describePath(docPath), err))
		return types.Int64Null(), types.StringNull()
	}
	return stamps(object)
}

// stamps returns the server's updated and updated_by members, or nulls where they are
// missing or of an unexpected type.
func stamps(object *jsondoc.Object) (types.Int64, types.String) {
	updated, updatedBy := types.Int64Null(), types.StringNull()
	if raw, ok := object.Member(memberUpdated); ok {
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			updated = types.Int64Value(n)
		}
	}
	if raw, ok := object.Member(memberUpdatedBy); ok {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			updatedBy = types.StringValue(s)
		}
	}
	return updated, updatedBy
}

// parseRemoteDocument parses a document that the API returned, and adds an error
// naming the document when it is not a JSON object.
func parseRemoteDocument(docPath client.DocumentPath, raw []byte, diags *diag.Diagnostics) (*jsondoc.Object, bool) {
	remote, err := jsondoc.ParseObject(raw)
	if err != nil {
		diags.AddError("Invalid Document from API",
			fmt.Sprintf("The API returned a document at %s that is not a JSON object: %s. Check that base_url points at the Crescendo API.", describePath(docPath), err))
		return nil, false
	}
	return remote, true
}

// sameObject reports whether the body in state means the same object as remote.
func sameObject(body JSONObject, remote *jsondoc.Object) bool {
	equal, err := jsondoc.Equal([]byte(body.ValueString()), remote.Canonical())
	return err == nil && equal
}

// describePath names a document for messages.
func describePath(p client.DocumentPath) string {
	if p.IsTenantDocument() {
		return fmt.Sprintf("the tenant document of tenant %q", p.TenantID)
	}
	return fmt.Sprintf("document %q in collection %q of tenant %q", p.DocumentID, p.Collection, p.TenantID)
}
