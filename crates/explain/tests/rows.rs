//! `explain` for every provider kind and policy, row by row; and, for every scenario that
//! invokes the trigger, the event built here from the scenario alone, and the outcome the row
//! records checked against a verdict written from the scenario's facts and the policy's lists.

use explain::{explain, Explanation, FederatedBasis, Row, Scenario, Verdict};
use spec::PoolSpec;
use trigger::{CompiledPolicy, SignUpEvent, TriggerSource};

const BASE: &str = r"
name: t
sign_in: { username: email }
clients:
  - { name: web, providers: [COGNITO] }
  - { name: agent, generate_secret: true, providers: [COGNITO], auth_flows: [admin_user_password] }
";

fn load(yaml: &str) -> PoolSpec {
    match spec::load_str("t.yaml", yaml) {
        Ok(loaded) => loaded.spec,
        Err(error) => panic!("{error}\n{yaml}"),
    }
}

fn explained(yaml: &str) -> (PoolSpec, Explanation) {
    let spec = load(yaml);
    let explanation = explain(&spec).unwrap();
    (spec, explanation)
}

fn with(extra: &str) -> String {
    format!("{BASE}{extra}")
}

fn row<'a>(explanation: &'a Explanation, code: &str) -> &'a Row {
    explanation
        .rows
        .iter()
        .find(|r| r.scenario.code() == code)
        .unwrap_or_else(|| panic!("no {code} row in {explanation:#?}"))
}

fn federated<'a>(explanation: &'a Explanation, name: &str) -> &'a Row {
    explanation
        .rows
        .iter()
        .find(|r| matches!(&r.scenario, Scenario::FederatedSignIn { provider, .. } if provider == name))
        .unwrap_or_else(|| panic!("no row for {name} in {explanation:#?}"))
}

fn basis(row: &Row) -> FederatedBasis {
    match row.scenario {
        Scenario::FederatedSignIn { basis, .. } => basis,
        _ => panic!("not federated: {row:?}"),
    }
}

fn fix_path(row: &Row) -> Option<&str> {
    row.risk.as_ref().and_then(|r| r.fix.path.as_deref())
}

fn fix_change(row: &Row) -> &str {
    &row.risk.as_ref().expect("a risky row").fix.change
}

#[test]
fn the_demo_pool_verifies_agent_sign_ups_and_flags_only_unverified_admin_creation() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../infra/pools/demo.yaml");
    let spec = spec::load(&path).unwrap().spec;
    let explanation = explain(&spec).unwrap();
    assert!(explanation.has_trigger);
    assert_eq!(explanation.sample_email, "new.user@example.com");

    let agent = row(&explanation, "agent_sign_up");
    assert_eq!(
        agent.scenario,
        Scenario::AgentSignUp {
            client: "agent".into()
        }
    );
    assert_eq!(agent.email_verified, Verdict::True);
    assert_eq!(agent.can_reset_password, Some(true));
    assert!(agent.can_receive_email && agent.risk.is_none());
    let decision = agent.trigger.as_ref().unwrap().outcome.as_ref().unwrap();
    assert_eq!(decision.reason, trigger::Reason::TrustedClient);

    let web = row(&explanation, "self_service_sign_up");
    assert_eq!(web.email_verified, Verdict::True, "{web:?}");
    assert!(web.risk.is_none());

    assert_eq!(
        row(&explanation, "admin_create_user_verified").email_verified,
        Verdict::True
    );
    let admin = row(&explanation, "admin_create_user");
    assert_eq!(admin.email_verified, Verdict::False);
    assert_eq!(admin.can_reset_password, Some(false));
    assert_eq!(fix_path(admin), None);
    assert!(fix_change(admin).contains("--verified-email"));

    assert_eq!(
        row(&explanation, "email_change").email_verified,
        Verdict::Unchanged
    );
    assert_eq!(
        row(&explanation, "duplicate_email").email_verified,
        Verdict::Unchanged
    );
    let risky: Vec<&str> = explanation.risky().map(|r| r.scenario.code()).collect();
    assert_eq!(risky, ["admin_create_user"]);
}

#[test]
fn without_a_trigger_agent_sign_ups_are_stranded_and_the_fix_adds_one() {
    let (_, explanation) = explained(BASE);
    assert!(!explanation.has_trigger);
    let agent = row(&explanation, "agent_sign_up");
    assert_eq!(agent.email_verified, Verdict::False);
    assert_eq!(agent.can_reset_password, Some(false));
    assert!(!agent.can_receive_email);
    assert!(agent.trigger.is_none());
    assert_eq!(fix_path(agent), Some("triggers.pre_sign_up"));
    assert!(fix_change(agent).contains("trusted_clients: [agent]"));
    // Self-service users confirm with the code, which verifies the address.
    assert_eq!(
        row(&explanation, "self_service_sign_up").email_verified,
        Verdict::True
    );
}

#[test]
fn an_admin_only_pool_has_no_sign_up_rows_and_no_risky_sign_up() {
    // The same clients that give BASE its risky agent sign-up: on an admin-only pool Cognito
    // refuses SignUp, so neither sign-up row exists.
    let yaml = BASE.to_owned();
    let (_, open) = explained(&yaml);
    assert!(open.risky().any(|r| r.scenario.code() == "agent_sign_up"));
    assert!(open
        .rows
        .iter()
        .any(|r| r.scenario.code() == "self_service_sign_up"));

    let (_, admin_only) = explained(&format!("{yaml}sign_up: {{ admin_only: true }}\n"));
    let codes: Vec<&str> = admin_only.rows.iter().map(|r| r.scenario.code()).collect();
    assert!(!codes.iter().any(|c| c.contains("sign_up")), "{codes:?}");
    assert!(codes.contains(&"admin_create_user"), "{codes:?}");
}

#[test]
fn an_untrusted_agent_client_is_stranded_and_the_fix_names_it() {
    let (_, explanation) = explained(&with(
        "triggers: { pre_sign_up: { deny_domains: [mailinator.com] } }\n",
    ));
    let agent = row(&explanation, "agent_sign_up");
    assert_eq!(agent.email_verified, Verdict::False);
    let decision = agent.trigger.as_ref().unwrap().outcome.as_ref().unwrap();
    assert_eq!(decision.reason, trigger::Reason::SelfService);
    assert_eq!(
        fix_path(agent),
        Some("triggers.pre_sign_up.trusted_clients")
    );
    assert_eq!(
        fix_change(agent),
        "add `agent` to triggers.pre_sign_up.trusted_clients"
    );
}

#[test]
fn sample_addresses_avoid_denied_domains_and_stay_inside_the_allow_list() {
    let (_, denied) = explained(&with(
        "triggers: { pre_sign_up: { trusted_clients: [agent], deny_domains: [example.com] } }\n",
    ));
    assert_eq!(denied.sample_email, "new.user@example.org");
    assert_eq!(row(&denied, "agent_sign_up").email_verified, Verdict::True);

    let (_, allowed) = explained(&with(
        "triggers: { pre_sign_up: { trusted_clients: [agent], allow_domains: ['*.corp.example'] } }\n",
    ));
    assert_eq!(allowed.sample_email, "new.user@mail.corp.example");
    assert_eq!(
        row(&allowed, "self_service_sign_up").email_verified,
        Verdict::True
    );
}

#[test]
fn a_domain_both_allowed_and_denied_refuses_every_sign_up() {
    let (_, explanation) = explained(&with(
        "triggers: { pre_sign_up: { trusted_clients: [agent], allow_domains: [corp.example], deny_domains: [corp.example] } }\n",
    ));
    for code in [
        "agent_sign_up",
        "self_service_sign_up",
        "admin_create_user",
        "admin_create_user_verified",
    ] {
        let refused = row(&explanation, code);
        assert_eq!(refused.email_verified, Verdict::Refused, "{refused:?}");
        assert_eq!(refused.can_reset_password, None);
        assert!(refused.risk.is_none());
        assert!(refused.why.contains("refuses"), "{refused:?}");
    }
}

#[test]
fn verify_domains_get_their_own_row_verified_without_a_code_and_flagged() {
    let (_, explanation) = explained(&with(
        "triggers: { pre_sign_up: { verify_domains: [staff.example, '*.corp.example'] } }\n",
    ));
    let rows: Vec<&Row> = explanation
        .rows
        .iter()
        .filter(|r| r.scenario.code() == "verify_domain_sign_up")
        .collect();
    assert_eq!(rows.len(), 2);
    for (row, (pattern, email)) in rows.iter().zip([
        ("staff.example", "new.user@staff.example"),
        ("*.corp.example", "new.user@mail.corp.example"),
    ]) {
        assert_eq!(
            row.scenario,
            Scenario::VerifyDomainSignUp {
                client: "web".into(),
                domain: pattern.into()
            }
        );
        assert_eq!(row.email_verified, Verdict::True);
        assert_eq!(row.trigger.as_ref().unwrap().email, email);
        assert_eq!(fix_path(row), Some("triggers.pre_sign_up.verify_domains"));
        assert!(fix_change(row).contains("mailboxes you control"), "{row:?}");
    }
    // An ordinary address is still an ordinary self-service sign-up.
    let ordinary = row(&explanation, "self_service_sign_up");
    assert_eq!(
        ordinary.trigger.as_ref().unwrap().email,
        "new.user@example.com"
    );
    assert!(ordinary.risk.is_none());
}

#[test]
fn email_not_auto_verified_strands_self_service_users_with_checks_fix() {
    let (_, explanation) = explained(&with(
        "verification: { auto_verify: [], keep_original_until_verified: [] }\n",
    ));
    let web = row(&explanation, "self_service_sign_up");
    assert_eq!(web.email_verified, Verdict::False);
    assert_eq!(fix_path(web), Some("verification.account_recovery[0]"));
    assert_eq!(fix_change(web), "add `email` to verification.auto_verify");
    let change = row(&explanation, "email_change");
    assert_eq!(change.email_verified, Verdict::False);
    assert!(fix_change(change).contains("keep_original_until_verified"));
}

#[test]
fn an_email_change_is_kept_until_verified_or_unverified_at_once() {
    let (_, kept) = explained(BASE);
    assert_eq!(
        row(&kept, "email_change").email_verified,
        Verdict::Unchanged
    );

    let (_, not_kept) = explained(&with(
        "verification: { keep_original_until_verified: [] }\n",
    ));
    let change = row(&not_kept, "email_change");
    assert_eq!(change.email_verified, Verdict::False);
    assert_eq!(change.can_reset_password, Some(false));
    // check's own warning supplies the fix.
    assert_eq!(
        fix_path(change),
        Some("verification.keep_original_until_verified")
    );
    assert_eq!(
        fix_change(change),
        "add `email` to verification.keep_original_until_verified"
    );

    let (_, immutable) = explained(&with(
        "verification: { keep_original_until_verified: [] }\nattributes: { standard: { email: { required: true, mutable: false } } }\n",
    ));
    assert_eq!(
        row(&immutable, "email_change").email_verified,
        Verdict::Unchanged
    );
}

#[test]
fn duplicate_addresses_depend_on_the_alias_and_its_policy() {
    let alias = |policy: &str| {
        format!(
            "name: t\nsign_in: {{ username: username, aliases: [email]{policy} }}\nclients: [{{ name: web }}]\n"
        )
    };
    let (_, unstated) = explained(&alias(""));
    let duplicate = row(&unstated, "duplicate_email");
    assert_eq!(duplicate.email_verified, Verdict::False);
    assert_eq!(fix_path(duplicate), Some("sign_in.duplicate_email"));
    assert!(fix_change(duplicate).contains("duplicate_email: reject"));

    let (_, rejected) = explained(&alias(", duplicate_email: reject"));
    assert_eq!(
        row(&rejected, "duplicate_email").email_verified,
        Verdict::Unchanged
    );

    let (_, moved) = explained(&alias(", duplicate_email: move_alias"));
    let duplicate = row(&moved, "duplicate_email");
    assert_eq!(duplicate.email_verified, Verdict::False);
    assert!(fix_change(duplicate).contains("duplicate_email: reject"));

    let (_, plain) = explained("name: t\nsign_in: { username: username }\n");
    assert_eq!(
        row(&plain, "duplicate_email").email_verified,
        Verdict::Unchanged
    );
    let (_, username) = explained(BASE);
    assert!(row(&username, "duplicate_email")
        .why
        .contains("UsernameExistsException"));
}

const PROVIDERS: &str = r#"
identity_providers:
  - { name: Google, kind: google, client_id: g, client_secret: "{{resolve:secretsmanager:g}}" }
  - { name: Corp, kind: oidc, issuer: "https://login.corp.example", client_id: c, client_secret: "{{resolve:secretsmanager:c}}" }
  - { name: SignInWithApple, kind: apple, client_id: a, team_id: T, key_id: K, private_key: "{{resolve:secretsmanager:a}}" }
  - { name: Facebook, kind: facebook, client_id: f, client_secret: "{{resolve:secretsmanager:f}}", email_verified: trigger }
  - { name: LoginWithAmazon, kind: amazon, client_id: z, client_secret: "{{resolve:secretsmanager:z}}", email_verified: unverified }
  - { name: Okta, kind: saml, metadata_url: "https://okta.example/m", email_attribute: mail, email_verified: { claim: verified } }
  - { name: Dir, kind: saml, metadata_url: "https://dir.example/m", email_attribute: mail, email_verified: trigger }
  - { name: Old, kind: saml, metadata_url: "https://old.example/m", email_attribute: mail, email_verified: unverified }
  - { name: Quiet, kind: oidc, issuer: "https://quiet.example", client_id: q, client_secret: "{{resolve:secretsmanager:q}}", email_verified: unverified }
"#;

fn providers(policy: &str) -> String {
    format!("name: t\nsign_in: {{ username: email }}\n{PROVIDERS}{policy}")
}

#[test]
fn every_provider_kind_and_basis_has_its_row() {
    let (_, explanation) = explained(&providers(
        "triggers: { pre_sign_up: { trusted_providers: [Okta, Dir], vouched_providers: [Facebook] } }\n",
    ));
    let expect = |name: &str, basis_: FederatedBasis, verdict: Verdict, provider_type: &str| {
        let row = federated(&explanation, name);
        assert_eq!(basis(row), basis_, "{row:?}");
        assert_eq!(row.email_verified, verdict, "{row:?}");
        assert_eq!(
            row.can_reset_password, None,
            "a federated user has no pool password"
        );
        assert_eq!(row.can_receive_email, verdict == Verdict::True);
        assert_eq!(row.risk.is_some(), verdict == Verdict::False, "{row:?}");
        assert!(row.scenario.title().contains(provider_type), "{row:?}");
        row
    };
    expect(
        "Google",
        FederatedBasis::ClaimMapped,
        Verdict::True,
        "Google",
    );
    expect("Corp", FederatedBasis::ClaimMapped, Verdict::True, "OIDC");
    expect(
        "SignInWithApple",
        FederatedBasis::ClaimMapped,
        Verdict::True,
        "SignInWithApple",
    );
    let facebook = expect(
        "Facebook",
        FederatedBasis::Vouched,
        Verdict::True,
        "Facebook",
    );
    assert!(
        facebook
            .trigger
            .as_ref()
            .unwrap()
            .outcome
            .as_ref()
            .unwrap()
            .auto_verify_email
    );
    // Trusted, and the named claim is mapped: it reaches the trigger and the pool.
    let okta = expect(
        "Okta",
        FederatedBasis::TriggerTrusted,
        Verdict::True,
        "SAML",
    );
    assert!(okta.trigger.as_ref().unwrap().email_verified_claim);
    // Trusted but nothing mapped: the trigger never sees a claim; check's warning is the fix.
    let dir = expect(
        "Dir",
        FederatedBasis::TriggerTrusted,
        Verdict::False,
        "SAML",
    );
    assert!(!dir.trigger.as_ref().unwrap().email_verified_claim);
    assert_eq!(
        fix_path(dir),
        Some("triggers.pre_sign_up.trusted_providers[1]")
    );
    assert!(fix_change(dir).contains("vouched_providers"));
    let amazon = expect(
        "LoginWithAmazon",
        FederatedBasis::Unverified,
        Verdict::False,
        "LoginWithAmazon",
    );
    assert_eq!(
        fix_path(amazon),
        Some("identity_providers[4].email_verified")
    );
    assert!(fix_change(amazon).contains("vouched_providers"));
    expect("Old", FederatedBasis::Unverified, Verdict::False, "SAML");
    // A kind that sends the claim, left unmapped: check's warning says to map it.
    let quiet = expect("Quiet", FederatedBasis::Unverified, Verdict::False, "OIDC");
    assert_eq!(
        fix_path(quiet),
        Some("identity_providers[8].email_verified")
    );
    assert!(
        fix_change(quiet).contains("remove `email_verified`"),
        "{quiet:?}"
    );
}

#[test]
fn without_a_trigger_federated_rows_follow_the_mapping_alone() {
    let yaml = "name: t\nsign_in: { username: email }\nidentity_providers:\n  - { name: Google, kind: google, client_id: g, client_secret: \"{{resolve:secretsmanager:g}}\" }\n  - { name: Old, kind: saml, metadata_url: \"https://old.example/m\", email_attribute: mail, email_verified: unverified }\n";
    let (_, explanation) = explained(yaml);
    let google = federated(&explanation, "Google");
    assert_eq!(
        (basis(google), google.email_verified),
        (FederatedBasis::ClaimMapped, Verdict::True)
    );
    assert!(google.trigger.is_none());
    let old = federated(&explanation, "Old");
    assert_eq!(
        (basis(old), old.email_verified),
        (FederatedBasis::Unverified, Verdict::False)
    );
}

/// The specs the agreement test runs over: every policy feature and provider kind above.
fn every_spec() -> Vec<String> {
    vec![
        with("triggers: { pre_sign_up: { trusted_clients: [agent], deny_domains: [mailinator.com] } }\n"),
        with("triggers: { pre_sign_up: { deny_domains: [example.com] } }\n"),
        with("triggers: { pre_sign_up: { trusted_clients: [agent], allow_domains: ['*.corp.example'], verify_domains: [staff.corp.example] } }\n"),
        with("triggers: { pre_sign_up: { trusted_clients: [agent], allow_domains: [corp.example], deny_domains: [corp.example] } }\n"),
        with("triggers: { pre_sign_up: { verify_domains: [staff.example, '*.corp.example'] } }\n"),
        providers("triggers: { pre_sign_up: { trusted_providers: [Okta, Dir], vouched_providers: [Facebook] } }\n"),
        providers("triggers: { pre_sign_up: { trusted_providers: [Google, Okta], vouched_providers: [Dir, Facebook], allow_domains: [example.com] } }\n"),
        providers("triggers: { pre_sign_up: { trusted_providers: [Okta], vouched_providers: [Dir, Facebook], deny_domains: [example.org] }, inbound_federation: true }\n"),
    ]
}

/// An event as a scenario makes Cognito send it, built from the scenario and the spec alone.
struct Expected {
    source: TriggerSource,
    user_name: Option<String>,
    client: Option<String>,
    email: String,
    claim: bool,
}

impl Expected {
    fn event(&self) -> SignUpEvent<'_> {
        SignUpEvent {
            source: self.source,
            user_name: self.user_name.as_deref(),
            provider_name: None,
            client_id: self.client.as_deref(),
            email: Some(&self.email),
            email_verified_claim: self.claim,
        }
    }
}

fn expected_event(spec: &PoolSpec, explanation: &Explanation, row: &Row) -> Option<Expected> {
    let sample = explanation.sample_email.clone();
    let sign_up = |client: &str, email: String| Expected {
        source: TriggerSource::SignUp,
        user_name: None,
        client: Some(client.to_owned()),
        email,
        claim: false,
    };
    match &row.scenario {
        Scenario::AgentSignUp { client } | Scenario::SelfServiceSignUp { client } => {
            Some(sign_up(client, sample))
        }
        Scenario::VerifyDomainSignUp { client, domain } => Some(sign_up(
            client,
            format!("new.user@{}", explain::sample_domain(domain).unwrap()),
        )),
        Scenario::AdminCreateUser { .. } => Some(Expected {
            source: TriggerSource::AdminCreateUser,
            user_name: None,
            client: None,
            email: sample,
            claim: false,
        }),
        Scenario::FederatedSignIn { provider, .. } => {
            let mapped = spec
                .identity_providers
                .iter()
                .find(|p| &p.name == provider)
                .unwrap()
                .effective_attribute_mapping()
                .contains_key("email_verified");
            Some(Expected {
                source: TriggerSource::ExternalProvider,
                user_name: Some(format!("{provider}_sample-id")),
                client: None,
                email: sample,
                claim: mapped,
            })
        }
        Scenario::FederatedAddressChange { provider, .. } => {
            let found = spec
                .identity_providers
                .iter()
                .find(|p| &p.name == provider)
                .unwrap();
            // Only a provider the inbound federation trigger decides for has a call; it reads
            // the provider's own claim, as the provider sends it.
            let decided = spec.triggers.inbound_federation
                && found.email_verified == Some(spec::EmailVerifiedPolicy::Trigger);
            decided.then(|| Expected {
                source: TriggerSource::InboundFederation,
                user_name: Some(format!("{provider}_sample-id")),
                client: None,
                email: sample,
                claim: found.kind.sends_email_verified(),
            })
        }
        Scenario::EmailChange | Scenario::DuplicateEmail => None,
    }
}

/// Whether `domain` is in a policy domain pattern: the domain itself, or `*.<domain>` for
/// any name under it. Written here, not borrowed from the trigger.
fn in_pattern(domain: &str, pattern: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(parent) => domain.ends_with(&format!(".{parent}")),
        None => domain == pattern,
    }
}

/// What the trigger must do with a scenario's event, from the facts alone: (refused, email
/// verified). A domain on `deny_domains`, or off a non-empty `allow_domains`, is refused; an
/// agent sign-up is verified when its client is trusted, a verify-domain sign-up always, a
/// federated one when its provider is vouched for, or trusted and the claim is mapped;
/// ordinary self-service sign-ups and AdminCreateUser never.
fn expected_outcome(
    policy: &spec::PreSignUpPolicy,
    scenario: &Scenario,
    event: &Expected,
) -> (bool, bool) {
    let domain = event.email.rsplit_once('@').unwrap().1;
    let listed = |patterns: &[String]| patterns.iter().any(|p| in_pattern(domain, p));
    let refused = listed(&policy.deny_domains)
        || (!policy.allow_domains.is_empty() && !listed(&policy.allow_domains));
    let verified = match scenario {
        Scenario::AgentSignUp { client } => policy.trusted_clients.contains(client),
        Scenario::VerifyDomainSignUp { .. } => true,
        Scenario::FederatedSignIn { provider, .. }
        | Scenario::FederatedAddressChange { provider, .. } => {
            policy.vouched_providers.contains(provider)
                || (policy.trusted_providers.contains(provider) && event.claim)
        }
        _ => false,
    };
    (refused, verified)
}

#[test]
fn every_verdict_that_involves_the_trigger_agrees_with_decide() {
    let mut compared = 0;
    for yaml in every_spec() {
        let (spec, explanation) = explained(&yaml);
        let policy = CompiledPolicy::new(spec.triggers.pre_sign_up.as_ref().unwrap()).unwrap();
        for row in &explanation.rows {
            let expected = expected_event(&spec, &explanation, row);
            let (Some(expected), Some(call)) = (&expected, &row.trigger) else {
                assert!(
                    row.trigger.is_none(),
                    "a row the trigger takes no part in has a call: {row:?}"
                );
                continue;
            };
            let event = expected.event();
            assert_eq!(call.event(), event, "{yaml}\n{row:?}");
            // The outcome the row records, against the verdict written from the scenario's
            // facts and the policy's lists (not from `decide`).
            let policy_spec = spec.triggers.pre_sign_up.as_ref().unwrap();
            let (refused, verified) = expected_outcome(policy_spec, &row.scenario, expected);
            match &call.outcome {
                Err(_) => assert!(refused, "refused without a domain rule: {yaml}\n{row:?}"),
                Ok(d) => {
                    assert!(
                        !refused,
                        "a denied or unlisted domain admitted: {yaml}\n{row:?}"
                    );
                    assert_eq!(d.auto_verify_email, verified, "{yaml}\n{row:?}");
                }
            }
            let decided = trigger::decide(&policy, &event);
            assert_eq!(call.outcome, decided, "{yaml}\n{row:?}");
            // The verdict follows the decision wherever the trigger has the last word.
            match (&decided, &row.scenario) {
                (Err(_), _) => assert_eq!(row.email_verified, Verdict::Refused, "{row:?}"),
                (Ok(d), Scenario::FederatedAddressChange { .. }) => {
                    assert_eq!(row.email_verified, Verdict::from_bool(d.auto_verify_email));
                }
                (Ok(d), Scenario::AgentSignUp { .. }) => {
                    assert_eq!(row.email_verified, Verdict::from_bool(d.auto_verify_email));
                }
                (
                    Ok(d),
                    Scenario::SelfServiceSignUp { .. } | Scenario::VerifyDomainSignUp { .. },
                ) if d.auto_verify_email => {
                    assert_eq!(row.email_verified, Verdict::True);
                }
                (Ok(d), Scenario::FederatedSignIn { basis, .. }) if !event.email_verified_claim => {
                    assert_eq!(row.email_verified, Verdict::from_bool(d.auto_verify_email));
                    let expected_basis = match d.reason {
                        trigger::Reason::VouchedProvider => FederatedBasis::Vouched,
                        trigger::Reason::TrustedProvider => FederatedBasis::TriggerTrusted,
                        _ => FederatedBasis::Unverified,
                    };
                    assert_eq!(*basis, expected_basis, "{row:?}");
                }
                _ => {}
            }
            compared += 1;
        }
    }
    assert!(compared >= 40, "only {compared} rows were compared");
}

fn address_change<'a>(explanation: &'a Explanation, name: &str) -> &'a Row {
    explanation
        .rows
        .iter()
        .find(|r| matches!(&r.scenario, Scenario::FederatedAddressChange { provider, .. } if provider == name))
        .unwrap_or_else(|| panic!("no address change row for {name} in {explanation:#?}"))
}

#[test]
fn an_address_change_at_the_provider_resets_a_trigger_verified_user_without_inbound_federation() {
    let policy = "triggers: { pre_sign_up: { trusted_providers: [Okta], vouched_providers: [Facebook, Dir] } }\n";
    let (_, explanation) = explained(&providers(policy));

    // Vouched for at the first sign-in only: reset to false, the risky case, with check's fix.
    for (index, name) in [(3, "Facebook"), (6, "Dir")] {
        let row = address_change(&explanation, name);
        assert_eq!(row.email_verified, Verdict::False, "{row:?}");
        assert!(row.is_risky(), "{row:?}");
        assert_eq!(
            fix_path(row),
            Some(format!("identity_providers[{index}].email_verified").as_str())
        );
        assert!(fix_change(row).contains("triggers.inbound_federation: true"));
        assert_eq!(row.can_reset_password, None);
        assert!(row.trigger.is_none(), "no inbound federation call: {row:?}");
        assert_eq!(row.scenario.code(), "federated_address_change");
    }
    // A mapped claim is written at every sign-in: it follows the provider.
    for name in ["Google", "Corp", "SignInWithApple", "Okta"] {
        let row = address_change(&explanation, name);
        assert_eq!(row.email_verified, Verdict::True, "{row:?}");
        assert!(!row.is_risky(), "{row:?}");
    }
    // Never verified anyway: false, and the first sign-in's row carries the risk.
    for name in ["LoginWithAmazon", "Old", "Quiet"] {
        let row = address_change(&explanation, name);
        assert_eq!(row.email_verified, Verdict::False, "{row:?}");
        assert!(!row.is_risky(), "{row:?}");
    }
}

#[test]
fn with_inbound_federation_the_trigger_keeps_the_new_address_verified() {
    let policy = "triggers: { pre_sign_up: { trusted_providers: [Okta], vouched_providers: [Dir, Facebook] }, inbound_federation: true }\n";
    let (_, explanation) = explained(&providers(policy));
    for name in ["Facebook", "Dir"] {
        let row = address_change(&explanation, name);
        assert_eq!(row.email_verified, Verdict::True, "{row:?}");
        assert!(!row.is_risky(), "{row:?}");
        let call = row.trigger.as_ref().expect("the inbound federation call");
        assert_eq!(call.source, TriggerSource::InboundFederation);
        assert_eq!(
            call.outcome.as_ref().unwrap().reason,
            trigger::Reason::VouchedProvider
        );
    }
    // A claim-mapped provider is not the trigger's to decide: no call, the claim rules.
    let google = address_change(&explanation, "Google");
    assert!(google.trigger.is_none());
    assert_eq!(google.email_verified, Verdict::True);

    // The same pool with a function of its own by ARN: poolctl cannot see it keep anything.
    let by_arn = "triggers: { pre_sign_up: { vouched_providers: [Dir, Facebook] }, inbound_federation_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:inbound' }\n";
    let (_, explanation) = explained(&providers(by_arn));
    let dir = address_change(&explanation, "Dir");
    assert_eq!(dir.email_verified, Verdict::False);
    assert!(!dir.is_risky());
    assert!(dir.why.contains("by ARN"), "{dir:?}");
}
