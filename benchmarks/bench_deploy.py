"""`poolctl deploy` against `aws cloudformation deploy` on one emulator: create, update, no-op.

Run by `just bench-deploy` with AWS_ENDPOINT_URL and dummy credentials already pointing at a
private ministack. Both tools deploy the same rendered template (the demo pool; only the hosted
UI domain prefix differs per stack, since prefixes are unique), with the same parameters, tags
and capabilities. Each run creates a fresh stack per tool, updates it (the verification
subject), deploys the update again (the no-op), then deletes it untimed. The tools alternate
which goes first. Prints a markdown table of medians and writes it to target/bench-deploy.md.
"""

import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import AWS, ROOT, TAGS, demo_spec, render_json

TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
POOLCTL = (TARGET if TARGET.is_absolute() else ROOT / TARGET) / "release" / "poolctl"
ZIP = ROOT / "dist" / "pre-sign-up-x86_64.zip"
WORK = ROOT / "target" / "bench-deploy"


def run(argv):
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, argv))}\n{done.stdout}\n{done.stderr}")
    return elapsed


def poolctl_deploy(spec_path, stack):
    return run([POOLCTL, "deploy", spec_path, "--stack", stack, "--arch", "x86_64",
                "--trigger-zip", ZIP, "--yes"])


def awscli_deploy(template, stack, bucket, key):
    return run([AWS, "cloudformation", "deploy", "--template-file", template, "--stack-name", stack,
                "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                "--parameter-overrides", f"ArtifactBucket={bucket}", f"ArtifactKey={key}",
                "TriggerArchitecture=x86_64", "--tags", *TAGS, "--no-fail-on-empty-changeset"])


def destroy(stack):
    run([POOLCTL, "destroy", "--stack", stack, "--yes"])


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    WORK.mkdir(parents=True, exist_ok=True)
    pid = os.getpid()
    bucket = "poolctl-artifacts-000000000000-us-east-1"
    key = f"pre-sign-up/{hashlib.sha256(ZIP.read_bytes()).hexdigest()}.zip"

    # Warm-up: CloudFormation's lazy import, the artifact bucket and upload, both tools once.
    warm = demo_spec(WORK, "warm", f"bench-warm-{pid}")
    poolctl_deploy(warm, "bench-warm-poolctl")
    destroy("bench-warm-poolctl")
    awscli_deploy(render_json(POOLCTL, demo_spec(WORK, "warm-cli", f"bench-warm-cli-{pid}")), "bench-warm-cli", bucket, key)
    destroy("bench-warm-cli")

    times = {(tool, op): [] for tool in ("poolctl", "aws") for op in ("create", "update", "no-op")}
    for i in range(runs):
        tools = ["poolctl", "aws"] if i % 2 == 0 else ["aws", "poolctl"]
        for tool in tools:
            stack = f"bench-{tool}-{i}"
            # Cognito reserves "aws" in domain prefixes.
            prefix = f"bench-{'cli' if tool == 'aws' else tool}-{i}-{pid}"
            first = demo_spec(WORK, f"{stack}-1", prefix)
            second = demo_spec(WORK, f"{stack}-2", prefix, subject="Your new demo code")
            if tool == "poolctl":
                steps = [("create", lambda: poolctl_deploy(first, stack)),
                         ("update", lambda: poolctl_deploy(second, stack)),
                         ("no-op", lambda: poolctl_deploy(second, stack))]
            else:
                t1, t2 = render_json(POOLCTL, first), render_json(POOLCTL, second)
                steps = [("create", lambda: awscli_deploy(t1, stack, bucket, key)),
                         ("update", lambda: awscli_deploy(t2, stack, bucket, key)),
                         ("no-op", lambda: awscli_deploy(t2, stack, bucket, key))]
            for op, step in steps:
                times[(tool, op)].append(step())
            destroy(stack)

    ms = lambda s: f"{s * 1000:.0f} ms"
    lines = [
        f"| operation | `poolctl deploy` (median of {runs}) | `aws cloudformation deploy` (median of {runs}) | AWS CLI / poolctl |",
        "|---|---|---|---|",
    ]
    for op in ("create", "update", "no-op"):
        ours = statistics.median(times[("poolctl", op)])
        theirs = statistics.median(times[("aws", op)])
        lines.append(f"| {op} | {ms(ours)} | {ms(theirs)} | {theirs / ours:.1f}x |")
    table = "\n".join(lines)
    print(table)
    (ROOT / "target" / "bench-deploy.md").write_text(table + "\n")
    for (tool, op), values in times.items():
        print(f"  {tool:8} {op:7} " + " ".join(ms(v) for v in values))


if __name__ == "__main__":
    main()
