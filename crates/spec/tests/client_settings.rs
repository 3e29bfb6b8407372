//! The client settings Cognito's API defaults differ on: user existence errors, the refresh
//! flow, the default redirect URL, context data and analytics.

mod common;

use common::{error_at, warning_at, BASE};
use spec::load_str;

/// `BASE` (lines 1-3), `clients:` on line 4, the client's name on line 5 and `body` from line
/// 6 on.
fn with_client(body: &str) -> String {
    format!("{BASE}clients:\n  - name: web\n{body}")
}

#[test]
fn defaults_keep_todays_client() {
    let spec = load_str("pool.yaml", &with_client("")).expect("loads").spec;
    let web = &spec.clients[0];
    assert!(web.prevent_user_existence_errors && web.refresh_token_auth);
    assert!(!web.propagate_user_context);
    assert!(web.default_redirect_url.is_none() && web.analytics.is_none());
}

#[test]
fn every_client_setting_loads() {
    let text = with_client(
        "    callback_urls: [https://app.example.com/cb]\n    default_redirect_url: https://app.example.com/cb\n    refresh_token_auth: false\n    propagate_user_context: true\n    analytics: { application_arn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/abc' }\ndomain: { prefix: demo-users }\n",
    );
    let loaded = load_str("pool.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let web = &loaded.spec.clients[0];
    assert!(!web.refresh_token_auth && web.propagate_user_context);
}

#[test]
fn legacy_user_existence_errors_warn_with_the_fix() {
    let d = warning_at(
        &with_client("    prevent_user_existence_errors: false\n"),
        "tell whether a username exists",
        6,
        36,
    );
    assert!(
        d.help
            .contains("remove `prevent_user_existence_errors: false`"),
        "{d}"
    );
}

#[test]
fn a_default_redirect_url_outside_the_callback_urls_is_refused() {
    let d = error_at(
        &with_client("    callback_urls: [https://app.example.com/cb]\n    default_redirect_url: https://other.example.com/\n"),
        "must be one of the client's callback_urls",
        7,
        27,
    );
    assert!(
        d.help
            .contains("add \"https://other.example.com/\" to callback_urls"),
        "{d}"
    );
}

#[test]
fn analytics_without_a_project_is_refused() {
    error_at(
        &with_client("    analytics: { role_arn: 'arn:aws:iam::123456789012:role/r' }\n"),
        "names no Pinpoint project",
        6,
        5,
    );
}
