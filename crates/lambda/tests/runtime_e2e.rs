//! The real `bootstrap` speaking the real Lambda Runtime API protocol: started as Lambda starts
//! a `provided.al2023` function, fed Cognito events, its replies checked.
//!
//! Runs the binary cargo builds for the test, or the bootstrap inside the packaged zip when
//! `POOLCTL_TRIGGER_ZIP` points at it (as `just test` does, with the x86_64 artifact).

mod support;

use std::io::Read;
use std::process::{Child, ExitStatus};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::Value;
use support::fixture;
use support::runtime_api::{spawn_bootstrap, spawn_bootstrap_with, FakeRuntimeApi, Posted};

/// A guard against a hung process, not a performance assertion.
const PATIENCE: Duration = Duration::from_secs(60);

/// The next thing the function posted, skipping its requests for events.
fn next_post(api: &FakeRuntimeApi) -> Posted {
    loop {
        match api
            .posted
            .recv_timeout(PATIENCE)
            .expect("the function posted nothing")
        {
            Posted::Next => continue,
            posted => return posted,
        }
    }
}

/// Stops the function and returns what it logged on stdout.
fn stop(mut child: Child) -> String {
    let _ = child.kill();
    let _ = child.wait();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("read stdout");
    stdout
}

/// Waits for a function that should exit by itself.
fn wait_for_exit(mut child: Child) -> (ExitStatus, String) {
    let mut stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        let _ = tx.send((child.wait(), out));
    });
    let (status, out) = rx
        .recv_timeout(PATIENCE)
        .expect("the function did not exit");
    (status.expect("wait"), out)
}

fn log_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"))
        })
        .collect()
}

#[test]
fn answers_each_source_over_the_runtime_api_in_one_warm_process() {
    let events = [
        "signup_agent",
        "signup_denied_domain",
        "external_google_unverified",
        "admin_create_user",
    ];
    let api = FakeRuntimeApi::start(events.iter().map(|name| fixture(name)).collect());
    let child = spawn_bootstrap(api.addr, Some(&fixture("policy_standard")));

    // The agent's sign-up: confirmed and verified, the event echoed back.
    let Posted::Response { request_id, body } = next_post(&api) else {
        panic!("expected a response")
    };
    assert_eq!(request_id, "req-0");
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["response"]["autoConfirmUser"], true);
    assert_eq!(reply["response"]["autoVerifyEmail"], true);
    assert_eq!(reply["response"]["autoVerifyPhone"], false);
    assert_eq!(reply["userName"], "c1f0e2d3-8a7b-4c6d-9e5f-0a1b2c3d4e5f");
    assert_eq!(
        reply["request"]["clientMetadata"]["signedUpBy"],
        "support-agent"
    );

    // A denied domain: an invocation error whose message Cognito shows the person.
    let Posted::Error { request_id, body } = next_post(&api) else {
        panic!("expected an error")
    };
    assert_eq!(request_id, "req-1");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["errorType"], "SignUpRefused");
    assert_eq!(
        error["errorMessage"],
        "Sign-up with an email address at mailinator.com is not allowed. Please use a different email address."
    );

    // A trusted provider that did not assert the claim: confirmed, not verified.
    let Posted::Response { body, .. } = next_post(&api) else {
        panic!("expected a response")
    };
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["response"]["autoConfirmUser"], true);
    assert_eq!(reply["response"]["autoVerifyEmail"], false);

    // AdminCreateUser: no flags even though the attributes say email_verified.
    let Posted::Response { body, .. } = next_post(&api) else {
        panic!("expected a response")
    };
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["response"]["autoConfirmUser"], false);
    assert_eq!(reply["response"]["autoVerifyEmail"], false);

    // One JSON line per decision, with the domain and never the address.
    let stdout = stop(child);
    let decisions: Vec<Value> = log_lines(&stdout)
        .into_iter()
        .filter(|line| line["message"] == "pre sign-up decision")
        .collect();
    assert_eq!(decisions.len(), 4, "{stdout}");
    assert_eq!(decisions[0]["trigger_source"], "PreSignUp_SignUp");
    assert_eq!(decisions[0]["decision"], "accept");
    assert_eq!(decisions[0]["reason"], "trusted_client");
    assert_eq!(decisions[0]["auto_verify_email"], true);
    assert_eq!(decisions[0]["email_domain"], "customer.org");
    assert_eq!(decisions[0]["client_id"], "agent-client-id");
    assert_eq!(decisions[0]["span"]["requestId"], "req-0");
    assert_eq!(decisions[1]["decision"], "refuse");
    assert_eq!(decisions[1]["reason"], "denied_domain");
    assert_eq!(decisions[2]["provider"], "google");
    assert_eq!(decisions[2]["reason"], "trusted_provider");
    let lowered = stdout.to_lowercase();
    for local_part in ["pat.lee", "throwaway", "jane.doe"] {
        assert!(
            !lowered.contains(local_part),
            "logged {local_part}: {stdout}"
        );
    }
}

/// The attributes to map in the function's reply to an inbound federation event.
fn attributes_to_map(api: &FakeRuntimeApi) -> serde_json::Map<String, Value> {
    let Posted::Response { body, .. } = next_post(api) else {
        panic!("expected a response")
    };
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        reply["triggerSource"], "InboundFederation_ExternalProvider",
        "the event is echoed back: {reply}"
    );
    reply["response"]["userAttributesToMap"]
        .as_object()
        .unwrap_or_else(|| panic!("no userAttributesToMap: {reply}"))
        .clone()
}

#[test]
fn answers_inbound_federation_events_and_pre_sign_up_in_one_process() {
    let decided = policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE;
    let events = [
        "inbound_google_claim_mapped",
        "inbound_oidc_trusted_verified",
        "inbound_oidc_trusted_unverified",
        "inbound_saml_vouched",
        "inbound_saml_vouched_new_address",
        "inbound_saml_unlisted",
        "external_saml_vouched",
    ];
    let api = FakeRuntimeApi::start(events.iter().map(|name| fixture(name)).collect());
    let child = spawn_bootstrap_with(
        api.addr,
        Some(&fixture("policy_standard")),
        Some(&fixture("decided_providers_standard")),
    );

    // Google maps its own claim: its attributes go to mapping as they came.
    let attributes = attributes_to_map(&api);
    assert!(attributes.is_empty(), "{attributes:?}");

    // Corp is trusted by the trigger: verified when its claim (a JSON `true` here) asserts it,
    // with every attribute of the ID token and userInfo, as text, and no token.
    let attributes = attributes_to_map(&api);
    assert_eq!(attributes[decided], "true");
    assert_eq!(attributes["email"], "pat.lee@corp.example");
    assert_eq!(attributes["email_verified"], "true");
    assert_eq!(attributes["name"], "Pat Lee");
    assert!(!attributes.contains_key("access_token"));
    let attributes = attributes_to_map(&api);
    assert_eq!(attributes[decided], "false");

    // Okta is vouched for: verified at the first sign-in and after the address changed there.
    for address in ["Jane.Doe@corp.example", "jane.doe@new-corp.example"] {
        let attributes = attributes_to_map(&api);
        assert_eq!(attributes[decided], "true", "{address}");
        assert_eq!(
            attributes["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"],
            address
        );
        assert_eq!(attributes["groups"], "staff");
    }

    // Partner is decided for but neither trusted nor vouched: unverified.
    let attributes = attributes_to_map(&api);
    assert_eq!(attributes[decided], "false");

    // The same process still answers PreSignUp.
    let Posted::Response { body, .. } = next_post(&api) else {
        panic!("expected a response")
    };
    let reply: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["response"]["autoVerifyEmail"], true);

    // One line per inbound event, naming the provider and the domain, never the address.
    let stdout = stop(child);
    let inbound: Vec<Value> = log_lines(&stdout)
        .into_iter()
        .filter(|line| line["message"] == "inbound federation decision")
        .collect();
    assert_eq!(inbound.len(), 6, "{stdout}");
    assert_eq!(inbound[0]["decision"], "not_decided");
    assert_eq!(inbound[0]["provider"], "Google");
    assert_eq!(
        inbound[1]["trigger_source"],
        "InboundFederation_ExternalProvider"
    );
    assert_eq!(inbound[1]["reason"], "trusted_provider");
    assert_eq!(inbound[1]["email_verified"], true);
    assert_eq!(inbound[3]["reason"], "vouched_provider");
    assert_eq!(inbound[4]["email_domain"], "new-corp.example");
    assert_eq!(inbound[5]["reason"], "untrusted_provider");
    assert_eq!(inbound[5]["email_verified"], false);
    let lowered = stdout.to_lowercase();
    for local_part in ["pat.lee", "jane.doe"] {
        assert!(
            !lowered.contains(local_part),
            "logged {local_part}: {stdout}"
        );
    }
}

#[test]
fn without_decided_providers_inbound_events_keep_their_attributes() {
    // A pool that does not wire inbound federation to this function passes no providers:
    // even a vouched provider's attributes go to mapping unchanged.
    let api = FakeRuntimeApi::start(vec![fixture("inbound_saml_vouched")]);
    let child = spawn_bootstrap(api.addr, Some(&fixture("policy_standard")));
    let attributes = attributes_to_map(&api);
    assert!(attributes.is_empty(), "{attributes:?}");
    stop(child);

    // Providers that are not valid JSON stop the function at start.
    let api = FakeRuntimeApi::start(vec![fixture("inbound_saml_vouched")]);
    let child = spawn_bootstrap_with(api.addr, Some("{}"), Some(r#"{"Okta": {"email": "x"}}"#));
    let (status, stdout) = wait_for_exit(child);
    assert!(!status.success());
    assert!(stdout.contains("POOLCTL_DECIDED_PROVIDERS"), "{stdout}");
}

#[test]
fn a_bad_policy_stops_the_function_at_start_with_a_clear_line() {
    for (policy, expected) in [
        (
            Some(r#"{"deny_domains": ["@mailinator.com"]}"#),
            "@mailinator.com",
        ),
        (Some(r#"{"trusted_provider": ["Google"]}"#), "unknown field"),
        (Some("not json"), "not valid JSON"),
        (None, "POOLCTL_POLICY is unset"),
    ] {
        let api = FakeRuntimeApi::start(vec![fixture("signup_agent")]);
        let child = spawn_bootstrap(api.addr, policy);
        let (status, stdout) = wait_for_exit(child);
        assert!(!status.success(), "{policy:?} started");
        let lines = log_lines(&stdout);
        let error = lines
            .iter()
            .find(|line| line["level"] == "ERROR")
            .unwrap_or_else(|| panic!("no error line for {policy:?}: {stdout}"));
        assert!(error.to_string().contains(expected), "{policy:?}: {error}");
        // It failed before asking for any event.
        assert!(
            api.posted.try_iter().all(|p| !matches!(p, Posted::Next)),
            "{policy:?} polled"
        );
    }
}
