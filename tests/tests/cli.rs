//! The command line's contract with scripts: exit codes for bad flags and help, and logs a
//! CI job can read (no terminal escape codes when stderr is not a terminal).

use std::process::Output;

use e2e::poolctl_offline;

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    poolctl_offline()
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("poolctl runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_bad_flag_is_exit_1_with_clap_usage() {
    let output = run(&["deploy", "infra/pools/demo.yaml", "--frobnicate"], &[]);
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(&output));
    assert!(
        stderr(&output).contains("unexpected argument '--frobnicate'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_flag_value_is_exit_1_naming_the_allowed_values() {
    let output = run(&["deploy", "infra/pools/demo.yaml", "--arch", "sparc"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("invalid value 'sparc'") && text.contains("x86_64"),
        "{text}"
    );
}

#[test]
fn help_and_version_are_exit_0_on_stdout() {
    let help = run(&["--help"], &[]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage: poolctl"));
    let version = run(&["--version"], &[]);
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("poolctl "));
}

#[test]
fn logs_to_a_pipe_carry_no_terminal_escape_codes() {
    // A config file that does not exist makes the AWS SDK log a warning before poolctl reports
    // the missing credentials: both must read cleanly in a CI log.
    let output = run(
        &["outputs", "--stack", "poolctl-demo"],
        &[
            ("AWS_CONFIG_FILE", "/nonexistent/poolctl-config"),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/poolctl-credentials",
            ),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_REGION", "us-east-1"),
            ("POOLCTL_LOG", "warn"),
        ],
    );
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("WARN"),
        "expected the SDK's warning in: {text}"
    );
    assert!(!text.contains('\u{1b}'), "escape codes in: {text:?}");
}

#[test]
fn a_stack_name_lambda_would_refuse_fails_before_any_aws_call() {
    // No credentials and no region: the name check must come first, so the message is about
    // the name, not about credentials.
    let long = format!("poolctl-{}", "x".repeat(45));
    let output = run(
        &["deploy", "infra/pools/demo.yaml", "--stack", &long, "--yes"],
        &[],
    );
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("has 53 characters; at most 52"), "{text}");
    assert!(text.contains("pre-sign-up"), "{text}");

    let output = run(
        &["diff", "infra/pools/demo.yaml", "--stack", "pool_users"],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("contains '_'"),
        "{}",
        stderr(&output)
    );
}
