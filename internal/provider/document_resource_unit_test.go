package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// The tests in this file call the resource's methods directly, to check diagnostics
// that Terraform prints but terraform-plugin-testing does not expose: warnings.

func newUnitResource(t *testing.T) (*documentResource, *mockapi.Server, resource.SchemaResponse) {
	t.Helper()
	srv, baseURL := newTestAPI(t)
	apiClient, err := client.New(client.Config{BaseURL: baseURL, APIKey: testKey})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	r := &documentResource{data: &providerData{client: apiClient, tenantID: testTenant, requestTimeout: time.Second}}
	var schemaResp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &schemaResp)
	if schemaResp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", schemaResp.Diagnostics)
	}
	return r, srv, schemaResp
}

func unitModel(t *testing.T, schemaResp resource.SchemaResponse, body string) documentResourceModel {
	t.Helper()
	timeoutsType, ok := schemaResp.Schema.Blocks["timeouts"].Type().(timeouts.Type)
	if !ok {
		t.Fatalf("the timeouts block has type %T, want timeouts.Type", schemaResp.Schema.Blocks["timeouts"].Type())
	}
	timeoutTypes := timeoutsType.AttrTypes
	return documentResourceModel{
		ID:         types.StringValue(testTenant),
		TenantID:   types.StringValue(testTenant),
		Collection: types.StringNull(),
		DocumentID: types.StringNull(),
		Body:       NewJSONObject(body),
		OnDestroy:  types.StringValue(onDestroyKeep),
		Updated:    types.Int64Unknown(),
		UpdatedBy:  types.StringUnknown(),
		Timeouts:   timeouts.Value{Object: types.ObjectNull(timeoutTypes)},
	}
}

func emptyValue(schemaResp resource.SchemaResponse) tftypes.Value {
	return tftypes.NewValue(schemaResp.Schema.Type().TerraformType(context.Background()), nil)
}

func hasWarning(diags diag.Diagnostics, summary string) bool {
	for _, d := range diags.Warnings() {
		if d.Summary() == summary {
			return true
		}
	}
	return false
}

func TestDocumentResourceCreate_existingDocumentWarns(t *testing.T) {
	ctx := context.Background()
	r, srv, schemaResp := newUnitResource(t)
	srv.SetDocument(mockapi.DocPath{Tenant: testTenant}, []byte(`{"plan": "legacy"}`))

	plan := tfsdk.Plan{Schema: schemaResp.Schema, Raw: emptyValue(schemaResp)}
	if diags := plan.Set(ctx, unitModel(t, schemaResp, `{"plan":"enterprise"}`)); diags.HasError() {
		t.Fatalf("setting the plan: %v", diags)
	}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: emptyValue(schemaResp)}}
	r.Create(ctx, resource.CreateRequest{Plan: plan, Config: tfsdk.Config(plan)}, &resp)

	if resp.Diagnostics.HasError() {
		t.Fatalf("create failed: %v", resp.Diagnostics)
	}
	if !hasWarning(resp.Diagnostics, "Existing Document Replaced") {
		t.Errorf("create over an existing document gave no warning; diagnostics: %v", resp.Diagnostics)
	}
	for _, d := range resp.Diagnostics.Warnings() {
		if !strings.Contains(d.Detail(), `terraform import <address> "tenant-alpha"`) {
			t.Errorf("the warning does not show how to import: %s", d.Detail())
		}
	}
}

func TestDocumentResourceCreate_newDocumentDoesNotWarn(t *testing.T) {
	ctx := context.Background()
	r, _, schemaResp := newUnitResource(t)

	plan := tfsdk.Plan{Schema: schemaResp.Schema, Raw: emptyValue(schemaResp)}
	if diags := plan.Set(ctx, unitModel(t, schemaResp, `{"plan":"enterprise"}`)); diags.HasError() {
		t.Fatalf("setting the plan: %v", diags)
	}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: emptyValue(schemaResp)}}
	r.Create(ctx, resource.CreateRequest{Plan: plan, Config: tfsdk.Config(plan)}, &resp)

	if len(resp.Diagnostics) != 0 {
		t.Errorf("create of a new document gave diagnostics: %v", resp.Diagnostics)
	}
	var state documentResourceModel
	resp.State.Get(ctx, &state)
	if state.UpdatedBy.ValueString() != testKeyName {
		t.Errorf("updated_by is %q; want %q", state.UpdatedBy.ValueString(), testKeyName)
	}
	if state.Updated.IsNull() || state.Updated.IsUnknown() {
		t.Errorf("updated is %v; want the server's stamp", state.Updated)
	}
}

func TestDocumentResourceDelete_keepWarns(t *testing.T) {
	ctx := context.Background()
	r, srv, schemaResp := newUnitResource(t)

	state := tfsdk.State{Schema: schemaResp.Schema, Raw: emptyValue(schemaResp)}
	model := unitModel(t, schemaResp, `{"plan":"legacy"}`)
	model.Updated, model.UpdatedBy = types.Int64Value(1), types.StringValue("x")
	if diags := state.Set(ctx, model); diags.HasError() {
		t.Fatalf("setting the state: %v", diags)
	}
	resp := resource.DeleteResponse{State: state}
	r.Delete(ctx, resource.DeleteRequest{State: state}, &resp)

	if !hasWarning(resp.Diagnostics, "Document Left in Place") {
		t.Errorf("destroy with on_destroy = keep gave no warning; diagnostics: %v", resp.Diagnostics)
	}
	if got := srv.RequestCount(); got != 0 {
		t.Errorf("destroy with on_destroy = keep sent %d requests; want 0", got)
	}
}

func TestBodyWOTogether(t *testing.T) {
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	(&documentResource{}).Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("the schema type is %T, want tftypes.Object", schemaResp.Schema.Type().TerraformType(ctx))
	}
	config := func(bodyWO, version tftypes.Value) tfsdk.Config {
		values := map[string]tftypes.Value{}
		for name, attrType := range objectType.AttributeTypes {
			values[name] = tftypes.NewValue(attrType, nil)
		}
		values["body"] = tftypes.NewValue(tftypes.String, `{"name":"bot"}`)
		values["body_wo"] = bodyWO
		values["body_wo_version"] = version
		return tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, values)}
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	null := tftypes.NewValue(tftypes.String, nil)
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

	for _, tc := range []struct {
		name            string
		bodyWO, version tftypes.Value
		want            string
	}{
		{"both set", str(`{"token":"x"}`), str("1"), ""},
		{"neither set", null, null, ""},
		// The type's own validation reports the invalid JSON; body_wo is still set.
		{"invalid JSON in body_wo", str(`{"token": x}`), str("1"), ""},
		{"unknown body_wo", unknown, null, ""},
		{"no version", str(`{"token":"x"}`), null, "but body_wo_version is not set"},
		{"no body_wo", null, str("1"), "but body_wo is not set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp resource.ValidateConfigResponse
			bodyWOTogether{}.ValidateResource(ctx, resource.ValidateConfigRequest{Config: config(tc.bodyWO, tc.version)}, &resp)
			text := diagnosticsText(resp.Diagnostics)
			if tc.want == "" && resp.Diagnostics.HasError() {
				t.Errorf("unexpected diagnostics:\n%s", text)
			}
			if tc.want != "" && (!resp.Diagnostics.HasError() || !strings.Contains(text, tc.want)) {
				t.Errorf("diagnostics:\n%s\nwant an error containing %q", text, tc.want)
			}
		})
	}
}
