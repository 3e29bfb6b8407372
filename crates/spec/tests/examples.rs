//! The example pools in infra/pools are the product's showcase: each loads with no error.

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

fn load(name: &str) -> spec::Loaded {
    let path = pools_dir().join(name);
    spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_three_examples_exist() {
    let names: Vec<String> = example_paths()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["demo.yaml", "production.yaml", "review.yaml"] {
        assert!(
            names.iter().any(|n| n == expected),
            "missing infra/pools/{expected}: {names:?}"
        );
    }
}

#[test]
fn every_example_loads_without_errors_or_warnings() {
    for path in example_paths() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../schema/poolspec.schema.json\n"),
            "{} lacks the schema modeline",
            path.display()
        );
        let loaded = spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert!(
            warnings.is_empty(),
            "{}: unexpected warnings:\n{}",
            path.display(),
            warnings.join("\n")
        );
    }
}

#[test]
fn production_shows_every_email_verified_policy() {
    let spec = load("production.yaml").spec;
    let policy_of = |name: &str| {
        let provider = spec
            .identity_providers
            .iter()
            .find(|p| p.name == name)
            .expect(name);
        (
            provider.email_verified.clone(),
            provider.email_verified_source().map(str::to_owned),
        )
    };
    assert_eq!(
        policy_of("Google"),
        (None, Some("email_verified".to_owned()))
    );
    assert_eq!(
        policy_of("Facebook"),
        (Some(spec::EmailVerifiedPolicy::Unverified), None)
    );
    assert_eq!(
        policy_of("Okta"),
        (Some(spec::EmailVerifiedPolicy::Trigger), None)
    );
    let kinds: Vec<&str> = spec
        .identity_providers
        .iter()
        .map(|p| p.kind.provider_type())
        .collect();
    for kind in ["Google", "OIDC", "SignInWithApple", "Facebook", "SAML"] {
        assert!(kinds.contains(&kind), "production lacks a {kind} provider");
    }
    assert_eq!(spec.protection.deletion, spec::DeletionProtection::Active);
    assert!(spec.protection.retain_on_delete);
    assert!(spec
        .domain
        .as_ref()
        .and_then(|d| d.custom.as_ref())
        .is_some());
}
