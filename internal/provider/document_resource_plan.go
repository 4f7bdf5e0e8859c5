package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan plans the provider's default tenant for a resource without its own
// tenant_id, fills in the ID, which follows from the path, and keeps the server's
// stamps when the plan does not write the document. A write gets new stamps, so they
// stay unknown until apply.
//
// The tenant default is applied here rather than in an attribute plan modifier because
// only the configured resource instance can see the provider's settings.
func (r *documentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	plan, diags := documentModelFromValue(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	config, diags := documentModelFromValue(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	if config.TenantID.IsNull() && r.data != nil {
		if r.data.tenantID == "" {
			resp.Diagnostics.AddAttributeError(path.Root("tenant_id"), "Missing Tenant ID",
				"The resource has no tenant_id and the provider has no default tenant. Set tenant_id on the resource, or tenant_id in the provider block, or the "+envTenantID+" environment variable.")
			return
		}
		plan.TenantID = types.StringValue(r.data.tenantID)
	}

	if isKnown(plan.TenantID) && !plan.Collection.IsUnknown() && !plan.DocumentID.IsUnknown() {
		plan.ID = types.StringValue(plan.documentPath().ID())
	}

	if req.State.Raw.IsNull() {
		plan.Updated = types.Int64Unknown()
		plan.UpdatedBy = types.StringUnknown()
		resp.Plan.Raw, diags = plan.toValue(ctx, resp.Plan.Raw.Type())
		resp.Diagnostics.Append(diags...)
		return
	}

	state, diags := documentModelFromValue(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.TenantID.Equal(state.TenantID) {
		// Also when the planned tenant is unknown: it may differ once known.
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("tenant_id"))
	}
	if writesDocument(plan, state) {
		plan.Updated = types.Int64Unknown()
		plan.UpdatedBy = types.StringUnknown()
	} else {
		plan.Updated = state.Updated
		plan.UpdatedBy = state.UpdatedBy
	}
	resp.Plan.Raw, diags = plan.toValue(ctx, resp.Plan.Raw.Type())
	resp.Diagnostics.Append(diags...)
}

// writesDocument reports whether applying plan over state sends the document. The
// framework has already replaced a body that only differs in formatting with the
// state's text, so comparing the text is enough here.
func writesDocument(plan, state documentResourceModel) bool {
	return !plan.Body.Equal(state.Body) ||
		!plan.TenantID.Equal(state.TenantID) ||
		!plan.Collection.Equal(state.Collection) ||
		!plan.DocumentID.Equal(state.DocumentID)
}

// keepPriorBodyWhenEqual plans the body stored in state when the configured body means
// the same object, so reformatting the configuration (key order, white space, escapes,
// number spelling) plans no change. The framework applies semantic equality only to
// values returned by create, read and update, not to plans; Terraform accepts a planned
// value equal to the prior state in place of a differing configuration value.
type keepPriorBodyWhenEqual struct{}

func (m keepPriorBodyWhenEqual) Description(context.Context) string {
	return "Keeps the prior body when the configured body is the same JSON object."
}

func (m keepPriorBodyWhenEqual) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m keepPriorBodyWhenEqual) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || !isKnown(req.PlanValue) {
		return
	}
	if req.PlanValue.Equal(req.StateValue) {
		return
	}
	prior := JSONObject{StringValue: req.StateValue}
	equal, diags := prior.StringSemanticEquals(ctx, JSONObject{StringValue: req.PlanValue})
	resp.Diagnostics.Append(diags...)
	if equal {
		resp.PlanValue = req.StateValue
	}
}
