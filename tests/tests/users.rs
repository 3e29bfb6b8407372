//! `poolctl users` end to end: a pool seeded with users in known states (agent sign-ups
//! confirmed by AdminConfirmSignUp, self-service sign-ups, admin-created users with and
//! without `email_verified`, SAML users with and without the claim mapped through the hosted
//! sign-in, duplicate addresses, disabled users), audited, verified, killed and resumed, all
//! behind the fault proxy enforcing Cognito's request quotas.
//!
//! The pool holds 20 x `POOLCTL_E2E_USER_UNIT` users (default unit 20: 400 users; `just
//! test-users-full` runs 5,000).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::{AliasAttributeType, AttributeType, IdentityProviderTypeType, OAuthFlowType};
use e2e::aws::{sdk_config_for, PASSWORD};
use e2e::cli::{expect_code, finished_on, interrupt, poolctl, run_offline, run_on, run_poolctl};
use e2e::emulator::Emulator;
use e2e::faultproxy::{Fault, FaultPlan, Limit, Quotas, Rule};
use e2e::{scratch_dir, write_file};
use serde_json::Value;

const CALLBACK: &str = "http://localhost:3000/callback";
const MAPPED: &str = "CorpMapped";
const UNMAPPED: &str = "CorpUnmapped";
/// A ListUsers quota well under what the audit asks for, so that it must be throttled and
/// retry (Cognito's own 30/s is more than a pool of this size needs pages).
const TIGHT_USER_LIST: f64 = 5.0;
/// How long a verify may go without reaching the point where it is killed: the part to do at
/// the UserUpdate quota, four times over, and never less than two minutes.
fn wait_for(updates: u64) -> Duration {
    Duration::from_secs((updates / 25 * 4).max(120))
}

fn unit() -> usize {
    std::env::var("POOLCTL_E2E_USER_UNIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n: &usize| *n >= 2)
        .unwrap_or(20)
}

/// What was seeded, by the class the audit must give.
#[derive(Debug, Default)]
struct Seeded {
    total: usize,
    classes: BTreeMap<&'static str, usize>,
    /// The duplicate (unverified) user of each pair, and the pair's holder.
    duplicates: Vec<(String, String)>,
    stuck: Vec<String>,
}

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

struct Pool {
    id: String,
    client_id: String,
}

async fn create_pool(client: &cognito::Client) -> Pool {
    let id = client
        .create_user_pool()
        .pool_name(e2e::unique_name("stuck"))
        .alias_attributes(AliasAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool()
        .and_then(|p| p.id())
        .unwrap()
        .to_owned();
    for (name, mapping) in [
        (
            MAPPED,
            vec![("email", "email"), ("email_verified", "email_verified")],
        ),
        (UNMAPPED, vec![("email", "email")]),
    ] {
        let mut provider = client
            .create_identity_provider()
            .user_pool_id(&id)
            .provider_name(name)
            .provider_type(IdentityProviderTypeType::Saml)
            .provider_details("IDPSSOEndpoint", "http://127.0.0.1:9/sso");
        for (pool_attribute, claim) in mapping {
            provider = provider.attribute_mapping(pool_attribute, claim);
        }
        provider.send().await.unwrap();
    }
    let client_id = client
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("web")
        .callback_urls(CALLBACK)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .supported_identity_providers(MAPPED)
        .supported_identity_providers(UNMAPPED)
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .and_then(|c| c.client_id())
        .unwrap()
        .to_owned();
    Pool { id, client_id }
}

/// Signs `name_id` in through the hosted UI and a SAML provider, as a browser would, with
/// the same sign-in `explain --prove` performs.
async fn saml_sign_in(
    endpoint: &str,
    pool: &Pool,
    provider: &str,
    name_id: &str,
    claims: &[(&str, &str)],
) {
    let claims: Vec<(String, String)> = claims
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let sign_in = explain::SamlSignIn {
        endpoint,
        client_id: &pool.client_id,
        callback: CALLBACK,
        provider,
        name_id,
        claims: &claims,
    };
    if let Err(why) = sign_in.perform().await {
        panic!("SAML sign-in of {name_id} through {provider}: {why}");
    }
}

/// Seeds the pool; admin-created users go through `poolctl users create`.
/// Agent sign-ups confirmed by AdminConfirmSignUp (no `email_verified` at all): stuck users.
async fn agent_sign_ups(client: &cognito::Client, pool: &Pool, n: usize) -> Vec<String> {
    let mut names = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("agent-{i:05}");
        client
            .sign_up()
            .client_id(&pool.client_id)
            .username(&name)
            .password(PASSWORD)
            .user_attributes(attr("email", &format!("{name}@agents.example")))
            .send()
            .await
            .unwrap();
        client
            .admin_confirm_sign_up()
            .user_pool_id(&pool.id)
            .username(&name)
            .send()
            .await
            .unwrap();
        names.push(name);
    }
    names
}

async fn seed(emulator: &Emulator, client: &cognito::Client, pool: &Pool, dir: &Path) -> Seeded {
    let u = unit();
    let mut seeded = Seeded::default();
    let mut count = |class: &'static str, n: usize| *seeded.classes.entry(class).or_default() += n;

    seeded.stuck = agent_sign_ups(client, pool, 6 * u).await;
    count("stuck", 6 * u);
    // Self-service sign-ups that never confirmed.
    for i in 0..2 * u {
        client
            .sign_up()
            .client_id(&pool.client_id)
            .username(format!("self-{i:05}"))
            .password(PASSWORD)
            .user_attributes(attr("email", &format!("self-{i:05}@example.com")))
            .send()
            .await
            .unwrap();
    }
    count("unconfirmed_stale", 2 * u);

    // Admin-created, through poolctl: verified, unverified, and the duplicate pairs.
    let rows = |prefix: &str, n: usize, domain: &str| -> String {
        (0..n)
            .map(|i| format!("{{\"username\":\"{prefix}-{i:05}\",\"email\":\"{prefix}-{i:05}@{domain}\",\"given_name\":\"Private\"}}\n"))
            .collect()
    };
    let verified = write_file(
        dir,
        "verified.jsonl",
        &(rows("admin-ok", 3 * u, "example.com")
            + &rows("pending", u, "example.com")
            + &rows("holder", u, "dup.example")
            + &rows("off", u, "example.com")),
    );
    let unverified = write_file(
        dir,
        "unverified.jsonl",
        &rows("admin-stuck", 3 * u, "example.com"),
    );
    let duplicate_rows: String = (0..u)
        .map(|i| {
            format!("{{\"username\":\"dup-{i:05}\",\"email\":\"holder-{i:05}@dup.example\"}}\n")
        })
        .collect();
    let duplicates = write_file(dir, "duplicates.jsonl", &duplicate_rows);
    for (file, flags) in [
        (&verified, &["--verified-email", "--suppress"][..]),
        (&unverified, &["--suppress"][..]),
        (&duplicates, &["--suppress"][..]),
    ] {
        let mut args = vec!["users", "create", "--user-pool-id", &pool.id, "--from"];
        let file = file.to_str().unwrap();
        args.push(file);
        args.extend_from_slice(flags);
        args.extend_from_slice(&["--output", "json"]);
        let run = run_poolctl(emulator, &args);
        expect_code(&run, 0, "users create");
        let created = run.json()["counts"]["created"].as_u64().unwrap_or(0);
        assert!(created > 0, "{}", run.stdout);
    }
    // Everyone but the `pending` ones has since chosen a password (CONFIRMED).
    let confirmed = (0..3 * u)
        .map(|i| format!("admin-ok-{i:05}"))
        .chain((0..3 * u).map(|i| format!("admin-stuck-{i:05}")))
        .chain((0..u).map(|i| format!("holder-{i:05}")))
        .chain((0..u).map(|i| format!("dup-{i:05}")))
        .chain((0..u).map(|i| format!("off-{i:05}")));
    for name in confirmed {
        client
            .admin_set_user_password()
            .user_pool_id(&pool.id)
            .username(&name)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
    }
    for i in 0..u {
        client
            .admin_disable_user()
            .user_pool_id(&pool.id)
            .username(format!("off-{i:05}"))
            .send()
            .await
            .unwrap();
        seeded
            .duplicates
            .push((format!("dup-{i:05}"), format!("holder-{i:05}")));
    }
    seeded
        .stuck
        .extend((0..3 * u).map(|i| format!("admin-stuck-{i:05}")));
    count("stuck", 3 * u);
    count("ok", 3 * u + u + u);
    count("duplicate_email", u);
    count("disabled", u);

    // Federated through SAML: the mapped provider asserts email_verified, the other does not.
    for i in 0..u {
        saml_sign_in(
            emulator.direct_endpoint(),
            pool,
            MAPPED,
            &format!("mapped-{i:05}@corp.example"),
            &[
                ("email", &format!("mapped-{i:05}@corp.example")),
                ("email_verified", "true"),
            ],
        )
        .await;
        saml_sign_in(
            emulator.direct_endpoint(),
            pool,
            UNMAPPED,
            &format!("unmapped-{i:05}@corp.example"),
            &[("email", &format!("unmapped-{i:05}@corp.example"))],
        )
        .await;
    }
    count("ok", u);
    count("federated_unverified", u);
    count("force_change_expired", 0);
    seeded.total = 20 * u;
    seeded
}

fn counts(report: &Value) -> BTreeMap<String, usize> {
    report["counts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), usize::try_from(v.as_u64().unwrap()).unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn expected(seeded: &Seeded) -> BTreeMap<String, usize> {
    seeded
        .classes
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, v)| ((*k).to_owned(), *v))
        .collect()
}

/// `email_verified` of every user, read directly from the emulator.
async fn verified_by_user(client: &cognito::Client, pool: &str) -> BTreeMap<String, bool> {
    let mut users = BTreeMap::new();
    let mut pages = client
        .list_users()
        .user_pool_id(pool)
        .limit(60)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for user in page.unwrap().users() {
            let verified = user.attributes().iter().any(|a| {
                a.name() == "email_verified"
                    && a.value().is_some_and(|v| v.eq_ignore_ascii_case("true"))
            });
            users.insert(user.username().unwrap().to_owned(), verified);
        }
    }
    users
}

fn update_calls(emulator: &Emulator) -> u64 {
    emulator
        .faults()
        .stats()
        .op("cognito-idp", "AdminUpdateUserAttributes")
        .passed
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_verify_kill_and_resume_under_quotas() {
    let quotas = Quotas::aws_defaults().with_limit("UserList", Limit::per_second(TIGHT_USER_LIST));
    let emulator = Emulator::start_with(FaultPlan::none().quotas(quotas));
    let direct = cognito::Client::new(&sdk_config_for(emulator.direct_endpoint(), None).await);
    let pool = create_pool(&direct).await;
    let dir = scratch_dir("users");
    let seeded = seed(&emulator, &direct, &pool, &dir).await;

    // The audit asks for more than the quota allows: it is throttled, retries, loses no one.
    emulator.faults().reset_stats();
    let audit_file = dir.join("audit.jsonl");
    let audit = run_poolctl(
        &emulator,
        &[
            "users",
            "audit",
            "--user-pool-id",
            &pool.id,
            "--unconfirmed-days",
            "0",
            "--rate",
            "0",
            "--out",
            audit_file.to_str().unwrap(),
            "--output",
            "json",
        ],
    );
    expect_code(&audit, 5, "an audit that finds stuck users exits 5");
    let report = audit.json();
    assert_eq!(
        report["scanned"].as_u64(),
        Some(seeded.total as u64),
        "{report}"
    );
    assert_eq!(counts(&report), expected(&seeded), "{report}");
    let list = emulator.faults().stats().category("UserList");
    assert!(
        list.throttled > 0,
        "the tight quota throttled nothing: {list:?}"
    );
    assert!(
        report["throttled"].as_u64().unwrap() >= list.throttled,
        "{report} {list:?}"
    );
    // The JSON Lines: every user that is not ok, and nothing beyond what the fix needs.
    let lines = std::fs::read_to_string(&audit_file).unwrap();
    let not_ok = seeded.total - seeded.classes["ok"];
    assert_eq!(lines.lines().count(), not_ok);
    assert!(
        !lines.contains("Private") && !lines.contains("given_name"),
        "{lines}"
    );
    let first_duplicate = &seeded.duplicates[0];
    let duplicate_line = lines
        .lines()
        .find(|l| l.contains(&format!("\"username\":\"{}\"", first_duplicate.0)))
        .unwrap();
    assert!(
        duplicate_line.contains(&format!("\"holder\":\"{}\"", first_duplicate.1)),
        "{duplicate_line}"
    );

    // From here on, Cognito's own quotas: verify looks every address up with ListUsers (the
    // alias trap), and at the tight rate a large pool would take minutes.
    emulator
        .faults()
        .set_plan(FaultPlan::none().quotas(Quotas::aws_defaults()));

    // A dry run changes nothing.
    let dry = run_poolctl(
        &emulator,
        &[
            "users",
            "verify",
            "--user-pool-id",
            &pool.id,
            "--class",
            "stuck",
            "--dry-run",
            "--output",
            "json",
        ],
    );
    expect_code(&dry, 0, "dry run");
    assert_eq!(
        dry.json()["counts"]["would_verify"].as_u64(),
        Some(seeded.stuck.len() as u64)
    );
    assert_eq!(update_calls(&emulator), 0);

    // Verify from the audit: stopped by Ctrl-C (SIGINT) part-way, then killed (SIGKILL)
    // part-way, then run again to the end.
    let journal = dir.join("verify.journal");
    let verify_args = [
        "users",
        "verify",
        "--user-pool-id",
        &pool.id,
        "--from",
        audit_file.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
        "--yes",
        "--output",
        "json",
    ];
    let stuck = seeded.stuck.len() as u64;
    // A verify run, once `updates` users have been updated in all.
    let verify_until = |updates: u64| {
        let mut child = poolctl(&emulator)
            .args(verify_args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + wait_for(updates);
        while update_calls(&emulator) < updates {
            assert!(
                Instant::now() < deadline,
                "no progress: {:?}",
                emulator.faults().stats()
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "verify ended before it was stopped"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        child
    };

    let child = verify_until(stuck / 4);
    interrupt(&child);
    let stopped = finished_on(&emulator, child);
    expect_code(&stopped, 130, "verify stopped by Ctrl-C");
    assert!(
        stopped
            .stderr
            .contains("Run the same command again to go on"),
        "{}",
        stopped.stderr
    );
    let stopped_json = stopped.json();
    let updated_before_stop = update_calls(&emulator);
    // The users in flight finished: every update sent is reported, and journaled as finished.
    assert_eq!(
        stopped_json["counts"]["verified"].as_u64(),
        Some(updated_before_stop),
        "{stopped_json}"
    );
    let not_started = stopped_json["counts"]["not_started"].as_u64().unwrap_or(0);
    assert!(not_started > 0, "stopped too late: {stopped_json}");
    assert_eq!(
        stopped_json["before"].as_u64(),
        Some(stuck + seeded.duplicates.len() as u64)
    );
    let journal_text = std::fs::read_to_string(&journal).unwrap();
    let events = |event: &str| {
        journal_text
            .lines()
            .filter(|l| l.contains(&format!("\"event\":\"{event}\"")))
            .count() as u64
    };
    assert_eq!(events("started"), updated_before_stop, "{journal_text}");
    assert_eq!(events("finished"), updated_before_stop, "{journal_text}");

    let mut child = verify_until(updated_before_stop + (stuck - updated_before_stop) / 3);
    child.kill().unwrap();
    let killed = finished_on(&emulator, child);
    assert_eq!(killed.code, None, "SIGKILL ended it");
    let done_before_kill = update_calls(&emulator);
    assert!(done_before_kill < stuck, "killed too late to test resume");

    let resumed = run_on(&emulator, poolctl(&emulator).args(verify_args));
    expect_code(&resumed, 3, "the duplicates are refused (alias trap)");
    let resumed = resumed.json();
    assert_eq!(
        resumed["after"].as_u64(),
        Some(seeded.duplicates.len() as u64),
        "{resumed}"
    );
    assert_eq!(
        resumed["counts"]["refused"].as_u64(),
        Some(seeded.duplicates.len() as u64)
    );
    // No user was updated twice: exactly one update per stuck user, over both runs.
    assert_eq!(update_calls(&emulator), seeded.stuck.len() as u64);
    let refused: Vec<(&str, &str)> = resumed["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["outcome"] == "refused")
        .map(|u| {
            (
                u["username"].as_str().unwrap(),
                u["holder"].as_str().unwrap(),
            )
        })
        .collect();
    let expected_refused: Vec<(&str, &str)> = seeded
        .duplicates
        .iter()
        .map(|(d, h)| (d.as_str(), h.as_str()))
        .collect();
    assert_eq!(refused, expected_refused);

    // The pool now: every stuck user verified, every duplicate still not, holders untouched.
    let state = verified_by_user(&direct, &pool.id).await;
    for name in &seeded.stuck {
        assert!(state[name], "{name} is still unverified");
    }
    for (duplicate, holder) in &seeded.duplicates {
        assert!(!state[duplicate] && state[holder], "{duplicate} / {holder}");
    }
    // Everyone else is as seeded: exactly the stuck users changed.
    let verified_now = state.values().filter(|v| **v).count();
    assert_eq!(
        verified_now,
        seeded.stuck.len() + 3 * unit() + unit() + unit() + unit() + unit(),
        "stuck users + admin-ok, pending, holders, disabled (verified at creation) and mapped SAML users"
    );

    // A third run does nothing at all.
    let again = run_on(&emulator, poolctl(&emulator).args(verify_args));
    expect_code(&again, 3, "still refused");
    assert_eq!(
        again.json()["counts"]["done_earlier"].as_u64(),
        Some(seeded.stuck.len() as u64)
    );
    assert_eq!(update_calls(&emulator), seeded.stuck.len() as u64);

    // And the audit agrees.
    let after = run_poolctl(
        &emulator,
        &[
            "users",
            "audit",
            "--user-pool-id",
            &pool.id,
            "--unconfirmed-days",
            "0",
            "--output",
            "json",
        ],
    );
    expect_code(&after, 5, "the duplicates are still stranded");
    let after = counts(&after.json());
    assert_eq!(after.get("stuck"), None, "{after:?}");
    assert_eq!(after["duplicate_email"], seeded.duplicates.len());
    // One unfiltered scan finds the same users as sixteen partitioned ones.
    let single = run_poolctl(
        &emulator,
        &[
            "users",
            "audit",
            "--user-pool-id",
            &pool.id,
            "--unconfirmed-days",
            "0",
            "--partitions",
            "1",
            "--output",
            "json",
        ],
    );
    expect_code(&single, 5, "the same pool");
    assert_eq!(single.json()["scanned"].as_u64(), Some(seeded.total as u64));
    assert_eq!(counts(&single.json()), after);
}

/// Cognito answering 500s, connections reset before and after a call reached it, and answers
/// cut short: the audit skips no page and counts no one twice, and verify misses no one.
#[tokio::test(flavor = "multi_thread")]
async fn audit_and_verify_ride_out_errors_resets_and_cut_answers() {
    let emulator = Emulator::start_with(FaultPlan::none());
    let direct = cognito::Client::new(&sdk_config_for(emulator.direct_endpoint(), None).await);
    let pool = create_pool(&direct).await;
    let dir = scratch_dir("users-faults");
    // 150 users: three pages in each of the 16 scans' worth of pool, half of them stuck.
    let stuck = agent_sign_ups(&direct, &pool, 75).await;
    let ok: Vec<String> = (0..75).map(|i| format!("ok-{i:05}")).collect();
    let rows: String = ok
        .iter()
        .map(|name| format!("{{\"username\":\"{name}\",\"email\":\"{name}@example.com\"}}\n"))
        .collect();
    let rows = write_file(&dir, "ok.jsonl", &rows);
    let created = run_poolctl(
        &emulator,
        &[
            "users",
            "create",
            "--user-pool-id",
            &pool.id,
            "--from",
            rows.to_str().unwrap(),
            "--verified-email",
            "--suppress",
        ],
    );
    expect_code(&created, 0, "users create");
    for name in &ok {
        direct
            .admin_set_user_password()
            .user_pool_id(&pool.id)
            .username(name)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
    }

    // Every kind of failure on ListUsers, in both scans: sixteen partitions of one page each,
    // and one scan of three pages whose second page fails four times over, so that it must be
    // fetched again with the same token.
    let list_faults = [
        Fault::InternalError,
        Fault::TruncatedBody,
        Fault::ResetBeforeForward,
        Fault::ResetAfterForward,
    ];
    let audit_file = dir.join("audit.jsonl");
    for (partitions, first_fault) in [("16", 1), ("1", 2)] {
        let mut plan = FaultPlan::seeded(11).quotas(Quotas::aws_defaults());
        for (n, fault) in (first_fault..).zip(&list_faults) {
            plan = plan.rule(Rule::new("cognito-idp", "ListUsers", fault.clone()).calls([n]));
        }
        emulator.faults().reset_stats();
        emulator.faults().set_plan(plan);
        let audit = run_poolctl(
            &emulator,
            &[
                "users",
                "audit",
                "--user-pool-id",
                &pool.id,
                "--partitions",
                partitions,
                "--out",
                audit_file.to_str().unwrap(),
                "--output",
                "json",
            ],
        );
        expect_code(&audit, 5, "stuck users are stranded");
        assert_eq!(
            counts(&audit.json()),
            BTreeMap::from([("ok".to_owned(), 75), ("stuck".to_owned(), 75)]),
            "--partitions {partitions}: {}",
            audit.stdout
        );
        let stats = emulator.faults().stats();
        let list = stats.op("cognito-idp", "ListUsers");
        for fault in &list_faults {
            assert_eq!(list.fault(fault.name()), 1, "{fault:?}: {stats:?}");
        }
        let pages = if partitions == "1" { 3 } else { 16 };
        assert_eq!(list.passed, pages, "{stats:?}");
    }

    emulator.faults().reset_stats();
    emulator.faults().set_plan(
        FaultPlan::seeded(11)
            .quotas(Quotas::aws_defaults())
            .rule(Rule::new("cognito-idp", "AdminGetUser", Fault::Unavailable).calls([1, 4, 7]))
            .rule(Rule::new("cognito-idp", "ListUsers", Fault::InternalError).calls([2, 6]))
            .rule(
                Rule::new(
                    "cognito-idp",
                    "AdminUpdateUserAttributes",
                    Fault::ResetAfterForward,
                )
                .calls([3, 10]),
            ),
    );
    let verify = run_poolctl(
        &emulator,
        &[
            "users",
            "verify",
            "--user-pool-id",
            &pool.id,
            "--from",
            audit_file.to_str().unwrap(),
            "--journal",
            dir.join("verify.journal").to_str().unwrap(),
            "--yes",
            "--output",
            "json",
        ],
    );
    expect_code(&verify, 0, "verify through the faults");
    let report = verify.json();
    assert_eq!(report["after"].as_u64(), Some(0), "{report}");
    assert_eq!(report["counts"]["verified"].as_u64(), Some(75), "{report}");
    let stats = emulator.faults().stats();
    assert_eq!(
        stats.op("cognito-idp", "AdminGetUser").fault("Unavailable"),
        3
    );
    // Two updates reached Cognito and lost their answer: each was sent once more (setting the
    // same value again). Every stuck user's update was answered exactly once.
    let update = stats.op("cognito-idp", "AdminUpdateUserAttributes");
    assert_eq!(update.fault("ResetAfterForward"), 2);
    assert_eq!(update.passed, 75);

    let state = verified_by_user(&direct, &pool.id).await;
    assert_eq!(state.len(), 150);
    assert!(state.values().all(|v| *v), "{state:?}");
    for name in &stuck {
        assert!(state[name], "{name}");
    }
}

/// With no `--partitions`, the audit times its first pages and picks its scan plan: one scan
/// where a page comes back at once (as on the emulator), sixteen at once where every page takes
/// 200 ms (a distant service), when one scan could not reach the 30/s ListUsers quota.
#[tokio::test(flavor = "multi_thread")]
async fn the_audit_picks_its_scan_plan_from_the_page_latency_it_measures() {
    let emulator = Emulator::start_with(FaultPlan::none());
    let direct = cognito::Client::new(&sdk_config_for(emulator.direct_endpoint(), None).await);
    let pool = create_pool(&direct).await;
    let dir = scratch_dir("users-scan-plan");
    // 150 users: three unfiltered pages, so the audit has more than one page to plan for.
    let rows: String = (0..150)
        .map(|i| format!("{{\"username\":\"u-{i:05}\",\"email\":\"u-{i:05}@example.com\"}}\n"))
        .collect();
    let rows = write_file(&dir, "users.jsonl", &rows);
    let created = run_poolctl(
        &emulator,
        &[
            "users",
            "create",
            "--user-pool-id",
            &pool.id,
            "--from",
            rows.to_str().unwrap(),
            "--verified-email",
            "--suppress",
        ],
    );
    expect_code(&created, 0, "users create");
    let audit = || {
        run_poolctl(
            &emulator,
            &[
                "users",
                "audit",
                "--user-pool-id",
                &pool.id,
                "--output",
                "json",
            ],
        )
    };

    let quick = audit();
    expect_code(&quick, 0, "no one is stranded");
    let quick = quick.json();
    assert_eq!(quick["scanned"], 150, "{quick}");
    assert_eq!(
        quick["scan"]["partitions"], 1,
        "pages come back at once: {quick}"
    );

    emulator.faults().set_plan(FaultPlan::none().rule(Rule::new(
        "cognito-idp",
        "ListUsers",
        Fault::Latency(Duration::from_millis(200)),
    )));
    let distant = audit();
    expect_code(&distant, 0, "no one is stranded");
    let distant = distant.json();
    assert_eq!(distant["scanned"], 150, "every user once: {distant}");
    assert_eq!(
        distant["scan"]["partitions"], 16,
        "one scan gets 5 pages/s: {distant}"
    );
    assert!(
        distant["scan"]["page_latency_ms"].as_f64() >= Some(200.0),
        "{distant}"
    );
    assert!(
        distant["scan"]["partitioned_pages_per_second"].is_null(),
        "so slow a first page is not probed against sixteen: they start while it is out: {distant}"
    );

    // Between the two: one scan gets 12.5 pages/s, under the quota but not far, so the
    // sixteen are probed before they are chosen.
    emulator.faults().set_plan(FaultPlan::none().rule(Rule::new(
        "cognito-idp",
        "ListUsers",
        Fault::Latency(Duration::from_millis(80)),
    )));
    let nearer = audit();
    expect_code(&nearer, 0, "no one is stranded");
    let nearer = nearer.json();
    assert_eq!(nearer["scanned"], 150, "every user once: {nearer}");
    assert!(
        nearer["scan"]["partitioned_pages_per_second"].as_f64() > Some(0.0),
        "probed: {nearer}"
    );
}

#[test]
fn bad_rows_are_reported_by_line_before_any_call() {
    let dir = scratch_dir("users-rows");
    let file = write_file(
        &dir,
        "users.csv",
        "username,email,shoe_size\nann,ann@example.com,\nbo,not-an-email,\ncy,cy@example.com,9\n",
    );
    // No endpoint and no credentials: a run that got past validation would fail differently.
    let run = run_offline(&[
        "users",
        "create",
        "--user-pool-id",
        "us-east-1_X",
        "--from",
        file.to_str().unwrap(),
    ]);
    expect_code(&run, 1, "bad rows");
    assert!(
        run.stderr.contains("2 invalid row(s), nothing was sent"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("line 3: \"not-an-email\" is not an email address"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("line 4: unknown column \"shoe_size\""),
        "{}",
        run.stderr
    );
}

#[test]
fn a_stack_without_a_pool_and_a_class_verify_cannot_fix_are_clear_errors() {
    let emulator = Emulator::shared();
    let missing = run_poolctl(emulator, &["users", "audit", "--stack", "poolctl-nope"]);
    expect_code(&missing, 1, "no such stack");
    assert!(
        missing.stderr.contains("poolctl-nope"),
        "{}",
        missing.stderr
    );
    let wrong = run_offline(&[
        "users",
        "verify",
        "--user-pool-id",
        "us-east-1_X",
        "--class",
        "federated_unverified",
    ]);
    expect_code(&wrong, 1, "federated users are fixed by the mapping");
    assert!(
        wrong.stderr.contains("map email_verified"),
        "{}",
        wrong.stderr
    );
    let neither = run_offline(&["users", "audit"]);
    expect_code(&neither, 1, "a pool is required");
    assert!(neither.stderr.contains("--stack"), "{}", neither.stderr);
}
