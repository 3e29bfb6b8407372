//! Proves the harness: a private emulator that the real SDK and the AWS CLI can deploy to.

use std::net::{Ipv4Addr, TcpStream};
use std::process::Command;

use aws_sdk_cloudformation::types::StackStatus;
use aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType;
use e2e::aws::{self, stack_outputs, wait_for_stack};
use e2e::emulator::{Emulator, UNSET_VARS};
use e2e::{repo_root, unique_name};

fn pool_template(pool_name: &str) -> String {
    serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Pool": {
                "Type": "AWS::Cognito::UserPool",
                "Properties": {
                    "UserPoolName": pool_name,
                    "UsernameAttributes": ["email"],
                    "AutoVerifiedAttributes": ["email"]
                }
            }
        },
        "Outputs": { "PoolId": { "Value": { "Ref": "Pool" } } }
    })
    .to_string()
}

#[tokio::test]
async fn user_pool_stack_is_created_and_deleted_through_the_sdk() {
    let emulator = Emulator::start();
    let config = aws::sdk_config(&emulator).await;
    let cloudformation = aws_sdk_cloudformation::Client::new(&config);
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&config);

    let stack_name = unique_name("e2e-smoke");
    let pool_name = unique_name("smoke-pool");
    let created = cloudformation
        .create_stack()
        .stack_name(&stack_name)
        .template_body(pool_template(&pool_name))
        .send()
        .await
        .expect("create stack");
    let stack_id = created.stack_id().expect("stack id").to_owned();

    let status = wait_for_stack(&cloudformation, &stack_id).await;
    assert_eq!(
        status,
        StackStatus::CreateComplete,
        "{}",
        emulator.log_tail()
    );

    let outputs = stack_outputs(&cloudformation, &stack_id)
        .await
        .expect("describe stack");
    let pool_id = outputs.get("PoolId").expect("PoolId output");

    let pool = cognito
        .describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await
        .expect("describe user pool")
        .user_pool
        .expect("user pool");
    assert_eq!(pool.name(), Some(pool_name.as_str()));
    assert_eq!(
        pool.auto_verified_attributes(),
        [VerifiedAttributeType::Email]
    );

    cloudformation
        .delete_stack()
        .stack_name(&stack_id)
        .send()
        .await
        .expect("delete stack");
    let status = wait_for_stack(&cloudformation, &stack_id).await;
    assert_eq!(
        status,
        StackStatus::DeleteComplete,
        "{}",
        emulator.log_tail()
    );

    let after_delete = cognito
        .describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await;
    assert!(
        after_delete.is_err(),
        "the pool should be gone with its stack: {after_delete:?}"
    );
}

/// `Emulator::env()` is what poolctl and the AWS CLI get: the CLI must reach this emulator
/// with it, whatever profile the caller's environment names.
#[tokio::test]
async fn aws_cli_reaches_the_emulator_with_its_env() {
    let emulator = Emulator::start();
    let cloudformation = aws::cloudformation(&emulator).await;
    let stack_name = unique_name("e2e-cli");
    let created = cloudformation
        .create_stack()
        .stack_name(&stack_name)
        .template_body(pool_template(&unique_name("cli-pool")))
        .send()
        .await
        .expect("create stack");
    wait_for_stack(&cloudformation, created.stack_id().expect("stack id")).await;

    let mut aws = Command::new(repo_root().join(".venv/bin/aws"));
    for var in UNSET_VARS {
        aws.env_remove(var);
    }
    let output = aws
        .envs(emulator.env())
        .args([
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            &stack_name,
        ])
        .args(["--output", "json"])
        .output()
        .expect("run the AWS CLI from .venv (`just setup` installs it)");
    assert!(
        output.status.success(),
        "aws cli failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let body: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(body["Stacks"][0]["StackName"], stack_name.as_str());
    assert_eq!(body["Stacks"][0]["StackStatus"], "CREATE_COMPLETE");
}

#[test]
fn emulators_run_side_by_side_and_stop_on_drop() {
    let first = Emulator::start();
    let second = Emulator::start();
    assert_ne!(first.port(), second.port());
    assert_ne!(first.log_path(), second.log_path());

    let first_port = first.port();
    drop(first);
    assert!(
        TcpStream::connect((Ipv4Addr::LOCALHOST, first_port)).is_err(),
        "the dropped emulator still listens on {first_port}"
    );
    assert!(
        TcpStream::connect((Ipv4Addr::LOCALHOST, second.port())).is_ok(),
        "dropping one emulator must not stop the other"
    );
    second.reset();
}

#[tokio::test]
async fn shared_emulator_is_one_instance_per_test_binary() {
    let shared = Emulator::shared();
    assert_eq!(shared.port(), Emulator::shared().port());
    let cognito = aws::cognito(shared).await;
    let pool_name = unique_name("shared-pool");
    let created = cognito
        .create_user_pool()
        .pool_name(&pool_name)
        .send()
        .await
        .expect("create user pool");
    let pool_id = created.user_pool().and_then(|p| p.id()).expect("pool id");
    let described = cognito
        .describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await
        .expect("describe user pool");
    assert_eq!(
        described.user_pool().and_then(|p| p.name()),
        Some(pool_name.as_str())
    );
}
