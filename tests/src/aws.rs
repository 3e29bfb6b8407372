//! The AWS SDK against the emulator: clients with dummy credentials, stack and app-client
//! lookups, and sign-ups through a client with a secret (as the agent client has).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_sdk_cloudformation::types::StackStatus;
use aws_sdk_cognitoidentityprovider as cognito;

use crate::emulator::{Emulator, REGION};

/// The password of every user the tests and the demo sign up.
pub const PASSWORD: &str = "Correct-horse-battery-9";

/// How often [`wait_for_stack`] asks, and how long it waits at most.
const STACK_POLL: Duration = Duration::from_millis(20);
const STACK_TIMEOUT: Duration = Duration::from_secs(60);

/// Account recovery by verified email alone: what a pool made through the API needs for
/// `poolctl check` to accept its import (recovery by phone is a warning there).
pub fn recovery_by_verified_email() -> cognito::types::AccountRecoverySettingType {
    cognito::types::AccountRecoverySettingType::builder()
        .recovery_mechanisms(
            cognito::types::RecoveryOptionType::builder()
                .name(cognito::types::RecoveryOptionNameType::VerifiedEmail)
                .priority(1)
                .build()
                .expect("a recovery option with its name and priority"),
        )
        .build()
}

/// SDK configuration for `emulator`, with dummy credentials.
pub async fn sdk_config(emulator: &Emulator) -> aws_config::SdkConfig {
    sdk_config_for(emulator.endpoint(), None).await
}

/// SDK configuration for `emulator` that sends every call once: with no retries, a test
/// behind a fault proxy sees each fault it injects.
pub async fn sdk_config_without_retries(emulator: &Emulator) -> aws_config::SdkConfig {
    sdk_config_for(emulator.endpoint(), Some(RetryConfig::disabled())).await
}

/// SDK configuration for any endpoint (a bare fault proxy, say), with dummy credentials and,
/// if given, a retry configuration other than the SDK's default.
pub async fn sdk_config_for(endpoint: &str, retry: Option<RetryConfig>) -> aws_config::SdkConfig {
    let credentials =
        aws_sdk_cloudformation::config::Credentials::new("test", "test", None, None, "e2e");
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new(REGION))
        .credentials_provider(credentials);
    if let Some(retry) = retry {
        loader = loader.retry_config(retry);
    }
    loader.load().await
}

/// A CloudFormation client for `emulator`.
pub async fn cloudformation(emulator: &Emulator) -> aws_sdk_cloudformation::Client {
    aws_sdk_cloudformation::Client::new(&sdk_config(emulator).await)
}

/// A Cognito user pools client for `emulator`.
pub async fn cognito(emulator: &Emulator) -> cognito::Client {
    cognito::Client::new(&sdk_config(emulator).await)
}

/// Polls a stack until no operation is in progress and returns its status. Pass the stack id
/// (not the name) to follow a deletion to DELETE_COMPLETE. Panics after a minute.
pub async fn wait_for_stack(client: &aws_sdk_cloudformation::Client, stack: &str) -> StackStatus {
    let deadline = Instant::now() + STACK_TIMEOUT;
    loop {
        let described = client
            .describe_stacks()
            .stack_name(stack)
            .send()
            .await
            .unwrap_or_else(|e| panic!("describe stack {stack}: {e:?}"));
        let status = described
            .stacks()
            .first()
            .and_then(|s| s.stack_status())
            .unwrap_or_else(|| panic!("stack {stack} has no status"))
            .clone();
        if !status.as_str().ends_with("_IN_PROGRESS") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "stack {stack} still {status:?} after {STACK_TIMEOUT:?}"
        );
        tokio::time::sleep(STACK_POLL).await;
    }
}

/// A stack's outputs, by key.
pub async fn stack_outputs(
    client: &aws_sdk_cloudformation::Client,
    stack: &str,
) -> Result<BTreeMap<String, String>, String> {
    let described = client
        .describe_stacks()
        .stack_name(stack)
        .send()
        .await
        .map_err(|e| format!("describe stack {stack}: {e}"))?;
    let stack = described
        .stacks()
        .first()
        .ok_or_else(|| format!("stack {stack} is not described"))?;
    Ok(stack
        .outputs()
        .iter()
        .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
        .collect())
}

/// The secret of an app client (the agent client has one).
pub async fn client_secret(
    idp: &cognito::Client,
    pool_id: &str,
    client_id: &str,
) -> Result<String, String> {
    idp.describe_user_pool_client()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .send()
        .await
        .map_err(|e| format!("describe app client {client_id}: {e}"))?
        .user_pool_client()
        .and_then(|c| c.client_secret())
        .map(str::to_owned)
        .ok_or_else(|| format!("app client {client_id} has no secret"))
}

/// Signs `email` up (as username and email attribute, with [`PASSWORD`]) through an app
/// client that has a secret.
pub async fn sign_up_with_secret(
    idp: &cognito::Client,
    client_id: &str,
    secret: &str,
    email: &str,
) -> Result<(), cognito::error::SdkError<cognito::operation::sign_up::SignUpError>> {
    let email_attribute = cognito::types::AttributeType::builder()
        .name("email")
        .value(email)
        .build()
        .expect("name is set");
    idp.sign_up()
        .client_id(client_id)
        .secret_hash(secret_hash(email, client_id, secret))
        .username(email)
        .password(PASSWORD)
        .user_attributes(email_attribute)
        .send()
        .await
        .map(|_| ())
}

/// Cognito's SECRET_HASH for a call through an app client that has a secret (the agent
/// client): poolctl's own, from the AWS context crate.
pub use ::aws::cognito::secret_hash;
