//! The PreSignUp trigger's policy: who is confirmed and whose email is verified at sign-up,
//! and (as the inbound federation trigger) whose email stays verified at every later
//! federated sign-in.
//!
//! Every pool calls this function before a user is created. It replaces "auto-verify every
//! email", which hands an account to whoever types an address, with verification only on a
//! trusted basis: a trusted provider that asserted the claim, a provider or domain the
//! operator vouches for, or a sign-up made by a trusted agent client.
//!
//! The library is pure (no I/O, no runtime), so the decision table is unit-tested and
//! benchmarked here, and `explain` predicts with the same `decide`; the `lambda` crate's
//! `bootstrap` binary only wires it to the Lambda runtime and to logging.

mod address;
mod decision;
mod event;
mod inbound;
mod rules;

pub use address::{any_candidate_domain, deliverable_domain};
pub use decision::{decide, Decision, Reason, Refusal, RefusalReason};
pub use event::{SignUpEvent, TriggerSource};
pub use inbound::{
    decide_inbound, is_inbound_federation, respond_inbound, InboundFederationEvent, InboundOutcome,
    InboundReply, InboundResponse, INBOUND_FEDERATION_SOURCE,
};
pub use rules::{decided_providers_from_json, CompiledPolicy, DomainSet, PolicyError};

use aws_lambda_events::cognito::CognitoEventUserPoolsPreSignupResponse;
use serde::Serialize;
use serde_json::{Map, Value};

/// What the function returns: the event as it came, with `response` holding the decision.
/// Cognito reads the flags from `response`; every other field goes back unchanged.
#[derive(Debug, Serialize)]
pub struct Reply {
    #[serde(flatten)]
    pub event: Map<String, Value>,
    pub response: CognitoEventUserPoolsPreSignupResponse,
}

impl Reply {
    pub fn new(event: Value, decision: &Decision) -> Self {
        let mut event = match event {
            Value::Object(map) => map,
            // Cognito always sends an object; anything else gets a reply with flags alone.
            _ => Map::new(),
        };
        event.remove("response");
        let mut response = CognitoEventUserPoolsPreSignupResponse::default();
        response.auto_confirm_user = decision.auto_confirm_user;
        response.auto_verify_email = decision.auto_verify_email;
        response.auto_verify_phone = decision.auto_verify_phone;
        Reply { event, response }
    }
}

/// One invocation, as the function runs it: read the event, decide, let `observe` see the
/// decision while the event is still borrowed (the binary logs there), and build the reply.
pub fn respond(
    policy: &CompiledPolicy,
    event: Value,
    observe: impl FnOnce(&SignUpEvent<'_>, &Result<Decision, Refusal>),
) -> Result<Reply, Refusal> {
    let view = SignUpEvent::from_json(&event);
    let outcome = decide(policy, &view);
    observe(&view, &outcome);
    let decision = outcome?;
    Ok(Reply::new(event, &decision))
}
