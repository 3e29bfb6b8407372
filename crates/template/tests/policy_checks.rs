//! The policy checks on every spec's render, the coverage specs' included: the Guard rules in
//! guard/ (AWS CloudFormation Guard) and checkov must find nothing. `just guard` and
//! `just checkov` check the committed templates; these tests check what the renderer makes of
//! specs that use every provider kind and option. Both tools come from `just setup`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// A tool `just setup` installs outside .venv; a missing tool fails the test.
fn setup_tool(relative: &str) -> PathBuf {
    let path = repo_root().join(relative);
    assert!(
        path.exists(),
        "{} is missing: run `just setup`",
        path.display()
    );
    path
}

/// Every spec rendered into `dir` in the given format; returns the paths written.
fn render_into(dir: &Path, json: bool, yaml: bool) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for spec in all_specs() {
        let template = render(&spec);
        if json {
            let path = dir.join(format!("{}.json", stem(&spec)));
            std::fs::write(&path, template.to_json()).expect("write json");
            paths.push(path);
        }
        if yaml {
            let path = dir.join(format!("{}.yaml", stem(&spec)));
            std::fs::write(&path, template.to_yaml()).expect("write yaml");
            paths.push(path);
        }
    }
    paths
}

fn report(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_render_passes_the_guard_rules() {
    let guard = setup_tool(".tools/bin/cfn-guard");
    let dir = scratch_dir("guard");
    // JSON only: Guard reads a short-form `!GetAtt A.B` as the string "A.B".
    let paths = render_into(&dir, true, false);
    assert!(paths.len() > pool_specs().len(), "coverage specs rendered");
    let mut command = Command::new(guard);
    command
        .arg("validate")
        .arg("--rules")
        .arg(repo_root().join("guard"))
        .args(["--show-summary", "all"]);
    for path in &paths {
        command.arg("--data").arg(path);
    }
    let output = command.output().expect("running cfn-guard");
    let text = report(&output);
    assert!(
        output.status.success(),
        "the Guard rules fail on a render:\n{text}"
    );
    // Every rule applies to the coverage spec that uses every option: none may be skipped there.
    let every_provider = text
        .split("---")
        .find(|part| part.contains("every-provider.json Status"))
        .unwrap_or_else(|| panic!("no result for every-provider.json:\n{text}"));
    assert!(
        every_provider.contains("every-provider.json Status = PASS")
            && !every_provider.contains("SKIP"),
        "every-provider.json must pass every rule, none skipped:\n{every_provider}"
    );
}

#[test]
fn every_render_is_checkov_clean() {
    let checkov = setup_tool(".venv-checkov/bin/checkov");
    // Outside the checkout: checkov 3.3.30 reported CKV_AWS_45 (secrets in a Lambda
    // environment) on the same bytes under this checkout's target/ folder, and not under
    // templates/ or a folder outside the checkout.
    let dir = std::env::temp_dir().join(format!("poolctl-checkov-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    render_into(&dir, true, true);
    let output = Command::new(checkov)
        .arg("--directory")
        .arg(&dir)
        .args([
            "--framework",
            "cloudformation",
            "--skip-download",
            "--quiet",
            "--compact",
        ])
        .output()
        .expect("running checkov");
    let text = report(&output);
    assert!(output.status.success(), "checkov found problems:\n{text}");
    // It scanned the renders: a run that found no template passes nothing.
    let passed: usize = text
        .split("Passed checks: ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no checkov summary:\n{text}"));
    assert!(passed > 0, "checkov checked nothing:\n{text}");
}
