package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/jsondoc"
)

var (
	_ datasource.DataSource              = (*collectionDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*collectionDataSource)(nil)
)

// NewCollectionDataSource returns the crescendo_provisioning_collection data source.
func NewCollectionDataSource() datasource.DataSource {
	return &collectionDataSource{}
}

type collectionDataSource struct {
	data *providerData
}

type collectionDataSourceModel struct {
	ID          types.String   `tfsdk:"id"`
	TenantID    types.String   `tfsdk:"tenant_id"`
	Collection  types.String   `tfsdk:"collection"`
	DocumentIDs types.List     `tfsdk:"document_ids"`
	Documents   types.Map      `tfsdk:"documents"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

func (d *collectionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_collection"
}

func (d *collectionDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every document of one provisioning collection of the Crescendo Platform API, such as `users` or `bots`. " +
			"A collection without documents reads as empty lists and maps, not as an error.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`TENANT/COLLECTION`.",
				Computed:            true,
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Tenant that owns the collection. Defaults to the provider's `tenant_id`; one of the two is required.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{pathSegment()},
			},
			"collection": schema.StringAttribute{
				MarkdownDescription: "Name of the collection, such as `users`.",
				Required:            true,
				Validators:          []validator.String{pathSegment()},
			},
			"document_ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the documents in the collection, sorted by their UTF-8 bytes.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"documents": schema.MapAttribute{
				MarkdownDescription: "Each document's body by document ID, as normalised JSON (sorted keys, no white space) without the server-owned `" +
					memberUpdated + "` and `" + memberUpdatedBy + "` members. Use `jsondecode()` to read its values.",
				ElementType: JSONObjectType{},
				Computed:    true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (d *collectionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *collectionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config collectionDataSourceModel
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

	collection := config.Collection.ValueString()
	// A DocumentPath without a document ID is used only for its tenant and
	// collection, in error messages.
	collectionPath := client.DocumentPath{TenantID: tenantID, Collection: collection}
	target := fmt.Sprintf("collection %q of tenant %q", collection, tenantID)
	ctx = tflog.SetField(ctx, "collection", tenantID+"/"+collection)

	entries, err := d.data.client.ListCollection(ctx, tenantID, collection)
	if isAPINotFound(err) {
		// NOTE: The API reference does not say how it lists a collection without
		// documents, so an API 404 is read as no documents, like an empty list.
		tflog.Debug(ctx, "Collection listing returned NotFound, read as empty")
		entries, err = nil, nil
	}
	if err != nil {
		addRequestErrorFor(ctx, &resp.Diagnostics, opListCollectionDataSource, target, collectionPath, err, timeout, d.data.requestTimeout)
		return
	}

	ids := make([]string, 0, len(entries))
	documents := make(map[string]JSONObject, len(entries))
	for _, entry := range entries {
		object, err := jsondoc.ParseObject(entry.Data)
		if err != nil {
			resp.Diagnostics.AddError("Invalid Document from API",
				fmt.Sprintf("The API listed document %q in %s with data that is not a JSON object: %s. Check base_url points at the Crescendo API.", entry.ID, target, err))
			return
		}
		if _, duplicate := documents[entry.ID]; duplicate {
			resp.Diagnostics.AddError("Invalid Collection from API",
				fmt.Sprintf("The API listed document %q twice in %s. Check base_url points at the Crescendo API.", entry.ID, target))
			return
		}
		ids = append(ids, entry.ID)
		documents[entry.ID] = NewJSONObject(string(object.Without(memberUpdated, memberUpdatedBy).Canonical()))
	}
	tflog.Debug(ctx, "Listed provisioning collection", map[string]any{"documents": len(ids)})

	config.ID = types.StringValue(tenantID + "/" + collection)
	config.TenantID = types.StringValue(tenantID)
	config.DocumentIDs, diags = types.ListValueFrom(ctx, types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	config.Documents, diags = types.MapValueFrom(ctx, JSONObjectType{}, documents)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// isAPINotFound reports whether err is a 404 with the API's own NotFound error body,
// as opposed to a 404 from something else at base_url, such as a gateway or a web
// server at the wrong address.
func isAPINotFound(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && apiErr.Code == "NotFound"
}
