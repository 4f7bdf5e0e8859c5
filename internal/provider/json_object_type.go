package provider

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/jsondoc"
)

// JSONObjectType is a string attribute type holding a JSON object, compared by meaning
// rather than by text. It exists instead of jsontypes.Normalized from
// terraform-plugin-framework-jsontypes because that type decodes numbers into float64,
// so 9007199254740993 and 9007199254740992 would compare equal and a changed ID could
// be planned as no change. The rules live in the jsondoc package.
type JSONObjectType struct {
	basetypes.StringType
}

var (
	_ basetypes.StringTypable                    = JSONObjectType{}
	_ basetypes.StringValuableWithSemanticEquals = JSONObject{}
	_ xattr.ValidateableAttribute                = JSONObject{}
)

func (t JSONObjectType) String() string {
	return "provider.JSONObjectType"
}

func (t JSONObjectType) ValueType(context.Context) attr.Value {
	return JSONObject{}
}

func (t JSONObjectType) Equal(o attr.Type) bool {
	_, ok := o.(JSONObjectType)
	return ok
}

func (t JSONObjectType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return JSONObject{StringValue: in}, nil
}

func (t JSONObjectType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	value, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	stringValue, ok := value.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", value)
	}
	return JSONObject{StringValue: stringValue}, nil
}

// JSONObject is a value of JSONObjectType.
type JSONObject struct {
	basetypes.StringValue
}

// NewJSONObject returns a known JSONObject holding text, which must be a JSON object.
func NewJSONObject(text string) JSONObject {
	return JSONObject{StringValue: basetypes.NewStringValue(text)}
}

// maxSummaryBytes bounds the text of a JSONObject that String returns.
const maxSummaryBytes = 256

// String returns a summary for logs: the text itself when short, otherwise its start
// and its size. The framework logs values with String at TRACE, and Terraform shows a
// provider log line longer than 64 KiB unfiltered at DEBUG, so a whole large document
// would otherwise reach a DEBUG log.
func (v JSONObject) String() string {
	text := v.ValueString()
	if v.IsNull() || v.IsUnknown() || len(text) <= maxSummaryBytes {
		return v.StringValue.String()
	}
	end := maxSummaryBytes
	for end > 0 && !utf8.RuneStart(text[end]) {
		end--
	}
	return fmt.Sprintf("%q… (%d bytes)", text[:end], len(text))
}

func (v JSONObject) Type(context.Context) attr.Type {
	return JSONObjectType{}
}

func (v JSONObject) Equal(o attr.Value) bool {
	other, ok := o.(JSONObject)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals reports whether two JSON texts mean the same object, so that a
// reformatted configuration or a re-encoded server response plans no change.
func (v JSONObject) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	newValue, ok := newValuable.(JSONObject)
	if !ok {
		return false, nil
	}
	equal, err := jsondoc.Equal([]byte(v.ValueString()), []byte(newValue.ValueString()))
	if err != nil {
		// ValidateAttribute reports invalid JSON with the attribute path; here it only
		// means the values are not known to be equal.
		return false, nil
	}
	return equal, nil
}

// ValidateAttribute rejects text that is not a JSON object, at validate time.
func (v JSONObject) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.IsNull() || v.IsUnknown() {
		return
	}
	if _, err := jsondoc.ParseObject([]byte(v.ValueString())); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid JSON Object",
			fmt.Sprintf("The value of %s must be a JSON object, such as jsonencode({ name = \"example\" }) or a heredoc containing {...}: %s.", req.Path, err))
	}
}
