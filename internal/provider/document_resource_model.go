package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The resource converts between documentResourceModel and the plan or state with the
// functions in this file instead of the framework's Get and Set. The framework's
// reflection compiles a regular expression for every struct field on every call
// (terraform-plugin-framework v1.19.0, internal/reflect.isValidFieldName), which made
// up about a third of the provider's CPU time per planned document. These functions
// read and write the attributes by name. They reject an object whose attributes do not
// match the model's, so a schema attribute added without a model field fails every
// test that plans the resource instead of being dropped silently.

// documentTimeoutsOpts are the operations the timeouts block configures.
var documentTimeoutsOpts = timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}

// documentTimeoutsType is the type of the timeouts block, built once.
var documentTimeoutsType = sync.OnceValue(func() attr.Type {
	return timeouts.Block(context.Background(), documentTimeoutsOpts).Type()
})

// documentModelFromValue decodes a plan, state or configuration object.
func documentModelFromValue(ctx context.Context, value tftypes.Value) (documentResourceModel, diag.Diagnostics) {
	var model documentResourceModel
	var diags diag.Diagnostics
	var attributes map[string]tftypes.Value
	if err := value.As(&attributes); err != nil {
		diags.AddError("Resource Data Read Error", "Decoding the resource object failed. This is a bug in the provider; please report it: "+err.Error())
		return model, diags
	}

	var err error
	decode := func(name string, into func(tftypes.Value) error) {
		if err != nil {
			return
		}
		v, ok := attributes[name]
		if !ok {
			err = fmt.Errorf("the object has no attribute %q", name)
			return
		}
		if decodeErr := into(v); decodeErr != nil {
			err = fmt.Errorf("attribute %q: %w", name, decodeErr)
		}
	}
	decode("id", stringInto(&model.ID))
	decode("tenant_id", stringInto(&model.TenantID))
	decode("collection", stringInto(&model.Collection))
	decode("document_id", stringInto(&model.DocumentID))
	decode("body", func(v tftypes.Value) error {
		body, err := JSONObjectType{}.ValueFromTerraform(ctx, v)
		if err == nil {
			model.Body = body.(JSONObject)
		}
		return err
	})
	decode("on_destroy", stringInto(&model.OnDestroy))
	decode("updated", func(v tftypes.Value) error {
		updated, err := types.Int64Type.ValueFromTerraform(ctx, v)
		if err == nil {
			model.Updated = updated.(types.Int64)
		}
		return err
	})
	decode("updated_by", stringInto(&model.UpdatedBy))
	decode("timeouts", func(v tftypes.Value) error {
		t, err := documentTimeoutsType().ValueFromTerraform(ctx, v)
		if err == nil {
			model.Timeouts = t.(timeouts.Value)
		}
		return err
	})
	if err == nil && len(attributes) != documentModelAttributes {
		err = fmt.Errorf("the object has the attributes %s, but the model has %d fields", attributeNames(attributes), documentModelAttributes)
	}
	if err != nil {
		diags.AddError("Resource Data Read Error", "Decoding the resource object failed. This is a bug in the provider; please report it: "+err.Error())
	}
	return model, diags
}

// documentModelAttributes is the number of attributes and blocks that
// documentModelFromValue and toValue handle.
const documentModelAttributes = 9

// toValue encodes the model as an object of typ, the type of the plan or state that
// receives it.
func (m documentResourceModel) toValue(ctx context.Context, typ tftypes.Type) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	fields := map[string]attr.Value{
		"id":          m.ID,
		"tenant_id":   m.TenantID,
		"collection":  m.Collection,
		"document_id": m.DocumentID,
		"body":        m.Body,
		"on_destroy":  m.OnDestroy,
		"updated":     m.Updated,
		"updated_by":  m.UpdatedBy,
		"timeouts":    m.Timeouts,
	}
	attributes := make(map[string]tftypes.Value, len(fields))
	for name, field := range fields {
		v, err := field.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Resource Data Write Error", fmt.Sprintf("Encoding attribute %q failed. This is a bug in the provider; please report it: %s", name, err))
			return tftypes.Value{}, diags
		}
		attributes[name] = v
	}
	if err := tftypes.ValidateValue(typ, attributes); err != nil {
		diags.AddError("Resource Data Write Error", "Encoding the resource object failed. This is a bug in the provider; please report it: "+err.Error())
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(typ, attributes), diags
}

func stringInto(target *types.String) func(tftypes.Value) error {
	return func(v tftypes.Value) error {
		switch {
		case !v.IsKnown():
			*target = types.StringUnknown()
		case v.IsNull():
			*target = types.StringNull()
		default:
			var s string
			if err := v.As(&s); err != nil {
				return err
			}
			*target = types.StringValue(s)
		}
		return nil
	}
}

func attributeNames(attributes map[string]tftypes.Value) string {
	names := make([]string, 0, len(attributes))
	for name := range attributes {
		names = append(names, fmt.Sprintf("%q", name))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
