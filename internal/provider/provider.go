// Package provider is the Terraform glue of the Crescendo provider: schemas, models,
// plan logic and diagnostics. HTTP lives in the client package and JSON semantics in
// the jsondoc package.
package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
)

// Environment variables read when the matching provider argument is not set.
const (
	envAPIKey             = "CRESCENDO_API_KEY"
	envBaseURL            = "CRESCENDO_BASE_URL"
	envTenantID           = "CRESCENDO_TENANT_ID"
	envMaxRetries         = "CRESCENDO_MAX_RETRIES"
	envRetryWaitMax       = "CRESCENDO_RETRY_WAIT_MAX"
	envRequestTimeout     = "CRESCENDO_REQUEST_TIMEOUT"
	envRateLimit          = "CRESCENDO_RATE_LIMIT"
	envCACertificatePEM   = "CRESCENDO_CA_CERTIFICATE_PEM"
	envInsecureSkipVerify = "CRESCENDO_INSECURE_SKIP_VERIFY"
)

var _ provider.Provider = (*crescendoProvider)(nil)

// New returns a constructor for the provider, as providerserver.Serve expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &crescendoProvider{version: version}
	}
}

type crescendoProvider struct {
	// version is the release version, "dev" for local builds, or "test" in tests.
	version string
}

type providerModel struct {
	APIKey             types.String         `tfsdk:"api_key"`
	BaseURL            types.String         `tfsdk:"base_url"`
	TenantID           types.String         `tfsdk:"tenant_id"`
	MaxRetries         types.Int64          `tfsdk:"max_retries"`
	RetryWaitMax       timetypes.GoDuration `tfsdk:"retry_wait_max"`
	RequestTimeout     timetypes.GoDuration `tfsdk:"request_timeout"`
	RateLimit          types.Float64        `tfsdk:"rate_limit"`
	CACertificatePEM   types.String         `tfsdk:"ca_certificate_pem"`
	InsecureSkipVerify types.Bool           `tfsdk:"insecure_skip_verify"`
}

// providerData is the value that Configure passes to every resource and data source.
type providerData struct {
	client         *client.Client
	tenantID       string // empty when neither tenant_id nor CRESCENDO_TENANT_ID is set
	requestTimeout time.Duration
}

func (p *crescendoProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "crescendo"
	resp.Version = p.version
}

func (p *crescendoProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages provisioning documents (tenant settings, users, bots, jobs) through the Crescendo Platform API.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Tenant API key, sent as `Authorization: Bearer`. Can also be set with the `" + envAPIKey + "` environment variable; one of the two is required.",
				Optional:            true,
				Sensitive:           true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the API, without `/api/v1`. Defaults to `" + client.DefaultBaseURL + "`, or the `" + envBaseURL + "` environment variable. Must be `https://`, except for loopback hosts.",
				Optional:            true,
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Default tenant for resources and data sources that do not set `tenant_id`. Can also be set with the `" + envTenantID + "` environment variable.",
				Optional:            true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a connection error, a response cut short, or an HTTP 429, 502, 503 or 504 response, with exponential backoff and jitter. An attempt that times out is retried once at most. Other statuses, such as 400, 401, 403 and 404, are never retried. `0` disables retries. Defaults to `%d`, or the `%s` environment variable.", client.DefaultMaxRetries, envMaxRetries),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 100)},
			},
			"retry_wait_max": schema.StringAttribute{
				CustomType:          timetypes.GoDurationType{},
				MarkdownDescription: fmt.Sprintf("Longest wait between two attempts, as a Go duration such as `30s`. Also caps a `Retry-After` header, which is honoured in seconds or as an HTTP date. Defaults to `%s`, or the `%s` environment variable.", client.DefaultRetryWaitMax, envRetryWaitMax),
				Optional:            true,
			},
			"request_timeout": schema.StringAttribute{
				CustomType:          timetypes.GoDurationType{},
				MarkdownDescription: fmt.Sprintf("Time limit for one attempt of one request, from sending it to reading the whole response, as a Go duration such as `30s`. Waiting for `rate_limit` or between attempts does not count. The resource's `timeouts` block bounds a whole operation. Defaults to `%s`, or the `%s` environment variable.", client.DefaultRequestTimeout, envRequestTimeout),
				Optional:            true,
			},
			"rate_limit": schema.Float64Attribute{
				MarkdownDescription: "Maximum requests per second that this provider instance sends, retries included, shared by all its resources and data sources. `0` (the default) means no limit. Can also be set with the `" + envRateLimit + "` environment variable.",
				Optional:            true,
				Validators:          []validator.Float64{float64validator.AtLeast(0)},
			},
			"ca_certificate_pem": schema.StringAttribute{
				MarkdownDescription: "PEM-encoded CA certificates trusted in addition to the system's, for an API behind a private certificate authority. Can also be set with the `" + envCACertificatePEM + "` environment variable.",
				Optional:            true,
			},
			"insecure_skip_verify": schema.BoolAttribute{
				MarkdownDescription: "Skips verification of the server's TLS certificate. Off by default; turning it on exposes the API key to anyone who can intercept the connection, so use it only against test installations. Can also be set with the `" + envInsecureSkipVerify + "` environment variable.",
				Optional:            true,
			},
		},
	}
}

func (p *crescendoProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewDocumentResource,
	}
}

func (p *crescendoProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewDocumentDataSource,
		NewCollectionDataSource,
	}
}
