//! The binary as released: the trigger zip built into it (`POOLCTL_TRIGGER_ZIPS_DIR` at build
//! time, as `just test` builds it), `trigger export`, `--version`, GitHub's step summary and
//! outputs, shell completions and the man page. The poolctl under test must embed the x86_64
//! trigger; each test says so when it does not.

use std::path::{Path, PathBuf};
use std::process::Command;

use aws_sdk_cognitoidentityprovider as cognito;
use e2e::aws::{self, client_secret, sign_up_with_secret};
use e2e::cli::{
    expect_code, poolctl_bin, poolctl_offline, run, run_offline, run_on, trigger_zip_x86_64,
};
use e2e::emulator::{Emulator, UNSET_VARS};
use e2e::{repo_root, scratch_dir, unique_name};

const DEMO_DOMAIN: &str = "prefix: poolctl-demo-7f3a";

/// The sha256 `poolctl --version` lists for `arch`'s embedded trigger.
fn embedded_digest(arch: &str) -> Option<String> {
    let version = run_offline(&["--version"]);
    expect_code(&version, 0, "poolctl --version");
    let prefix = format!("trigger {arch} sha256 ");
    version
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .map(str::to_owned)
}

/// The x86_64 digest; panics, saying how to build one, when the binary under test embeds no
/// x86_64 trigger.
fn embedded_x86_64_digest() -> String {
    embedded_digest("x86_64").unwrap_or_else(|| {
        let version = run_offline(&["--version"]);
        panic!(
            "{} embeds no x86_64 trigger (--version:\n{}): build it with \
             POOLCTL_TRIGGER_ZIPS_DIR=dist after `just trigger x86_64` (`just test` does)",
            poolctl_bin().display(),
            version.stdout
        )
    })
}

/// The digest `cargo xtask trigger` wrote beside the zip (`sha256sum` format).
fn xtask_digest(zip: &Path) -> String {
    let mut path = zip.as_os_str().to_owned();
    path.push(".sha256");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {}: {e}", PathBuf::from(&path).display()));
    text.split_whitespace().next().expect("a digest").to_owned()
}

#[test]
fn the_embedded_x86_64_zip_is_the_xtask_zip_byte_for_byte() {
    let digest = embedded_x86_64_digest();
    let dist = trigger_zip_x86_64();
    let out = scratch_dir("export").join("exported.zip");
    let exported = run_offline(&[
        "trigger",
        "export",
        "--arch",
        "x86_64",
        "-o",
        out.to_str().unwrap(),
    ]);
    expect_code(&exported, 0, "trigger export");
    let built = std::fs::read(&dist).unwrap();
    let written = std::fs::read(&out).unwrap();
    assert!(
        written == built,
        "the exported zip ({} bytes) differs from {} ({} bytes)",
        written.len(),
        dist.display(),
        built.len()
    );
    // The digest printed, in sha256sum's format, is the xtask's and --version's.
    assert_eq!(
        exported.stdout,
        format!("{}  {}\n", xtask_digest(&dist), out.display())
    );
    assert_eq!(digest, xtask_digest(&dist));
}

#[test]
fn version_names_the_commit_and_an_architecture_not_embedded_is_a_clear_error() {
    let version = run_offline(&["--version"]);
    expect_code(&version, 0, "--version");
    let lines: Vec<&str> = version.stdout.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(concat!("poolctl ", env!("CARGO_PKG_VERSION"))),
        "{}",
        version.stdout
    );
    let commit = lines
        .iter()
        .find_map(|l| l.strip_prefix("commit "))
        .unwrap_or_else(|| panic!("no commit line:\n{}", version.stdout));
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    match head {
        // Built from this checkout (possibly a commit or two ago): a commit id, not `unknown`.
        Some(_) => assert!(
            commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{commit}"
        ),
        None => assert_eq!(commit, "unknown"),
    }
    embedded_x86_64_digest();

    // `just test` embeds x86_64 only: arm64 is what a development build lacks.
    if embedded_digest("arm64").is_none() {
        let out = scratch_dir("export-arm64").join("arm64.zip");
        let refused = run_offline(&[
            "trigger",
            "export",
            "--arch",
            "arm64",
            "-o",
            out.to_str().unwrap(),
        ]);
        expect_code(&refused, 1, "export of a trigger not embedded");
        assert!(
            refused.stderr.contains("no embedded arm64 trigger")
                && refused.stderr.contains("`just trigger arm64`"),
            "{}",
            refused.stderr
        );
        assert!(!out.exists(), "nothing is written");

        // A deploy that needs it fails before any AWS call, saying how to get one.
        let refused = run_offline(&[
            "deploy",
            "infra/pools/demo.yaml",
            "--arch",
            "arm64",
            "--yes",
        ]);
        expect_code(&refused, 1, "deploy without an arm64 zip");
        assert!(
            refused.stderr.contains("there is no arm64 zip")
                && refused
                    .stderr
                    .contains("--trigger-zip dist/pre-sign-up-arm64.zip")
                && refused.stderr.contains("a release build of poolctl"),
            "{}",
            refused.stderr
        );
    }
}

/// `poolctl` copied alone into `dir`, run from `dir` against `emulator`.
fn lone_poolctl(emulator: &Emulator, dir: &Path) -> Command {
    let mut command = Command::new(dir.join("poolctl"));
    for var in UNSET_VARS {
        command.env_remove(var);
    }
    command
        .envs(emulator.env())
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .current_dir(dir)
        .stdin(std::process::Stdio::null());
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lone_binary_deploys_the_demo_pool_with_its_embedded_trigger_and_reports_to_github() {
    embedded_x86_64_digest();
    let emulator = Emulator::shared();
    let dir = scratch_dir("lone");
    // A hard link is a copy to the process (a file of its own name in an empty folder) without
    // another 80 MB on disk.
    let lone = dir.join("poolctl");
    std::fs::hard_link(poolctl_bin(), &lone)
        .or_else(|_| std::fs::copy(poolctl_bin(), &lone).map(|_| ()))
        .expect("copy poolctl");
    let prefix = unique_name("lone");
    let demo = std::fs::read_to_string(repo_root().join("infra/pools/demo.yaml")).unwrap();
    assert!(
        demo.contains(DEMO_DOMAIN),
        "demo.yaml has no {DEMO_DOMAIN:?}"
    );
    std::fs::write(
        dir.join("demo.yaml"),
        demo.replacen(DEMO_DOMAIN, &format!("prefix: {prefix}"), 1),
    )
    .unwrap();
    let summary = dir.join("step-summary.md");
    let outputs = dir.join("step-outputs.txt");
    let stack = unique_name("lone");

    let deployed = run_on(
        emulator,
        lone_poolctl(emulator, &dir)
            .args([
                "deploy",
                "demo.yaml",
                "--stack",
                &stack,
                "--arch",
                "x86_64",
                "--yes",
            ])
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &outputs),
    );
    expect_code(&deployed, 0, "deploy with the embedded trigger");

    // GitHub: the change set as a markdown table, and the outputs as step outputs.
    let markdown = std::fs::read_to_string(&summary).expect("the step summary was written");
    assert!(
        markdown.contains(&format!("### poolctl deploy: stack `{stack}` created")),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Action | Logical ID | Type | Replacement | Properties |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Add | `PreSignUpFunction` | AWS::Lambda::Function |"),
        "{markdown}"
    );
    let step_outputs = std::fs::read_to_string(&outputs).expect("the step outputs were written");
    let pool_id = step_outputs
        .lines()
        .find_map(|l| l.strip_prefix("UserPoolId="))
        .unwrap_or_else(|| panic!("no UserPoolId= line:\n{step_outputs}"))
        .to_owned();
    let agent_id = step_outputs
        .lines()
        .find_map(|l| l.strip_prefix("ClientAgentId="))
        .unwrap_or_else(|| panic!("no ClientAgentId= line:\n{step_outputs}"))
        .to_owned();
    assert!(
        markdown.contains(&format!("| UserPoolId | `{pool_id}` |")),
        "{markdown}"
    );

    // The embedded trigger runs: an agent sign-up comes out with a verified email.
    let config = aws::sdk_config(emulator).await;
    let idp = cognito::Client::new(&config);
    let secret = client_secret(&idp, &pool_id, &agent_id).await.unwrap();
    let user = format!("{prefix}@example.com");
    sign_up_with_secret(&idp, &agent_id, &secret, &user)
        .await
        .expect("agent sign-up");
    let got = idp
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username(&user)
        .send()
        .await
        .unwrap();
    let verified = got
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email_verified")
        .and_then(|a| a.value());
    assert_eq!(verified, Some("true"), "{:?}", got.user_attributes());

    // diff compares the code by the embedded digest: the same binary has nothing to change.
    let same = run_on(
        emulator,
        lone_poolctl(emulator, &dir).args([
            "diff",
            "demo.yaml",
            "--stack",
            &stack,
            "--arch",
            "x86_64",
            "--output",
            "markdown",
        ]),
    );
    expect_code(&same, 0, "diff with the embedded trigger");
    assert!(
        same.stdout
            .starts_with(&format!("### poolctl diff: stack `{stack}`\n\nNo changes.")),
        "{}",
        same.stdout
    );
    assert!(!same.stderr.contains("not compared"), "{}", same.stderr);

    // Without a zip for the architecture asked for, diff still works: it keeps the deployed
    // code, says so, and the step summary carries the note.
    if embedded_digest("arm64").is_none() {
        let blind = run_on(
            emulator,
            lone_poolctl(emulator, &dir)
                .args(["diff", "demo.yaml", "--stack", &stack, "--arch", "arm64"])
                .env("GITHUB_STEP_SUMMARY", &summary),
        );
        expect_code(&blind, 0, "diff without a zip");
        assert!(
            blind.stderr.contains(
                "note: the PreSignUp trigger's code was not compared: this poolctl embeds no \
                 arm64 trigger"
            ),
            "{}",
            blind.stderr
        );
        assert!(
            blind.stdout.contains("PreSignUpFunction"),
            "the architecture changes the function:\n{}",
            blind.stdout
        );
        let markdown = std::fs::read_to_string(&summary).unwrap();
        assert!(
            markdown.contains("> **Note:** the PreSignUp trigger's code was not compared"),
            "{markdown}"
        );
    }
    // The scratch directory stays for post-mortems; the binary need not.
    let _ = std::fs::remove_file(&lone);
}

#[test]
fn completions_for_each_shell_and_the_man_page_come_from_the_command_line() {
    for (shell, marker) in [
        ("bash", "_poolctl()"),
        ("zsh", "#compdef poolctl"),
        ("fish", "complete -c poolctl"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = run_offline(&["completions", shell]);
        expect_code(&script, 0, shell);
        assert!(
            script.stdout.contains(marker),
            "{shell}:\n{}",
            script.stdout
        );
        assert!(
            script.stdout.contains("trigger-zip") && script.stdout.contains("review"),
            "{shell} completes the subcommands and flags"
        );
    }
    let unknown = run_offline(&["completions", "tcsh"]);
    expect_code(&unknown, 1, "an unknown shell");

    let man = run(poolctl_offline().arg("man"));
    expect_code(&man, 0, "man");
    assert!(
        man.stdout.starts_with(".ie"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(
        man.stdout.contains(".TH poolctl 1")
            && man
                .stdout
                .contains(concat!("poolctl ", env!("CARGO_PKG_VERSION"))),
        "{}",
        man.stdout
    );
    for command in ["deploy", "diff", "review", "explain", "completions"] {
        assert!(man.stdout.contains(command), "the man page lists {command}");
    }
}
