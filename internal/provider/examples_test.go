package provider

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"
)

// TestExamplesValidate runs `terraform validate` on every folder under examples/
// against a freshly built provider, so the examples that the docs embed match the
// schema. The CLI is TF_ACC_TERRAFORM_PATH, as for the acceptance tests, so the
// compatibility matrix checks the examples with each CLI. A dev_overrides CLI
// configuration points the CLI at the build: no terraform init, no network.
func TestExamplesValidate(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the Terraform CLI")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Fatalf("TF_ACC_TERRAFORM_PATH is not set and terraform is not on PATH: %v", err)
		}
	}

	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	binDir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(binDir, "terraform-provider-crescendo"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}

	rc := filepath.Join(t.TempDir(), "dev.tfrc")
	rcText := `provider_installation {
  dev_overrides {
    "crescendo-ai/crescendo" = "` + filepath.ToSlash(binDir) + `"
  }
  direct {}
}
`
	if err := os.WriteFile(rc, []byte(rcText), 0o600); err != nil {
		t.Fatal(err)
	}

	writeOnlySupported := cliSupportsWriteOnly(t, cli)

	dirs := exampleDirs(t, filepath.Join(root, "examples"))
	for _, want := range []string{"provider", "resources/crescendo_provisioning_document"} {
		if !slices.Contains(dirs, want) {
			t.Fatalf("examples/%s is missing; found %v", want, dirs)
		}
	}

	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			if !writeOnlySupported && usesWriteOnly(t, filepath.Join(root, "examples", dir)) {
				t.Skipf("examples/%s sets body_wo, a write-only attribute, which needs Terraform 1.11 or later", dir)
			}
			work := t.TempDir()
			if !copyTerraformFiles(t, filepath.Join(root, "examples", dir), work) {
				// Resource and data source examples are fragments of a module whose
				// provider.tf declares the provider source. Without it the CLI
				// would look for hashicorp/crescendo.
				copyFile(t, filepath.Join(root, "examples", "provider", "provider.tf"), filepath.Join(work, "provider.tf"))
			}

			validate := exec.Command(cli, "validate", "-no-color")
			validate.Dir = work
			validate.Env = append(withoutEnv(os.Environ(), "TF_CLI_CONFIG_FILE", "TF_LOG"),
				"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
			out, err := validate.CombinedOutput()
			if err != nil {
				t.Fatalf("%s validate failed on examples/%s: %v\n%s", cli, dir, err, out)
			}
			// Without the override the CLI could not have loaded the provider's
			// schema, so this shows the example was checked against this build.
			if !strings.Contains(string(out), "crescendo-ai/crescendo") {
				t.Errorf("validate output does not mention the overridden provider, so the build may not have been used:\n%s", out)
			}
		})
	}
}

// cliSupportsWriteOnly reports whether cli accepts write-only attributes, which
// Terraform supports from 1.11. OpenTofu 1.6.3, the one this project tests, reports
// its own version number, so the same check applies to it.
func cliSupportsWriteOnly(t *testing.T, cli string) bool {
	t.Helper()
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	var version struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &version); err != nil {
		t.Fatalf("parsing the output of %s version -json: %v\n%s", cli, err, out)
	}
	parsed, err := goversion.NewVersion(version.TerraformVersion)
	if err != nil {
		t.Fatalf("%s reports the version %q: %v", cli, version.TerraformVersion, err)
	}
	return parsed.Core().GreaterThanOrEqual(goversion.Must(goversion.NewVersion("1.11.0")))
}

// usesWriteOnly reports whether a .tf file in dir sets body_wo.
func usesWriteOnly(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "body_wo") {
			return true
		}
	}
	return false
}

// exampleDirs returns the folders under root that contain .tf files, relative to root,
// with forward slashes.
func exampleDirs(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		if d.IsDir() || filepath.Ext(path) != ".tf" {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); !slices.Contains(dirs, rel) {
			dirs = append(dirs, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing examples: %v", err)
	}
	return dirs
}

// copyTerraformFiles copies the .tf files of src into dst, so validate never writes
// into the source tree, and reports whether any of them has a required_providers
// block.
func copyTerraformFiles(t *testing.T, src, dst string) bool {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	hasRequiredProviders := false
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".tf" {
			continue
		}
		data := copyFile(t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
		if strings.Contains(string(data), "required_providers") {
			hasRequiredProviders = true
		}
	}
	return hasRequiredProviders
}

// copyFile copies src to dst and returns the content.
func copyFile(t *testing.T, src, dst string) []byte {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return data
}

// withoutEnv returns env without the variables named.
func withoutEnv(env []string, names ...string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(names, name)
	})
}
