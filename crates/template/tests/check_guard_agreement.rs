//! `poolctl check` and the Guard rules in guard/ are one set of rules with two enforcement
//! points. For every example spec (infra/pools), every coverage spec (tests/specs) and variants
//! of them that reach each rule (each provider with each `email_verified` choice, protection
//! and production tags, verification and email mutability, literal and dynamic secrets,
//! secret-named tags and attributes, the trigger on and off):
//! - if `check` accepts the spec (no error), every Guard rule passes its render;
//! - if a Guard rule fails, `check` reported an error at a spec path that rule corresponds to.
//!
//! All renders go to cfn-guard in one run.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use common::*;
use serde_json::{json, Value};
use spec::validate::{validate, Finding};
use spec::{
    DeletionProtection, EmailVerifiedPolicy, PoolSpec, PreSignUpPolicy, ProviderKind, Severity,
    VerifiableAttribute,
};

/// Each Guard rule and the spec paths (prefixes) at which `check` reports what it checks. A
/// rule with no path checks what the renderer alone decides: no spec may fail it.
const RULE_PATHS: &[(&str, &[&str])] = &[
    (
        "email_change_keeps_original",
        &[
            "verification.keep_original_until_verified",
            "verification.auto_verify",
            "attributes.standard.email",
        ],
    ),
    ("email_verified_mapped", &["identity_providers["]),
    ("protected_pool_is_retained", &["protection."]),
    ("production_pool_is_protected", &["protection.", "tags"]),
    ("no_literal_secrets", &["identity_providers[", "tags"]),
    ("lambda_permission_scoped_to_pool", &[]),
    ("pool_children_belong_to_this_pool", &[]),
    ("branding_styles_a_client_from_one_source", &["clients["]),
    ("every_trigger_by_arn_has_a_permission", &["triggers."]),
    ("sms_role_trusts_only_cognito_in_this_account", &["sms"]),
    ("sms_role_only_publishes_sms", &["sms"]),
    ("sms_pool_sends_with_the_sms_role", &["sms"]),
    ("trigger_role_trusts_only_lambda", &[]),
    ("trigger_role_has_no_policies_of_its_own", &[]),
    ("iam_policies_only_write_own_logs", &[]),
];

/// One spec under test: its name, the spec, and what `check` found.
struct Case {
    name: String,
    spec: PoolSpec,
    findings: Vec<Finding>,
}

impl Case {
    fn new(name: String, spec: PoolSpec) -> Case {
        let findings = validate(&spec);
        Case {
            name,
            spec,
            findings,
        }
    }

    fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    fn accepted(&self) -> bool {
        self.errors().next().is_none()
    }
}

type Mutation = (&'static str, fn(&mut PoolSpec));

/// Variants of one spec: each mutation family applied where it means something.
fn variants(base: &str, spec: &PoolSpec) -> Vec<(String, PoolSpec)> {
    let mut out = Vec::new();
    // Each provider with each email_verified choice.
    let choices: [(&str, Option<EmailVerifiedPolicy>); 5] = [
        ("default", None),
        ("claim", Some(EmailVerifiedPolicy::Claim)),
        (
            "named-claim",
            Some(EmailVerifiedPolicy::ClaimNamed("verified".into())),
        ),
        ("trigger", Some(EmailVerifiedPolicy::Trigger)),
        ("unverified", Some(EmailVerifiedPolicy::Unverified)),
    ];
    for (i, provider) in spec.identity_providers.iter().enumerate() {
        for (label, choice) in &choices {
            let mut variant = spec.clone();
            variant.identity_providers[i].email_verified = choice.clone();
            out.push((
                format!("{base}+{}-email_verified-{label}", provider.name),
                variant,
            ));
        }
        // A literal secret instead of the dynamic reference.
        let mut variant = spec.clone();
        let literal = "hunter2-literal".to_owned();
        match &mut variant.identity_providers[i].kind {
            ProviderKind::Google { client_secret, .. }
            | ProviderKind::Oidc { client_secret, .. }
            | ProviderKind::Facebook { client_secret, .. }
            | ProviderKind::Amazon { client_secret, .. } => *client_secret = literal,
            ProviderKind::Apple { private_key, .. } => *private_key = literal,
            ProviderKind::Saml { .. } => continue,
        }
        out.push((format!("{base}+{}-literal-secret", provider.name), variant));
    }
    // Protection and production tags, every combination.
    for deletion in [DeletionProtection::Active, DeletionProtection::Inactive] {
        for retain in [true, false] {
            for environment in [None, Some("production"), Some("Prod"), Some("review")] {
                let mut variant = spec.clone();
                variant.protection.deletion = deletion;
                variant.protection.retain_on_delete = retain;
                match environment {
                    Some(value) => {
                        variant.tags.insert("environment".into(), value.into());
                    }
                    None => {
                        variant.tags.remove("environment");
                    }
                }
                out.push((
                    format!(
                        "{base}+protection-{deletion:?}-retain-{retain}-env-{}",
                        environment.unwrap_or("none")
                    ),
                    variant,
                ));
            }
        }
    }
    // Verification: what is auto-verified and kept, with email mutable or not.
    let email = VerifiableAttribute::Email;
    for auto in [vec![email], vec![]] {
        for keep in [vec![email], vec![]] {
            for mutable in [true, false] {
                let mut variant = spec.clone();
                variant.verification.auto_verify = auto.clone();
                variant.verification.keep_original_until_verified = keep.clone();
                let attribute = variant
                    .attributes
                    .standard
                    .entry("email".into())
                    .or_insert_with(|| serde_json::from_value(json!({})).expect("attribute"));
                attribute.mutable = mutable;
                out.push((
                    format!(
                        "{base}+auto_verify-{}-keep-{}-email-mutable-{mutable}",
                        auto.len(),
                        keep.len()
                    ),
                    variant,
                ));
            }
        }
    }
    let others: &[Mutation] = &[
        ("secret-named-tag", |s| {
            s.tags.insert("db-password".into(), "hunter2".into());
        }),
        ("secret-named-attribute-mapped", |s| {
            s.attributes.custom.insert(
                "secret_question".into(),
                serde_json::from_value(json!({ "type": "string" })).expect("attribute"),
            );
            for provider in &mut s.identity_providers {
                provider
                    .attribute_mapping
                    .insert("custom:secret_question".into(), "secret_question".into());
            }
            for client in &mut s.clients {
                if let Some(write) = client.write_attributes.as_mut() {
                    write.push("custom:secret_question".into());
                }
            }
        }),
        ("trigger-off", |s| {
            s.triggers.pre_sign_up = None;
        }),
        ("trigger-on", |s| {
            s.triggers.pre_sign_up_arn = None;
            s.triggers
                .pre_sign_up
                .get_or_insert_with(PreSignUpPolicy::default);
        }),
    ];
    for (label, mutate) in others {
        let mut variant = spec.clone();
        mutate(&mut variant);
        out.push((format!("{base}+{label}"), variant));
    }
    out
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for path in all_specs() {
        let base = stem(&path);
        let spec = load(&path);
        for (name, variant) in variants(&base, &spec) {
            cases.push(Case::new(name, variant));
        }
        cases.push(Case::new(base, spec));
    }
    cases
}

/// Each case's failed Guard rules, and the rules that applied (passed or failed).
struct GuardResult {
    failed: BTreeMap<usize, BTreeSet<String>>,
    compliant: BTreeMap<usize, BTreeSet<String>>,
}

fn run_guard(cases: &[Case]) -> GuardResult {
    let dir = scratch_dir("check-guard-agreement");
    for (i, case) in cases.iter().enumerate() {
        let template = template::render(&case.spec, &template::RenderOptions::default());
        // JSON only: Guard reads a short-form `!GetAtt A.B` as the string "A.B".
        std::fs::write(dir.join(format!("{i}.json")), template.to_json()).expect("write");
    }
    let guard = repo_root().join(".tools/bin/cfn-guard");
    assert!(
        guard.exists(),
        "{} is missing: run `just setup`",
        guard.display()
    );
    let output = Command::new(guard)
        .arg("validate")
        .arg("--rules")
        .arg(repo_root().join("guard"))
        .arg("--data")
        .arg(&dir)
        .args([
            "--output-format",
            "json",
            "--structured",
            "--show-summary",
            "none",
        ])
        .output()
        .expect("running cfn-guard");
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-guard's report is not JSON ({e}):\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(results.len(), cases.len(), "one result per render");
    let mut result = GuardResult {
        failed: BTreeMap::new(),
        compliant: BTreeMap::new(),
    };
    for file in &results {
        let name = file["name"].as_str().expect("result names its file");
        let index: usize = PathBuf::from(name)
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("unexpected file {name}"));
        let failed = file["not_compliant"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| {
                entry["Rule"]["name"]
                    .as_str()
                    .unwrap_or_else(|| panic!("unexpected not_compliant entry {entry}"))
                    .to_owned()
            })
            .collect();
        let compliant = file["compliant"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|rule| rule.as_str().map(str::to_owned))
            .collect();
        result.failed.insert(index, failed);
        result.compliant.insert(index, compliant);
    }
    result
}

fn rule_paths(rule: &str) -> &'static [&'static str] {
    RULE_PATHS
        .iter()
        .find(|(name, _)| *name == rule)
        .map(|(_, paths)| *paths)
        .unwrap_or_else(|| panic!("Guard rule {rule} has no entry in RULE_PATHS"))
}

#[test]
fn every_guard_rule_has_its_check_paths() {
    let mut in_files = BTreeSet::new();
    for entry in std::fs::read_dir(repo_root().join("guard")).expect("guard/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "guard") {
            let text = std::fs::read_to_string(&path).expect("rule file");
            for line in text.lines() {
                if let Some(rest) = line.strip_prefix("rule ") {
                    let name = rest.split_whitespace().next().expect("rule name");
                    in_files.insert(name.to_owned());
                }
            }
        }
    }
    let mapped: BTreeSet<String> = RULE_PATHS.iter().map(|(r, _)| (*r).to_owned()).collect();
    assert_eq!(
        in_files, mapped,
        "RULE_PATHS names every Guard rule, no more"
    );
}

#[test]
fn check_and_the_guard_rules_agree() {
    let cases = cases();
    let guard = run_guard(&cases);
    let mut disagreements = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        for rule in &guard.failed[&i] {
            let paths = rule_paths(rule);
            let reported = case
                .errors()
                .any(|f| paths.iter().any(|p| f.path.starts_with(p)));
            if case.accepted() {
                disagreements.push(format!(
                    "{}: check accepts it, but Guard rule {rule} fails its render",
                    case.name
                ));
            } else if !reported {
                let errors: Vec<String> = case
                    .errors()
                    .map(|f| format!("{}: {}", f.path, f.message))
                    .collect();
                disagreements.push(format!(
                    "{}: Guard rule {rule} fails, and check reported no error at {paths:?} (its errors: {errors:?})",
                    case.name
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "check and the Guard rules disagree:\n{}",
        disagreements.join("\n")
    );

    // The variants reach the rules a spec decides: each fails somewhere, with check refusing.
    // (email_change_keeps_original cannot fail from a spec: its one exception is carried.)
    for rule in [
        "protected_pool_is_retained",
        "production_pool_is_protected",
        "no_literal_secrets",
    ] {
        assert!(
            guard.failed.values().any(|failed| failed.contains(rule)),
            "no variant fails Guard rule {rule}: the test no longer reaches it"
        );
    }
    assert!(
        cases.iter().filter(|c| c.accepted()).count() > cases.len() / 3,
        "most variants should be valid specs"
    );

    // The explicit exceptions: check accepts each with a warning at the setting, and the Guard
    // rule applies to the render and passes. The Google provider with `email_verified:
    // unverified`, and email that can change without being kept.
    let exceptions = [
        (
            "production+Google-email_verified-unverified",
            "identity_providers[0].email_verified",
            "email_verified_mapped",
        ),
        (
            "production+auto_verify-1-keep-0-email-mutable-true",
            "verification.keep_original_until_verified",
            "email_change_keeps_original",
        ),
    ];
    for (name, path, rule) in exceptions {
        let (i, case) = cases
            .iter()
            .enumerate()
            .find(|(_, c)| c.name == name)
            .unwrap_or_else(|| panic!("no case {name}"));
        assert!(case.accepted(), "{name}: {:?}", case.findings);
        assert!(
            case.findings
                .iter()
                .any(|f| f.severity == Severity::Warning && f.path == path),
            "{name}: check warns at {path}: {:?}",
            case.findings
        );
        assert!(
            guard.compliant[&i].contains(rule),
            "{name}: {rule} applies and passes (failed: {:?})",
            guard.failed[&i]
        );
    }

    // `email_verified: trigger` is no exception in the production pool: it has the inbound
    // federation trigger, so email_verified is mapped (from the trigger's attribute), check has
    // nothing to warn about, and the rule passes without a recorded choice.
    let name = "production+Google-email_verified-trigger";
    let (i, case) = cases
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"));
    assert!(case.accepted(), "{name}: {:?}", case.findings);
    assert!(
        !case
            .findings
            .iter()
            .any(|f| f.path == "identity_providers[0].email_verified"),
        "{name}: {:?}",
        case.findings
    );
    assert!(guard.compliant[&i].contains("email_verified_mapped"));
}
