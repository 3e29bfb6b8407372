//! Stuck users: find every user a pool has left with `email_verified = false`, and fix the
//! ones the operator chooses, at Cognito's request quotas.
//!
//! [`audit`] scans the whole pool (one ListUsers scan or sixteen partitioned ones, under one
//! UserList limiter) and classifies each user as its page arrives
//! ([`Classifier`](classify::Classifier)), holding the findings but never the whole pool. [`verify`] re-reads each chosen
//! user just before acting, refuses the alias trap ([`alias`]), and journals every change
//! ([`journal`]) so that a killed run resumes without doing anything twice. [`create`] is the
//! AdminCreateUser path, validated before any call. [`findings`] is the audit's file, which
//! `verify` reads back (only for the pool it was made from), and [`VerifyPlan`] what a verify
//! run will act on and where it journals. Every call goes through
//! [`Cognito::call`](cognito::Cognito), which holds the limiters and the retry rules.

pub mod alias;
pub mod audit;
pub mod classify;
pub mod cognito;
pub mod create;
mod error;
pub mod findings;
pub mod journal;
pub mod limiter;
pub mod pool;
pub mod record;
pub mod scan;
pub mod verify;
mod workers;

pub use audit::{audit, AuditOptions, AuditReport};
pub use classify::{Class, Finding};
pub use cognito::{Cognito, Counters, Rates};
pub use create::{create, CreateOptions, CreateReport, Invitation, NewUser};
pub use error::UsersError;
pub use findings::FindingsError;
pub use journal::Journal;
pub use pool::{Pool, PoolRef};
pub use record::UserRecord;
pub use scan::{Partitioning, ScanPlan};
pub use verify::{verify, Selection, SelectionError, VerifyOptions, VerifyPlan, VerifyReport};
