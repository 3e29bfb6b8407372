"""`poolctl users create` behind the fault proxy's quotas at several latencies: how close the
run comes to the UserCreation quota (50 a second) when each call takes longer, and how many
users it had in flight to get there.

Run by `just bench-create` with AWS_ENDPOINT_URL and dummy credentials pointing at a private
ministack, FAULTPROXY at the proxy binary and POOLCTL_BIN at the poolctl to time. Arguments: the
users per run, then the added latencies in ms. Per latency: a fresh pool (untimed), a proxy
with `--quota --latency MS`, then `poolctl users create --suppress --output json` at the default
rate through it. Every run is checked: every row created, none throttled past its retries.
Prints a markdown table and writes it to target/bench-create.md.
"""

import json
import os
import sys
import time
from pathlib import Path

from bench_common import AWS, ROOT, Proxy, run

QUOTA = 50.0  # Cognito's UserCreation quota, requests a second (tests/src/faultproxy/quota.rs)
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
WORK = (TARGET if TARGET.is_absolute() else ROOT / TARGET) / "bench-create"
POOLCTL = os.environ["POOLCTL_BIN"]


def main():
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    latencies = [int(ms) for ms in sys.argv[2:]] or [0, 200, 500]
    WORK.mkdir(parents=True, exist_ok=True)
    upstream = os.environ["AWS_ENDPOINT_URL"]
    lines = [
        f"| added latency | users | wall | created/s | of {QUOTA:.0f}/s | most at once (`workers`) "
        "| throttled |",
        "|---|---|---|---|---|---|---|",
    ]
    for latency in latencies:
        pool = run([AWS, "cognito-idp", "create-user-pool", "--pool-name",
                    f"bench-create-{latency}", "--query", "UserPool.Id", "--output",
                    "text"], "bench-create").stdout.strip()
        rows = WORK / f"users-{latency}.jsonl"
        rows.write_text("".join(
            json.dumps({"username": f"c{latency}-{i:06d}", "email": f"c{latency}-{i}@bench.example"})
            + "\n" for i in range(users)))
        journal = rows.with_suffix(".journal")
        journal.unlink(missing_ok=True)
        proxy = Proxy(f"create-{latency}", upstream, "--quota", "--latency", str(latency),
                      work=WORK)
        try:
            env = dict(os.environ, AWS_ENDPOINT_URL=proxy.endpoint)
            start = time.perf_counter()
            done = run([POOLCTL, "users", "create", "--user-pool-id", pool, "--from", rows,
                        "--journal", journal, "--suppress", "--output", "json"], "bench-create", env)
            wall = time.perf_counter() - start
            category = proxy.stats()["categories"].get("UserCreation", {"throttled": 0})
        finally:
            proxy.stop()
        report = json.loads(done.stdout)
        created = report["counts"].get("created", 0)
        if created != users:
            sys.exit(f"bench-create: {created} of {users} created at {latency} ms: {report}")
        rate = created / wall
        lines.append(f"| {latency} ms | {users} | {wall:.2f} s | {rate:.1f} | "
                     f"{100 * rate / QUOTA:.1f}% | {report['workers']} | {category['throttled']} |")
        print(lines[-1], flush=True)
    table = "\n".join(lines)
    print(table)
    (WORK.parent / "bench-create.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
