//! `poolctl render` as a user runs it: the real binary writes what templates/ holds, rewrites
//! only changed files, prints to stdout on request, and exits 1 with located errors on a bad
//! spec without writing anything for it.

use e2e::cli::{expect_code, run_offline};
use e2e::{repo_root, scratch_dir, write_file};

const POOLS: [&str; 3] = [
    "infra/pools/demo.yaml",
    "infra/pools/production.yaml",
    "infra/pools/review.yaml",
];

#[test]
fn render_writes_the_committed_templates_and_skips_unchanged_files() {
    let out = scratch_dir("render");
    let out_arg = out.to_str().expect("UTF-8 path");
    let mut args = vec!["render", "--out-dir", out_arg];
    args.extend(POOLS);

    let first = run_offline(&args);
    expect_code(&first, 0, "first render");
    for pool in ["demo", "production", "review"] {
        for ext in ["yaml", "json"] {
            let name = format!("{pool}.{ext}");
            let written = std::fs::read_to_string(out.join(&name)).expect("template written");
            let committed = std::fs::read_to_string(repo_root().join("templates").join(&name))
                .expect("committed");
            assert_eq!(written, committed, "{name} differs from templates/{name}");
            assert!(
                first
                    .stdout
                    .contains(&format!("wrote {}", out.join(&name).display())),
                "{}",
                first.stdout
            );
        }
    }

    // A second run finds nothing to change and leaves the files alone.
    let before = std::fs::metadata(out.join("demo.yaml"))
        .and_then(|m| m.modified())
        .expect("mtime");
    let second = run_offline(&args);
    expect_code(&second, 0, "second render");
    let stdout = &second.stdout;
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
    let yaml = run_offline(&["render", "--stdout", "infra/pools/production.yaml"]);
    expect_code(&yaml, 0, "render --stdout");
    let committed_yaml =
        std::fs::read_to_string(repo_root().join("templates/production.yaml")).expect("committed");
    assert_eq!(yaml.stdout, committed_yaml);

    let json = run_offline(&[
        "render",
        "--stdout",
        "--format",
        "json",
        "infra/pools/production.yaml",
    ]);
    expect_code(&json, 0, "render --stdout --format json");
    let parsed = json.json();
    assert_eq!(
        parsed["Resources"]["UserPool"]["Type"],
        "AWS::Cognito::UserPool"
    );
}

#[test]
fn render_refuses_a_bad_spec_with_located_errors_and_exit_1() {
    // The spec in a directory of its own: the output directory must stay empty.
    let spec = write_file(
        &scratch_dir("render-spec"),
        "broken.yaml",
        "name: broken\nsign_in:\n  username: email\nclients:\n  - name: Web/Client\n",
    );
    let out = scratch_dir("render");
    let output = run_offline(&[
        "render",
        "--out-dir",
        out.to_str().expect("UTF-8"),
        spec.to_str().expect("UTF-8"),
    ]);
    expect_code(&output, 1, "render of a bad spec");
    let stderr = &output.stderr;
    assert!(
        stderr.contains(&format!("{}:5:", spec.display())) && stderr.contains("error:"),
        "{stderr}"
    );
    assert!(!out.join("broken.json").exists());
    let written: Vec<_> = std::fs::read_dir(&out)
        .expect("read the output directory")
        .map(|entry| entry.expect("a directory entry").file_name())
        .collect();
    assert!(written.is_empty(), "written for a bad spec: {written:?}");
    let _ = std::fs::remove_dir_all(&out);
}
