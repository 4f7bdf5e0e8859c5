#!/usr/bin/env bash
# Runs the acceptance tests once per CLI of the compatibility matrix and prints one
# result line per CLI. Terraform 1.5.7 (the last MPL-licensed release) and OpenTofu
# 1.6.3 are built from the Go module proxy into $CACHE/compat the first time and
# reused afterwards; no release binary is downloaded. Exits non-zero when any CLI
# fails, after running all of them.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${CACHE:-$repo/.cache}
terraform=${TERRAFORM:-$(command -v terraform || true)}
if [[ -z "$terraform" ]]; then
  echo "terraform is not on PATH; install Terraform 1.11 or later, or set TERRAFORM to its path" >&2
  exit 1
fi
export CHECKPOINT_DISABLE=1

# build_cli DIR BINARY MODULE@VERSION: builds the CLI into DIR unless it exists there.
build_cli() {
  local dir=$1 binary=$2 module=$3
  if [[ ! -x "$dir/$binary" ]]; then
    echo "==> building $module into $dir (once; later runs reuse it)" >&2
    mkdir -p "$dir"
    GOBIN="$dir" go install "$module"
  fi
  echo "$dir/$binary"
}

tf157=$(build_cli "$cache/compat/terraform-1.5.7" terraform github.com/hashicorp/terraform@v1.5.7)
tofu=$(build_cli "$cache/compat/tofu-1.6.3" tofu github.com/opentofu/opentofu/cmd/tofu@v1.6.3)

# OpenTofu resolves the provider's short source address against its own registry
# and needs a CLI configuration file that exists. An empty one is enough.
tofu_rc="$cache/compat/tofu.tfrc"
: >"$tofu_rc"

results=()
passed=0
failed=0

# run NAME CLI [VAR=VALUE...]: runs the provider's acceptance tests with CLI.
run() {
  local name=$1 cli=$2
  shift 2
  local version
  version=$(env -u TF_CLI_CONFIG_FILE "$cli" version 2>/dev/null | sed -n 1p) || version="(version unknown)"
  echo "==> $name: $version ($cli)"
  if env -u TF_CLI_CONFIG_FILE "$@" TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" \
    go test ./internal/provider/... -count=1 -timeout 20m; then
    results+=("PASS  $name  $version")
    passed=$((passed + 1))
  else
    results+=("FAIL  $name  $version")
    failed=$((failed + 1))
  fi
}

cd "$repo"
run terraform-path "$terraform"
run terraform-1.5.7 "$tf157"
run opentofu-1.6.3 "$tofu" TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_CLI_CONFIG_FILE="$tofu_rc"

echo
echo "Compatibility matrix:"
printf '  %s\n' "${results[@]}"
echo "matrix: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
