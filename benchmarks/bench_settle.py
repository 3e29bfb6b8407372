"""How soon a deploy notices that CloudFormation finished, with the fault proxy's settle model
making change sets and stack operations take as long as on AWS (tests/src/faultproxy/settle.rs).

Run by `just bench-settle` with AWS_ENDPOINT_URL and dummy credentials pointing at a private
ministack; FAULTPROXY, POOLCTL_BIN and POOLCTL_TRIGGER_ZIP as for `just bench-faults`. For each
tool and run: create a fresh stack, then update it, behind a proxy whose change sets are ready
CHANGE_SET ms after CreateChangeSet and whose stack operations end STACK ms after
ExecuteChangeSet. "Noticed after" is the wall time minus the modelled CHANGE_SET + STACK: what the
tool's polling added. `aws cloudformation deploy` waits with boto3 waiters (5 s for the change set,
30 s for the stack). Prints a markdown table of medians; writes it to target/bench-settle.md.
"""

import os
import statistics
import sys
import time

from bench_common import AWS, Proxy, demo_spec, render_json
from bench_faults import POOLCTL, TARGET, ZIP, Bench

WORK = TARGET / "bench-settle"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    change_set_ms = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    stack_ms = int(sys.argv[3]) if len(sys.argv) > 3 else 6000
    modelled = (change_set_ms + stack_ms) / 1000
    WORK.mkdir(parents=True, exist_ok=True)
    emulator = os.environ["AWS_ENDPOINT_URL"]
    proxy = Proxy("settle", emulator, "--settle", f"change-set={change_set_ms},stack={stack_ms}",
                  work=WORK)
    bench = Bench(emulator)
    pid = os.getpid()
    times = {}
    try:
        for run in range(runs):
            for tool in ("poolctl", "aws cli"):
                tag = "p" if tool == "poolctl" else "a"
                stack = f"bench-settle-{tag}-{pid}-{run}"
                prefix = f"bench-settle-{tag}-{pid}-{run}"
                for op, subject in (("create", None), ("update", f"Code {run}")):
                    spec = demo_spec(WORK, f"{stack}-{op}", prefix, subject)
                    if tool == "poolctl":
                        argv = [POOLCTL, "deploy", spec, "--stack", stack, "--arch", "x86_64",
                                "--trigger-zip", ZIP, "--yes"]
                    else:
                        template = render_json(POOLCTL, spec)
                        argv = [AWS, "cloudformation", "deploy", "--template-file", template,
                                "--stack-name", stack, "--capabilities", "CAPABILITY_IAM",
                                "CAPABILITY_NAMED_IAM", "--parameter-overrides",
                                f"ArtifactBucket={bench.bucket}", f"ArtifactKey={bench.key}",
                                "TriggerArchitecture=x86_64", "--no-fail-on-empty-changeset"]
                    start = time.perf_counter()
                    if not bench.run(argv, proxy):
                        sys.exit(f"{tool} {op} failed; see {WORK}")
                    times.setdefault((tool, op), []).append(time.perf_counter() - start)
                bench.run([POOLCTL, "destroy", "--stack", stack, "--yes"], proxy)
    finally:
        proxy.stop()

    lines = [f"Settle model: change set ready after {change_set_ms} ms, stack operation "
             f"{stack_ms} ms; median of {runs}.", "",
             "| operation | tool | wall time | noticed after (wall - modelled) |",
             "|---|---|---|---|"]
    for op in ("create", "update"):
        for tool in ("poolctl", "aws cli"):
            median = statistics.median(times[(tool, op)])
            lines.append(f"| {op} | {tool} | {median:.2f} s | {median - modelled:.2f} s |")
    table = "\n".join(lines)
    print(table)
    (TARGET / "bench-settle.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
