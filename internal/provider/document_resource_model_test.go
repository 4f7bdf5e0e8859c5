package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestDocumentModel_roundTrip(t *testing.T) {
	ctx := context.Background()
	_, _, schemaResp := newUnitResource(t)
	typ := schemaResp.Schema.Type().TerraformType(ctx)

	want := unitModel(t, schemaResp, `{"plan":"enterprise"}`, onDestroyEmpty)
	want.Collection = types.StringValue("users")
	want.DocumentID = types.StringValue("user-1")
	want.Updated = types.Int64Value(1700000000000)
	want.UpdatedBy = types.StringUnknown()

	value, diags := want.toValue(ctx, typ)
	if diags.HasError() {
		t.Fatalf("toValue: %v", diags)
	}
	got, diags := documentModelFromValue(ctx, value)
	if diags.HasError() {
		t.Fatalf("documentModelFromValue: %v", diags)
	}
	if !modelsEqual(got, want) {
		t.Errorf("round trip changed the model:\n got %+v\nwant %+v", got, want)
	}

	// The framework's own decoding must read the same model from the value.
	var framework documentResourceModel
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: value}
	if diags := state.Get(ctx, &framework); diags.HasError() {
		t.Fatalf("framework Get: %v", diags)
	}
	if !modelsEqual(framework, want) {
		t.Errorf("the framework decodes a different model:\n got %+v\nwant %+v", framework, want)
	}
}

func TestDocumentModel_rejectsUnknownAttribute(t *testing.T) {
	ctx := context.Background()
	_, _, schemaResp := newUnitResource(t)
	model := unitModel(t, schemaResp, `{}`, onDestroyKeep)
	value, diags := model.toValue(ctx, schemaResp.Schema.Type().TerraformType(ctx))
	if diags.HasError() {
		t.Fatalf("toValue: %v", diags)
	}
	var attributes map[string]tftypes.Value
	if err := value.As(&attributes); err != nil {
		t.Fatal(err)
	}
	attributeTypes := value.Type().(tftypes.Object).AttributeTypes
	extended := map[string]tftypes.Type{"secret_wo": tftypes.String}
	for name, typ := range attributeTypes {
		extended[name] = typ
	}
	attributes["secret_wo"] = tftypes.NewValue(tftypes.String, nil)
	withExtra := tftypes.NewValue(tftypes.Object{AttributeTypes: extended}, attributes)

	_, diags = documentModelFromValue(ctx, withExtra)
	if !diags.HasError() {
		t.Fatal("decoding an object with an attribute the model lacks gave no error")
	}
	if detail := diags.Errors()[0].Detail(); !strings.Contains(detail, `"secret_wo"`) {
		t.Errorf("the error does not name the attribute: %s", detail)
	}
}

func modelsEqual(a, b documentResourceModel) bool {
	return a.ID.Equal(b.ID) && a.TenantID.Equal(b.TenantID) && a.Collection.Equal(b.Collection) &&
		a.DocumentID.Equal(b.DocumentID) && a.Body.Equal(b.Body) && a.OnDestroy.Equal(b.OnDestroy) &&
		a.Updated.Equal(b.Updated) && a.UpdatedBy.Equal(b.UpdatedBy) && a.Timeouts.Equal(b.Timeouts)
}
