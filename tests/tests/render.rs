//! `poolctl render` as a user runs it: the real binary writes what templates/ holds, rewrites
//! only changed files, prints to stdout on request, and exits 1 with located errors on a bad
//! spec without writing anything for it.

use std::path::PathBuf;
use std::process::Output;

use e2e::{poolctl_offline, repo_root, unique_name};

fn run(args: &[&str]) -> Output {
    poolctl_offline().args(args).output().expect("poolctl runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(unique_name("poolctl-render"));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

const POOLS: [&str; 3] = [
    "infra/pools/demo.yaml",
    "infra/pools/production.yaml",
    "infra/pools/review.yaml",
];

#[test]
fn render_writes_the_committed_templates_and_skips_unchanged_files() {
    let out = scratch_dir();
    let out_arg = out.to_str().expect("UTF-8 path");
    let mut args = vec!["render", "--out-dir", out_arg];
    args.extend(POOLS);

    let first = run(&args);
    assert_eq!(
        first.status.code(),
        Some(0),
        "stderr: {}",
        text(&first.stderr)
    );
    for pool in ["demo", "production", "review"] {
        for ext in ["yaml", "json"] {
            let name = format!("{pool}.{ext}");
            let written = std::fs::read_to_string(out.join(&name)).expect("template written");
            let committed = std::fs::read_to_string(repo_root().join("templates").join(&name))
                .expect("committed");
            assert_eq!(written, committed, "{name} differs from templates/{name}");
            assert!(text(&first.stdout).contains(&format!("wrote {}", out.join(&name).display())));
        }
    }

    // A second run finds nothing to change and leaves the files alone.
    let before = std::fs::metadata(out.join("demo.yaml"))
        .and_then(|m| m.modified())
        .expect("mtime");
    let second = run(&args);
    assert_eq!(second.status.code(), Some(0));
    let stdout = text(&second.stdout);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("unchanged "))
            .count(),
        6,
        "{stdout}"
    );
    assert!(!stdout.contains("wrote "), "{stdout}");
    let after = std::fs::metadata(out.join("demo.yaml"))
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(before, after);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn render_to_stdout_prints_yaml_or_json() {
    let yaml = run(&["render", "--stdout", "infra/pools/production.yaml"]);
    assert_eq!(
        yaml.status.code(),
        Some(0),
        "stderr: {}",
        text(&yaml.stderr)
    );
    let committed_yaml =
        std::fs::read_to_string(repo_root().join("templates/production.yaml")).expect("committed");
    assert_eq!(text(&yaml.stdout), committed_yaml);

    let json = run(&[
        "render",
        "--stdout",
        "--format",
        "json",
        "infra/pools/production.yaml",
    ]);
    assert_eq!(json.status.code(), Some(0));
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(
        parsed["Resources"]["UserPool"]["Type"],
        "AWS::Cognito::UserPool"
    );
}

#[test]
fn render_refuses_a_bad_spec_with_located_errors_and_exit_1() {
    let out = scratch_dir();
    let spec = out.join("broken.yaml");
    std::fs::write(
        &spec,
        "name: broken\nsign_in:\n  username: email\nclients:\n  - name: Web_Client\n",
    )
    .expect("write spec");
    let output = run(&[
        "render",
        "--out-dir",
        out.to_str().expect("UTF-8"),
        spec.to_str().expect("UTF-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:5:", spec.display())) && stderr.contains("error:"),
        "{stderr}"
    );
    assert!(!out.join("broken.yaml.json").exists() && !out.join("broken.json").exists());
    let _ = std::fs::remove_dir_all(&out);
}
