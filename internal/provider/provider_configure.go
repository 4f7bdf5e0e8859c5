package provider

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
)

var _ provider.ProviderWithValidateConfig = (*crescendoProvider)(nil)

// ValidateConfig checks the arguments that are known at validate time, so a mistyped
// base URL or tenant fails before any plan.
func (p *crescendoProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if isKnown(config.BaseURL) {
		if _, err := client.ParseBaseURL(config.BaseURL.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Base URL", err.Error()+".")
		}
	}
	if isKnown(config.TenantID) {
		if err := client.ValidateSegment("tenant_id", config.TenantID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("tenant_id"), "Invalid Tenant ID", err.Error()+".")
		}
	}
	if isKnown(config.APIKey) && config.APIKey.ValueString() == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Empty API Key",
			"api_key is set to an empty string. Set it to a Crescendo API key, or remove it and set the "+envAPIKey+" environment variable.")
	}
}

func (p *crescendoProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	reportUnknownArguments(config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	settings := resolveSettings(config, os.Getenv, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = tflog.MaskLogStrings(ctx, settings.APIKey)

	if settings.InsecureSkipVerify {
		resp.Diagnostics.AddAttributeWarning(path.Root("insecure_skip_verify"), "TLS Verification Disabled",
			"insecure_skip_verify is on, so the provider does not check the server's certificate and anyone who can intercept the connection can read the API key. Use ca_certificate_pem to trust a private certificate authority instead.")
	}

	settings.UserAgent = fmt.Sprintf("terraform-provider-crescendo/%s (+https://registry.terraform.io/providers/crescendo-ai/crescendo) Terraform/%s", p.version, req.TerraformVersion)

	apiClient, err := client.New(settings.Config)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Provider Configuration", "The Crescendo API client could not be created: "+err.Error()+".")
		return
	}

	tflog.Debug(ctx, "Configured Crescendo API client", map[string]any{
		"base_url":             settings.BaseURL,
		"tenant_id":            settings.TenantID,
		"max_retries":          settings.MaxRetries,
		"retry_wait_max":       settings.RetryWaitMax.String(),
		"request_timeout":      settings.RequestTimeout.String(),
		"rate_limit":           settings.RateLimit,
		"custom_ca":            settings.CACertificatePEM != "",
		"insecure_skip_verify": settings.InsecureSkipVerify,
	})

	data := &providerData{client: apiClient, tenantID: settings.TenantID, requestTimeout: settings.RequestTimeout}
	resp.ResourceData = data
	resp.DataSourceData = data
}

// reportUnknownArguments rejects arguments whose value is not known until apply, such
// as a key read from a resource that does not exist yet. The client cannot be built
// without them, and reads during plan need the client.
func reportUnknownArguments(config providerModel, diags *diag.Diagnostics) {
	unknown := map[string]bool{
		"api_key":              config.APIKey.IsUnknown(),
		"base_url":             config.BaseURL.IsUnknown(),
		"tenant_id":            config.TenantID.IsUnknown(),
		"max_retries":          config.MaxRetries.IsUnknown(),
		"retry_wait_max":       config.RetryWaitMax.IsUnknown(),
		"request_timeout":      config.RequestTimeout.IsUnknown(),
		"rate_limit":           config.RateLimit.IsUnknown(),
		"ca_certificate_pem":   config.CACertificatePEM.IsUnknown(),
		"insecure_skip_verify": config.InsecureSkipVerify.IsUnknown(),
	}
	for _, name := range sortedKeys(unknown) {
		if unknown[name] {
			diags.AddAttributeError(path.Root(name), "Unknown Provider Argument",
				fmt.Sprintf("The provider argument %s depends on a value that is not known until apply, but the provider needs it to plan. Set it from a variable or a value known at plan time, or apply the resource it depends on first with -target.", name))
		}
	}
}

// settings is the provider configuration after defaults and environment variables.
type settings struct {
	client.Config
	TenantID string
}

// resolveSettings merges the configuration with environment variables, where the
// configuration wins, and applies defaults. getenv is os.Getenv outside tests.
func resolveSettings(config providerModel, getenv func(string) string, diags *diag.Diagnostics) settings {
	s := settings{Config: client.Config{MaxRetries: client.DefaultMaxRetries, RequestTimeout: client.DefaultRequestTimeout, RetryWaitMax: client.DefaultRetryWaitMax}}

	s.APIKey = stringSetting(config.APIKey, getenv(envAPIKey))
	if s.APIKey == "" {
		diags.AddAttributeError(path.Root("api_key"), "Missing API Key",
			"The provider needs a Crescendo API key. Set the api_key argument in the provider block, or the "+envAPIKey+" environment variable (in HCP Terraform, as a sensitive workspace variable).")
	}

	s.BaseURL = stringSetting(config.BaseURL, getenv(envBaseURL))
	if s.BaseURL == "" {
		s.BaseURL = client.DefaultBaseURL
	}
	if _, err := client.ParseBaseURL(s.BaseURL); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Base URL", fmt.Sprintf("%s (from %s).", err, source(config.BaseURL, envBaseURL)))
	}

	s.TenantID = stringSetting(config.TenantID, getenv(envTenantID))
	if s.TenantID != "" {
		if err := client.ValidateSegment("tenant_id", s.TenantID); err != nil {
			diags.AddAttributeError(path.Root("tenant_id"), "Invalid Tenant ID", fmt.Sprintf("%s (from %s).", err, source(config.TenantID, envTenantID)))
		}
	}

	if !config.MaxRetries.IsNull() {
		s.MaxRetries = int(config.MaxRetries.ValueInt64())
	} else if raw := getenv(envMaxRetries); raw != "" {
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || n < 0 || n > 100 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid Environment Variable",
				fmt.Sprintf("%s is %q; it must be a whole number from 0 to 100.", envMaxRetries, raw))
		}
		s.MaxRetries = n
	}

	s.RetryWaitMax = durationSetting(config.RetryWaitMax.StringValue, getenv(envRetryWaitMax), "retry_wait_max", envRetryWaitMax, s.RetryWaitMax, diags)
	s.RequestTimeout = durationSetting(config.RequestTimeout.StringValue, getenv(envRequestTimeout), "request_timeout", envRequestTimeout, s.RequestTimeout, diags)

	if !config.RateLimit.IsNull() {
		s.RateLimit = config.RateLimit.ValueFloat64()
	} else if raw := getenv(envRateLimit); raw != "" {
		f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		// ParseFloat accepts "NaN" and "Inf", which no rate can be.
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			diags.AddAttributeError(path.Root("rate_limit"), "Invalid Environment Variable",
				fmt.Sprintf("%s is %q; it must be a finite number of requests per second, 0 or more.", envRateLimit, raw))
		}
		s.RateLimit = f
	}

	s.CACertificatePEM = stringSetting(config.CACertificatePEM, getenv(envCACertificatePEM))

	if !config.InsecureSkipVerify.IsNull() {
		s.InsecureSkipVerify = config.InsecureSkipVerify.ValueBool()
	} else if raw := getenv(envInsecureSkipVerify); raw != "" {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			diags.AddAttributeError(path.Root("insecure_skip_verify"), "Invalid Environment Variable",
				fmt.Sprintf("%s is %q; it must be true or false.", envInsecureSkipVerify, raw))
		}
		s.InsecureSkipVerify = b
	}
	return s
}

// stringSetting returns the configured value, or the environment's when the argument
// is not set.
func stringSetting(configured types.String, fromEnv string) string {
	if !configured.IsNull() {
		return configured.ValueString()
	}
	return strings.TrimSpace(fromEnv)
}

func durationSetting(configured types.String, fromEnv, attribute, envName string, fallback time.Duration, diags *diag.Diagnostics) time.Duration {
	raw, origin := configured.ValueString(), attribute
	if configured.IsNull() {
		raw, origin = strings.TrimSpace(fromEnv), envName
	}
	if raw == "" {
		return fallback
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		diags.AddAttributeError(path.Root(attribute), "Invalid Duration",
			fmt.Sprintf("%s is %q; it must be a positive Go duration such as \"30s\" or \"2m\".", origin, raw))
		return fallback
	}
	return d
}

// source names where a setting came from, for error messages.
func source(configured types.String, envName string) string {
	if configured.IsNull() {
		return "the " + envName + " environment variable"
	}
	return "the provider configuration"
}
