#!/usr/bin/env bash
# End-to-end benchmark: the real Terraform CLI against the standalone mock API on
# loopback, compared with the same configuration built from Terraform's own
# terraform_data resource, which is the floor that no provider can beat.
#
# For N documents of about 1 KB it times three phases for both targets:
#   create   terraform apply on an empty state
#   refresh  terraform plan, which must report no changes (exit status 0)
#   update   terraform apply that changes a member of every document
# and then checks that a plan after the update is empty. For the provider it also
# records CPU time and peak RSS of every provider process (GNU time wraps the binary
# in the dev_overrides folder), the requests the mock received per phase and the
# mock's highest number of requests in flight.
#
# Knobs (environment variables):
#   N            documents per configuration (default 500)
#   LATENCY      delay the mock adds to every API request, such as 20ms (default 0s)
#   REPEAT       repetitions; the summary shows the median and min-max (default 3)
#   PARALLELISM  terraform -parallelism (default 10, Terraform's default)
#   RAW          file that receives the raw measurements as TSV (optional)
#   PROVIDER_BIN provider binary to measure instead of building this tree (optional)
#   PROFILE      folder that receives pprof CPU and allocation profiles of every provider
#                process, per repetition and phase; builds with the benchprofile tag
#                (optional, and it slows the provider down a little)
#
# It downloads nothing, sends requests only to the mock it started on 127.0.0.1 and
# stops the mock before it exits.
set -euo pipefail

N=${N:-500}
LATENCY=${LATENCY:-0s}
REPEAT=${REPEAT:-3}
PARALLELISM=${PARALLELISM:-10}

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
mock_pid=""

stop_mock() {
  if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid"
    wait "$mock_pid" 2>/dev/null || true
  fi
  mock_pid=""
}
cleanup() {
  stop_mock
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "bench: $*" >&2; exit 1; }

[[ "$N" =~ ^[1-9][0-9]*$ ]] || fail "N=$N is not a positive integer"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || fail "REPEAT=$REPEAT is not a positive integer"
[[ "$PARALLELISM" =~ ^[1-9][0-9]*$ ]] || fail "PARALLELISM=$PARALLELISM is not a positive integer"
for tool in curl jq python3; do
  command -v "$tool" >/dev/null || fail "$tool is not on PATH; install it to run the benchmark"
done
[[ -x /usr/bin/time ]] || fail "/usr/bin/time (GNU time) is missing; install it to measure the provider's CPU time and memory"
terraform=${TERRAFORM:-$(command -v terraform || true)}
[[ -n "$terraform" ]] || fail "terraform is not on PATH; install Terraform 1.5 or later, or set TERRAFORM to its path"

echo "building the provider and the mock API" >&2
mkdir -p "$work/bin" "$work/plugins"
if [[ -n "${PROVIDER_BIN:-}" ]]; then
  cp "$PROVIDER_BIN" "$work/bin/terraform-provider-crescendo"
else
  tags=()
  [[ -n "${PROFILE:-}" ]] && tags=(-tags benchprofile)
  (cd "$repo" && go build "${tags[@]}" -o "$work/bin/terraform-provider-crescendo" .)
fi
if [[ -n "${PROFILE:-}" ]]; then
  mkdir -p "$PROFILE"
  PROFILE=$(cd "$PROFILE" && pwd)
  export CRESCENDO_PROFILE_DIR="$work/profiles"
  mkdir -p "$CRESCENDO_PROFILE_DIR"
fi
(cd "$repo" && go build -o "$work/bin/crescendo-mock" ./cmd/crescendo-mock)

# Terraform starts the provider from the dev_overrides folder. The wrapper there runs
# the real binary under GNU time, which appends "user system maxrss_kib" for every
# provider process that Terraform starts.
cat > "$work/plugins/terraform-provider-crescendo" <<WRAPPER
#!/bin/sh
exec /usr/bin/time -a -o "$work/provider-usage" -f "%U %S %M" "$work/bin/terraform-provider-crescendo" "\$@"
WRAPPER
chmod +x "$work/plugins/terraform-provider-crescendo"

cat > "$work/terraformrc" <<CONFIG
provider_installation {
  dev_overrides {
    "crescendo-ai/crescendo" = "$work/plugins"
  }
  direct {}
}
CONFIG
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
unset TF_LOG TF_LOG_PROVIDER TF_LOG_CORE
export CRESCENDO_API_KEY="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export CRESCENDO_TENANT_ID=tenant-bench

# N user documents of about 1 KB each, written as one resource block per document, as
# a generated configuration would hold them. Both targets get the same documents; the
# update phase changes their revision member. Each body is an HCL object constructor
# written in JSON syntax, which HCL accepts, so each resource has its own literal.
# A for_each over one large decoded JSON file was tried first and cost Terraform core
# far more than the resources themselves, which would have hidden the provider.
mkdir -p "$work/config-provider" "$work/config-floor"
python3 - "$N" "$work" <<'PYTHON'
import json, random, sys
n, work = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
words = ["alpha", "beta", "gamma", "delta", "café", "support", "billing", "voice", "a & b", "<team>"]
variable = 'variable "revision" {\n  type    = number\n  default = 1\n}\n'
provider = [variable, """
terraform {
  required_providers {
    crescendo = { source = "crescendo-ai/crescendo" }
  }
}

provider "crescendo" {}
"""]
floor = [variable]
for i in range(n):
    document = {
        "email": f"user{i}@bench.example",
        "displayName": f"{rng.choice(words).title()} User {i}",
        "role": rng.choice(["owner", "editor", "viewer"]),
        "active": rng.random() < 0.9,
        "employeeNumber": 9007199254740000 + i,
        "quota": {"conversations": rng.randint(100, 10000), "storageGiB": round(rng.random() * 50, 2)},
        "groups": [rng.choice(words) for _ in range(4)],
        "locale": "en-GB",
        "timezone": "Europe/London",
        "profile": {
            "bio": " ".join(rng.choice(words) for _ in range(50)),
            "title": "Support engineer",
            "phone": f"+44 20 7946 {i % 10000:04d}",
        },
        "notifications": {"email": True, "digestHours": rng.randint(1, 48), "channels": ["email", "chat"]},
        "permissions": [{"resource": f"bots/bot-{j}", "actions": ["read", "write"]} for j in range(4)],
    }
    literal = json.dumps(document, ensure_ascii=False)
    assert "${" not in literal and "%{" not in literal
    if i == 0:
        open(f"{work}/document-bytes", "w").write(str(len(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())))
    name = f"user-{i:05d}"
    body = f"jsonencode(merge({literal}, {{ revision = var.revision }}))"
    provider.append(f'\nresource "crescendo_provisioning_document" "{name}" {{\n'
                    f'  collection  = "users"\n  document_id = "{name}"\n  body        = {body}\n}}\n')
    floor.append(f'\nresource "terraform_data" "{name}" {{\n  input = {body}\n}}\n')
open(f"{work}/config-provider/main.tf", "w").write("".join(provider))
open(f"{work}/config-floor/main.tf", "w").write("".join(floor))
PYTHON
document_bytes=$(cat "$work/document-bytes")

start_mock() {
  rm -f "$work/addr"
  "$work/bin/crescendo-mock" -tenant "$CRESCENDO_TENANT_ID" -latency "$LATENCY" -addr-file "$work/addr" 2>>"$work/mock.log" &
  mock_pid=$!
  for _ in $(seq 100); do
    [[ -s "$work/addr" ]] && break
    kill -0 "$mock_pid" 2>/dev/null || fail "the mock API exited before listening; see its log above"
    sleep 0.05
  done
  [[ -s "$work/addr" ]] || fail "the mock API did not start within 5 seconds"
  CRESCENDO_BASE_URL=$(cat "$work/addr")
  export CRESCENDO_BASE_URL
}

raw="$work/raw.tsv"
printf 'rep\ttarget\tphase\twall_s\tcore_cpu_s\tprovider_cpu_s\tprovider_maxrss_kib\tprovider_processes\trequests\tget\tpost\tput\tmax_in_flight\n' > "$raw"

# run_phase REP TARGET PHASE DIR EXPECTED_STATUS TERRAFORM_ARGS...
run_phase() {
  local rep=$1 target=$2 phase=$3 dir=$4 expected=$5
  shift 5
  : > "$work/provider-usage"
  curl -fsS -X POST "$CRESCENDO_BASE_URL/_mock/stats/reset" >/dev/null
  local status=0
  /usr/bin/time -o "$work/core-usage" -f "%e %U %S" \
    "$terraform" -chdir="$dir" "$@" -input=false -no-color -parallelism="$PARALLELISM" \
    > "$work/out-$target-$phase.log" 2>&1 || status=$?
  if [[ $status -ne $expected ]]; then
    tail -40 "$work/out-$target-$phase.log" >&2
    fail "$target $phase: terraform $1 exited with status $status; expected $expected (output above)"
  fi
  local wall core_cpu
  # GNU time prints a "Command exited with non-zero status" line first when it fails.
  read -r wall core_cpu < <(tail -1 "$work/core-usage" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
  local provider_cpu=0 provider_rss=0 processes=0
  if [[ -s "$work/provider-usage" ]]; then
    read -r provider_cpu provider_rss processes < <(awk '
      /^[0-9.]+ [0-9.]+ [0-9]+$/ { cpu += $1 + $2; if ($3 > rss) rss = $3; n++ }
      END { printf "%.2f %d %d\n", cpu, rss, n }' "$work/provider-usage")
  fi
  local stats
  stats=$(curl -fsS "$CRESCENDO_BASE_URL/_mock/stats")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$target" "$phase" "$wall" "$core_cpu" \
    "$provider_cpu" "$provider_rss" "$processes" \
    "$(jq -r '[.total, (.byMethod.GET // 0), (.byMethod.POST // 0), (.byMethod.PUT // 0), .maxInFlight] | @tsv' <<<"$stats")" >> "$raw"
  if [[ -n "${PROFILE:-}" && $target == provider ]]; then
    mkdir -p "$PROFILE/rep$rep-$phase"
    mv "$CRESCENDO_PROFILE_DIR"/*.pprof "$PROFILE/rep$rep-$phase/" 2>/dev/null || true
  fi
}

for rep in $(seq "$REPEAT"); do
  start_mock
  # Alternate the order, so that a load spike on the machine does not always hit the
  # same target.
  if (( rep % 2 )); then targets="floor provider"; else targets="provider floor"; fi
  for target in $targets; do
    echo "repetition $rep/$REPEAT: $target" >&2
    dir="$work/rep$rep-$target"
    mkdir -p "$dir"
    cp "$work/config-$target/main.tf" "$dir/main.tf"
    run_phase "$rep" "$target" create "$dir" 0 apply -auto-approve
    run_phase "$rep" "$target" refresh "$dir" 0 plan -detailed-exitcode
    run_phase "$rep" "$target" update "$dir" 0 apply -auto-approve -var revision=2
    "$terraform" -chdir="$dir" plan -detailed-exitcode -input=false -no-color -var revision=2 \
      > "$work/converge.log" 2>&1 || { tail -40 "$work/converge.log" >&2; fail "$target: the plan after the update was not empty"; }
  done
  stop_mock
done

[[ -n "${RAW:-}" ]] && cp "$raw" "$RAW"

# Summary table in Markdown.
python3 - "$raw" "$N" "$LATENCY" "$PARALLELISM" "$REPEAT" "$document_bytes" <<'PYTHON'
import csv, math, re, statistics, sys
raw, n, latency, parallelism, repeat, doc_bytes = sys.argv[1:]
n, parallelism = int(n), int(parallelism)
rows = list(csv.DictReader(open(raw), delimiter="\t"))

def values(target, phase, column):
    return [float(r[column]) for r in rows if r["target"] == target and r["phase"] == phase]

def spread(xs, fmt="{:.2f}"):
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"

unit = {"ms": 1e-3, "s": 1.0, "us": 1e-6, "µs": 1e-6, "m": 60.0}
latency_s = sum(float(v) * unit[u] for v, u in re.findall(r"([0-9.]+)(ms|us|µs|s|m)", latency))
rounds = {"create": 1, "refresh": 1, "update": 2}
operations = {"create": n, "refresh": n, "update": 2 * n}

print(f"N = {n}, document ≈ {doc_bytes} bytes, latency = {latency}, parallelism = {parallelism}, "
      f"repetitions = {repeat}; median (min–max)\n")
print("| phase | floor s | provider s | ratio | provider CPU s | CPU ms / doc op | peak RSS MiB | processes | requests (GET/POST/PUT) | max in flight |")
print("|---|---|---|---|---|---|---|---|---|---|")
for phase in ("create", "refresh", "update"):
    floor = values("floor", phase, "wall_s")
    prov = values("provider", phase, "wall_s")
    ratios = [p / f for p, f in zip(prov, floor)]
    cpu = values("provider", phase, "provider_cpu_s")
    per_op = [1000 * c / operations[phase] for c in cpu]
    rss = [r / 1024 for r in values("provider", phase, "provider_maxrss_kib")]
    procs = values("provider", phase, "provider_processes")
    req = [r for r in rows if r["target"] == "provider" and r["phase"] == phase]
    requests = "/".join(sorted({f"{r['requests']} ({r['get']}/{r['post']}/{r['put']})" for r in req}))
    in_flight = spread(values("provider", phase, "max_in_flight"), "{:.0f}")
    print(f"| {phase} | {spread(floor)} | {spread(prov)} | {spread(ratios)} | {spread(cpu)} | "
          f"{spread(per_op)} | {spread(rss, '{:.0f}')} | {spread(procs, '{:.0f}')} | {requests} | {in_flight} |")

if latency_s > 0:
    print("\n| phase | time above floor s | unavoidable wait s | ratio (target ≤ 1.5) |")
    print("|---|---|---|---|")
    for phase in ("create", "refresh", "update"):
        above = [p - f for p, f in zip(values("provider", phase, "wall_s"), values("floor", phase, "wall_s"))]
        wait = math.ceil(n / parallelism) * latency_s * rounds[phase]
        print(f"| {phase} | {spread(above)} | {wait:.2f} | {spread([a / wait for a in above])} |")

core = {p: spread(values("provider", p, "core_cpu_s")) for p in ("create", "refresh", "update")}
floor_core = {p: spread(values("floor", p, "core_cpu_s")) for p in ("create", "refresh", "update")}
print("\nTerraform CLI CPU s, provider run / floor run: " +
      ", ".join(f"{p} {core[p]} / {floor_core[p]}" for p in core))
PYTHON
