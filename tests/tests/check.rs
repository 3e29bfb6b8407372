//! `poolctl check` and `poolctl schema` as a user runs them: the real binary, exit codes,
//! located diagnostics on stderr, one summary line per file on stdout.

use std::path::PathBuf;
use std::process::Output;

use e2e::{poolctl_offline, repo_root};

fn run(args: &[&str]) -> Output {
    poolctl_offline().args(args).output().expect("poolctl runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("poolctl-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn check_accepts_the_example_pools_with_exit_0() {
    let output = run(&[
        "check",
        "infra/pools/demo.yaml",
        "infra/pools/review.yaml",
        "infra/pools/production.yaml",
    ]);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    assert_eq!(
        stdout,
        "ok infra/pools/demo.yaml\nok infra/pools/review.yaml\nok infra/pools/production.yaml\n"
    );
}

#[test]
fn check_fails_with_exit_1_and_located_errors_on_stderr() {
    let bad = scratch(
        "bad.yaml",
        "name: demo\nsign_in:\n  username: email\nverification:\n  auto_verify: []\n  keep_original_until_verified: [email]\ndomain:\n  prefix: my-aws-pool\n",
    );
    let bad_name = bad.display().to_string();
    let good = repo_root()
        .join("infra/pools/demo.yaml")
        .display()
        .to_string();
    let output = run(&["check", &bad_name, &good]);
    let stderr = text(&output.stderr);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.contains(&format!(
            "{bad_name}:6:34: error: `email` is kept until verified but is not auto-verified"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("  help: add `email` to verification.auto_verify, or remove it from verification.keep_original_until_verified"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{bad_name}:8:11: error: domain prefix \"my-aws-pool\""
        )),
        "{stderr}"
    );
    // Every file is checked, and the summary says which failed.
    assert_eq!(
        stdout,
        format!("failed {bad_name} (2 errors, 1 warning)\nok {good}\n")
    );
}

#[test]
fn check_prints_warnings_but_exits_0() {
    let spec = scratch(
        "warn.yaml",
        "name: demo\nsign_in:\n  username: email\nverification:\n  keep_original_until_verified: []\n",
    );
    let name = spec.display().to_string();
    let output = run(&["check", &name]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stderr).contains(&format!("{name}:5:3: warning: email can change")),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(text(&output.stdout), format!("ok {name} (1 warning)\n"));
}

#[test]
fn check_reports_a_missing_file() {
    let output = run(&["check", "infra/pools/no-such-pool.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("infra/pools/no-such-pool.yaml: error: cannot read the spec")
    );
}

#[test]
fn schema_prints_the_committed_schema() {
    let output = run(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let committed =
        std::fs::read_to_string(repo_root().join("schema/poolspec.schema.json")).unwrap();
    assert_eq!(text(&output.stdout), committed);
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(schema["title"], "poolctl pool spec");
}
