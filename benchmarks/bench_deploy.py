"""`poolctl deploy` against the floor and `aws cloudformation deploy` on one emulator: create,
update, no-op.

Run by `just bench-deploy` (with the project's .venv Python, for boto3) with AWS_ENDPOINT_URL and
dummy credentials already pointing at a private ministack. All three deploy the same rendered
template (the demo pool; only the hosted UI domain prefix differs per stack, since prefixes are
unique), with the same parameters, tags and capabilities. The floor is the least a deploy can
be: boto3 in this process, its client made before timing, creating the change set, polling it
every 5 ms, executing it and polling the stack every 5 ms; no process start, no reads before.
Each run creates a fresh stack per tool, updates it (the verification subject), deploys the
update again (the no-op; the floor has none, since it reads nothing to skip by), then deletes
it untimed. The tools take turns going first. Prints a markdown table of medians and writes it
to target/bench-deploy.md.
"""

import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import boto3

from bench_common import AWS, ROOT, TAGS, demo_spec, render_json

TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
# POOLCTL_BIN: another build to time (the release build by default).
POOLCTL = Path(os.environ.get("POOLCTL_BIN")
               or (TARGET if TARGET.is_absolute() else ROOT / TARGET) / "release" / "poolctl")
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


# The epoch second of the AWS CLI's last deploy.
last_cli_second = 0


def awscli_deploy(template, stack, bucket, key):
    # The AWS CLI names its change set by the epoch second; a second deploy of a stack within
    # the same second fails with AlreadyExistsException. Wait (untimed) for a second after the
    # last one ended.
    global last_cli_second
    while int(time.time()) <= last_cli_second:
        time.sleep(0.01)
    elapsed = run([AWS, "cloudformation", "deploy", "--template-file", template, "--stack-name", stack,
                   "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM",
                   "--parameter-overrides", f"ArtifactBucket={bucket}", f"ArtifactKey={key}",
                   "TriggerArchitecture=x86_64", "--tags", *TAGS, "--no-fail-on-empty-changeset"])
    last_cli_second = int(time.time())
    return elapsed


# The floor's poll interval, as the figures it is compared with were taken.
FLOOR_POLL = 0.005


def floor_deploy(cloudformation, template, stack, bucket, key, kind):
    """Change set `kind` (CREATE or UPDATE) of `template` made, executed and waited for, by
    boto3 in this process: the time of the calls and 5 ms polls alone."""
    body = template.read_text()
    start = time.perf_counter()
    change_set = cloudformation.create_change_set(
        StackName=stack, ChangeSetName=f"floor-{kind.lower()}-{time.monotonic_ns()}",
        ChangeSetType=kind, TemplateBody=body,
        Parameters=[{"ParameterKey": "ArtifactBucket", "ParameterValue": bucket},
                    {"ParameterKey": "ArtifactKey", "ParameterValue": key},
                    {"ParameterKey": "TriggerArchitecture", "ParameterValue": "x86_64"}],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        Tags=[dict(zip(("Key", "Value"), tag.split("=", 1))) for tag in TAGS])["Id"]
    while True:
        status = cloudformation.describe_change_set(ChangeSetName=change_set)["Status"]
        if status == "CREATE_COMPLETE":
            break
        if status == "FAILED":
            sys.exit(f"floor: change set of {stack} failed")
        time.sleep(FLOOR_POLL)
    cloudformation.execute_change_set(ChangeSetName=change_set)
    while True:
        status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            return time.perf_counter() - start
        if not status.endswith("_IN_PROGRESS"):
            sys.exit(f"floor: {stack} ended {status}")
        time.sleep(FLOOR_POLL)


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

    cloudformation = boto3.client("cloudformation")
    floor_warm = render_json(POOLCTL, demo_spec(WORK, "warm-floor", f"bench-warm-floor-{pid}"))
    floor_deploy(cloudformation, floor_warm, "bench-warm-floor", bucket, key, "CREATE")
    destroy("bench-warm-floor")

    tools = ["floor", "poolctl", "aws"]
    times = {(tool, op): [] for tool in tools for op in ("create", "update", "no-op")}
    for i in range(runs):
        # Each tool goes first in turn.
        for tool in tools[i % 3:] + tools[:i % 3]:
            stack = f"bench-{tool}-{i}"
            # Cognito reserves "aws" in domain prefixes.
            prefix = f"bench-{'cli' if tool == 'aws' else tool}-{i}-{pid}"
            first = demo_spec(WORK, f"{stack}-1", prefix)
            second = demo_spec(WORK, f"{stack}-2", prefix, subject="Your new demo code")
            if tool == "floor":
                t1, t2 = render_json(POOLCTL, first), render_json(POOLCTL, second)
                steps = [("create", lambda: floor_deploy(cloudformation, t1, stack, bucket, key, "CREATE")),
                         ("update", lambda: floor_deploy(cloudformation, t2, stack, bucket, key, "UPDATE"))]
            elif tool == "poolctl":
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

    ms = lambda s: f"{s * 1000:.1f} ms" if s < 0.1 else f"{s * 1000:.0f} ms"
    lines = [
        f"| operation (median of {runs}) | floor (boto3 in process) | `poolctl deploy` | poolctl / floor "
        "| `aws cloudformation deploy` | AWS CLI / poolctl |",
        "|---|---|---|---|---|---|",
    ]
    for op in ("create", "update", "no-op"):
        ours = statistics.median(times[("poolctl", op)])
        theirs = statistics.median(times[("aws", op)])
        if times[("floor", op)]:
            floor = statistics.median(times[("floor", op)])
            floor_cells = f"{ms(floor)} | {ms(ours)} | {ours / floor:.1f}x"
        else:
            floor_cells = f"– | {ms(ours)} | –"
        lines.append(f"| {op} | {floor_cells} | {ms(theirs)} | {theirs / ours:.1f}x |")
    table = "\n".join(lines)
    print(table)
    (ROOT / "target" / "bench-deploy.md").write_text(table + "\n")
    for (tool, op), values in times.items():
        if values:
            print(f"  {tool:8} {op:7} " + " ".join(ms(v) for v in values))


if __name__ == "__main__":
    main()
