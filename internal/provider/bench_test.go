package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The benchmarks in this file drive the provider through the same protocol 6 server
// that Terraform talks to, so they include the framework's decoding, validation and
// encoding of every request, not only the resource's own code. The API is a minimal
// httptest server, so the mock's own cost stays out of the figures.

const benchResourceType = "crescendo_provisioning_document"

// benchBody returns a user document of about 1 KB, as the end-to-end benchmark
// stores, with its members in the order jsonencode writes them.
func benchBody(revision int) string {
	groups := make([]string, 0, 12)
	for i := range 12 {
		groups = append(groups, fmt.Sprintf(`"group-%02d"`, i))
	}
	return fmt.Sprintf(`{"active":true,"displayName":"Bench User","email":"user@bench.example",`+
		`"employeeNumber":9007199254740993,"groups":[%s],"locale":"en-GB",`+
		`"notifications":{"channels":["email","chat"],"digestHours":12,"email":true},`+
		`"profile":{"bio":"%s","phone":"+44 20 7946 0000","title":"Support engineer"},`+
		`"quota":{"conversations":4200,"storageGiB":12.5},"revision":%d,"role":"editor","timezone":"Europe/London"}`,
		strings.Join(groups, ","), strings.Repeat("support billing voice ", 25), revision)
}

// newBenchAPI starts a server that stores nothing. It responds to GET with the document
// plus the server's stamps and to POST with the request body plus the stamps, like the API.
func newBenchAPI(b *testing.B, document string) string {
	b.Helper()
	stamped := func(body []byte) []byte {
		var object map[string]json.RawMessage
		if err := json.Unmarshal(body, &object); err != nil {
			b.Errorf("request body is not a JSON object: %v", err)
		}
		object["updated"] = json.RawMessage("1700000000000")
		object["updatedBy"] = json.RawMessage(`"` + testKeyName + `"`)
		out, _ := json.Marshal(object)
		return out
	}
	stored := stamped([]byte(document))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodGet:
			_, _ = w.Write(stored)
		case http.MethodPost:
			body, _ := io.ReadAll(r.Body)
			_, _ = w.Write(stamped(body))
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// benchServer is a configured protocol 6 provider server and the types of its
// schemas.
type benchServer struct {
	server       tfprotov6.ProviderServer
	resourceType tftypes.Object
}

func newBenchServer(b *testing.B, baseURL string) benchServer {
	b.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		b.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}

	providerType := objectType(b, schemas.Provider.ValueType())
	providerValues := map[string]tftypes.Value{}
	for name, typ := range providerType.AttributeTypes {
		providerValues[name] = tftypes.NewValue(typ, nil)
	}
	providerValues["base_url"] = tftypes.NewValue(tftypes.String, baseURL)
	providerValues["api_key"] = tftypes.NewValue(tftypes.String, testKey)
	providerValues["tenant_id"] = tftypes.NewValue(tftypes.String, testTenant)
	config := benchDynamicValue(b, providerType, providerValues)
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil || len(configured.Diagnostics) > 0 {
		b.Fatalf("ConfigureProvider: %v %v", err, configured.Diagnostics)
	}
	return benchServer{server: server, resourceType: objectType(b, schemas.ResourceSchemas[benchResourceType].ValueType())}
}

func objectType(b *testing.B, typ tftypes.Type) tftypes.Object {
	b.Helper()
	object, ok := typ.(tftypes.Object)
	if !ok {
		b.Fatalf("schema type is %T, not tftypes.Object", typ)
	}
	return object
}

func benchDynamicValue(b *testing.B, typ tftypes.Type, values map[string]tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	value, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, values))
	if err != nil {
		b.Fatal(err)
	}
	return &value
}

// resourceValue returns a resource object as the state or the plan holds it. A nil
// updated stands for an unknown value, as in a plan that writes the document.
func (s benchServer) resourceValue(b *testing.B, body string, updated any, updatedBy any) *tfprotov6.DynamicValue {
	b.Helper()
	types := s.resourceType.AttributeTypes
	values := map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, testTenant+"/users/user-00001"),
		"tenant_id":   tftypes.NewValue(tftypes.String, testTenant),
		"collection":  tftypes.NewValue(tftypes.String, "users"),
		"document_id": tftypes.NewValue(tftypes.String, "user-00001"),
		"body":        tftypes.NewValue(tftypes.String, body),
		"on_destroy":  tftypes.NewValue(tftypes.String, onDestroyKeep),
		"updated":     tftypes.NewValue(tftypes.Number, updated),
		"updated_by":  tftypes.NewValue(tftypes.String, updatedBy),
		"timeouts":    tftypes.NewValue(types["timeouts"], nil),
		// Write-only attributes are always null in state and plan.
		"body_wo":         tftypes.NewValue(tftypes.String, nil),
		"body_wo_version": tftypes.NewValue(tftypes.String, nil),
	}
	return benchDynamicValue(b, s.resourceType, values)
}

// configValue returns the resource's configuration: only the arguments that the
// end-to-end benchmark sets, the others null.
func (s benchServer) configValue(b *testing.B, body string) *tfprotov6.DynamicValue {
	b.Helper()
	values := map[string]tftypes.Value{}
	for name, typ := range s.resourceType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	values["collection"] = tftypes.NewValue(tftypes.String, "users")
	values["document_id"] = tftypes.NewValue(tftypes.String, "user-00001")
	values["body"] = tftypes.NewValue(tftypes.String, body)
	return benchDynamicValue(b, s.resourceType, values)
}

func checkNoDiagnostics(b *testing.B, call string, diags []*tfprotov6.Diagnostic) {
	b.Helper()
	for _, d := range diags {
		b.Fatalf("%s: %s: %s", call, d.Summary, d.Detail)
	}
}

// BenchmarkReadResource is the refresh of one unchanged document: decode the state,
// GET the document, compare it with the state's body and encode the new state.
func BenchmarkReadResource(b *testing.B) {
	body := benchBody(1)
	s := newBenchServer(b, newBenchAPI(b, body))
	state := s.resourceValue(b, body, 1700000000000, testKeyName)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := s.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: benchResourceType, CurrentState: state})
		if err != nil {
			b.Fatal(err)
		}
		checkNoDiagnostics(b, "ReadResource", resp.Diagnostics)
	}
}

// BenchmarkValidateResourceConfig is the validation that Terraform runs for every
// resource in every plan and apply.
func BenchmarkValidateResourceConfig(b *testing.B) {
	body := benchBody(1)
	s := newBenchServer(b, newBenchAPI(b, body))
	config := s.configValue(b, body)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := s.server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: benchResourceType, Config: config})
		if err != nil {
			b.Fatal(err)
		}
		checkNoDiagnostics(b, "ValidateResourceConfig", resp.Diagnostics)
	}
}

// BenchmarkPlanResourceChange plans one document in two cases: unchanged, as in the
// refresh phase, and with a changed body, as in the update phase.
func BenchmarkPlanResourceChange(b *testing.B) {
	for _, change := range []struct {
		name       string
		configured string
	}{
		{"unchanged", benchBody(1)},
		{"changed", benchBody(2)},
	} {
		b.Run(change.name, func(b *testing.B) {
			prior := benchBody(1)
			s := newBenchServer(b, newBenchAPI(b, prior))
			state := s.resourceValue(b, prior, 1700000000000, testKeyName)
			config := s.configValue(b, change.configured)
			// Terraform proposes the configured arguments over the prior state.
			proposed := s.resourceValue(b, change.configured, 1700000000000, testKeyName)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := s.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
					TypeName: benchResourceType, PriorState: state, ProposedNewState: proposed, Config: config,
				})
				if err != nil {
					b.Fatal(err)
				}
				checkNoDiagnostics(b, "PlanResourceChange", resp.Diagnostics)
			}
		})
	}
}

// BenchmarkApplyResourceChange is the update of one document: POST the new body and
// store the server's stamps.
func BenchmarkApplyResourceChange(b *testing.B) {
	prior, next := benchBody(1), benchBody(2)
	s := newBenchServer(b, newBenchAPI(b, prior))
	state := s.resourceValue(b, prior, 1700000000000, testKeyName)
	planned := s.resourceValue(b, next, tftypes.UnknownValue, tftypes.UnknownValue)
	config := s.configValue(b, next)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := s.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: benchResourceType, PriorState: state, PlannedState: planned, Config: config,
		})
		if err != nil {
			b.Fatal(err)
		}
		checkNoDiagnostics(b, "ApplyResourceChange", resp.Diagnostics)
	}
}
