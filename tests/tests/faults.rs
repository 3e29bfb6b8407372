//! The fault-injection proxy against the real AWS SDK clients and the emulator: the requests
//! it classifies, every fault kind as a client sees it, quota mode, determinism for a seed,
//! and poolctl going through it. Each test puts its own proxy in front of the shared emulator;
//! clients send each call once (no retries) unless a test says otherwise, so that every count
//! is exact.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::SdkConfig;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::operation::list_users::ListUsersError;
use aws_sdk_s3::primitives::ByteStream;
use e2e::aws::sdk_config_for;
use e2e::cli::run_poolctl;
use e2e::emulator::Emulator;
use e2e::faultproxy::{Decision, Fault, FaultPlan, FaultProxy, Limit, Outcome, Quotas, Rule};
use e2e::unique_name;

/// SDK clients of every service the proxy knows, aimed at one proxy.
struct Clients {
    cfn: aws_sdk_cloudformation::Client,
    idp: aws_sdk_cognitoidentityprovider::Client,
    s3: aws_sdk_s3::Client,
    sts: aws_sdk_sts::Client,
}

impl Clients {
    fn new(config: &SdkConfig) -> Clients {
        let s3 = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build();
        Clients {
            cfn: aws_sdk_cloudformation::Client::new(config),
            idp: aws_sdk_cognitoidentityprovider::Client::new(config),
            s3: aws_sdk_s3::Client::from_conf(s3),
            sts: aws_sdk_sts::Client::new(config),
        }
    }
}

/// A proxy in front of the shared emulator, and clients through it that never retry.
async fn proxy_and_clients(plan: FaultPlan) -> (FaultProxy, Clients) {
    let emulator = Emulator::shared();
    let proxy = FaultProxy::start(emulator.direct_endpoint(), plan).expect("start the proxy");
    let config = sdk_config_for(proxy.endpoint(), Some(RetryConfig::disabled())).await;
    (proxy, Clients::new(&config))
}

/// A user pool made directly on the emulator (no proxy), for calls that need one.
async fn pool_id() -> String {
    let emulator = Emulator::shared();
    let config = sdk_config_for(emulator.direct_endpoint(), None).await;
    aws_sdk_cognitoidentityprovider::Client::new(&config)
        .create_user_pool()
        .pool_name(unique_name("faults"))
        .send()
        .await
        .expect("create a user pool")
        .user_pool()
        .and_then(|p| p.id())
        .expect("pool id")
        .to_owned()
}

/// The user pools named `name` on the emulator, asked directly.
async fn pools_named(name: &str) -> usize {
    let config = sdk_config_for(Emulator::shared().direct_endpoint(), None).await;
    let pools = aws_sdk_cognitoidentityprovider::Client::new(&config)
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .expect("list user pools");
    pools
        .user_pools()
        .iter()
        .filter(|p| p.name() == Some(name))
        .count()
}

/// The HTTP status of the answer behind an SDK error, if there was one.
fn status<E>(error: &SdkError<E>) -> Option<u16> {
    error.raw_response().map(|r| r.status().as_u16())
}

fn seen(decisions: &[Decision], service: &str, operation: &str) -> bool {
    decisions
        .iter()
        .any(|d| d.service == service && d.operation == operation)
}

#[tokio::test(flavor = "multi_thread")]
async fn sdk_requests_are_classified_by_service_and_operation() {
    let pool = pool_id().await;
    let (proxy, c) = proxy_and_clients(FaultPlan::none()).await;
    let bucket = unique_name("faults").to_lowercase();

    c.cfn
        .describe_stacks()
        .send()
        .await
        .expect("DescribeStacks");
    c.idp
        .list_users()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("ListUsers");
    // Unsigned: the service comes from X-Amz-Target. The client does not exist, so the
    // emulator refuses it; the proxy still tells what it was.
    let _ = c
        .idp
        .sign_up()
        .client_id("no-such-client")
        .username("someone@example.com")
        .password("Correct-horse-battery-9")
        .send()
        .await;
    c.s3.create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("CreateBucket");
    c.s3.put_object()
        .bucket(&bucket)
        .key("artifacts/trigger.zip")
        .body(ByteStream::from_static(b"zip bytes"))
        .send()
        .await
        .expect("PutObject");
    let head =
        c.s3.head_object()
            .bucket(&bucket)
            .key("artifacts/trigger.zip")
            .send()
            .await
            .expect("HeadObject");
    assert_eq!(
        head.content_length(),
        Some(9),
        "HEAD keeps the object's size"
    );
    c.s3.list_objects_v2()
        .bucket(&bucket)
        .send()
        .await
        .expect("ListObjectsV2");
    let object =
        c.s3.get_object()
            .bucket(&bucket)
            .key("artifacts/trigger.zip")
            .send()
            .await
            .expect("GetObject");
    let bytes = object
        .body
        .collect()
        .await
        .expect("object body")
        .into_bytes();
    assert_eq!(&bytes[..], b"zip bytes");
    c.sts
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");

    let decisions = proxy.decisions();
    for (service, operation) in [
        ("cloudformation", "DescribeStacks"),
        ("cognito-idp", "ListUsers"),
        ("cognito-idp", "SignUp"),
        ("s3", "CreateBucket"),
        ("s3", "PutObject"),
        ("s3", "HeadObject"),
        ("s3", "ListObjectsV2"),
        ("s3", "GetObject"),
        ("sts", "GetCallerIdentity"),
    ] {
        assert!(
            seen(&decisions, service, operation),
            "{service}:{operation} not among {decisions:#?}"
        );
    }
    assert!(decisions.iter().all(|d| d.outcome == Outcome::Passed));
    let stats = proxy.stats();
    assert_eq!(stats.requests, decisions.len() as u64);
    assert_eq!(stats.op("s3", "PutObject").passed, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_comes_in_each_services_own_shape() {
    let pool = pool_id().await;
    let (proxy, c) =
        proxy_and_clients(FaultPlan::none().rule(Rule::new("*", "*", Fault::Throttle))).await;

    let error = c.cfn.describe_stacks().send().await.unwrap_err();
    assert_eq!(error.code(), Some("Throttling"), "{error:?}");
    assert_eq!(error.message(), Some("Rate exceeded"));
    assert_eq!(status(&error), Some(400));

    let error = c
        .idp
        .list_users()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("TooManyRequestsException"), "{error:?}");
    assert!(matches!(
        error.as_service_error(),
        Some(ListUsersError::TooManyRequestsException(_))
    ));
    assert_eq!(status(&error), Some(400));

    let error =
        c.s3.put_object()
            .bucket("any-bucket")
            .key("k")
            .body(ByteStream::from_static(b"x"))
            .send()
            .await
            .unwrap_err();
    assert_eq!(error.code(), Some("SlowDown"), "{error:?}");
    assert_eq!(status(&error), Some(503));

    let error = c.sts.get_caller_identity().send().await.unwrap_err();
    assert_eq!(error.code(), Some("Throttling"), "{error:?}");

    let stats = proxy.stats();
    assert_eq!(stats.fault_total("Throttle"), 4);
    assert_eq!(stats.op("cognito-idp", "ListUsers").fault("Throttle"), 1);
    assert_eq!(stats.op("cognito-idp", "ListUsers").passed, 0);
}

/// The SDK's standard retry takes the injected throttling error as retryable: the first call
/// is throttled, the retry passes.
#[tokio::test(flavor = "multi_thread")]
async fn the_sdk_retries_an_injected_throttle() {
    let plan =
        FaultPlan::none().rule(Rule::new("cloudformation", "ListStacks", Fault::Throttle).nth(1));
    let proxy = FaultProxy::start(Emulator::shared().direct_endpoint(), plan).unwrap();
    let retry = RetryConfig::standard()
        .with_max_attempts(2)
        .with_initial_backoff(Duration::from_millis(1));
    let config = sdk_config_for(proxy.endpoint(), Some(retry)).await;
    aws_sdk_cloudformation::Client::new(&config)
        .list_stacks()
        .send()
        .await
        .expect("the retry passes");
    let op = proxy.stats().op("cloudformation", "ListStacks");
    assert_eq!((op.calls, op.fault("Throttle"), op.passed), (2, 1, 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_come_in_each_services_own_shape() {
    let pool = pool_id().await;
    let plan = FaultPlan::none()
        .rule(Rule::new("cognito-idp", "*", Fault::InternalError))
        .rule(Rule::new("cloudformation", "*", Fault::Unavailable))
        .rule(Rule::new("s3", "*", Fault::InternalError).nth(1))
        .rule(Rule::new("s3", "*", Fault::Unavailable));
    let (proxy, c) = proxy_and_clients(plan).await;

    let error = c
        .idp
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (error.code(), status(&error)),
        (Some("InternalErrorException"), Some(500)),
        "{error:?}"
    );
    let error = c.cfn.list_stacks().send().await.unwrap_err();
    assert_eq!(
        (error.code(), status(&error)),
        (Some("ServiceUnavailable"), Some(503)),
        "{error:?}"
    );
    let error = c.s3.list_buckets().send().await.unwrap_err();
    assert_eq!(
        (error.code(), status(&error)),
        (Some("InternalError"), Some(500)),
        "{error:?}"
    );
    // HEAD: the status alone, no body.
    let error =
        c.s3.head_bucket()
            .bucket("any-bucket")
            .send()
            .await
            .unwrap_err();
    assert_eq!(status(&error), Some(503), "{error:?}");

    let stats = proxy.stats();
    assert_eq!(stats.fault_total("InternalError"), 2);
    assert_eq!(stats.fault_total("Unavailable"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_before_forwarding_loses_the_call_and_after_forwarding_only_the_answer() {
    let before = unique_name("reset-before");
    let after = unique_name("reset-after");
    let plan = FaultPlan::none()
        .rule(Rule::new("cognito-idp", "CreateUserPool", Fault::ResetBeforeForward).nth(1))
        .rule(Rule::new("cognito-idp", "CreateUserPool", Fault::ResetAfterForward).nth(2));
    let (proxy, c) = proxy_and_clients(plan).await;

    let error = c
        .idp
        .create_user_pool()
        .pool_name(&before)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::DispatchFailure(_)), "{error:?}");
    assert_eq!(pools_named(&before).await, 0, "never reached the emulator");

    let error = c
        .idp
        .create_user_pool()
        .pool_name(&after)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::DispatchFailure(_)), "{error:?}");
    assert_eq!(
        pools_named(&after).await,
        1,
        "the emulator created it; the client never heard"
    );

    let op = proxy.stats().op("cognito-idp", "CreateUserPool");
    assert_eq!(op.fault("ResetBeforeForward"), 1);
    assert_eq!(op.fault("ResetAfterForward"), 1);
    assert_eq!(op.passed, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_truncated_body_fails_the_call_and_latency_only_delays_it() {
    let pool = pool_id().await;
    let plan = FaultPlan::none()
        .rule(Rule::new("cognito-idp", "DescribeUserPool", Fault::TruncatedBody).nth(1))
        .rule(Rule::new(
            "cognito-idp",
            "DescribeUserPool",
            Fault::Latency(Duration::from_millis(20)),
        ));
    let (proxy, c) = proxy_and_clients(plan).await;

    let error = c
        .idp
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    // The headers arrived (status 200), the body did not.
    assert!(matches!(error, SdkError::ResponseError(_)), "{error:?}");
    assert_eq!(status(&error), Some(200));
    let described = c
        .idp
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("the second call is only delayed");
    assert_eq!(
        described.user_pool().and_then(|p| p.id()),
        Some(pool.as_str())
    );

    let op = proxy.stats().op("cognito-idp", "DescribeUserPool");
    assert_eq!(
        (op.fault("TruncatedBody"), op.fault("Latency"), op.passed),
        (1, 1, 1)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn quota_mode_throttles_above_the_limit_and_counts_per_category() {
    let pool = pool_id().await;
    // Cognito's categories with their default rates, except that UserList and CloudFormation
    // reads get a fixed allowance that does not refill during the test, so the counts are
    // exact whatever the machine's speed.
    let quotas = Quotas::aws_defaults()
        .with_limit(
            "UserList",
            Limit {
                rate: 0.0,
                burst: 30.0,
            },
        )
        .with_limit(
            "cloudformation:read",
            Limit {
                rate: 0.0,
                burst: 3.0,
            },
        );
    let (proxy, c) = proxy_and_clients(FaultPlan::none().quotas(quotas)).await;

    let mut codes = Vec::new();
    for i in 0..40 {
        // ListUsers and ListUsersInGroup share the UserList bucket.
        let result = if i % 4 == 3 {
            c.idp
                .list_users_in_group()
                .user_pool_id(&pool)
                .group_name("none")
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.code().map(str::to_owned))
        } else {
            c.idp
                .list_users()
                .user_pool_id(&pool)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.code().map(str::to_owned))
        };
        codes.push(result.err().flatten());
    }
    let throttled = codes
        .iter()
        .filter(|c| c.as_deref() == Some("TooManyRequestsException"))
        .count();
    assert_eq!(throttled, 10, "{codes:?}");
    for _ in 0..5 {
        let _ = c.cfn.describe_stacks().send().await;
    }

    let stats = proxy.stats();
    let user_list = stats.category("UserList");
    assert_eq!((user_list.passed, user_list.throttled), (30, 10));
    let list_users = stats.op("cognito-idp", "ListUsers");
    let in_group = stats.op("cognito-idp", "ListUsersInGroup");
    assert_eq!(list_users.calls + in_group.calls, 40);
    assert_eq!(list_users.quota_throttled + in_group.quota_throttled, 10);
    let describe = stats.category("cloudformation:DescribeStacks");
    assert_eq!((describe.passed, describe.throttled), (3, 2));
    assert_eq!(
        stats.op("cloudformation", "DescribeStacks").quota_throttled,
        2
    );
    assert_eq!(stats.quota_throttled_total(), 12);
}

/// Sends the same calls, one after another, through a new proxy with `plan`; returns its
/// decisions.
async fn decisions_for(plan: FaultPlan, pool: &str) -> Vec<Decision> {
    let (proxy, c) = proxy_and_clients(plan).await;
    for _ in 0..20 {
        let _ = c.cfn.list_stacks().send().await;
        let _ = c.idp.list_users().user_pool_id(pool).send().await;
        let _ = c.idp.describe_user_pool().user_pool_id(pool).send().await;
    }
    proxy.decisions()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_plan_and_seed_give_the_same_faults() {
    let pool = pool_id().await;
    let plan = |seed| {
        FaultPlan::seeded(seed)
            .rule(Rule::new("cloudformation", "*", Fault::Throttle).probability(0.4))
            .rule(Rule::new("cognito-idp", "List*", Fault::Unavailable).probability(0.3))
            .rule(Rule::new("*", "Describe*", Fault::ResetBeforeForward).probability(0.2))
    };
    let first = decisions_for(plan(11), &pool).await;
    assert_eq!(first.len(), 60);
    assert!(first.iter().any(|d| d.outcome == Outcome::Passed));
    assert!(first.iter().any(|d| d.outcome != Outcome::Passed));
    assert_eq!(first, decisions_for(plan(11), &pool).await);
    assert_ne!(first, decisions_for(plan(12), &pool).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn poolctl_goes_through_the_proxy_and_the_plan_changes_at_run_time() {
    let emulator = Emulator::start_with(FaultPlan::none());
    let proxy = emulator.faults();
    assert_eq!(emulator.endpoint(), proxy.endpoint());

    // No such stack: poolctl asks CloudFormation, through the proxy, and says so.
    let stack = unique_name("no-such-stack");
    let run = run_poolctl(&emulator, &["outputs", "--stack", &stack]);
    assert_ne!(run.code, Some(0), "{run:?}");
    let describe = proxy.stats().op("cloudformation", "DescribeStacks");
    assert!(describe.passed >= 1, "{:?}", proxy.stats());

    // Now the plan changes: the next CloudFormation call answers 500. poolctl's retry takes
    // it as transient and asks again, which passes; the same answer as before comes back.
    let passed_before = describe.passed;
    proxy.set_plan(
        FaultPlan::none().rule(Rule::new("cloudformation", "*", Fault::InternalError).nth(1)),
    );
    let again = run_poolctl(&emulator, &["outputs", "--stack", &stack]);
    assert_eq!(again.code, run.code, "{again:?}");
    let describe = proxy.stats().op("cloudformation", "DescribeStacks");
    assert_eq!(describe.fault("InternalError"), 1, "{:?}", proxy.stats());
    assert!(describe.passed > passed_before, "{:?}", proxy.stats());

    // The same counts over HTTP, and the emulator's own paths pass through uncounted.
    let requests = proxy.stats().requests;
    let health = http_get(proxy.endpoint(), "/_ministack/health").await;
    assert!(health.contains("\"status\""), "{health}");
    let json: serde_json::Value =
        serde_json::from_str(&http_get(proxy.endpoint(), "/_faultproxy/stats").await)
            .expect("stats JSON");
    assert_eq!(json["requests"], requests);
    assert!(
        json["operations"]["cloudformation:DescribeStacks"]["faults"]["InternalError"]
            .as_u64()
            .is_some_and(|n| n >= 1)
    );
}

/// A plain HTTP GET over the standard library.
async fn http_get(endpoint: &str, path: &str) -> String {
    let addr = endpoint.trim_start_matches("http://").to_owned();
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default()
    })
    .await
    .unwrap()
}
