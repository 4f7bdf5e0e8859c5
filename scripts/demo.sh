#!/usr/bin/env bash
# Runs the provider end to end. It builds the provider and the mock API, starts the
# mock on a free loopback port and applies examples/demo through the Terraform CLI with
# a dev_overrides CLI configuration. Then it shows what the API stored, checks that a
# second plan is empty, destroys, and stops the mock. It downloads nothing and leaves
# nothing running.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
mock_pid=""

cleanup() {
  if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid"
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

command -v curl >/dev/null || { echo "curl is not on PATH; install it to show what the mock API stored" >&2; exit 1; }
terraform=${TERRAFORM:-$(command -v terraform || true)}
if [[ -z "$terraform" ]]; then
  echo "terraform is not on PATH; install Terraform 1.11 or later, or set TERRAFORM to its path" >&2
  exit 1
fi

step "Building the provider and the mock API"
mkdir -p "$work/bin"
(cd "$repo" && go build -o "$work/bin/terraform-provider-crescendo" -ldflags "-X main.version=demo" . \
  && go build -o "$work/bin/crescendo-mock" ./cmd/crescendo-mock)

# A fresh key for every run; it never leaves this machine.
export CRESCENDO_API_KEY="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export CRESCENDO_TENANT_ID=tenant-demo

step "Starting the mock API on loopback"
"$work/bin/crescendo-mock" -tenant "$CRESCENDO_TENANT_ID" -key-name demo-pipeline -addr-file "$work/addr" &
mock_pid=$!
for _ in $(seq 100); do
  [[ -s "$work/addr" ]] && break
  kill -0 "$mock_pid" 2>/dev/null || { echo "the mock API exited before listening" >&2; exit 1; }
  sleep 0.05
done
[[ -s "$work/addr" ]] || { echo "the mock API did not start within 5 seconds" >&2; exit 1; }
export CRESCENDO_BASE_URL=$(cat "$work/addr")
echo "mock API at $CRESCENDO_BASE_URL, tenant $CRESCENDO_TENANT_ID"

# dev_overrides makes Terraform use the provider just built instead of the registry's,
# so no terraform init (and no download) is needed.
cat > "$work/terraformrc" <<CONFIG
provider_installation {
  dev_overrides {
    "crescendo-ai/crescendo" = "$work/bin"
  }
  direct {}
}
CONFIG
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1

cp -R "$repo/examples/demo" "$work/config"
tf() { "$terraform" -chdir="$work/config" "$@"; }

step "terraform apply"
tf apply -auto-approve -input=false -no-color

step "What the API stored"
curl -fsS "$CRESCENDO_BASE_URL/_mock/documents"

step "terraform plan again: nothing should change"
set +e
tf plan -detailed-exitcode -input=false -no-color
plan_status=$?
set -e
if [[ $plan_status -ne 0 ]]; then
  echo "the second plan was not empty (exit status $plan_status)" >&2
  exit 1
fi
echo "The second plan is empty."

step "terraform destroy"
tf destroy -auto-approve -input=false -no-color

step "What the API holds after destroy"
curl -fsS "$CRESCENDO_BASE_URL/_mock/documents"
echo "The API has no DELETE: documents stay, except nightly-export, which on_destroy = \"empty\" replaced with {}."
