package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
)

var (
	_ datasource.DataSource                     = (*documentDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*documentDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*documentDataSource)(nil)
)

// NewDocumentDataSource returns the crescendo_provisioning_document data source.
func NewDocumentDataSource() datasource.DataSource {
	return &documentDataSource{}
}

type documentDataSource struct {
	data *providerData
}

type documentDataSourceModel struct {
	ID           types.String   `tfsdk:"id"`
	TenantID     types.String   `tfsdk:"tenant_id"`
	Collection   types.String   `tfsdk:"collection"`
	DocumentID   types.String   `tfsdk:"document_id"`
	AllowMissing types.Bool     `tfsdk:"allow_missing"`
	Exists       types.Bool     `tfsdk:"exists"`
	Body         JSONObject     `tfsdk:"body"`
	Updated      types.Int64    `tfsdk:"updated"`
	UpdatedBy    types.String   `tfsdk:"updated_by"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

func (d *documentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_document"
}

func (d *documentDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one provisioning document of the Crescendo Platform API: the tenant document, or a document in a " +
			"collection such as `users` or `bots`, for example one that another team or the Crescendo console manages.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`TENANT` for the tenant document, `TENANT/COLLECTION/DOCUMENT_ID` otherwise.",
				Computed:            true,
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Tenant that owns the document. Defaults to the provider's `tenant_id`; one of the two is required.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{pathSegment()},
			},
			"collection": schema.StringAttribute{
				MarkdownDescription: "Collection of the document, such as `users`. Set together with `document_id`; leave both out to read the tenant document.",
				Optional:            true,
				Validators:          []validator.String{pathSegment()},
			},
			"document_id": schema.StringAttribute{
				MarkdownDescription: "ID of the document within `collection`. Set together with `collection`.",
				Optional:            true,
				Validators:          []validator.String{pathSegment()},
			},
			"allow_missing": schema.BoolAttribute{
				MarkdownDescription: "When `true`, a missing document sets `exists` to `false` and leaves `body`, `updated` and `updated_by` null. " +
					"When `false` (the default), a missing document is an error.",
				Optional: true,
			},
			"exists": schema.BoolAttribute{
				MarkdownDescription: "Whether the document exists. Always `true` unless `allow_missing` is set.",
				Computed:            true,
			},
			"body": schema.StringAttribute{
				CustomType: JSONObjectType{},
				MarkdownDescription: "The document as normalised JSON (sorted keys, no white space), without the server-owned `" + memberUpdated +
					"` and `" + memberUpdatedBy + "` members. Use `jsondecode()` to read its values.",
				Computed: true,
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
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (d *documentDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.RequiredTogether(path.MatchRoot("collection"), path.MatchRoot("document_id")),
	}
}

func (d *documentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *documentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config documentDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tenantID, ok := dataSourceTenant(d.data, config.TenantID, &resp.Diagnostics)
	if !ok {
		return
	}

	timeout, diags := config.Timeouts.Read(ctx, defaultOperationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	docPath := client.DocumentPath{TenantID: tenantID, Collection: config.Collection.ValueString(), DocumentID: config.DocumentID.ValueString()}
	ctx = tflog.SetField(ctx, "document_id", docPath.ID())
	config.TenantID = types.StringValue(tenantID)
	config.ID = types.StringValue(docPath.ID())

	raw, err := d.data.client.GetDocument(ctx, docPath)
	if client.IsNotFound(err) {
		if !config.AllowMissing.ValueBool() {
			resp.Diagnostics.AddError("Document Not Found",
				fmt.Sprintf("%s does not exist. Check tenant_id, collection and document_id, or set allow_missing = true to read a missing document as exists = false.", capitalize(describePath(docPath))))
			return
		}
		tflog.Debug(ctx, "Provisioning document not found, read as exists = false because allow_missing is set")
		config.Exists = types.BoolValue(false)
		config.Body = JSONObject{StringValue: types.StringNull()}
		config.Updated = types.Int64Null()
		config.UpdatedBy = types.StringNull()
		resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
		return
	}
	if err != nil {
		addRequestError(ctx, &resp.Diagnostics, opReadDocumentDataSource, docPath, err, timeout, d.data.requestTimeout)
		return
	}

	remote, ok := parseRemoteDocument(docPath, raw, &resp.Diagnostics)
	if !ok {
		return
	}
	config.Exists = types.BoolValue(true)
	config.Updated, config.UpdatedBy = stamps(remote)
	config.Body = NewJSONObject(string(remote.Without(memberUpdated, memberUpdatedBy).Canonical()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// configureDataSource returns the provider data for a data source's Configure, or nil
// before the provider is configured.
func configureDataSource(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *provider.providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return nil
	}
	return data
}

// dataSourceTenant returns the configured tenant, or the provider's default when
// configured is null. It reports a missing tenant, and a provider that was not
// configured, as errors.
func dataSourceTenant(data *providerData, configured types.String, diags *diag.Diagnostics) (string, bool) {
	if data == nil {
		diags.AddError("Provider Not Configured",
			"The crescendo provider was not configured before the data source was read. This is a bug in the provider or in Terraform; please report it.")
		return "", false
	}
	if !configured.IsNull() {
		return configured.ValueString(), true
	}
	if data.tenantID == "" {
		diags.AddAttributeError(path.Root("tenant_id"), "Missing Tenant ID",
			"The data source has no tenant_id and the provider has no default tenant. Set tenant_id on the data source, or tenant_id in the provider block, or the "+envTenantID+" environment variable.")
		return "", false
	}
	return data.tenantID, true
}
