//! The Lambda function (`bootstrap` for the `provided.al2023` runtime): reads the policy once,
//! then answers PreSignUp and inbound federation events through the Lambda runtime API, logging
//! each decision as one JSON line.
//!
//! Everything the function decides is the `trigger` library's; this crate is the only one with
//! the Lambda runtime, tokio's runtime and a log subscriber, so nothing else carries them.

use std::process::ExitCode;
use std::str::FromStr;

use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use serde_json::Value;
use tracing::level_filters::LevelFilter;
use trigger::{
    decided_providers_from_json, is_inbound_federation, respond, respond_inbound, CompiledPolicy,
    Decision, InboundOutcome, Refusal, SignUpEvent,
};

fn main() -> ExitCode {
    init_logging();

    // A bad configuration stops the function here, once, with one clear line, instead of
    // failing (or worse, deciding on a default) at every sign-up.
    let policy = match std::env::var(policy::POLICY_ENV) {
        Ok(json) => CompiledPolicy::from_json(&json),
        Err(_) => {
            tracing::error!(
                env = policy::POLICY_ENV,
                "the PreSignUp policy is not configured: {} is unset or not UTF-8; the function cannot start",
                policy::POLICY_ENV
            );
            return ExitCode::FAILURE;
        }
    };
    let policy = match policy {
        Ok(policy) => policy,
        Err(error) => {
            tracing::error!(env = policy::POLICY_ENV, %error, "the PreSignUp policy is invalid; the function cannot start");
            return ExitCode::FAILURE;
        }
    };

    // Unset when the pool does not wire inbound federation to this function: then no provider
    // is decided for, and an inbound event's attributes go to mapping unchanged.
    let decided_providers = match std::env::var(policy::DECIDED_PROVIDERS_ENV) {
        Ok(json) => match decided_providers_from_json(&json) {
            Ok(providers) => providers,
            Err(error) => {
                tracing::error!(env = policy::DECIDED_PROVIDERS_ENV, %error, "the decided providers are invalid; the function cannot start");
                return ExitCode::FAILURE;
            }
        },
        Err(_) => policy::DecidedProviders::new(),
    };

    // One invocation at a time per execution environment: a single-threaded runtime starts
    // faster and is all the function needs.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    let handler = service_fn(|event: LambdaEvent<Value>| {
        let outcome = if is_inbound_federation(&event.payload) {
            let reply = respond_inbound(&policy, &decided_providers, event.payload, log_inbound);
            serde_json::to_value(reply).map_err(|e| reply_diagnostic(&e))
        } else {
            respond(&policy, event.payload, log_outcome)
                .map_err(refusal_diagnostic)
                .and_then(|reply| serde_json::to_value(reply).map_err(|e| reply_diagnostic(&e)))
        };
        async move { outcome }
    });
    match runtime.block_on(lambda_runtime::run(handler)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the Lambda runtime stopped");
            ExitCode::FAILURE
        }
    }
}

/// JSON lines on stdout, which Lambda sends to CloudWatch Logs. The level follows Lambda's
/// advanced logging controls (`AWS_LAMBDA_LOG_LEVEL`), INFO by default.
fn init_logging() {
    let level = std::env::var("AWS_LAMBDA_LOG_LEVEL")
        .ok()
        .and_then(|level| LevelFilter::from_str(&level).ok())
        .unwrap_or(LevelFilter::INFO);
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        // The runtime's invocation span carries the request id: one field, no span list.
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .with_max_level(level)
        .init();
}

/// One line per decision. The email's local part is never logged, nor the userName (a
/// federated userName can carry the address); the domain and provider are enough to explain
/// a decision.
fn log_outcome(event: &SignUpEvent<'_>, outcome: &Result<Decision, Refusal>) {
    let email_domain = event.email_domain().map(str::to_ascii_lowercase);
    let email_domain = email_domain.as_deref();
    let trigger_source = event.source.as_str();
    let client_id = event.client_id;
    let provider = event.provider();
    match outcome {
        Ok(decision) => tracing::info!(
            trigger_source,
            decision = "accept",
            auto_confirm_user = decision.auto_confirm_user,
            auto_verify_email = decision.auto_verify_email,
            auto_verify_phone = decision.auto_verify_phone,
            reason = decision.reason.as_str(),
            email_domain,
            client_id,
            provider,
            "pre sign-up decision"
        ),
        Err(refusal) => tracing::info!(
            trigger_source,
            decision = "refuse",
            reason = refusal.reason.as_str(),
            email_domain,
            client_id,
            provider,
            "pre sign-up decision"
        ),
    }
}

/// One line per inbound federation event, with the same care for the address as
/// [`log_outcome`].
fn log_inbound(event: &SignUpEvent<'_>, outcome: &InboundOutcome) {
    let email_domain = event.email_domain().map(str::to_ascii_lowercase);
    let email_domain = email_domain.as_deref();
    let trigger_source = event.source.as_str();
    let provider = event.provider();
    match outcome {
        InboundOutcome::Decided {
            outcome,
            email_verified,
        } => {
            let (reason, refused) = match outcome {
                Ok(decision) => (decision.reason.as_str(), None),
                Err(refusal) => ("refused", Some(refusal.reason.as_str())),
            };
            tracing::info!(
                trigger_source,
                decision = "decided",
                email_verified,
                reason,
                refused,
                email_domain,
                provider,
                "inbound federation decision"
            );
        }
        InboundOutcome::NotDecided => tracing::info!(
            trigger_source,
            decision = "not_decided",
            provider,
            "inbound federation decision"
        ),
    }
}

/// A reply that cannot be written as JSON (a map of strings always can).
fn reply_diagnostic(error: &serde_json::Error) -> Diagnostic {
    Diagnostic {
        error_type: "ReplyNotWritten".to_string(),
        error_message: error.to_string(),
    }
}

/// Cognito returns the message to the client inside UserLambdaValidationException.
fn refusal_diagnostic(refusal: Refusal) -> Diagnostic {
    Diagnostic {
        error_type: "SignUpRefused".to_string(),
        error_message: refusal.message,
    }
}
