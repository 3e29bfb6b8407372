//! The fault matrix's shared parts: a case is a pool deployed on the shared emulator, a fault
//! proxy of its own in front of it, poolctl runs through that proxy, and the check that nothing
//! was lost, made directly on the emulator (never through the proxy).
//!
//! "Nothing lost" means: the pool still exists, its user count is unchanged, the stack is
//! settled and healthy, no change set waits unexecuted, and (for review pools) none is left
//! behind.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::types::{ExecutionStatus, StackStatus};
use aws_sdk_cognitoidentityprovider as cognito;

use crate::aws::{sdk_config_for, stack_outputs, wait_for_stack, PASSWORD};
use crate::cli::{expect_code, finished_on, poolctl, run_on, spec_command, Run};
use crate::emulator::Emulator;
use crate::faultproxy::{FaultPlan, FaultProxy, Stats};
use crate::{spec_variant, unique_name};

/// How long [`Case::wait_for`] waits for a condition on the proxy's counters.
const CONDITION_TIMEOUT: Duration = Duration::from_secs(60);
const CONDITION_POLL: Duration = Duration::from_millis(10);

/// The users every case's pool holds before the fault, so that a lost user shows.
pub const USERS: usize = 3;

/// One case of the matrix: its own stack and hosted-UI domain on the shared emulator, and its
/// own fault proxy in front of it.
pub struct Case {
    pub emulator: &'static Emulator,
    pub proxy: FaultProxy,
    pub stack: String,
    /// This case's hosted-UI domain prefix (prefixes are unique per region).
    pub domain_prefix: String,
    /// The demo spec with this case's domain prefix.
    pub spec: PathBuf,
    /// The same spec with another verification subject: deploying it is an in-place update.
    pub updated_spec: PathBuf,
    pub cfn: aws_sdk_cloudformation::Client,
    pub idp: cognito::Client,
    pub s3: aws_sdk_s3::Client,
}

impl Case {
    /// A case named `name`, with no fault planned yet and nothing deployed.
    pub async fn new(name: &str) -> Case {
        let emulator = Emulator::shared();
        let proxy = FaultProxy::start(emulator.direct_endpoint(), FaultPlan::none())
            .expect("start the fault proxy");
        let stack = unique_name(name);
        let prefix = unique_name("fm");
        let domain = ("prefix: poolctl-demo-7f3a", format!("prefix: {prefix}"));
        let spec = spec_variant(
            "infra/pools/demo.yaml",
            "demo.yaml",
            &[(domain.0, &domain.1)],
        );
        let updated_spec = spec_variant(
            "infra/pools/demo.yaml",
            "demo-updated.yaml",
            &[
                (domain.0, &domain.1),
                (
                    "subject: Your demo verification code",
                    "subject: Your updated demo verification code",
                ),
            ],
        );
        let config = sdk_config_for(emulator.direct_endpoint(), None).await;
        let s3 = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build();
        Case {
            emulator,
            proxy,
            stack,
            domain_prefix: prefix,
            spec,
            updated_spec,
            cfn: aws_sdk_cloudformation::Client::new(&config),
            idp: cognito::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3),
        }
    }

    /// A case whose pool is deployed (without faults) and holds [`USERS`] users.
    pub async fn deployed(name: &str) -> Case {
        let case = Case::new(name).await;
        let run = case.poolctl(&case.deploy_args(&case.spec));
        expect_code(&run, 0, "the clean deploy a case starts from");
        case.add_users().await;
        case
    }

    /// `poolctl ARGS` through this case's proxy.
    pub fn poolctl(&self, args: &[&str]) -> Run {
        run_on(self.emulator, self.command().args(args))
    }

    /// A poolctl command through this case's proxy, not started (to kill or interrupt it).
    pub fn command(&self) -> Command {
        let mut command = poolctl(self.emulator);
        command.env("AWS_ENDPOINT_URL", self.proxy.endpoint());
        command
    }

    /// Starts `poolctl ARGS` through the proxy, its output captured.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start poolctl")
    }

    /// `deploy SPEC --stack STACK --arch x86_64 --trigger-zip ... --yes`.
    pub fn deploy_args(&self, spec: &Path) -> Vec<&'static str> {
        spec_command("deploy", spec, &self.stack)
            .into_iter()
            .chain(["--yes".to_owned()])
            .map(leak)
            .collect()
    }

    /// The pool's id, from the stack's outputs.
    pub async fn pool_id(&self) -> String {
        stack_outputs(&self.cfn, &self.stack)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .get("UserPoolId")
            .cloned()
            .unwrap_or_else(|| panic!("stack {} has no UserPoolId output", self.stack))
    }

    /// Creates [`USERS`] users in the pool, directly on the emulator.
    pub async fn add_users(&self) {
        let pool = self.pool_id().await;
        for n in 0..USERS {
            self.idp
                .admin_create_user()
                .user_pool_id(&pool)
                .username(format!("user{n}@example.com"))
                .temporary_password(PASSWORD)
                .send()
                .await
                .unwrap_or_else(|e| panic!("admin-create-user: {e:?}"));
        }
    }

    /// How many users the pool holds.
    pub async fn user_count(&self, pool: &str) -> usize {
        let mut count = 0;
        let mut pages = self
            .idp
            .list_users()
            .user_pool_id(pool)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            count += page.expect("list users").users().len();
        }
        count
    }

    /// Change sets of the stack that wait unexecuted.
    pub async fn pending_change_sets(&self) -> Vec<String> {
        let Ok(listed) = self
            .cfn
            .list_change_sets()
            .stack_name(&self.stack)
            .send()
            .await
        else {
            return Vec::new();
        };
        listed
            .summaries()
            .iter()
            .filter(|s| s.execution_status() == Some(&ExecutionStatus::Available))
            .filter_map(|s| s.change_set_name().map(str::to_owned))
            .collect()
    }

    /// Asserts that nothing was lost: the stack settles healthy, its pool (the one it had,
    /// `pool`) still exists with [`USERS`] users, and no change set waits unexecuted.
    pub async fn assert_nothing_lost(&self, pool: &str) {
        let status = wait_for_stack(&self.cfn, &self.stack).await;
        assert!(
            matches!(
                status,
                StackStatus::CreateComplete
                    | StackStatus::UpdateComplete
                    | StackStatus::UpdateRollbackComplete
            ),
            "stack {} settled in {}, not a healthy state",
            self.stack,
            status.as_str()
        );
        assert_eq!(self.pool_id().await, pool, "the stack's pool was replaced");
        self.idp
            .describe_user_pool()
            .user_pool_id(pool)
            .send()
            .await
            .unwrap_or_else(|e| panic!("the pool {pool} is gone: {e:?}"));
        assert_eq!(self.user_count(pool).await, USERS, "users were lost");
        assert_eq!(
            self.pending_change_sets().await,
            Vec::<String>::new(),
            "change sets were left behind"
        );
    }

    /// Waits until the proxy's counters satisfy `condition` (e.g. a call went through).
    pub fn wait_for(&self, what: &str, condition: impl Fn(&Stats) -> bool) {
        let deadline = Instant::now() + CONDITION_TIMEOUT;
        while !condition(&self.proxy.stats()) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(CONDITION_POLL);
        }
    }
}

/// Waits for a spawned poolctl and collects what it printed.
pub fn finish(emulator: &Emulator, child: Child) -> Run {
    finished_on(emulator, child)
}

/// Arguments live for the test's duration; leaking a few short strings keeps call sites
/// plain `&[&str]`.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}
