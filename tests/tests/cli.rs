//! The command line's contract with scripts: exit codes for bad flags and help, and logs a
//! CI job can read (no terminal escape codes when stderr is not a terminal).

use e2e::cli::{expect_code, poolctl_offline, run, run_offline};

#[test]
fn a_bad_flag_is_exit_1_with_clap_usage() {
    let output = run_offline(&["deploy", "infra/pools/demo.yaml", "--frobnicate"]);
    expect_code(&output, 1, "an unknown flag");
    assert!(
        output.stderr.contains("unexpected argument '--frobnicate'"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_bad_flag_value_is_exit_1_naming_the_allowed_values() {
    let output = run_offline(&["deploy", "infra/pools/demo.yaml", "--arch", "sparc"]);
    expect_code(&output, 1, "an unknown --arch");
    let text = &output.stderr;
    assert!(
        text.contains("invalid value 'sparc'") && text.contains("x86_64"),
        "{text}"
    );
}

#[test]
fn help_and_version_are_exit_0_on_stdout() {
    let help = run_offline(&["--help"]);
    expect_code(&help, 0, "--help");
    assert!(help.stdout.contains("Usage: poolctl"), "{}", help.stdout);
    let version = run_offline(&["--version"]);
    expect_code(&version, 0, "--version");
    assert!(version.stdout.starts_with("poolctl "), "{}", version.stdout);
}

#[test]
fn logs_to_a_pipe_carry_no_terminal_escape_codes() {
    // A config file that does not exist makes the AWS SDK log a warning before poolctl reports
    // the missing credentials: both must read cleanly in a CI log. NO_COLOR is removed so that
    // only stderr being a pipe, not the variable, keeps the escape codes out.
    let output = run(poolctl_offline()
        .args(["outputs", "--stack", "poolctl-demo"])
        .env_remove("NO_COLOR")
        .envs([
            ("AWS_CONFIG_FILE", "/nonexistent/poolctl-config"),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/poolctl-credentials",
            ),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_REGION", "us-east-1"),
            ("POOLCTL_LOG", "warn"),
        ]));
    let text = &output.stderr;
    expect_code(&output, 1, "outputs without credentials");
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
    let output = run_offline(&["deploy", "infra/pools/demo.yaml", "--stack", &long, "--yes"]);
    let text = &output.stderr;
    expect_code(&output, 1, "deploy with a 53-character stack name");
    assert!(text.contains("has 53 characters; at most 52"), "{text}");
    assert!(text.contains("pre-sign-up"), "{text}");

    let output = run_offline(&["diff", "infra/pools/demo.yaml", "--stack", "pool_users"]);
    expect_code(&output, 1, "diff with '_' in the stack name");
    assert!(output.stderr.contains("contains '_'"), "{}", output.stderr);
}

#[test]
fn explain_says_what_it_needs_before_asking_for_credentials() {
    // No spec, stack or pool id: the usage error, not a missing-credentials one.
    let nothing = run_offline(&["explain"]);
    expect_code(&nothing, 1, "explain with nothing to explain");
    assert!(
        nothing.stderr.contains(
            "explain needs a SPEC, --stack NAME (a poolctl stack as deployed) or --user-pool-id ID"
        ),
        "{}",
        nothing.stderr
    );
    // --prove needs a stack: a pool by id alone cannot be proved.
    let prove = run_offline(&["explain", "--user-pool-id", "us-east-1_X", "--prove"]);
    expect_code(&prove, 1, "explain --user-pool-id --prove");
    assert!(
        prove
            .stderr
            .contains("'--user-pool-id <USER_POOL_ID>' cannot be used with '--prove'"),
        "{}",
        prove.stderr
    );
}

#[test]
fn an_unreachable_endpoint_is_named_with_the_setting_that_chose_it() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let output = run(poolctl_offline().args(["outputs", "--stack", "x"]).envs([
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
    ]));
    expect_code(&output, 1, "outputs against an unreachable endpoint");
    let text = &output.stderr;
    assert!(
        text.contains(&format!(
            "cannot reach cloudformation at {endpoint} (connection refused); the endpoint is \
             set by AWS_ENDPOINT_URL"
        )),
        "{text}"
    );
    assert!(!text.contains("dispatch failure"), "{text}");
}
