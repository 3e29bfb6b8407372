//! What the proxy passed, faulted and throttled: per operation and per quota category.

use std::collections::BTreeMap;

use serde::Serialize;

use super::plan::Outcome;

/// Counts since the proxy started (or since [`reset_stats`](super::FaultProxy::reset_stats)).
/// Served as JSON at `GET /_faultproxy/stats`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Every request decided (pass-through paths such as `/_ministack/*` are not counted).
    pub requests: u64,
    /// By `service:Operation`, e.g. `cognito-idp:ListUsers`.
    pub operations: BTreeMap<String, OpStats>,
    /// By quota category (`UserList`, `cloudformation:DescribeStacks`), when quotas are on.
    pub categories: BTreeMap<String, CategoryStats>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OpStats {
    pub calls: u64,
    /// Forwarded and answered as the emulator answered (latency faults included).
    pub passed: u64,
    /// Answered with a throttling error because the quota was exceeded.
    pub quota_throttled: u64,
    /// Injected faults by name (`Throttle`, `ResetAfterForward`, ...; `Latency` and `Hold`
    /// too, which are also counted as passed).
    pub faults: BTreeMap<String, u64>,
}

impl OpStats {
    /// How many times `fault` (a [`Fault::name`](super::Fault::name)) was injected.
    pub fn fault(&self, fault: &str) -> u64 {
        self.faults.get(fault).copied().unwrap_or(0)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CategoryStats {
    pub passed: u64,
    pub throttled: u64,
}

impl Stats {
    /// The counts of one operation (zeros if it was never seen).
    pub fn op(&self, service: &str, operation: &str) -> OpStats {
        self.operations
            .get(&format!("{service}:{operation}"))
            .cloned()
            .unwrap_or_default()
    }

    /// The counts of one quota category (zeros if it was never seen).
    pub fn category(&self, name: &str) -> CategoryStats {
        self.categories.get(name).cloned().unwrap_or_default()
    }

    /// How many times `fault` was injected, over all operations.
    pub fn fault_total(&self, fault: &str) -> u64 {
        self.operations.values().map(|op| op.fault(fault)).sum()
    }

    /// Quota throttles over all operations.
    pub fn quota_throttled_total(&self) -> u64 {
        self.operations.values().map(|op| op.quota_throttled).sum()
    }

    pub(crate) fn record(&mut self, service: &str, operation: &str, outcome: &Outcome) {
        self.requests += 1;
        let op = self
            .operations
            .entry(format!("{service}:{operation}"))
            .or_default();
        op.calls += 1;
        match outcome {
            Outcome::Passed => op.passed += 1,
            Outcome::QuotaThrottled => op.quota_throttled += 1,
            Outcome::Fault(name) => {
                *op.faults.entry((*name).to_owned()).or_default() += 1;
                if *name == "Latency" || *name == "Hold" {
                    op.passed += 1;
                }
            }
        }
    }

    pub(crate) fn record_category(&mut self, category: &str, allowed: bool) {
        let counts = self.categories.entry(category.to_owned()).or_default();
        if allowed {
            counts.passed += 1;
        } else {
            counts.throttled += 1;
        }
    }
}
