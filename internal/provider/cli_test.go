package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests in this file run the real Terraform CLI as a subprocess against a provider
// binary built from this module, the way a user or CI does, for what the acceptance
// test framework cannot show: the exact output and log, signals, and the state file.
// Terraform finds the binary through dev_overrides, so it needs no network and no
// terraform init.

// cliHarness is a built provider and a Terraform CLI configured to use it.
type cliHarness struct {
	terraform string
	cliConfig string
}

// newCLIHarness builds the provider into the test's temporary directory. TestCLI
// builds it once and shares it with its subtests.
func newCLIHarness(t *testing.T) *cliHarness {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run tests that drive the Terraform CLI")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Skip("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set")
		}
	}

	dir := t.TempDir()
	binary := filepath.Join(dir, "terraform-provider-crescendo")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Dir = filepath.Join("..", "..")
	if output, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, output)
	}
	cliConfig := filepath.Join(dir, "dev.tfrc")
	config := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "crescendo-ai/crescendo" = %q
  }
  direct {}
}
`, dir)
	if err := os.WriteFile(cliConfig, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return &cliHarness{terraform: terraform, cliConfig: cliConfig}
}

// workspace is a Terraform working directory with its own environment.
type workspace struct {
	t   *testing.T
	h   *cliHarness
	dir string
	env map[string]string
	// outputs collects everything that every command printed, for secret checks.
	mu      sync.Mutex
	outputs []string
}

func (h *cliHarness) workspace(t *testing.T, config string) *workspace {
	t.Helper()
	w := &workspace{t: t, h: h, dir: t.TempDir(), env: map[string]string{}}
	w.write(config)
	return w
}

func (w *workspace) write(config string) {
	w.t.Helper()
	header := `terraform {
  required_providers {
    crescendo = {
      source = "crescendo-ai/crescendo"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(header+config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// environment returns the process environment without Terraform's and the provider's
// variables, plus the workspace's.
func (w *workspace) environment() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CRESCENDO_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+w.h.cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)
	for name, value := range w.env {
		env = append(env, name+"="+value)
	}
	return env
}

func (w *workspace) command(ctx context.Context, args ...string) (*exec.Cmd, *lockedBuffer) {
	cmd := exec.CommandContext(ctx, w.h.terraform, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.environment()
	output := &lockedBuffer{}
	cmd.Stdout = output
	cmd.Stderr = output
	cmd.WaitDelay = 10 * time.Second
	return cmd, output
}

// run runs terraform with args and returns its combined output and exit code.
func (w *workspace) run(args ...string) (string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd, output := w.command(ctx, append(args, "-no-color")...)
	err := cmd.Run()
	w.record(output.String())
	code := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, output)
	}
	return output.String(), code
}

// mustRun runs terraform and fails the test unless it exits with want.
func (w *workspace) mustRun(want int, args ...string) string {
	w.t.Helper()
	output, code := w.run(args...)
	if code != want {
		w.t.Fatalf("terraform %s exited with %d; want %d. Output:\n%s", strings.Join(args, " "), code, want, output)
	}
	return output
}

func (w *workspace) record(output string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.outputs = append(w.outputs, output)
}

// assertNoSecret fails the test if secret appears in any command's output or in any
// file of the workspace: state, state backups, logs and plans.
func (w *workspace) assertNoSecret(secret string, extraFiles ...string) {
	w.t.Helper()
	w.mu.Lock()
	for i, output := range w.outputs {
		if strings.Contains(output, secret) {
			w.t.Errorf("the output of command %d contains the API key:\n%s", i+1, output)
		}
	}
	w.mu.Unlock()
	files, _ := filepath.Glob(filepath.Join(w.dir, "*"))
	for _, name := range append(files, extraFiles...) {
		if strings.HasSuffix(name, "main.tf") {
			continue // the configuration is where the key was written
		}
		data, err := os.ReadFile(name)
		if err != nil {
			continue // a directory
		}
		if bytes.Contains(data, []byte(secret)) {
			w.t.Errorf("%s contains the API key", name)
		}
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
