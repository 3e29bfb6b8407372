//! What the proxy does to which request: a [`FaultPlan`] of [`Rule`]s and optional
//! [`Quotas`], and the decision engine that applies them.
//!
//! A rule matches a request by service and operation (globs), fires on a schedule ([`When`])
//! and, when it has a probability below 1, on a draw that depends only on the seed, the rule's
//! position and how many matching calls the rule has seen. The same plan, seed and request
//! sequence therefore give the same decisions, whatever the timing and whatever other
//! services' requests are interleaved (time windows aside, which are time by definition).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::classify::RequestInfo;
use super::quota::{self, Quotas, TokenBucket};
use super::stats::Stats;

/// One fault the proxy can inject.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The service's own throttling error: CloudFormation/STS `Throttling` (400, query XML),
    /// Cognito `TooManyRequestsException` (400, JSON), S3 `SlowDown` (503, XML), Lambda
    /// `TooManyRequestsException` (429).
    Throttle,
    /// HTTP 500 in the service's shape (`InternalFailure`, `InternalErrorException`, ...).
    InternalError,
    /// HTTP 503 in the service's shape (`ServiceUnavailable`).
    Unavailable,
    /// Waits this long, then forwards the request as usual.
    Latency(Duration),
    /// Holds the request until the plan is next replaced (or at most this long), then
    /// forwards it as usual: a test decides when a held call goes through.
    Hold(Duration),
    /// Resets the connection (RST) after reading the request, without forwarding it.
    ResetBeforeForward,
    /// Forwards the request, so it takes effect upstream, then resets the connection instead
    /// of answering.
    ResetAfterForward,
    /// Forwards the request, sends the answer's headers with its full Content-Length and the
    /// first half of its body, then closes the connection.
    TruncatedBody,
    /// The service's answer to expired credentials, not forwarded: `ExpiredToken` (403, "The
    /// security token included in the request is expired") in the service's shape.
    ExpiredToken,
}

impl Fault {
    /// The name stats and decisions use for this fault.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Throttle => "Throttle",
            Fault::InternalError => "InternalError",
            Fault::Unavailable => "Unavailable",
            Fault::Latency(_) => "Latency",
            Fault::Hold(_) => "Hold",
            Fault::ResetBeforeForward => "ResetBeforeForward",
            Fault::ResetAfterForward => "ResetAfterForward",
            Fault::TruncatedBody => "TruncatedBody",
            Fault::ExpiredToken => "ExpiredToken",
        }
    }
}

/// When a matching rule fires (before its probability is drawn).
#[derive(Clone, Debug, PartialEq)]
pub enum When {
    /// Every matching call.
    Always,
    /// The matching calls with these ordinals (1-based, counted per rule since the plan was
    /// set).
    Calls(Vec<u64>),
    /// Calls that arrive in this window, measured from when the plan was set;
    /// `until: None` is open-ended.
    Window {
        from: Duration,
        until: Option<Duration>,
    },
}

/// Inject `fault` into requests whose service and operation match the globs (`*` is any run
/// of characters, `?` any one), on a schedule, with a probability.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub service: String,
    pub operation: String,
    pub fault: Fault,
    pub when: When,
    pub probability: f64,
}

impl Rule {
    /// A rule that fires on every matching call.
    pub fn new(service: &str, operation: &str, fault: Fault) -> Rule {
        Rule {
            service: service.to_owned(),
            operation: operation.to_owned(),
            fault,
            when: When::Always,
            probability: 1.0,
        }
    }

    /// Fires on each scheduled call with probability `p` (a seeded draw).
    pub fn probability(mut self, p: f64) -> Rule {
        self.probability = p.clamp(0.0, 1.0);
        self
    }

    /// Fires on the `n`th matching call only (1-based).
    pub fn nth(self, n: u64) -> Rule {
        self.calls([n])
    }

    /// Fires on the matching calls with these ordinals (1-based).
    pub fn calls(mut self, ordinals: impl IntoIterator<Item = u64>) -> Rule {
        self.when = When::Calls(ordinals.into_iter().collect());
        self
    }

    /// Fires on calls in the first `duration` after the plan was set.
    pub fn for_first(self, duration: Duration) -> Rule {
        self.between(Duration::ZERO, duration)
    }

    /// Fires on calls between `from` and `until` after the plan was set.
    pub fn between(mut self, from: Duration, until: Duration) -> Rule {
        self.when = When::Window {
            from,
            until: Some(until),
        };
        self
    }

    /// Fires on calls from `from` after the plan was set onwards.
    pub fn after(mut self, from: Duration) -> Rule {
        self.when = When::Window { from, until: None };
        self
    }

    /// Parses `SERVICE:OPERATION:FAULT[:PROBABILITY]`, the proxy binary's `--rule`: FAULT is
    /// `throttle`, `500`, `503`, `reset-before`, `reset-after`, `truncate`, `expired-token` or
    /// `latency=MS`.
    pub fn parse(text: &str) -> Result<Rule, String> {
        let parts: Vec<&str> = text.split(':').collect();
        let (service, operation, fault, probability) = match parts.as_slice() {
            [s, o, f] => (*s, *o, *f, None),
            [s, o, f, p] => (*s, *o, *f, Some(*p)),
            _ => {
                return Err(format!(
                    "{text:?}: expected SERVICE:OPERATION:FAULT[:PROBABILITY]"
                ))
            }
        };
        let fault = parse_fault(fault)?;
        let rule = Rule::new(service, operation, fault);
        match probability {
            None => Ok(rule),
            Some(p) => match p.parse::<f64>() {
                Ok(p) if (0.0..=1.0).contains(&p) => Ok(rule.probability(p)),
                _ => Err(format!("{text:?}: the probability must be between 0 and 1")),
            },
        }
    }

    fn matches(&self, request: &RequestInfo) -> bool {
        glob(&self.service, &request.service) && glob(&self.operation, &request.operation)
    }
}

/// Parses a fault name as [`Rule::parse`] takes it.
pub fn parse_fault(text: &str) -> Result<Fault, String> {
    Ok(match text {
        "throttle" => Fault::Throttle,
        "500" => Fault::InternalError,
        "503" => Fault::Unavailable,
        "reset-before" => Fault::ResetBeforeForward,
        "reset-after" => Fault::ResetAfterForward,
        "truncate" => Fault::TruncatedBody,
        "expired-token" => Fault::ExpiredToken,
        _ => match text.strip_prefix("latency=").map(str::parse::<u64>) {
            Some(Ok(ms)) => Fault::Latency(Duration::from_millis(ms)),
            _ => {
                return Err(format!(
                    "unknown fault {text:?} (throttle, 500, 503, reset-before, reset-after, \
                     truncate, expired-token, latency=MS)"
                ))
            }
        },
    })
}

/// Rules, in order (the first that fires decides), a seed for their draws, and optional
/// request-rate quotas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultPlan {
    pub seed: u64,
    pub rules: Vec<Rule>,
    pub quotas: Option<Quotas>,
    /// CloudFormation's control-plane timing (see [`super::settle`]).
    pub settle: Option<super::settle::Settle>,
}

impl FaultPlan {
    /// No faults, no quotas: the proxy only forwards and counts.
    pub fn none() -> FaultPlan {
        FaultPlan::default()
    }

    /// An empty plan whose draws use `seed`.
    pub fn seeded(seed: u64) -> FaultPlan {
        FaultPlan {
            seed,
            ..FaultPlan::default()
        }
    }

    pub fn rule(mut self, rule: Rule) -> FaultPlan {
        self.rules.push(rule);
        self
    }

    /// Enforces these request-rate quotas on calls no rule faulted.
    pub fn quotas(mut self, quotas: Quotas) -> FaultPlan {
        self.quotas = Some(quotas);
        self
    }

    /// Makes change sets and stack operations take as long as `settle` says.
    pub fn settle(mut self, settle: super::settle::Settle) -> FaultPlan {
        self.settle = Some(settle);
        self
    }
}

/// What happened to one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Outcome {
    /// Forwarded and answered as the emulator answered.
    Passed,
    /// A rule injected this fault (named as [`Fault::name`]).
    Fault(&'static str),
    /// Over quota: answered with the service's throttling error, not forwarded.
    QuotaThrottled,
}

/// One decision, in the order requests were decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub service: String,
    pub operation: String,
    pub outcome: Outcome,
    /// The access key id that signed the request (empty if unsigned): tells apart the calls
    /// of processes that share one proxy, each with its own key.
    pub access_key: String,
    /// The region of the request's credential scope (empty if unsigned).
    pub region: String,
    /// The resources the request named.
    pub resources: Vec<super::classify::Resource>,
}

/// What the server must do with a request.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    Forward,
    Inject(Fault),
    QuotaThrottle,
}

/// The plan in force, its counters and clock, the quota buckets and the statistics.
pub(crate) struct Engine {
    plan: FaultPlan,
    plan_set_at: Instant,
    rule_calls: Vec<u64>,
    buckets: HashMap<(String, String, String), TokenBucket>,
    pub(crate) stats: Stats,
    pub(crate) decisions: Vec<Decision>,
    /// Kept across plans: a stack operation started under one plan runs on under the next.
    settle_state: super::settle::SettleState,
}

/// Decisions kept for [`FaultProxy::decisions`](super::FaultProxy::decisions); older ones are
/// dropped beyond this.
const MAX_DECISIONS: usize = 100_000;

impl Engine {
    pub(crate) fn new(plan: FaultPlan, now: Instant) -> Engine {
        let rule_calls = vec![0; plan.rules.len()];
        Engine {
            plan,
            plan_set_at: now,
            rule_calls,
            buckets: HashMap::new(),
            stats: Stats::default(),
            decisions: Vec::new(),
            settle_state: super::settle::SettleState::default(),
        }
    }

    /// Installs `plan`: rule counters, the schedule clock and quota buckets start afresh;
    /// statistics and decisions are kept.
    pub(crate) fn set_plan(&mut self, plan: FaultPlan, now: Instant) {
        self.rule_calls = vec![0; plan.rules.len()];
        self.plan = plan;
        self.plan_set_at = now;
        self.buckets.clear();
    }

    /// Applies the plan's settle model (if any) to a forwarded request's answer.
    pub(crate) fn settle_answer(
        &mut self,
        request: &RequestInfo,
        status: u16,
        body: &mut Vec<u8>,
        now: Instant,
    ) {
        if let Some(model) = self.plan.settle {
            self.settle_state.answer(model, request, status, body, now);
        }
    }

    /// Decides what happens to `request` at `now`, and counts it.
    pub(crate) fn decide(&mut self, request: &RequestInfo, now: Instant) -> Action {
        let elapsed = now.saturating_duration_since(self.plan_set_at);
        let mut fired = None;
        // Every matching rule counts the call, even after one has fired, so that each rule's
        // ordinals do not depend on the others.
        for (index, rule) in self.plan.rules.iter().enumerate() {
            if !rule.matches(request) {
                continue;
            }
            self.rule_calls[index] += 1;
            let ordinal = self.rule_calls[index];
            if fired.is_some() {
                continue;
            }
            let scheduled = match &rule.when {
                When::Always => true,
                When::Calls(ordinals) => ordinals.contains(&ordinal),
                When::Window { from, until } => {
                    elapsed >= *from && until.is_none_or(|until| elapsed < until)
                }
            };
            if scheduled
                && (rule.probability >= 1.0
                    || unit_draw(self.plan.seed, index as u64, ordinal) < rule.probability)
            {
                fired = Some(rule.fault.clone());
            }
        }
        let action = match fired {
            Some(Fault::Latency(_) | Fault::Hold(_)) | None => {
                self.quota_check(request, now, fired)
            }
            Some(fault) => Action::Inject(fault),
        };
        let outcome = match &action {
            Action::Forward => Outcome::Passed,
            Action::Inject(fault) => Outcome::Fault(fault.name()),
            Action::QuotaThrottle => Outcome::QuotaThrottled,
        };
        self.stats
            .record(&request.service, &request.operation, &outcome);
        if self.decisions.len() >= MAX_DECISIONS {
            self.decisions.drain(..MAX_DECISIONS / 2);
        }
        self.decisions.push(Decision {
            service: request.service.clone(),
            operation: request.operation.clone(),
            outcome,
            access_key: request.access_key.clone(),
            region: request.region.clone(),
            resources: request.resources.clone(),
        });
        action
    }

    /// Takes a token from the request's bucket, if the plan has quotas and the operation has
    /// one; `latency` is a latency fault that fired (served after the quota check).
    fn quota_check(
        &mut self,
        request: &RequestInfo,
        now: Instant,
        latency: Option<Fault>,
    ) -> Action {
        let pass = match latency {
            Some(fault) => Action::Inject(fault),
            None => Action::Forward,
        };
        let Some(quotas) = &self.plan.quotas else {
            return pass;
        };
        let Some(category) = quota::category(&request.service, &request.operation) else {
            return pass;
        };
        let Some(limit) = quotas.limit(&category) else {
            return pass;
        };
        let key = (
            request.access_key.clone(),
            request.region.clone(),
            category.name.clone(),
        );
        let allowed = self
            .buckets
            .entry(key)
            .or_insert_with(|| TokenBucket::new(limit, now))
            .take(now);
        self.stats.record_category(&category.name, allowed);
        if allowed {
            pass
        } else {
            Action::QuotaThrottle
        }
    }
}

/// A number in [0, 1) that depends only on its arguments (splitmix64).
pub(crate) fn unit_draw(seed: u64, rule: u64, ordinal: u64) -> f64 {
    let x = splitmix64(splitmix64(splitmix64(seed) ^ rule) ^ ordinal);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `*` matches any run of characters, `?` any one character; everything else itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faultproxy::classify::Protocol;
    use crate::faultproxy::quota::Limit;

    fn request(service: &str, operation: &str) -> RequestInfo {
        RequestInfo {
            service: service.to_owned(),
            operation: operation.to_owned(),
            region: "us-east-1".to_owned(),
            access_key: "test".to_owned(),
            protocol: Protocol::AwsJson,
            head: false,
            resources: Vec::new(),
        }
    }

    fn outcomes(plan: &FaultPlan, sequence: &[(&str, &str)]) -> Vec<Outcome> {
        let now = Instant::now();
        let mut engine = Engine::new(plan.clone(), now);
        for (service, operation) in sequence {
            engine.decide(&request(service, operation), now);
        }
        engine.decisions.into_iter().map(|d| d.outcome).collect()
    }

    #[test]
    fn globs() {
        assert!(glob("*", "anything"));
        assert!(glob("List*", "ListUsers"));
        assert!(glob("*Users", "ListUsers"));
        assert!(glob("Admin*User", "AdminGetUser"));
        assert!(glob("cognito-?dp", "cognito-idp"));
        assert!(!glob("List*", "AdminListGroupsForUser"));
        assert!(!glob("ListUsers", "ListUsersInGroup"));
        assert!(glob("", ""));
        assert!(!glob("", "x"));
    }

    #[test]
    fn the_same_seed_gives_the_same_decisions_and_another_seed_others() {
        let plan = |seed| {
            FaultPlan::seeded(seed)
                .rule(Rule::new("cognito-idp", "*", Fault::Throttle).probability(0.5))
                .rule(Rule::new("*", "*", Fault::InternalError).probability(0.2))
        };
        let sequence: Vec<(&str, &str)> = (0..200)
            .map(|i| match i % 3 {
                0 => ("cognito-idp", "ListUsers"),
                1 => ("cloudformation", "DescribeStacks"),
                _ => ("s3", "PutObject"),
            })
            .collect();
        let first = outcomes(&plan(7), &sequence);
        assert_eq!(first, outcomes(&plan(7), &sequence));
        assert_ne!(first, outcomes(&plan(8), &sequence));
        let throttled = first
            .iter()
            .filter(|o| **o == Outcome::Fault("Throttle"))
            .count();
        // 67 Cognito calls at p = 0.5: far from none and far from all.
        assert!((15..=52).contains(&throttled), "{throttled} throttled");
    }

    #[test]
    fn a_rules_ordinals_ignore_other_services_calls() {
        let plan = FaultPlan::seeded(1)
            .rule(Rule::new("cognito-idp", "ListUsers", Fault::Throttle).probability(0.5));
        let alone: Vec<(&str, &str)> = vec![("cognito-idp", "ListUsers"); 50];
        let mixed: Vec<(&str, &str)> = alone
            .iter()
            .flat_map(|c| [*c, ("cloudformation", "DescribeStacks")])
            .collect();
        let alone = outcomes(&plan, &alone);
        let mixed: Vec<Outcome> = outcomes(&plan, &mixed).into_iter().step_by(2).collect();
        assert_eq!(alone, mixed);
    }

    #[test]
    fn nth_call_schedules_count_matching_calls_only() {
        let plan = FaultPlan::seeded(0)
            .rule(Rule::new("cloudformation", "Describe*", Fault::Unavailable).calls([2, 4]));
        let got = outcomes(
            &plan,
            &[
                ("cloudformation", "DescribeStacks"),
                ("cloudformation", "CreateChangeSet"),
                ("cloudformation", "DescribeStackEvents"),
                ("cloudformation", "DescribeStacks"),
                ("cloudformation", "DescribeStacks"),
            ],
        );
        let unavailable = Outcome::Fault("Unavailable");
        assert_eq!(
            got,
            [
                Outcome::Passed,
                Outcome::Passed,
                unavailable.clone(),
                Outcome::Passed,
                unavailable
            ]
        );
    }

    #[test]
    fn the_first_rule_that_fires_decides_and_windows_use_the_plan_clock() {
        let start = Instant::now();
        let plan = FaultPlan::seeded(0)
            .rule(Rule::new("*", "*", Fault::Throttle).for_first(Duration::from_secs(10)))
            .rule(Rule::new("*", "*", Fault::InternalError));
        let mut engine = Engine::new(plan, start);
        let r = request("sts", "GetCallerIdentity");
        assert_eq!(engine.decide(&r, start), Action::Inject(Fault::Throttle));
        let later = start + Duration::from_secs(11);
        assert_eq!(
            engine.decide(&r, later),
            Action::Inject(Fault::InternalError)
        );
        // A new plan restarts the clock.
        engine.set_plan(
            FaultPlan::seeded(0).rule(
                Rule::new("*", "*", Fault::Throttle)
                    .between(Duration::from_secs(1), Duration::from_secs(2)),
            ),
            later,
        );
        assert_eq!(engine.decide(&r, later), Action::Forward);
        assert_eq!(
            engine.decide(&r, later + Duration::from_millis(1500)),
            Action::Inject(Fault::Throttle)
        );
        assert_eq!(
            engine.decide(&r, later + Duration::from_secs(2)),
            Action::Forward
        );
    }

    #[test]
    fn quotas_throttle_above_the_bucket_and_count_per_category() {
        let start = Instant::now();
        let quotas = Quotas::none().with_limit(
            "UserList",
            Limit {
                rate: 30.0,
                burst: 30.0,
            },
        );
        let mut engine = Engine::new(FaultPlan::none().quotas(quotas), start);
        let list = request("cognito-idp", "ListUsers");
        let in_group = request("cognito-idp", "ListUsersInGroup");
        let mut passed = 0;
        for i in 0..40 {
            let r = if i % 2 == 0 { &list } else { &in_group };
            if engine.decide(r, start) == Action::Forward {
                passed += 1;
            }
        }
        // Both operations share the UserList bucket of 30.
        assert_eq!(passed, 30);
        assert_eq!(engine.stats.category("UserList").passed, 30);
        assert_eq!(engine.stats.category("UserList").throttled, 10);
        assert_eq!(
            engine.stats.op("cognito-idp", "ListUsers").quota_throttled,
            5
        );
        // A second later the bucket has refilled by the rate.
        let later = start + Duration::from_secs(1);
        let refilled = (0..40)
            .filter(|_| engine.decide(&list, later) == Action::Forward)
            .count();
        assert_eq!(refilled, 30);
        // Operations without a category are never throttled.
        assert_eq!(
            engine.decide(&request("cognito-idp", "SomethingNew"), later),
            Action::Forward
        );
    }

    #[test]
    fn rule_decisions_do_not_depend_on_quota_throttling() {
        let start = Instant::now();
        let tiny = Quotas::none().with_limit(
            "UserList",
            Limit {
                rate: 0.0,
                burst: 1.0,
            },
        );
        let rule = Rule::new("cognito-idp", "ListUsers", Fault::Throttle).calls([3]);
        let mut engine = Engine::new(FaultPlan::none().rule(rule).quotas(tiny), start);
        let list = request("cognito-idp", "ListUsers");
        let got: Vec<Action> = (0..4).map(|_| engine.decide(&list, start)).collect();
        assert_eq!(
            got,
            [
                Action::Forward,
                Action::QuotaThrottle,
                Action::Inject(Fault::Throttle),
                Action::QuotaThrottle
            ]
        );
    }

    #[test]
    fn rules_parse_from_the_command_line_form() {
        assert_eq!(
            Rule::parse("cognito-idp:List*:throttle:0.3").unwrap(),
            Rule::new("cognito-idp", "List*", Fault::Throttle).probability(0.3)
        );
        assert_eq!(
            Rule::parse("*:*:latency=250").unwrap(),
            Rule::new("*", "*", Fault::Latency(Duration::from_millis(250)))
        );
        assert!(Rule::parse("s3:*:explode").is_err());
        assert!(Rule::parse("s3:*:500:1.5").is_err());
        assert!(Rule::parse("s3:500").is_err());
    }
}
