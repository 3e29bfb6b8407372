"""poolctl under injected faults: 30% random throttling, and a request-rate quota.

Run by `just bench-faults` with AWS_ENDPOINT_URL pointing at a private ministack and dummy
credentials in the environment; FAULTPROXY, POOLCTL_BIN and POOLCTL_TRIGGER_ZIP name the proxy
binary (tests/src/bin/faultproxy.rs), the release poolctl and the x86_64 trigger zip. The
script starts its own proxies in front of the emulator, each on a free loopback port:

- clean: no faults (forwards and counts), the fault-free baseline, so that the only
  difference between the two columns is the faults;
- throttled: `--throttle 0.3 --seed 7`: each service's own throttling error on 30% of all
  calls (CloudFormation, S3, STS, ...), drawn from a fixed seed;
- quota: `--quota`: Cognito's default per-category rates and CloudFormation stand-ins (each
  API its own bucket: reads 10/s, writes 5/s, a burst of one second's worth).

Part 1 (deploy): per round and tool, create a fresh stack of the demo pool, update it (the
verification subject), deploy the update again (no-op), then destroy it (poolctl only; the
AWS CLI's stacks are deleted untimed by poolctl through the clean proxy). poolctl runs
fault-free and throttled; `aws cloudformation deploy` (.venv awscli) runs fault-free and
throttled on the same templates. Tools alternate which goes first. Each timed command reads
the proxy's stats before and after, so every figure comes with the calls it made and the
throttling errors it was given.

Part 2 (quota): ten `poolctl review up` at once, then ten `poolctl review down` at once, once
through the clean proxy and once through the quota proxy (buckets full at the start of each),
sampling the proxy's stats every 50 ms. Two measures of whether the clients use the quota or
back off below it: the wall time against the least the quota allows (for each API, the calls
it passed beyond its one-second burst at its rate; the slowest API bounds the phase), and the
rate the busiest API passed from its first throttling error (bucket empty) to its last passed
call, against its quota. Clients that converge to the quota keep that rate at the quota and the
wall time near the bound; clients that back off too far leave the bucket idle.

Prints markdown tables and writes them to target/bench-faults.md (CARGO_TARGET_DIR if set).
"""

import hashlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_common import AWS, ROOT, TAGS, Proxy, demo_spec, render_json

TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
POOLCTL = Path(os.environ.get("POOLCTL_BIN") or TARGET / "release" / "poolctl")
ZIP = Path(os.environ.get("POOLCTL_TRIGGER_ZIP") or ROOT / "dist" / "pre-sign-up-x86_64.zip")
REVIEW = ROOT / "infra" / "pools" / "review.yaml"
WORK = TARGET / "bench-faults"
SEED = "7"
THROTTLE = "0.3"
OPS = ("create", "update", "no-op", "destroy")
CLI_OPS = ("create", "update", "no-op")
# The proxy's CloudFormation stand-in quotas (tests/src/faultproxy/quota.rs).
CFN_READ_RATE, CFN_WRITE_RATE = 10.0, 5.0
CFN_READ_PREFIXES = ("Describe", "List", "Get", "Validate", "Estimate", "Detect")


def throttles(stats):
    return sum(op["faults"].get("Throttle", 0) + op["quota_throttled"]
               for op in stats["operations"].values())


class Bench:
    def __init__(self, emulator):
        self.emulator = emulator
        # (phase, tool, op) -> [(seconds, calls, throttles)]
        self.times = {}
        self.failures = []
        self.bucket = "poolctl-artifacts-000000000000-us-east-1"
        self.key = f"pre-sign-up/{hashlib.sha256(ZIP.read_bytes()).hexdigest()}.zip"

    def run(self, argv, proxy, record=None, log=None):
        """Runs argv against `proxy`; records (seconds, calls, throttles) under `record`.
        Returns whether it succeeded."""
        env = dict(os.environ, AWS_ENDPOINT_URL=proxy.endpoint)
        before = proxy.stats()
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - start
        after = proxy.stats()
        calls = after["requests"] - before["requests"]
        thrown = throttles(after) - throttles(before)
        if log:
            (WORK / log).write_text(done.stderr)
        if done.returncode != 0:
            what = f"{record or ''} {' '.join(map(str, argv[:3]))}: exit {done.returncode} " \
                   f"after {elapsed:.2f} s, {calls} calls, {thrown} throttled: " \
                   f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}"
            print("  FAILED", what, flush=True)
            self.failures.append(what)
            return False
        if record:
            self.times.setdefault(record, []).append((elapsed, calls, thrown))
        return True

    def poolctl_deploy(self, spec_path, stack, proxy, record=None):
        return self.run([POOLCTL, "deploy", spec_path, "--stack", stack, "--arch", "x86_64",
                         "--trigger-zip", ZIP, "--yes"], proxy, record)

    def awscli_deploy(self, template, stack, proxy, record=None):
        # The AWS CLI names its change sets after the current second: two deploys of one stack
        # within a second collide on the emulator (AlreadyExistsException). Start each in a
        # fresh second, untimed.
        time.sleep(1.02 - time.time() % 1)
        return self.run([AWS, "cloudformation", "deploy", "--template-file", template,
                         "--stack-name", stack,
                         "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                         "--parameter-overrides", f"ArtifactBucket={self.bucket}",
                         f"ArtifactKey={self.key}", "TriggerArchitecture=x86_64",
                         "--tags", *TAGS, "--no-fail-on-empty-changeset"], proxy, record)

    def destroy(self, stack, proxy, record=None):
        return self.run([POOLCTL, "destroy", "--stack", stack, "--yes"], proxy, record)

    def poolctl_round(self, phase, proxy, clean, i, pid):
        stack = f"bf-{phase}-poolctl-{i}"
        prefix = f"bf-{phase}-poolctl-{i}-{pid}"
        first = demo_spec(WORK, f"{stack}-1", prefix)
        second = demo_spec(WORK, f"{stack}-2", prefix, subject="Your new demo code")
        for op, path in (("create", first), ("update", second), ("no-op", second)):
            if not self.poolctl_deploy(path, stack, proxy, (phase, "poolctl", op)):
                self.destroy(stack, clean)
                return
        if not self.destroy(stack, proxy, (phase, "poolctl", "destroy")):
            self.destroy(stack, clean)

    def awscli_round(self, phase, proxy, clean, i, pid):
        stack = f"bf-{phase}-cli-{i}"
        # Cognito reserves "aws" in domain prefixes.
        prefix = f"bf-{phase}-cli-{i}-{pid}"
        first = render_json(POOLCTL, demo_spec(WORK, f"{stack}-1", prefix))
        second = render_json(POOLCTL, demo_spec(WORK, f"{stack}-2", prefix, subject="Your new demo code"))
        for op, template in (("create", first), ("update", second), ("no-op", second)):
            if not self.awscli_deploy(template, stack, proxy, (phase, "aws", op)):
                break
        self.destroy(stack, clean)


def median(values):
    return statistics.median(values) if values else float("nan")


def deploy_table(bench):
    def col(phase, tool, op, index=0):
        return median([r[index] for r in bench.times.get((phase, tool, op), [])])

    def n(phase, tool, op):
        return len(bench.times.get((phase, tool, op), []))

    s = lambda v: "-" if v != v else (f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s")
    lines = [
        f"| operation | poolctl fault-free | poolctl 30% throttled | throttled / fault-free "
        f"(target ≤ 3x) | AWS CLI fault-free | AWS CLI 30% throttled | AWS CLI / poolctl, "
        f"throttled (target ≥ 1) | calls / throttled per run, poolctl | calls / throttled "
        f"per run, AWS CLI |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for op in OPS:
        clean, hard = col("clean", "poolctl", op), col("throttled", "poolctl", op)
        cli_clean = col("clean", "aws", op)
        cli_hard = col("throttled", "aws", op)
        ours = f"{median([r[1] for r in bench.times.get(('throttled', 'poolctl', op), [])]):.0f} / " \
               f"{median([r[2] for r in bench.times.get(('throttled', 'poolctl', op), [])]):.0f}"
        theirs = f"{median([r[1] for r in bench.times.get(('throttled', 'aws', op), [])]):.0f} / " \
                 f"{median([r[2] for r in bench.times.get(('throttled', 'aws', op), [])]):.0f}" \
            if op in CLI_OPS else "-"
        lines.append(
            f"| {op} | {s(clean)} | {s(hard)} | {hard / clean:.1f}x | {s(cli_clean)} | "
            f"{s(cli_hard)} | "
            + (f"{cli_hard / hard:.1f}x" if op in CLI_OPS else "-")
            + f" | {ours} | {theirs} |")
    samples = []
    for (phase, tool, op), values in sorted(bench.times.items()):
        each = ", ".join(f"{v[0]:.2f}" for v in values)
        thrown = ", ".join(str(v[2]) for v in values)
        samples.append(f"  {phase:9} {tool:7} {op:7} n={n(phase, tool, op)}  s: {each}  "
                       f"throttled: {thrown}")
    return "\n".join(lines), "\n".join(samples)


def sample_stats(proxy, stop, samples):
    while not stop.is_set():
        samples.append((time.perf_counter(), proxy.stats()))
        stop.wait(0.05)
    samples.append((time.perf_counter(), proxy.stats()))


def parallel(argvs, proxy, logs):
    """Starts every argv at once; returns the wall time and each process's own time."""
    env = dict(os.environ, AWS_ENDPOINT_URL=proxy.endpoint, CI="true", POOLCTL_LOG="error")
    start = time.perf_counter()
    processes = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(WORK / log, "w"),
                                  env=env) for argv, log in zip(argvs, logs)]
    ends, codes = [None] * len(processes), [None] * len(processes)
    while None in codes:
        for index, process in enumerate(processes):
            if codes[index] is None and process.poll() is not None:
                codes[index], ends[index] = process.returncode, time.perf_counter() - start
        time.sleep(0.005)
    failed = [log for code, log in zip(codes, logs) if code != 0]
    return max(ends), sorted(ends), failed


def quota_of(api):
    return CFN_READ_RATE if api.startswith(CFN_READ_PREFIXES) else CFN_WRITE_RATE


def api_counts(stats, api):
    c = stats["categories"].get(f"cloudformation:{api}", {"passed": 0, "throttled": 0})
    return c["passed"], c["throttled"]


def saturated_rate(samples, api):
    """The rate `api` passed from the first sample showing one of its throttling errors (its
    bucket empty) to the first sample showing its last passed call: (seconds, calls), or None."""
    final_passed = api_counts(samples[-1][1], api)[0]
    first = last = None
    for index, (_, stats) in enumerate(samples):
        passed, throttled = api_counts(stats, api)
        if first is None and throttled > api_counts(samples[0][1], api)[1]:
            first = index
        if last is None and passed == final_passed:
            last = index
    if first is None or last is None or last <= first:
        return None
    seconds = samples[last][0] - samples[first][0]
    calls = final_passed - api_counts(samples[first][1], api)[0]
    return seconds, calls


def quota_round(bench, proxy, tag):
    """Ten review ups at once, then ten downs at once, through `proxy`. Per phase: wall time,
    each process's time, and per CloudFormation API the calls passed and throttled and the
    rate passed while the API was saturated."""
    rows = []
    ids = [f"q{tag}-{i}" for i in range(1, 11)]
    ups = [[POOLCTL, "review", "up", REVIEW, "--id", id_, "--arch", "x86_64",
            "--trigger-zip", ZIP] for id_ in ids]
    downs = [[POOLCTL, "review", "down", "--id", id_] for id_ in ids]
    for phase, argvs in (("up", ups), ("down", downs)):
        # Every quota bucket full again (a bucket holds one second's worth).
        time.sleep(1.5)
        samples, stop = [], threading.Event()
        sampler = threading.Thread(target=sample_stats, args=(proxy, stop, samples))
        sampler.start()
        elapsed, each, failed = parallel(argvs, proxy, [f"quota-{tag}-{phase}-{i}.log"
                                                        for i in range(1, 11)])
        stop.set()
        sampler.join()
        bench.failures += [f"review {phase} via {proxy.name}: see {WORK / log}" for log in failed]
        first, last = samples[0][1], samples[-1][1]
        apis = {}
        for name in last["categories"]:
            if name.startswith("cloudformation:"):
                api = name.split(":", 1)[1]
                p0, t0 = api_counts(first, api)
                p1, t1 = api_counts(last, api)
                if p1 - p0 or t1 - t0:
                    apis[api] = (p1 - p0, t1 - t0, saturated_rate(samples, api))
        calls = last["requests"] - first["requests"]
        rows.append({"phase": phase, "wall": elapsed, "each": each, "failed": failed,
                     "apis": apis, "calls": calls})
    return rows


def quota_report(rounds, quiet_rounds):
    """The quota rounds as a markdown table, plus per-round detail lines."""
    lines = [
        "| 10 at once | wall, no quota | wall, quota | bound from the quota | "
        "busiest API: passed / throttled | its rate while saturated | vs its quota |",
        "|---|---|---|---|---|---|---|",
    ]
    detail = []
    for phase in ("up", "down"):
        walls, bounds, rates, quiet = [], [], [], []
        busiest_counts = []
        for tag, rows in rounds:
            row = next(r for r in rows if r["phase"] == phase)
            # The least time the quota allows: after the burst (one second's worth), each API's
            # passed calls at its rate; the slowest API bounds the phase.
            bound, busiest = 0.0, None
            for api, (passed, throttled, _) in row["apis"].items():
                q = quota_of(api)
                b = max(0.0, passed - q) / q
                if busiest is None or b > bound:
                    bound, busiest = b, api
            walls.append(row["wall"])
            bounds.append(bound)
            passed, throttled, window = row["apis"][busiest]
            busiest_counts.append((busiest, passed, throttled))
            if window and window[0] >= 0.5:
                rates.append((window[1] / window[0], busiest))
            apis = ", ".join(f"{api} {p}/{t}" + (f" {w[1] / w[0]:.1f}/s over {w[0]:.1f} s"
                                                  if w and w[0] > 0 else "")
                             for api, (p, t, w) in sorted(row["apis"].items()) if t)
            each = ", ".join(f"{x:.2f}" for x in row["each"])
            detail.append(f"  {tag} {phase}: wall {row['wall']:.2f} s, bound {bound:.2f} s, "
                          f"{row['calls']} calls; each process: {each} s; throttled APIs "
                          f"(passed/throttled, rate while saturated): {apis or 'none'}"
                          + (f"; {len(row['failed'])} failed" if row["failed"] else ""))
        for tag, rows in quiet_rounds:
            quiet.append(next(r for r in rows if r["phase"] == phase)["wall"])
        api = statistics.mode(b[0] for b in busiest_counts)
        mid = [b for b in busiest_counts if b[0] == api]
        rate = median([r for r, a in rates if a == api])
        lines.append(
            f"| review {phase} | {median(quiet):.2f} s | {median(walls):.2f} s | "
            f"{median(bounds):.2f} s | {api} {median([m[1] for m in mid]):.0f} / "
            f"{median([m[2] for m in mid]):.0f} | {rate:.1f}/s | "
            f"{rate / quota_of(api):.2f} of {quota_of(api):.0f}/s |")
    return "\n".join(lines), "\n".join(detail)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    WORK.mkdir(parents=True, exist_ok=True)
    emulator = os.environ["AWS_ENDPOINT_URL"]
    pid = os.getpid()
    bench = Bench(emulator)
    clean = Proxy("clean", emulator, "--seed", SEED, work=WORK)
    throttled = Proxy("throttled", emulator, "--throttle", THROTTLE, "--seed", SEED, work=WORK)
    quota = Proxy("quota", emulator, "--quota", "--seed", SEED, work=WORK)
    try:
        # Warm-up: CloudFormation's lazy import, the artifact bucket and upload, both tools.
        warm = demo_spec(WORK, "warm", f"bf-warm-{pid}")
        bench.poolctl_deploy(warm, "bf-warm-poolctl", clean)
        bench.destroy("bf-warm-poolctl", clean)
        bench.awscli_deploy(render_json(POOLCTL, demo_spec(WORK, "warm-cli", f"bf-warm-cli-{pid}")), "bf-warm-cli", clean)
        bench.destroy("bf-warm-cli", clean)

        for i in range(runs):
            order = [("poolctl", bench.poolctl_round), ("aws", bench.awscli_round)]
            if i % 2:
                order.reverse()
            for phase, proxy in (("clean", clean), ("throttled", throttled)):
                for tool, round_ in order:
                    round_(phase, proxy, clean, i, pid)
            print(f"deploy round {i + 1}/{runs} done", flush=True)
        table, samples = deploy_table(bench)
        totals = throttled.stats()
        injected = sum(op["faults"].get("Throttle", 0) for op in totals["operations"].values())
        share = injected / max(totals["requests"], 1)
        header = (f"poolctl deploy/destroy (release) and aws cloudformation deploy, fault-free "
                  f"and with {float(THROTTLE):.0%} of all calls throttled (seed {SEED}); "
                  f"median of {runs}")
        print(header)
        print(table)
        print(samples)
        print(f"throttled proxy in all: {totals['requests']} calls, {injected} throttling "
              f"errors injected ({share:.1%})")
        for failure in bench.failures:
            print(f"  failure: {failure}")

        # Part 2: a rate quota. Warm-up of the review path through the clean proxy.
        bench.run([POOLCTL, "review", "up", REVIEW, "--id", "qwarm", "--arch", "x86_64",
                   "--trigger-zip", ZIP], clean)
        bench.run([POOLCTL, "review", "down", "--id", "qwarm"], clean)
        rounds = []
        quiet_rounds = []
        for i in range(runs):
            quiet_rounds.append((f"no quota {i + 1}", quota_round(bench, clean, f"c{i}")))
            rounds.append((f"quota {i + 1}", quota_round(bench, quota, f"{i}")))
            print(f"quota round {i + 1}/{runs} done", flush=True)
        qtable, qdetail = quota_report(rounds, quiet_rounds)
        qheader = (f"ten poolctl review up at once, then ten review down at once, through the "
                   f"quota proxy (--quota: CloudFormation reads 10/s, writes 5/s per API) and "
                   f"through the clean proxy; median of {runs}")
        print(qheader)
        print(qtable)
        print(qdetail)
        left = subprocess.run([POOLCTL, "review", "ls", "--output", "json"], capture_output=True,
                              text=True, env=dict(os.environ, AWS_ENDPOINT_URL=clean.endpoint))
        left_count = len(json.loads(left.stdout or "[]"))
        print(f"review pools left behind: {left_count}")
        if left_count:
            bench.failures.append(f"{left_count} review pools left behind")
        out = TARGET / "bench-faults.md"
        out.write_text("\n\n".join([header, table, samples, qheader, qtable, qdetail]) + "\n")
        print(f"tables: {out}")
        if bench.failures:
            sys.exit(f"{len(bench.failures)} command(s) failed (above)")
    finally:
        for proxy in (clean, throttled, quota):
            proxy.stop()


if __name__ == "__main__":
    main()
