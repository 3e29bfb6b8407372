"""What the deploy benchmarks share: the demo spec they deploy, with a domain prefix (and,
for an update, a verification subject) of their own, and its template as poolctl renders it.
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AWS = ROOT / ".venv" / "bin" / "aws"
DEMO = (ROOT / "infra" / "pools" / "demo.yaml").read_text()
SUBJECT = "subject: Your demo verification code"
DOMAIN = "prefix: poolctl-demo-7f3a"
# What poolctl adds as stack tags for the demo spec: its tags plus poolctl:pool.
TAGS = ["app=poolctl-demo", "environment=demo", "poolctl:pool=demo"]


def demo_spec(work, name, prefix, subject=None):
    """The demo spec under `work` as `<name>.yaml`, with its own domain prefix (prefixes are
    unique per region) and, if given, another verification subject."""
    text = DEMO.replace(DOMAIN, f"prefix: {prefix}")
    if subject:
        text = text.replace(SUBJECT, f"subject: {subject}")
    path = work / f"{name}.yaml"
    path.write_text(text)
    return path


def run(argv, name, env=None):
    """`argv` run to its end, output captured; a failure ends the benchmark `name` with the
    command and the end of what it said."""
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"{name}: {' '.join(map(str, argv[:4]))}: exit {done.returncode}: "
                 f"{(done.stderr or done.stdout).strip()[-2000:]}")
    return done


def render_json(poolctl, spec_path):
    """`poolctl render SPEC` as JSON, written beside the spec; returns its path."""
    template = spec_path.with_suffix(".json")
    out = subprocess.run([poolctl, "render", spec_path, "--stdout", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    template.write_text(out)
    return template


TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
PROXY = Path(os.environ.get("FAULTPROXY") or TARGET / "debug" / "faultproxy")


class Proxy:
    """A faultproxy process (tests/src/bin/faultproxy.rs) in front of the emulator at
    `upstream`, on a free loopback port, with `args` as its faults; its log goes to
    `work`/proxy-`name`.log."""

    def __init__(self, name, upstream, *args, work):
        self.name = name
        self.log = open(Path(work) / f"proxy-{name}.log", "w")
        self.process = subprocess.Popen(
            [PROXY, "--upstream", upstream, "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.endpoint = None
        for line in self.process.stdout:
            if line.startswith("AWS_ENDPOINT_URL="):
                self.endpoint = line.strip().split("=", 1)[1]
                break
        if not self.endpoint:
            sys.exit(f"faultproxy {name} did not start; see {self.log.name}")

    def stats(self):
        """The proxy's counters (GET /_faultproxy/stats)."""
        with urllib.request.urlopen(f"{self.endpoint}/_faultproxy/stats", timeout=10) as answer:
            return json.load(answer)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
