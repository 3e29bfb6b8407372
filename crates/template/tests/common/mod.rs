//! Helpers shared by the template crate's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The pool specs whose templates are committed in templates/.
pub fn pool_specs() -> Vec<PathBuf> {
    yaml_files(&repo_root().join("infra/pools"))
}

/// Extra specs covering every provider kind and option, and YAML-1.1-typed strings.
pub fn coverage_specs() -> Vec<PathBuf> {
    yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs"))
}

pub fn all_specs() -> Vec<PathBuf> {
    let mut specs = pool_specs();
    specs.extend(coverage_specs());
    specs
}

pub fn load(path: &Path) -> spec::PoolSpec {
    match spec::load(path) {
        Ok(loaded) => loaded.spec,
        Err(error) => panic!("{} does not load:\n{error}", path.display()),
    }
}

pub fn render(path: &Path) -> template::Template {
    template::render(&load(path), &template::RenderOptions::default())
}

pub fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .expect("spec file stem")
        .to_owned()
}

/// A tool installed by `just setup` into .venv; a missing tool fails the test.
pub fn venv_tool(name: &str) -> PathBuf {
    let path = repo_root().join(".venv/bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `just setup`",
        path.display()
    );
    path
}

/// A fresh directory for this test's files under Cargo's per-crate scratch directory.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}
