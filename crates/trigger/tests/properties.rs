//! Properties over generated events and policies: autoVerifyEmail is true only when the event
//! carries a trusted basis for it, and nothing panics, whatever the event holds.

use std::panic::{catch_unwind, AssertUnwindSafe};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};
use trigger::{decide, CompiledPolicy, SignUpEvent, TriggerSource};

/// Any JSON at all, up to a small depth.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z_]{0,14}", inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Values drawn from a vocabulary close to the policy's, so that trusted bases actually occur.
fn near(words: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::sample::select(words).prop_map(|w| json!(w)),
        1 => any_json(),
    ]
}

const SOURCES: &[&str] = &[
    "PreSignUp_SignUp",
    "PreSignUp_AdminCreateUser",
    "PreSignUp_ExternalProvider",
    "presignup_signup",
    "PostConfirmation_ConfirmSignUp",
];
const USER_NAMES: &[&str] = &[
    "Google_1",
    "google_2",
    "GOOGLE_3",
    "Okta_x",
    "Facebook_4",
    "Corp",
    "_Google",
    "Goo_gle_5",
    "Oktaa_6",
    "uuid-user",
];
const CLIENTS: &[&str] = &["agent", "AGENT", "web", "", "agent "];
const EMAILS: &[&str] = &[
    "a@example.com",
    "a@EXAMPLE.com",
    "a@sub.example.com",
    "a@staff.example.com",
    "a@x.staff.example.com",
    "a@x.staff.example.com.",
    "a@notexample.com",
    "@example.com",
    "a@",
    "example.com",
    "a@b@example.com",
    "a@mailinator.com",
    "",
    // Ways of writing an address that must not slip past the domain rules.
    " a@example.com",
    "a@example.com ",
    "A@Example.COM.",
    "a@example.com..",
    "\"a@b\"@example.com",
    "\"a@mailinator.com\"@example.com",
    "a+tag@staff.example.com",
    "a@ü.staff.example.com",
    "a@ｅxample.com",
    "a@mailinator.com.",
    "a@MAILINATOR.COM",
    "a@Mailinator.Com..",
    "a@ mailinator.com",
    "a@mailinator.com@example.com",
    "a@example.com@mailinator.com",
    "a@ｍａｉｌｉｎａｔｏｒ．ｃｏｍ",
    "a@xn--bcher-kva.example",
    "a@bücher.example",
    "a@BÜCHER.example",
    "a@[127.0.0.1]",
    "a b@example.com",
];
const CLAIMS: &[&str] = &["true", "True", "TRUE", "false", "1", "yes", " true"];

fn event() -> impl Strategy<Value = Value> {
    (
        near(SOURCES),
        near(USER_NAMES),
        near(CLIENTS),
        near(EMAILS),
        prop_oneof![near(CLAIMS), any::<bool>().prop_map(Value::Bool)],
        any_json(),
    )
        .prop_map(|(source, user, client, email, claim, extra)| {
            json!({
                "version": "1",
                "triggerSource": source,
                "userName": user,
                "callerContext": {"awsSdkVersion": "x", "clientId": client},
                "request": {
                    "userAttributes": {"email": email, "email_verified": claim},
                    "validationData": extra,
                    "clientMetadata": null
                },
                "response": {"autoConfirmUser": null, "autoVerifyEmail": false, "autoVerifyPhone": false}
            })
        })
}

/// The sources Cognito sends to a PreSignUp trigger.
const PRE_SIGN_UP_SOURCES: &[&str] = &[
    "PreSignUp_SignUp",
    "PreSignUp_AdminCreateUser",
    "PreSignUp_ExternalProvider",
];

/// Up to a few fields with arbitrary names and values.
fn random_fields() -> impl Strategy<Value = Vec<(String, Value)>> {
    prop::collection::vec(("[a-zA-Z_]{1,14}", any_json()), 0..4)
}

/// Adds `fields` to the object `target`, keeping the fields it already has.
fn add_fields(target: &mut Value, fields: Vec<(String, Value)>) {
    if let Value::Object(map) = target {
        for (key, value) in fields {
            map.entry(key).or_insert(value);
        }
    }
}

/// A PreSignUp event as Cognito sends it, always with a real trigger source, its fields drawn
/// from a vocabulary close to the policy's and sometimes arbitrary, and random extra fields at
/// every level.
fn noisy_pre_sign_up_event() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(PRE_SIGN_UP_SOURCES),
        near(USER_NAMES),
        near(CLIENTS),
        near(EMAILS),
        prop_oneof![near(CLAIMS), any::<bool>().prop_map(Value::Bool)],
        (random_fields(), random_fields(), random_fields()),
    )
        .prop_map(|(source, user, client, email, claim, (top, caller, attributes))| {
            let mut event = json!({
                "version": "1",
                "triggerSource": source,
                "userName": user,
                "callerContext": {"awsSdkVersion": "x", "clientId": client},
                "request": {
                    "userAttributes": {"email": email, "email_verified": claim},
                    "validationData": null,
                    "clientMetadata": null
                },
                "response": {"autoConfirmUser": null, "autoVerifyEmail": false, "autoVerifyPhone": false}
            });
            add_fields(&mut event, top);
            add_fields(&mut event["callerContext"], caller);
            add_fields(&mut event["request"]["userAttributes"], attributes);
            event
        })
}

fn subset(items: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(items, 0..=items.len())
        .prop_map(|v| v.into_iter().map(str::to_string).collect())
}

fn policy() -> impl Strategy<Value = policy::PreSignUpPolicy> {
    (
        subset(&["Google", "corp"]),
        subset(&["OKTA"]),
        subset(&["agent"]),
        subset(&["example.com", "*.example.com"]),
        subset(&[
            "mailinator.com",
            "*.sub.example.com",
            "xn--bcher-kva.example",
        ]),
        subset(&["*.staff.example.com", "example.com"]),
    )
        .prop_map(
            |(tp, vp, tc, allow, deny, verify)| policy::PreSignUpPolicy {
                trusted_providers: tp,
                vouched_providers: vp,
                trusted_clients: tc,
                allow_domains: allow,
                deny_domains: deny,
                verify_domains: verify,
            },
        )
}

/// The trusted bases, restated from the policy itself (not from the compiled form).
fn has_basis(policy: &policy::PreSignUpPolicy, event: &Value) -> bool {
    let source = event["triggerSource"].as_str();
    let user = event["userName"].as_str().unwrap_or("");
    let provider = user.split_once('_').map(|(p, _)| p.to_lowercase());
    let in_list = |list: &[String], name: &Option<String>| {
        name.as_ref()
            .is_some_and(|n| !n.is_empty() && list.iter().any(|l| l.to_lowercase() == *n))
    };
    let attrs = &event["request"]["userAttributes"];
    let claim = match &attrs["email_verified"] {
        Value::Bool(b) => *b,
        Value::String(s) => s.to_lowercase() == "true",
        _ => false,
    };
    let email = attrs["email"].as_str().unwrap_or("");
    // Only a plain `local@domain` address is ever verified: one `@`, no whitespace or control
    // character inside, and a domain that is a DNS name (one trailing root dot allowed; a
    // Unicode label counts as its `xn--` form, which no exact pattern here names).
    let plain = email.trim_matches(|c: char| c.is_ascii_whitespace());
    let domain = plain
        .split_once('@')
        .filter(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && !plain.chars().any(|c| c.is_whitespace() || c.is_control())
        })
        .map(|(_, d)| d.strip_suffix('.').unwrap_or(d).to_lowercase())
        .filter(|d| {
            d.contains('.')
                && d.split('.').all(|label| {
                    !label.is_empty()
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| {
                            c.is_ascii_alphanumeric()
                                || c == '-'
                                || !c.is_ascii() && c.is_alphanumeric()
                        })
                })
        });
    let Some(domain) = domain else { return false };
    let client = event["callerContext"]["clientId"].as_str();
    let verify_domain = policy
        .verify_domains
        .iter()
        .any(|p| match p.strip_prefix("*.") {
            Some(parent) => domain.ends_with(&format!(".{parent}")),
            None => domain == *p,
        });
    match source {
        Some("PreSignUp_ExternalProvider") => {
            in_list(&policy.vouched_providers, &provider)
                || (in_list(&policy.trusted_providers, &provider) && claim)
        }
        Some("PreSignUp_SignUp") => {
            client.is_some_and(|c| policy.trusted_clients.iter().any(|t| t == c)) || verify_domain
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn noisy_pre_sign_up_events_never_verify_without_a_trusted_basis(
        event in noisy_pre_sign_up_event(),
        policy in policy(),
    ) {
        let compiled = CompiledPolicy::new(&policy).unwrap();
        let view = SignUpEvent::from_json(&event);
        prop_assert_ne!(view.source, TriggerSource::Unknown);
        if let Ok(decision) = decide(&compiled, &view) {
            if decision.auto_verify_email {
                prop_assert!(has_basis(&policy, &event), "verified without a basis: {}", event);
            }
            prop_assert!(!decision.auto_verify_phone);
            if view.source == TriggerSource::AdminCreateUser {
                prop_assert!(!decision.auto_verify_email && !decision.auto_confirm_user);
            }
        }
    }

    #[test]
    fn arbitrary_json_never_panics_and_gets_no_flags(
        event in any_json(),
        policy in policy(),
    ) {
        let compiled = CompiledPolicy::new(&policy).unwrap();
        let view = SignUpEvent::from_json(&event);
        // The strings are too short for a `PreSignUp_*` source: unknown, hence no basis.
        prop_assert_eq!(view.source, TriggerSource::Unknown);
        if let Ok(decision) = decide(&compiled, &view) {
            prop_assert!(!decision.auto_verify_email && !decision.auto_confirm_user);
        }
    }

    #[test]
    fn cognito_shaped_events_verify_only_on_a_trusted_basis(
        event in event(),
        policy in policy(),
    ) {
        let compiled = CompiledPolicy::new(&policy).unwrap();
        let view = SignUpEvent::from_json(&event);
        if let Ok(decision) = decide(&compiled, &view) {
            // Both directions: no verification without a basis, and a basis is honoured.
            prop_assert_eq!(decision.auto_verify_email, has_basis(&policy, &event), "{}", event);
            prop_assert!(!decision.auto_verify_phone);
            if view.source == TriggerSource::AdminCreateUser {
                prop_assert!(!decision.auto_verify_email && !decision.auto_confirm_user);
            }
        }
        // With no trusted basis configured at all, nobody is ever verified.
        let bare = policy::PreSignUpPolicy {
            allow_domains: policy.allow_domains.clone(),
            deny_domains: policy.deny_domains.clone(),
            ..Default::default()
        };
        if let Ok(decision) = decide(&CompiledPolicy::new(&bare).unwrap(), &view) {
            prop_assert!(!decision.auto_verify_email);
        }
    }
}

/// The fuzz run: Cognito-shaped events with noise against generated policies, counted rather
/// than stopped at the first failure, with the figures printed. `POOLCTL_FUZZ_EVENTS` sets the
/// count (2,000 by default; `just fuzz` runs millions in release), `POOLCTL_FUZZ_SEED` the seed.
#[test]
fn fuzzed_events_never_panic_and_never_verify_without_a_basis() {
    let number = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .map(|v| v.replace('_', "").parse().expect(name))
            .unwrap_or(default)
    };
    let cases = number("POOLCTL_FUZZ_EVENTS", 2_000);
    let seed = number("POOLCTL_FUZZ_SEED", 0x5EED_5BEC);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let events = (noisy_pre_sign_up_event(), event(), any_json());
    let policies = policy();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut panics, mut false_verifications, mut verified, mut refused) = (0u64, 0u64, 0u64, 0u64);
    let mut examples = Vec::new();
    for case in 0..cases {
        let (noisy, shaped, arbitrary) = events.new_tree(&mut runner).unwrap().current();
        let policy = policies.new_tree(&mut runner).unwrap().current();
        let compiled = CompiledPolicy::new(&policy).unwrap();
        // Mostly real PreSignUp events, now and then any JSON at all.
        let event = match case % 8 {
            0..=4 => noisy,
            5 | 6 => shaped,
            _ => arbitrary,
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            decide(&compiled, &SignUpEvent::from_json(&event))
        }));
        match outcome {
            Err(_) => {
                panics += 1;
                examples.push(format!("panic: {event}"));
            }
            Ok(Err(_)) => refused += 1,
            Ok(Ok(decision)) => {
                if decision.auto_verify_email {
                    verified += 1;
                    if !has_basis(&policy, &event) {
                        false_verifications += 1;
                        examples.push(format!(
                            "verified without a basis: {event} under {policy:?}"
                        ));
                    }
                }
                if decision.auto_verify_phone {
                    false_verifications += 1;
                    examples.push(format!("phone verified: {event}"));
                }
            }
        }
        examples.truncate(10);
    }
    std::panic::set_hook(hook);
    println!(
        "trigger fuzz: {cases} events (seed {seed:#x}): {verified} verified, {refused} refused; {panics} panics, {false_verifications} false verifications"
    );
    assert_eq!((panics, false_verifications), (0, 0), "{examples:#?}");
    assert!(
        verified > 0 && refused > 0,
        "the generator must reach both outcomes"
    );
}
