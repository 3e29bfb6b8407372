//! `poolctl check` and `poolctl schema` as a user runs them: the real binary, exit codes,
//! located diagnostics on stderr, one summary line per file on stdout.

use e2e::cli::{expect_code, run_offline};
use e2e::{repo_root, scratch_dir, write_file};

#[test]
fn check_accepts_the_example_pools_with_exit_0() {
    let output = run_offline(&[
        "check",
        "infra/pools/demo.yaml",
        "infra/pools/review.yaml",
        "infra/pools/production.yaml",
    ]);
    expect_code(&output, 0, "check of the example pools");
    assert_eq!(
        output.stdout,
        "ok infra/pools/demo.yaml\nok infra/pools/review.yaml\nok infra/pools/production.yaml\n"
    );
}

#[test]
fn check_fails_with_exit_1_and_located_errors_on_stderr() {
    let bad = write_file(
        &scratch_dir("check"),
        "bad.yaml",
        "name: demo\nsign_in:\n  username: email\nverification:\n  auto_verify: []\n  keep_original_until_verified: [email]\ndomain:\n  prefix: my-aws-pool\n",
    );
    let bad_name = bad.display().to_string();
    let good = repo_root()
        .join("infra/pools/demo.yaml")
        .display()
        .to_string();
    let output = run_offline(&["check", &bad_name, &good]);
    expect_code(&output, 1, "check of a bad spec and a good one");
    let stderr = &output.stderr;
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
        output.stdout,
        format!("failed {bad_name} (2 errors, 1 warning)\nok {good}\n")
    );
}

#[test]
fn check_prints_warnings_but_exits_0() {
    let spec = write_file(
        &scratch_dir("check"),
        "warn.yaml",
        "name: demo\nsign_in:\n  username: email\nverification:\n  keep_original_until_verified: []\n",
    );
    let name = spec.display().to_string();
    let output = run_offline(&["check", &name]);
    expect_code(&output, 0, "check of a spec with a warning");
    assert!(
        output
            .stderr
            .contains(&format!("{name}:5:3: warning: email can change")),
        "{}",
        output.stderr
    );
    assert_eq!(output.stdout, format!("ok {name} (1 warning)\n"));
}

#[test]
fn check_reports_a_missing_file() {
    let output = run_offline(&["check", "infra/pools/no-such-pool.yaml"]);
    expect_code(&output, 1, "check of a missing file");
    assert!(
        output
            .stderr
            .contains("infra/pools/no-such-pool.yaml: error: cannot read the spec"),
        "{}",
        output.stderr
    );
}

#[test]
fn schema_prints_the_committed_schema() {
    let output = run_offline(&["schema"]);
    expect_code(&output, 0, "schema");
    let committed =
        std::fs::read_to_string(repo_root().join("schema/poolspec.schema.json")).unwrap();
    assert_eq!(output.stdout, committed);
    let schema = output.json();
    assert_eq!(schema["title"], "poolctl pool spec");
}
