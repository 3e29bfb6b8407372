//! AWS configuration the standard way: the default credential chain (environment, profiles,
//! SSO, process, instance roles), an optional profile and region, and `AWS_ENDPOINT_URL` for
//! local emulators. Credentials and region are resolved once, up front, so a missing one is a
//! single clear sentence before any work starts.

use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_cloudformation::config::retry::{RetryPartition, TokenBucket};
use aws_sdk_s3::config::ProvideCredentials;
use tokio::sync::OnceCell;

use crate::error::DeployError;

/// Where the SDK calls go and as whom.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// Shared-config profile (`--profile`); `None` = the default chain.
    pub profile: Option<String>,
    /// Region (`--region`); `None` = the chain (AWS_REGION, the profile's region).
    pub region: Option<String>,
}

/// Resolved configuration plus the clients the driver uses.
#[derive(Debug, Clone)]
pub struct Aws {
    pub config: SdkConfig,
    pub region: String,
    /// True when `AWS_ENDPOINT_URL` (or a service-specific one) points at an emulator.
    pub custom_endpoint: bool,
    pub cloudformation: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    pub sts: aws_sdk_sts::Client,
    /// Cognito, for reading live pools (`import`, `adopt`); the same retry policy as the rest.
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    /// The credentials' account, asked of STS once per run (clones share it).
    account: Arc<OnceCell<String>>,
}

/// Retries live here and only here. Standard mode: throttling ("Rate exceeded") and transient
/// errors are retried with exponential backoff and full jitter, from 25 ms up to 2 s, 20
/// attempts in all (about 30 s of backing off at worst, enough to ride out a throttling storm).
/// The 2 s cap keeps a client that lost several races for a shared quota from sleeping while
/// the quota goes unused. Not adaptive mode: its client-side rate limiter cuts the sending rate
/// of a client that sends few requests so far that one throttled call cost a deploy tens of
/// seconds (BENCHMARKS.md, "Under faults").
fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(20)
        .with_initial_backoff(Duration::from_millis(25))
        .with_max_backoff(Duration::from_secs(2))
}

/// The retry quota of one client. The SDK's default charges throttled retries against a
/// bucket that only time refills, so a long run at a steady throttling rate ends with
/// "retry quota exceeded" although every call would have gone through after backing off.
/// Throttled retries are free here (the backoff is what slows them down); retries after
/// errors and timeouts still cost, which stops a storm against a failing service.
fn retry_partition(service: &'static str) -> RetryPartition {
    RetryPartition::custom(service)
        .token_bucket(TokenBucket::builder().throttling_retry_cost(0).build())
        .build()
}

impl Aws {
    /// Loads the configuration and resolves credentials and region, or fails with
    /// [`DeployError::NoCredentials`] / [`DeployError::NoRegion`].
    pub async fn load(options: &AwsOptions) -> Result<Aws, DeployError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(retry_config())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(10))
                    .operation_attempt_timeout(Duration::from_secs(60))
                    .build(),
            );
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &options.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        let config = loader.load().await;

        let region = config
            .region()
            .map(|r| r.as_ref().to_owned())
            .filter(|r| !r.is_empty())
            .ok_or(DeployError::NoRegion)?;
        let provider = config.credentials_provider().ok_or_else(|| {
            DeployError::NoCredentials("no credential provider is configured".into())
        })?;
        if let Err(error) = provider.provide_credentials().await {
            let detail = error_chain(&error);
            tracing::debug!(%detail, "credential chain");
            return Err(DeployError::NoCredentials(detail));
        }

        Ok(Aws::from_config(config, region))
    }

    /// The clients for an already resolved configuration (`load` checks credentials and
    /// region first).
    pub fn from_config(config: SdkConfig, region: String) -> Aws {
        let custom_endpoint =
            config.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        // Emulators serve buckets by path (http://host:port/bucket), not by virtual host.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(custom_endpoint)
            .retry_partition(retry_partition("poolctl-s3"))
            .build();
        let cloudformation_config = aws_sdk_cloudformation::config::Builder::from(&config)
            .retry_partition(retry_partition("poolctl-cloudformation"))
            .build();
        let sts_config = aws_sdk_sts::config::Builder::from(&config)
            .retry_partition(retry_partition("poolctl-sts"))
            .build();
        let cognito_config = aws_sdk_cognitoidentityprovider::config::Builder::from(&config)
            .retry_partition(retry_partition("poolctl-cognito"))
            .build();
        Aws {
            cognito: aws_sdk_cognitoidentityprovider::Client::from_conf(cognito_config),
            cloudformation: aws_sdk_cloudformation::Client::from_conf(cloudformation_config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sts: aws_sdk_sts::Client::from_conf(sts_config),
            region,
            custom_endpoint,
            config,
            account: Arc::default(),
        }
    }

    /// The account the credentials belong to (STS GetCallerIdentity, once per run).
    pub async fn account_id(&self) -> Result<String, DeployError> {
        self.account
            .get_or_try_init(|| async {
                let identity = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| DeployError::aws("sts:GetCallerIdentity", e))?;
                identity.account().map(str::to_owned).ok_or_else(|| {
                    DeployError::Unexpected("GetCallerIdentity returned no account".into())
                })
            })
            .await
            .cloned()
    }
}

/// An SDK error as one line: the service's `Code: message` when it gave one, else the
/// transport's cause chain. For any service's client.
pub fn sdk_error_text<E, R>(error: &aws_sdk_s3::error::SdkError<E, R>) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_sdk_s3::error::ProvideErrorMetadata as _;
    match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (None, Some(message)) => message.to_owned(),
        _ => error_chain(error),
    }
}

/// An error and its sources on one line: the SDK's top-level messages alone are often vague.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}
