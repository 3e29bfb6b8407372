//! The example pools in infra/pools are the product's showcase: each must load.

use std::path::PathBuf;

fn pools_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../infra/pools")
}

fn example_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(pools_dir())
        .expect("infra/pools exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn the_three_examples_exist() {
    let names: Vec<String> =
        example_paths().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for expected in ["demo.yaml", "production.yaml", "review.yaml"] {
        assert!(names.iter().any(|n| n == expected), "missing infra/pools/{expected}: {names:?}");
    }
}

#[test]
fn every_example_deserializes_into_a_pool_spec() {
    for path in example_paths() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../schema/poolspec.schema.json\n"),
            "{} lacks the schema modeline",
            path.display()
        );
        let spec: spec::PoolSpec =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!spec.name.is_empty());
    }
}
