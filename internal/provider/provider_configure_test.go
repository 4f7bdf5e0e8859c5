package provider

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/client"
)

// configureProvider runs Configure with the given arguments (attribute name to Go
// string, bool, int or float) and environment, and returns the response.
func configureProvider(t *testing.T, arguments map[string]any, env map[string]string) provider.ConfigureResponse {
	t.Helper()
	for _, name := range []string{envAPIKey, envBaseURL, envTenantID, envMaxRetries, envRetryWaitMax, envRequestTimeout, envRateLimit, envCACertificatePEM, envInsecureSkipVerify} {
		t.Setenv(name, env[name])
	}
	ctx := context.Background()
	p := New("test")()
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T, not tftypes.Object", schemaResp.Schema.Type().TerraformType(ctx))
	}

	values := map[string]tftypes.Value{}
	for name, typ := range objectType.AttributeTypes {
		raw, set := arguments[name]
		if !set {
			values[name] = tftypes.NewValue(typ, nil)
			continue
		}
		if n, isInt := raw.(int); isInt {
			raw = float64(n)
		}
		values[name] = tftypes.NewValue(typ, raw)
	}
	config := tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, values)}

	var validateResp provider.ValidateConfigResponse
	validator, ok := p.(provider.ProviderWithValidateConfig)
	if !ok {
		t.Fatalf("the provider does not implement ValidateConfig")
	}
	validator.ValidateConfig(ctx, provider.ValidateConfigRequest{Config: config}, &validateResp)
	resp := provider.ConfigureResponse{Diagnostics: validateResp.Diagnostics}
	if validateResp.Diagnostics.HasError() {
		return resp
	}
	p.Configure(ctx, provider.ConfigureRequest{Config: config, TerraformVersion: "1.11.0"}, &resp)
	return resp
}

func configuredData(t *testing.T, resp provider.ConfigureResponse) *providerData {
	t.Helper()
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure failed: %v", resp.Diagnostics)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok || data.client == nil {
		t.Fatalf("Configure returned resource data %#v", resp.ResourceData)
	}
	if resp.DataSourceData != resp.ResourceData {
		t.Errorf("data sources and resources get different provider data, so they would not share the client and its rate limit")
	}
	return data
}

func diagnosticsText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity().String() + ": " + d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func TestConfigure_defaults(t *testing.T) {
	data := configuredData(t, configureProvider(t, map[string]any{"api_key": testKey}, nil))
	if data.requestTimeout != client.DefaultRequestTimeout {
		t.Errorf("request timeout = %s; want %s", data.requestTimeout, client.DefaultRequestTimeout)
	}
	if data.tenantID != "" {
		t.Errorf("tenant = %q; want none", data.tenantID)
	}
}

func TestResolveSettings_environmentAndPrecedence(t *testing.T) {
	env := map[string]string{
		envAPIKey:             " env-key ",
		envBaseURL:            "https://env.example.test",
		envTenantID:           "tenant-env",
		envMaxRetries:         "7",
		envRetryWaitMax:       "2s",
		envRequestTimeout:     "9s",
		envRateLimit:          "2.5",
		envInsecureSkipVerify: "true",
	}
	var diags diag.Diagnostics
	s := resolveSettings(providerModel{}, func(name string) string { return env[name] }, &diags)
	if diags.HasError() {
		t.Fatalf("resolveSettings: %v", diags)
	}
	if s.APIKey != "env-key" || s.BaseURL != "https://env.example.test" || s.TenantID != "tenant-env" || s.MaxRetries != 7 ||
		s.RetryWaitMax != 2*time.Second || s.RequestTimeout != 9*time.Second || s.RateLimit != 2.5 || !s.InsecureSkipVerify {
		t.Errorf("settings from the environment = %+v", s)
	}

	// Arguments in the provider block win, including 0 for max_retries and rate_limit.
	resp := configureProvider(t, map[string]any{
		"api_key": testKey, "base_url": "https://config.example.test", "max_retries": 0,
		"retry_wait_max": "50ms", "request_timeout": "1s", "rate_limit": 0, "insecure_skip_verify": false,
	}, env)
	data := configuredData(t, resp)
	if data.requestTimeout != time.Second || data.tenantID != "tenant-env" {
		t.Errorf("request timeout %s, tenant %q; want 1s from the configuration and the tenant from the environment", data.requestTimeout, data.tenantID)
	}
	if len(resp.Diagnostics.Warnings()) != 0 {
		t.Errorf("insecure_skip_verify = false in the configuration should win over the environment, but got %s", diagnosticsText(resp.Diagnostics))
	}
}

func TestConfigure_invalidSettings(t *testing.T) {
	cases := []struct {
		name      string
		arguments map[string]any
		env       map[string]string
		want      string
	}{
		{"no key", nil, nil, "The provider needs a Crescendo API key."},
		{"http to a remote host", map[string]any{"api_key": testKey, "base_url": "http://platform.crescendo.ai"}, nil,
			"uses plain http to a host that is not a loopback address, which would send the API key across the network in clear text; use https://platform.crescendo.ai"},
		{"http from the environment", map[string]any{"api_key": testKey}, map[string]string{envBaseURL: "http://10.1.2.3:8080"},
			"(from the CRESCENDO_BASE_URL environment variable)"},
		{"bad max retries", map[string]any{"api_key": testKey}, map[string]string{envMaxRetries: "-1"}, "CRESCENDO_MAX_RETRIES is \"-1\"; it must be a whole number from 0 to 100."},
		{"bad wait", map[string]any{"api_key": testKey}, map[string]string{envRetryWaitMax: "soon"}, "CRESCENDO_RETRY_WAIT_MAX is \"soon\"; it must be a positive Go duration"},
		{"zero timeout", map[string]any{"api_key": testKey, "request_timeout": "0s"}, nil, "request_timeout is \"0s\"; it must be a positive Go duration"},
		{"bad rate", map[string]any{"api_key": testKey}, map[string]string{envRateLimit: "fast"}, "CRESCENDO_RATE_LIMIT is \"fast\""},
		{"NaN rate", map[string]any{"api_key": testKey}, map[string]string{envRateLimit: "NaN"}, "CRESCENDO_RATE_LIMIT is \"NaN\"; it must be a finite number"},
		{"infinite rate", map[string]any{"api_key": testKey}, map[string]string{envRateLimit: "+Inf"}, "CRESCENDO_RATE_LIMIT is \"+Inf\"; it must be a finite number"},
		{"bad insecure", map[string]any{"api_key": testKey}, map[string]string{envInsecureSkipVerify: "maybe"}, "CRESCENDO_INSECURE_SKIP_VERIFY is \"maybe\"; it must be true or false."},
		{"bad PEM", map[string]any{"api_key": testKey, "ca_certificate_pem": "-----BEGIN NOTHING-----"}, nil, "the CA certificate contains no PEM-encoded certificate"},
		{"bad tenant", map[string]any{"api_key": testKey}, map[string]string{envTenantID: "a/b"}, `tenant_id "a/b" contains "/"`},
		{"empty key", map[string]any{"api_key": ""}, nil, "api_key is set to an empty string."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := configureProvider(t, tc.arguments, tc.env)
			text := diagnosticsText(resp.Diagnostics)
			if !resp.Diagnostics.HasError() || !strings.Contains(text, tc.want) {
				t.Errorf("diagnostics:\n%s\nwant an error containing %q", text, tc.want)
			}
			if strings.Contains(text, testKey) {
				t.Errorf("the diagnostics contain the API key:\n%s", text)
			}
		})
	}
}

func TestConfigure_insecureSkipVerifyWarns(t *testing.T) {
	for _, tc := range []struct {
		arguments map[string]any
		env       map[string]string
	}{
		{map[string]any{"api_key": testKey, "insecure_skip_verify": true}, nil},
		{map[string]any{"api_key": testKey}, map[string]string{envInsecureSkipVerify: "1"}},
	} {
		resp := configureProvider(t, tc.arguments, tc.env)
		configuredData(t, resp)
		warnings := resp.Diagnostics.Warnings()
		if len(warnings) != 1 || warnings[0].Summary() != "TLS Verification Disabled" || !strings.Contains(warnings[0].Detail(), "ca_certificate_pem") {
			t.Errorf("diagnostics %s; want one warning that TLS verification is off, pointing at ca_certificate_pem", diagnosticsText(resp.Diagnostics))
		}
	}
	if resp := configureProvider(t, map[string]any{"api_key": testKey}, nil); len(resp.Diagnostics) != 0 {
		t.Errorf("the default configuration gave diagnostics: %s", diagnosticsText(resp.Diagnostics))
	}
}

// TestConfigure_caCertificateFromEnvironment checks that a private CA given as PEM in
// CRESCENDO_CA_CERTIFICATE_PEM lets the provider talk to a server it signed.
func TestConfigure_caCertificateFromEnvironment(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"plan":"x"}`))
	}))
	defer srv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	data := configuredData(t, configureProvider(t, map[string]any{"api_key": testKey, "base_url": srv.URL}, map[string]string{envCACertificatePEM: caPEM}))
	if _, err := data.client.GetDocument(context.Background(), client.DocumentPath{TenantID: testTenant}); err != nil {
		t.Errorf("GetDocument with the CA from the environment: %v", err)
	}

	data = configuredData(t, configureProvider(t, map[string]any{"api_key": testKey, "base_url": srv.URL}, nil))
	_, err := data.client.GetDocument(context.Background(), client.DocumentPath{TenantID: testTenant})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("GetDocument without the CA = %v; want a certificate error", err)
	}
}
