"""Several environments in parallel against each alone, behind the fault proxy's latency.

Run by `just bench-envs` with AWS_ENDPOINT_URL pointing at a private ministack and dummy
credentials; FAULTPROXY, POOLCTL_BIN and POOLCTL_TRIGGER_ZIP name the proxy, poolctl and the
x86_64 trigger zip. One proxy adds LATENCY_MS to every call (the emulator answers in a few
milliseconds; a real region does not), so the figure is about waiting on calls, which is what
deploying environments in parallel overlaps.

The spec is the demo pool with three environments, each in its own account reached through
STS AssumeRole (the emulator keeps accounts apart by access key and acts in the role's
account), each with its own domain prefix. A warm-up round creates each account's artifact
bucket, untimed. Then per round, with a fresh pool name (so every deploy creates its stack):
each environment alone (`deploy --env NAME --yes`), and all three at once (`deploy --env all
--max-parallel 3 --yes`), the two orders alternating between rounds; every stack is destroyed
untimed after each measure. The figure is the parallel wall time over the slowest
environment alone of the same round (target: at most 1.5x), median over the rounds.

Prints a markdown table and writes it to target/bench-envs.md (CARGO_TARGET_DIR if set).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import DEMO, DOMAIN, ROOT, Proxy

TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
POOLCTL = Path(os.environ.get("POOLCTL_BIN") or TARGET / "debug" / "poolctl")
ZIP = Path(os.environ.get("POOLCTL_TRIGGER_ZIP") or ROOT / "dist" / "pre-sign-up-x86_64.zip")
WORK = TARGET / "bench-envs"
LATENCY_MS = "50"
# The credentials' own account; each environment's role is in another.
CALLER = "100000000000"
ENVIRONMENTS = {"dev": "100000000001", "stage": "100000000002", "prod": "100000000003"}


def spec(pool):
    """The demo spec as `pool`, with the three environments, written under WORK."""
    lines = [f"environment: demo\n\nenvironments:"]
    for name, account in ENVIRONMENTS.items():
        lines += [
            f"  {name}:",
            f"    account: \"{account}\"",
            "    region: us-east-1",
            f"    role_arn: \"arn:aws:iam::{account}:role/poolctl-deploy\"",
            f"    overrides: {{ domain: {{ prefix: {pool}-{name} }} }}",
        ]
    text = DEMO.replace("name: demo", f"name: {pool}", 1) \
        .replace(DOMAIN, f"prefix: {pool}", 1) \
        .replace("environment: demo\n", "\n".join(lines) + "\n", 1)
    path = WORK / f"{pool}.yaml"
    path.write_text(text)
    return path


def poolctl(endpoint, *args):
    """Runs poolctl as CALLER through the proxy; returns the wall time, exits on failure."""
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID=CALLER)
    env.pop("AWS_REGION", None)
    env.pop("AWS_DEFAULT_REGION", None)
    start = time.perf_counter()
    done = subprocess.run([POOLCTL, *map(str, args)], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"poolctl {' '.join(map(str, args[:4]))}: exit {done.returncode}\n"
                 f"{done.stdout}{done.stderr}")
    return elapsed


def deploy(endpoint, path, selector, *extra):
    return poolctl(endpoint, "deploy", path, "--env", selector, "--yes", "--arch", "x86_64",
                   "--trigger-zip", ZIP, *extra)


def destroy_all(endpoint, path):
    for name in ENVIRONMENTS:
        poolctl(endpoint, "destroy", "--spec", path, "--env", name, "--yes")


def measure_alone(proxy, path):
    """Each environment's deploy alone: {name: seconds}, and the calls they made in all."""
    times = {}
    before = proxy.stats()["requests"]
    for name in ENVIRONMENTS:
        times[name] = deploy(proxy.endpoint, path, name)
    calls = proxy.stats()["requests"] - before
    destroy_all(proxy.endpoint, path)
    return times, calls


def measure_parallel(proxy, path):
    """All environments at once: seconds, and the calls made."""
    before = proxy.stats()["requests"]
    elapsed = deploy(proxy.endpoint, path, "all", "--max-parallel", str(len(ENVIRONMENTS)))
    calls = proxy.stats()["requests"] - before
    destroy_all(proxy.endpoint, path)
    return elapsed, calls


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    WORK.mkdir(parents=True, exist_ok=True)
    proxy = Proxy("latency", os.environ["AWS_ENDPOINT_URL"], "--latency", LATENCY_MS, work=WORK)
    pid = os.getpid()
    rounds = []
    try:
        # Warm-up: each account's artifact bucket, the emulator's first stacks.
        measure_parallel(proxy, spec(f"be{pid}-warm"))
        for i in range(runs):
            path = spec(f"be{pid}-{i}")
            if i % 2 == 0:
                alone, alone_calls = measure_alone(proxy, path)
                together, together_calls = measure_parallel(proxy, path)
            else:
                together, together_calls = measure_parallel(proxy, path)
                alone, alone_calls = measure_alone(proxy, path)
            slowest = max(alone.values())
            rounds.append((alone, slowest, together, together / slowest,
                           alone_calls, together_calls))
            print(f"round {i + 1}: alone {', '.join(f'{n} {t:.2f} s' for n, t in alone.items())} "
                  f"({alone_calls} calls); all three at once {together:.2f} s ({together_calls} "
                  f"calls) = {together / slowest:.2f}x the slowest", flush=True)
    finally:
        proxy.stop()
    median = lambda values: statistics.median(values)
    lines = [
        f"| latency per call | each alone, median (dev / stage / prod) | slowest alone, median "
        f"| all three, --max-parallel 3, median | parallel / slowest alone, median (target "
        f"≤ 1.5x) | per round | calls, alone in all / at once, median |",
        "|---|---|---|---|---|---|---|",
        f"| {LATENCY_MS} ms | "
        + " / ".join(f"{median([r[0][n] for r in rounds]):.2f} s" for n in ENVIRONMENTS)
        + f" | {median([r[1] for r in rounds]):.2f} s | {median([r[2] for r in rounds]):.2f} s"
        f" | {median([r[3] for r in rounds]):.2f}x | "
        + ", ".join(f"{r[3]:.2f}x" for r in rounds)
        + f" | {median([r[4] for r in rounds]):.0f} / {median([r[5] for r in rounds]):.0f} |",
    ]
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    (TARGET / "bench-envs.md").write_text(table)


if __name__ == "__main__":
    main()
