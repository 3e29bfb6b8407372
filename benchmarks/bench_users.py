"""`poolctl users audit` against `aws cognito-idp list-users | jq`, and at Cognito's UserList
quota behind the quota proxy.

Run by `just bench-users` with AWS_ENDPOINT_URL pointing at a private ministack and dummy
credentials in the environment; POOLCTL_BIN and FAULTPROXY name the release poolctl and the
proxy binary (tests/src/bin/faultproxy.rs). Arguments: the runs per figure, then the pool
sizes (default 3, 5000 20000).

Per size, untimed: a fresh pool (`aws cognito-idp create-user-pool`, username sign-in, no
email alias, so there are no duplicate_email users), its users from JSON Lines through
`poolctl users create --suppress --rate 0` (60% with --verified-email, 40% without, all
FORCE_CHANGE_PASSWORD), then every fourth user CONFIRMED (AdminSetUserPassword, permanent,
sent straight to the emulator from a few threads). The confirmed users without a verified
email are the stuck ones (10% of the pool); every other user is ok. The expected counts are
known before any audit runs, and every run is checked against them.

Timed, whole processes, on the same emulator, `runs` rounds in the order below:

- poolctl: `poolctl users audit --user-pool-id ID --rate 0 --output json` on the bare
  emulator (no client-side limit; the scan plan as poolctl measures it, or BENCH_PARTITIONS);
- cli+jq: `aws cognito-idp list-users --user-pool-id ID --output json` (the CLI's default
  full pagination) piped into `jq` classifying as poolctl does (USERS_JQ);
- quota: `poolctl users audit --user-pool-id ID --output json` (default --rate 30) through
  `faultproxy --quota --latency MS` for each MS of BENCH_LATENCIES (default 0 50 200: UserList
  30/s, a burst of one second's worth, MS added to every call): the scan plan poolctl chose,
  its ListUsers calls and throttling errors from the proxy's stats, the rate achieved against
  30/s and users/s against the 1,800 users/s the quota allows (30 pages of 60).

Each poolctl run's peak RSS is its own (`os.wait4` in a small launcher, MEASURED); the tables
give the largest of the runs.

Fails loudly when a run scans another number of users than was seeded, when its counts
differ from the expected ones, or when jq's stuck count differs from poolctl's.

Prints markdown tables and writes them to target/bench-users.md (CARGO_TARGET_DIR if set).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_common import AWS, ROOT, TARGET, Proxy, run

POOLCTL = Path(os.environ.get("POOLCTL_BIN") or TARGET / "release" / "poolctl")
WORK = TARGET / "bench-users"
QUOTA = 30.0  # Cognito's UserList quota, requests a second (tests/src/faultproxy/quota.rs)
PAGE = 60  # the largest ListUsers page
PASSWORD = "Bench-Passw0rd!"
STRANDED = ("stuck", "duplicate_email", "federated_unverified")
CLASSES = ("stuck", "duplicate_email", "federated_unverified", "unconfirmed_stale",
           "force_change_expired", "disabled", "ok")

# crates/users/src/classify.rs, in jq: the first class that applies, in poolctl's order.
# duplicate_email needs the alias index across users and email sign-in; the bench pools have
# no email sign-in, so poolctl finds none and this program has no such branch. Thresholds are
# poolctl's defaults (--unconfirmed-days 7, the pool's TemporaryPasswordValidityDays 7).
USERS_JQ = r"""
def secs: if type == "number" then floor
          else sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601 end;
def verified: (. // "" | ascii_downcase) as $v | $v == "true" or $v == "1";
now as $now
| [ .Users[]
    | (reduce (.Attributes // [])[] as $a ({}; .[$a.Name] = $a.Value)) as $attr
    | (($attr.email // "") != "" and ($attr.email_verified | verified | not)) as $unverified
    | if .Enabled == false then "disabled"
      elif .UserStatus == "EXTERNAL_PROVIDER" then
        (if $unverified then "federated_unverified" else "ok" end)
      elif .UserStatus == "UNCONFIRMED" then
        (if $now - (.UserCreateDate | secs) > 7 * 86400 then "unconfirmed_stale" else "ok" end)
      elif .UserStatus == "FORCE_CHANGE_PASSWORD" then
        (if $now - (.UserLastModifiedDate | secs) > 7 * 86400 then "force_change_expired"
         else "ok" end)
      elif (.UserStatus == "CONFIRMED" or .UserStatus == "RESET_REQUIRED") and $unverified
        then "stuck"
      else "ok" end ]
| { scanned: length, counts: (reduce .[] as $c ({}; .[$c] += 1)) }
"""


def fail(message):
    sys.exit(f"bench-users: {message}")


def user_list(proxy):
    """(passed, throttled) ListUsers calls so far: the proxy's UserList category."""
    category = proxy.stats()["categories"].get("UserList", {"passed": 0, "throttled": 0})
    return category["passed"], category["throttled"]


def cognito(endpoint, action, body):
    """One cognito-idp call straight to the emulator (which checks no signature)."""
    request = urllib.request.Request(endpoint, data=json.dumps(body).encode(), headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}",
        "Authorization": "AWS4-HMAC-SHA256 Credential=bench/20261129/us-east-1/cognito-idp/"
                         "aws4_request, SignedHeaders=host, Signature=0",
    })
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def seed(size, endpoint):
    """A fresh pool of `size` users; returns its id and the counts an audit must find."""
    pool = run([AWS, "cognito-idp", "create-user-pool", "--pool-name", f"bench-users-{size}",
                "--query", "UserPool.Id", "--output", "text"], "bench-users").stdout.strip()
    names = [f"u{size}-{i:06d}" for i in range(size)]
    # 60% verified (i % 5 in 0, 1, 2), 40% not; every fourth user confirmed.
    verified = {name for i, name in enumerate(names) if i % 5 < 3}
    confirmed = [name for i, name in enumerate(names) if i % 4 == 0]
    for label, chosen, flags in (("verified", [n for n in names if n in verified],
                                  ["--verified-email"]),
                                 ("unverified", [n for n in names if n not in verified], [])):
        rows = WORK / f"users-{size}-{label}.jsonl"
        rows.write_text("".join(json.dumps({"username": n, "email": f"{n}@bench.example"}) + "\n"
                                for n in chosen))
        journal = rows.with_suffix(".journal")
        journal.unlink(missing_ok=True)
        start = time.perf_counter()
        run([POOLCTL, "users", "create", "--user-pool-id", pool, "--from", rows, "--journal",
             journal, "--suppress", "--rate", "0", *flags], "bench-users")
        took = time.perf_counter() - start
        print(f"  seeded {len(chosen)} {label} users in {took:.1f} s "
              f"({len(chosen) / took:.0f}/s)", flush=True)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as threads:
        list(threads.map(lambda n: cognito(endpoint, "AdminSetUserPassword", {
            "UserPoolId": pool, "Username": n, "Password": PASSWORD, "Permanent": True}),
            confirmed))
    print(f"  confirmed {len(confirmed)} users in {time.perf_counter() - start:.1f} s",
          flush=True)
    stuck = sum(1 for n in confirmed if n not in verified)
    expected = {c: 0 for c in CLASSES}
    expected.update(stuck=stuck, ok=size - stuck)
    return pool, expected


def check_poolctl(done, size, expected, what):
    """The audit's JSON, after checking its exit code, scanned count and counts."""
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        fail(f"{what}: exit {done.returncode}, no JSON report: {done.stderr.strip()[-2000:]}")
    want_exit = 5 if report["stranded"] > 0 else 0
    if done.returncode != want_exit:
        fail(f"{what}: exit {done.returncode}, expected {want_exit} "
             f"({report['stranded']} stranded): {done.stderr.strip()[-2000:]}")
    if report["scanned"] != size:
        fail(f"{what}: scanned {report['scanned']} users, {size} were seeded")
    if report["counts"] != expected:
        fail(f"{what}: counts {report['counts']}, expected {expected}")
    return report


def timed(argv, env):
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done


# Runs argv[2:] and writes its wall time and peak RSS (KiB) to the file argv[1]. Linux carries
# a process's peak RSS over exec, so a child forked by this benchmark would report the
# benchmark's own memory, which grows with the JSON it reads; forked from this small
# interpreter, the figure is poolctl's own (floored at this interpreter's, about 5 MiB).
MEASURED = r"""
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - start} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(argv, env):
    """As `timed` (from fork to exit), with the process's peak RSS in MiB."""
    with tempfile.NamedTemporaryFile("r") as figures:
        done = subprocess.run([sys.executable, "-S", "-c", MEASURED, figures.name, *argv],
                              capture_output=True, text=True, env=env)
        elapsed, rss = figures.read().split()
    return float(elapsed), done, int(rss) / 1024


def bench_size(size, runs, emulator, proxies, jq_program):
    print(f"== {size} users", flush=True)
    pool, expected = seed(size, emulator)
    print(f"  pool {pool}: expected {expected}", flush=True)
    bare = dict(os.environ, AWS_ENDPOINT_URL=emulator)
    audit = [POOLCTL, "users", "audit", "--user-pool-id", pool, "--output", "json",
             *(["--partitions", PARTITIONS] if PARTITIONS != "auto" else [])]
    cli = ["bash", "-c", 'set -euo pipefail; "$0" cognito-idp list-users --user-pool-id "$1" '
           '--output json | jq -c -f "$2"', AWS, pool, jq_program]
    rows = {"poolctl": [], "cli": [], **{("quota", ms): [] for ms in proxies}}
    for round_ in range(1, runs + 1):
        elapsed, done, rss = measured([*audit, "--rate", "0"], bare)
        report = check_poolctl(done, size, expected, f"poolctl --rate 0, round {round_}")
        rows["poolctl"].append((elapsed, report["elapsed_ms"] / 1000, report["scan"]["partitions"],
                                rss))

        elapsed, done = timed(cli, bare)
        if done.returncode != 0:
            fail(f"aws list-users | jq, round {round_}: exit {done.returncode}: "
                 f"{done.stderr.strip()[-2000:]}")
        answer = json.loads(done.stdout)
        if answer["scanned"] != size:
            fail(f"aws list-users | jq, round {round_}: {answer['scanned']} users, "
                 f"{size} were seeded")
        if answer["counts"].get("stuck", 0) != report["counts"]["stuck"]:
            fail(f"aws list-users | jq, round {round_}: stuck {answer['counts'].get('stuck', 0)}"
                 f", poolctl {report['counts']['stuck']}")
        if any(answer["counts"].get(c, 0) != n for c, n in expected.items()):
            fail(f"aws list-users | jq, round {round_}: counts {answer['counts']}, "
                 f"expected {expected}")
        rows["cli"].append((elapsed,))

        for latency_ms, proxy in proxies.items():
            quota = dict(os.environ, AWS_ENDPOINT_URL=proxy.endpoint)
            # The proxy's UserList bucket full again (it holds one second's worth).
            time.sleep(1.5)
            before = user_list(proxy)
            elapsed, done, rss = measured(audit, quota)
            after = user_list(proxy)
            report = check_poolctl(done, size, expected,
                                   f"poolctl via quota +{latency_ms} ms, round {round_}")
            passed, throttled = after[0] - before[0], after[1] - before[1]
            if throttled != report["throttled"]:
                print(f"  note: proxy throttled {throttled}, poolctl counted {report['throttled']}")
            rows[("quota", latency_ms)].append(
                (elapsed, report["elapsed_ms"] / 1000, passed, throttled,
                 report["scan"]["partitions"], rss))
            print(f"  round {round_}/{runs}: quota +{latency_ms} ms {elapsed:.2f} s ({passed} "
                  f"calls, {throttled} throttled, {report['scan']['partitions']} scans, "
                  f"peak RSS {rss:.1f} MiB)", flush=True)
        print(f"  round {round_}/{runs}: poolctl {rows['poolctl'][-1][0]:.2f} s (peak RSS "
              f"{rows['poolctl'][-1][3]:.1f} MiB), cli+jq {rows['cli'][-1][0]:.2f} s", flush=True)
    return rows


# `--partitions` of every poolctl run: auto (the default: measured), 16 or 1.
PARTITIONS = os.environ.get("BENCH_PARTITIONS", "auto")
# Latencies the quota proxy adds to every call, in milliseconds.
LATENCIES = [int(ms) for ms in os.environ.get("BENCH_LATENCIES", "0 50 200").split()]


def med(values):
    return statistics.median(values)


def report(results, runs):
    lines = [
        f"`--partitions {PARTITIONS}`. Bare emulator, whole processes, median of {runs}:",
        "",
        "| users | `poolctl users audit --rate 0` | its scan (elapsed_ms) | scans chosen | "
        "poolctl peak RSS | `aws cognito-idp list-users \\| jq` | CLI+jq / poolctl | "
        "runs, poolctl; CLI+jq |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, rows in results.items():
        ours = med(r[0] for r in rows["poolctl"])
        scan = med(r[1] for r in rows["poolctl"])
        chosen = "/".join(sorted({str(r[2]) for r in rows["poolctl"]}))
        theirs = med(r[0] for r in rows["cli"])
        each = ", ".join(f"{r[0]:.2f}" for r in rows["poolctl"])
        each_cli = ", ".join(f"{r[0]:.2f}" for r in rows["cli"])
        rss = max(r[3] for r in rows["poolctl"])
        lines.append(f"| {size:,} | {ours:.2f} s | {scan:.2f} s | {chosen} | {rss:.1f} MiB | "
                     f"{theirs:.2f} s | "
                     f"{theirs / ours:.2f}x | {each}; {each_cli} s |")
    lines += [
        "",
        f"Behind `faultproxy --quota --latency MS` (UserList {QUOTA:.0f}/s), default `--rate 30`, "
        f"median of {runs}:",
        "",
        "| users | added latency | scans chosen | wall | its scan (elapsed_ms) | ListUsers calls | "
        "full pages needed | throttled | rate over the scan | of 30/s | users/s (of 1,800) | "
        "peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, rows in results.items():
        for key, q in rows.items():
            if not (isinstance(key, tuple) and key[0] == "quota"):
                continue
            wall, scan = med(r[0] for r in q), med(r[1] for r in q)
            calls, thrown = med(r[2] for r in q), med(r[3] for r in q)
            scan_rate = med(r[2] / r[1] for r in q)
            users = med(size / r[0] for r in q)
            chosen = "/".join(sorted({str(r[4]) for r in q}))
            lines.append(f"| {size:,} | {key[1]} ms | {chosen} | {wall:.2f} s | {scan:.2f} s | "
                         f"{calls:.0f} | {-(-size // PAGE)} | {thrown:.0f} | {scan_rate:.1f}/s | "
                         f"{scan_rate / QUOTA:.1%} | {users:,.0f} ({users / (QUOTA * PAGE):.1%}) | "
                         f"{max(r[5] for r in q):.1f} MiB |")
    return "\n".join(lines)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    sizes = [int(s) for s in sys.argv[2:]] or [5000, 20000]
    emulator = os.environ["AWS_ENDPOINT_URL"]
    WORK.mkdir(parents=True, exist_ok=True)
    jq_program = WORK / "classify.jq"
    jq_program.write_text(USERS_JQ)
    proxies = {ms: Proxy(f"quota-{ms}ms", emulator, "--quota",
                         *(["--latency", str(ms)] if ms else []), work=WORK) for ms in LATENCIES}
    try:
        results = {size: bench_size(size, runs, emulator, proxies, jq_program) for size in sizes}
    finally:
        for proxy in proxies.values():
            proxy.stop()
    text = report(results, runs)
    print(text)
    out = TARGET / "bench-users.md"
    out.write_text(text + "\n")
    print(f"tables: {out}")


if __name__ == "__main__":
    main()
