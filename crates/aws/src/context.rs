//! AWS configuration the standard way: the default credential chain (environment, profiles,
//! SSO, process, instance roles), an optional profile and region, and `AWS_ENDPOINT_URL` for
//! local emulators. Credentials and region are resolved once, up front, so a missing one is a
//! single clear sentence before any work starts.

use std::sync::Arc;
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_cloudformation::config::Intercept;
use aws_sdk_s3::config::ProvideCredentials;
use tokio::sync::OnceCell;

use crate::endpoint::{EndpointOrigin, NameEndpoint, Service};
use crate::error::{error_chain, AwsError, Error};
use crate::retry::{retry_partition, RetryPolicy};

/// Where the SDK calls go and as whom.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// Shared-config profile (`--profile`); `None` = the default chain.
    pub profile: Option<String>,
    /// Region (`--region`); `None` = the chain (AWS_REGION, the profile's region).
    pub region: Option<String>,
    /// The spec environment the command works in: its region is the default, its role is
    /// assumed, and [`Aws::load`] refuses other accounts and regions.
    pub environment: Option<Target>,
}

/// Where an environment lives and how to act there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The environment's name, for messages and the default session name.
    pub name: String,
    pub account: String,
    pub region: String,
    /// A role to assume through STS with the loaded credentials.
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
}

/// Resolved configuration plus the clients, each with [`RetryPolicy::Standard`].
#[derive(Debug, Clone)]
pub struct Aws {
    pub config: SdkConfig,
    pub region: String,
    /// True when `AWS_ENDPOINT_URL` (or a service-specific one) points at an emulator.
    pub custom_endpoint: bool,
    pub cloudformation: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    pub sts: aws_sdk_sts::Client,
    /// Cognito, for reading live pools (`import`, `adopt`, `explain`).
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    /// The profile asked for, to name it when its endpoint cannot be reached.
    profile: Option<String>,
    /// The credentials' account, asked of STS once per run (clones share it).
    account: Arc<OnceCell<String>>,
}

impl Aws {
    /// Loads the configuration and resolves credentials and region, or fails with
    /// [`Error::NoCredentials`] / [`Error::NoRegion`]. With an environment, its role is
    /// assumed and the caller's account and region are checked against it before anything
    /// else ([`Error::WrongAccount`], [`Error::WrongRegion`]).
    pub async fn load(options: &AwsOptions) -> Result<Aws, Error> {
        let Some(target) = &options.environment else {
            return Aws::load_plain(options).await;
        };
        if let Some(region) = options.region.as_ref().filter(|r| **r != target.region) {
            return Err(Error::WrongRegion {
                environment: target.name.clone(),
                expected: target.region.clone(),
                actual: region.clone(),
            });
        }
        let plain = AwsOptions {
            region: Some(target.region.clone()),
            environment: None,
            ..options.clone()
        };
        let mut aws = Aws::load_plain(&plain).await?;
        if let Some(role_arn) = &target.role_arn {
            let mut provider = aws_config::sts::AssumeRoleProvider::builder(role_arn)
                .session_name(
                    target
                        .session_name
                        .clone()
                        .unwrap_or_else(|| format!("poolctl-{}", target.name)),
                )
                .configure(&aws.config);
            if let Some(external_id) = &target.external_id {
                provider = provider.external_id(external_id);
            }
            let provider = provider.build().await;
            if let Err(error) = provider.provide_credentials().await {
                return Err(Error::AssumeRole {
                    role_arn: role_arn.clone(),
                    detail: error_chain(&error),
                });
            }
            let config = aws
                .config
                .into_builder()
                .credentials_provider(aws_sdk_s3::config::SharedCredentialsProvider::new(provider))
                .build();
            aws = Aws::build(config, aws.region, aws.profile);
        }
        let actual = aws.account_id().await?;
        if actual != target.account {
            return Err(Error::WrongAccount {
                environment: target.name.clone(),
                expected: target.account.clone(),
                actual,
            });
        }
        Ok(aws)
    }

    async fn load_plain(options: &AwsOptions) -> Result<Aws, Error> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryPolicy::Standard.config())
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
            .ok_or(Error::NoRegion)?;
        let provider = config
            .credentials_provider()
            .ok_or_else(|| Error::NoCredentials("no credential provider is configured".into()))?;
        if let Err(error) = provider.provide_credentials().await {
            let detail = error_chain(&error);
            tracing::debug!(%detail, "credential chain");
            return Err(Error::NoCredentials(detail));
        }

        let profile = options
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok())
            .unwrap_or_else(|| "default".to_owned());
        Ok(Aws::build(config, region, Some(profile)))
    }

    /// The clients for an already resolved configuration (`load` checks credentials and
    /// region first).
    pub fn from_config(config: SdkConfig, region: String) -> Aws {
        Aws::build(config, region, None)
    }

    fn build(config: SdkConfig, region: String, profile: Option<String>) -> Aws {
        let custom_endpoint =
            config.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        let name = |service| name_endpoint(&config, profile.as_deref(), &region, service);
        let cloudformation = aws_sdk_cloudformation::config::Builder::from(&config)
            .retry_config(RetryPolicy::Standard.config())
            .retry_partition(retry_partition("poolctl-cloudformation"))
            .interceptor(name(Service::CloudFormation))
            .build();
        // Emulators serve buckets by path (http://host:port/bucket), not by virtual host.
        let s3 = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(custom_endpoint)
            .retry_config(RetryPolicy::Standard.config())
            .retry_partition(retry_partition("poolctl-s3"))
            .interceptor(name(Service::S3))
            .build();
        let sts = aws_sdk_sts::config::Builder::from(&config)
            .retry_config(RetryPolicy::Standard.config())
            .retry_partition(retry_partition("poolctl-sts"))
            .interceptor(name(Service::Sts))
            .build();
        let cognito = cognito_client(&config, name(Service::Cognito), RetryPolicy::Standard);
        Aws {
            cognito,
            cloudformation: aws_sdk_cloudformation::Client::from_conf(cloudformation),
            s3: aws_sdk_s3::Client::from_conf(s3),
            sts: aws_sdk_sts::Client::from_conf(sts),
            region,
            custom_endpoint,
            config,
            profile,
            account: Arc::default(),
        }
    }

    /// A Cognito client with `policy` (the one in [`Aws::cognito`] is
    /// [`RetryPolicy::Standard`]).
    pub fn cognito_client(&self, policy: RetryPolicy) -> aws_sdk_cognitoidentityprovider::Client {
        let name = name_endpoint(
            &self.config,
            self.profile.as_deref(),
            &self.region,
            Service::Cognito,
        );
        cognito_client(&self.config, name, policy)
    }

    /// This context with a CloudFormation client that also runs `interceptor` (review pools'
    /// express mode); the other clients are shared.
    pub fn with_cloudformation_interceptor(&self, interceptor: impl Intercept + 'static) -> Aws {
        let mut aws = self.clone();
        let config = self
            .cloudformation
            .config()
            .to_builder()
            .interceptor(interceptor)
            .build();
        aws.cloudformation = aws_sdk_cloudformation::Client::from_conf(config);
        aws
    }

    /// The setting that chose `service`'s endpoint.
    pub fn endpoint_origin(&self, service: Service) -> EndpointOrigin {
        name_endpoint(&self.config, self.profile.as_deref(), &self.region, service).origin
    }

    /// The account the credentials belong to (STS GetCallerIdentity, once per run).
    pub async fn account_id(&self) -> Result<String, AwsError> {
        self.account
            .get_or_try_init(|| async {
                let identity = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("sts:GetCallerIdentity", &e))?;
                identity.account().map(str::to_owned).ok_or_else(|| {
                    AwsError::unexpected("sts:GetCallerIdentity", "the answer named no account")
                })
            })
            .await
            .cloned()
    }
}

fn name_endpoint(
    config: &SdkConfig,
    profile: Option<&str>,
    region: &str,
    service: Service,
) -> NameEndpoint {
    let origin = EndpointOrigin::of(service, config.endpoint_url(), profile, region, |name| {
        std::env::var(name).ok()
    });
    NameEndpoint { service, origin }
}

fn cognito_client(
    config: &SdkConfig,
    name: NameEndpoint,
    policy: RetryPolicy,
) -> aws_sdk_cognitoidentityprovider::Client {
    let mut builder = aws_sdk_cognitoidentityprovider::config::Builder::from(config)
        .retry_config(policy.config())
        .interceptor(name);
    if policy == RetryPolicy::Standard {
        builder = builder.retry_partition(retry_partition("poolctl-cognito"));
    }
    aws_sdk_cognitoidentityprovider::Client::from_conf(builder.build())
}
