"""What the deploy benchmarks share: the demo spec they deploy, with a domain prefix (and,
for an update, a verification subject) of their own, and its template as poolctl renders it.
"""

import subprocess
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


def render_json(poolctl, spec_path):
    """`poolctl render SPEC` as JSON, written beside the spec; returns its path."""
    template = spec_path.with_suffix(".json")
    out = subprocess.run([poolctl, "render", spec_path, "--stdout", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    template.write_text(out)
    return template
