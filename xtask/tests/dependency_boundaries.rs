//! What must stay out of whose dependency tree, read from `cargo tree` (the resolved graph,
//! with every platform's dependencies), not from manifests: a crate that pulls the Lambda
//! runtime in through another is caught as surely as one that names it.
//!
//! The PreSignUp function's runtime (`lambda_runtime`, tokio's runtime, a log subscriber)
//! belongs to the `poolctl-lambda` package (crates/lambda) alone; the policy library, `explain` and the CLI never carry it.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The packages in `package`'s normal (non-dev, non-build) dependency tree, itself included.
fn normal_tree(package: &str) -> BTreeSet<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let output = Command::new(cargo)
        .arg("tree")
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["-p", package, "--edges", "normal", "--target", "all"])
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn assert_absent(package: &str, forbidden: &[&str]) {
    let tree = normal_tree(package);
    assert!(
        tree.contains(package),
        "{package} not in its own tree: {tree:?}"
    );
    let found: Vec<&&str> = forbidden
        .iter()
        .filter(|name| tree.contains(**name))
        .collect();
    assert!(
        found.is_empty(),
        "{package} depends on {found:?}; run `cargo tree -p {package} -e normal -i {}` to see through what",
        found[0]
    );
}

#[test]
fn the_function_crate_is_the_one_with_the_lambda_runtime() {
    // The control: the scan does see these names where they are.
    let tree = normal_tree("poolctl-lambda");
    for name in [
        "lambda_runtime",
        "tokio",
        "tracing-subscriber",
        "poolctl-trigger",
    ] {
        assert!(tree.contains(name), "lambda's tree has no {name}: {tree:?}");
    }
}

#[test]
fn the_policy_library_has_no_runtime() {
    assert_absent(
        "poolctl-trigger",
        &["lambda_runtime", "tokio", "tracing-subscriber", "hyper"],
    );
}

#[test]
fn explain_and_the_cli_have_no_lambda_runtime() {
    assert_absent(
        "poolctl-explain",
        &["lambda_runtime", "tracing-subscriber", "poolctl-lambda"],
    );
    assert_absent("poolctl", &["lambda_runtime", "poolctl-lambda"]);
}
