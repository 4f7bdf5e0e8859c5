package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
)

var (
	_ resource.Resource                     = (*documentResource)(nil)
	_ resource.ResourceWithConfigure        = (*documentResource)(nil)
	_ resource.ResourceWithConfigValidators = (*documentResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*documentResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*documentResource)(nil)
	_ resource.ResourceWithImportState      = (*documentResource)(nil)
)

// Values of on_destroy.
const (
	onDestroyKeep  = "keep"
	onDestroyEmpty = "empty"
)

// Server-owned members that the API stamps on every write. They are reported in the
// updated and updated_by attributes and never compared with body.
const (
	memberUpdated   = "updated"
	memberUpdatedBy = "updatedBy"
)

// NewDocumentResource returns the crescendo_provisioning_document resource.
func NewDocumentResource() resource.Resource {
	return &documentResource{}
}

type documentResource struct {
	data *providerData
}

type documentResourceModel struct {
	ID         types.String   `tfsdk:"id"`
	TenantID   types.String   `tfsdk:"tenant_id"`
	Collection types.String   `tfsdk:"collection"`
	DocumentID types.String   `tfsdk:"document_id"`
	Body       JSONObject     `tfsdk:"body"`
	OnDestroy  types.String   `tfsdk:"on_destroy"`
	Updated    types.Int64    `tfsdk:"updated"`
	UpdatedBy  types.String   `tfsdk:"updated_by"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
	// BodyWO is always null outside req.Config, because Terraform keeps write-only
	// values out of plan and state.
	BodyWO        JSONObject   `tfsdk:"body_wo"`
	BodyWOVersion types.String `tfsdk:"body_wo_version"`
}

// documentPath returns the API path that the model addresses. All three values must
// be known.
func (m documentResourceModel) documentPath() client.DocumentPath {
	return client.DocumentPath{
		TenantID:   m.TenantID.ValueString(),
		Collection: m.Collection.ValueString(),
		DocumentID: m.DocumentID.ValueString(),
	}
}

func (r *documentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_document"
}

func (r *documentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages one provisioning document of the Crescendo Platform API: the tenant document, " +
			"or a document in a collection such as `users`, `bots` or `jobs`. Every create and update replaces the whole " +
			"document with `body`. The API cannot delete documents, so `on_destroy` chooses what destroy does.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`TENANT` for the tenant document, `TENANT/COLLECTION/DOCUMENT_ID` otherwise. This is also the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Tenant that owns the document. Defaults to the provider's `tenant_id`; one of the two is required. Changing it replaces the resource.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{pathSegment()},
			},
			"collection": schema.StringAttribute{
				MarkdownDescription: "Collection of the document, such as `users`. Set together with `document_id`; leave both out to manage the tenant document. Changing it replaces the resource.",
				Optional:            true,
				Validators:          []validator.String{pathSegment()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"document_id": schema.StringAttribute{
				MarkdownDescription: "ID of the document within `collection`. Set together with `collection`. Changing it replaces the resource.",
				Optional:            true,
				Validators:          []validator.String{pathSegment()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"body": schema.StringAttribute{
				CustomType: JSONObjectType{},
				MarkdownDescription: "The document as a JSON object, usually from `jsonencode()`. It replaces the whole stored document. " +
					"Key order, white space, string escapes and number spelling do not count as changes. " +
					"It must not set the server-owned `" + memberUpdated + "` or `" + memberUpdatedBy + "` members.",
				Required:      true,
				Validators:    []validator.String{withoutServerMembers()},
				PlanModifiers: []planmodifier.String{keepPriorBodyWhenEqual{}},
			},
			"body_wo": schema.StringAttribute{
				CustomType: JSONObjectType{},
				MarkdownDescription: "Write-only members of the document, as a JSON object, usually from `jsonencode()` of sensitive values. " +
					"Its top-level members are merged into `body` when the document is written, and never stored in state or shown in plans. " +
					"A top-level key must not be in both `body` and `body_wo`. Set together with `body_wo_version`; " +
					"changing only `body_wo` sends nothing, so change `body_wo_version` to send it again. Requires Terraform 1.11 or later.",
				Optional:   true,
				WriteOnly:  true,
				Sensitive:  true,
				Validators: []validator.String{withoutServerMembers()},
			},
			"body_wo_version": schema.StringAttribute{
				MarkdownDescription: "Any string or number, set together with `body_wo`. Changing it writes the document again with the current `body_wo`. " +
					"Removing both `body_wo` and `body_wo_version` writes the document with `body` alone, which removes the members that `body_wo` supplied.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"on_destroy": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("What destroy does, since the API has no delete: `%s` (the default) removes the resource from state and leaves the document on the server; `%s` replaces the document with `{}`.", onDestroyKeep, onDestroyEmpty),
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(onDestroyKeep),
				Validators:          []validator.String{stringvalidator.OneOf(onDestroyKeep, onDestroyEmpty)},
			},
			"updated": schema.Int64Attribute{
				MarkdownDescription: "When the server last wrote the document, in milliseconds since the Unix epoch, from its `" + memberUpdated + "` member.",
				Computed:            true,
			},
			"updated_by": schema.StringAttribute{
				MarkdownDescription: "Who last wrote the document, from its `" + memberUpdatedBy + "` member.",
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *documentResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.RequiredTogether(path.MatchRoot("collection"), path.MatchRoot("document_id")),
		bodyWOTogether{},
	}
}

func (r *documentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *provider.providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	r.data = data
}
