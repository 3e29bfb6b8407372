//! The sign-up half of `just demo`: against a deployed demo stack, signs a user up through the
//! trusted agent client and shows `email_verified = true`, then shows the trigger refusing a
//! sign-up from a denied domain.
//!
//! `cargo run -p e2e --example demo_signup -- [STACK]` (default `poolctl-demo`), with the AWS
//! environment (AWS_ENDPOINT_URL, credentials, region) of the deploy.

// A demo program: it shows its results on the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use aws_sdk_cognitoidentityprovider as cognito;
use e2e::aws::{client_secret, sign_up_with_secret, stack_outputs};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("demo_signup: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let stack = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "poolctl-demo".into());
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .load()
        .await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let idp = cognito::Client::new(&config);

    let outputs = stack_outputs(&cfn, &stack).await?;
    let output = |key: &str| {
        outputs
            .get(key)
            .ok_or_else(|| format!("stack {stack} has no output {key}"))
    };
    let pool_id = output("UserPoolId")?;
    let agent_id = output("ClientAgentId")?;
    let secret = client_secret(&idp, pool_id, agent_id).await?;

    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let user = format!("ada-{millis}@example.com");
    println!("\nSign-up through the trusted agent client: {user}");
    sign_up_with_secret(&idp, agent_id, &secret, &user)
        .await
        .map_err(|e| format!("agent sign-up failed: {}", describe(&e)))?;
    let got = idp
        .admin_get_user()
        .user_pool_id(pool_id)
        .username(&user)
        .send()
        .await
        .map_err(|e| format!("admin-get-user: {e}"))?;
    let verified = got
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email_verified")
        .and_then(|a| a.value())
        .unwrap_or("(absent)")
        .to_owned();
    let status = got
        .user_status()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    println!("  status         = {status}");
    println!("  email_verified = {verified}");
    if verified != "true" {
        return Err(format!("expected email_verified = true, got {verified}"));
    }

    let denied = format!("eve-{millis}@mailinator.com");
    println!("\nSign-up from a denied domain: {denied}");
    match sign_up_with_secret(&idp, agent_id, &secret, &denied).await {
        Ok(()) => return Err("the denied domain was accepted".into()),
        Err(error) => println!("  refused: {}", describe(&error)),
    }
    println!();
    Ok(())
}

/// `Code: message` of a service error.
fn describe(error: &cognito::error::SdkError<cognito::operation::sign_up::SignUpError>) -> String {
    use cognito::error::ProvideErrorMetadata;
    match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        _ => format!("{error}"),
    }
}
