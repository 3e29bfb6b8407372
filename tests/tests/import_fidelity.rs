//! `poolctl import` on a pool made with the SDK that leaves settings to Cognito's defaults: no
//! password policy, a client with no `ExplicitAuthFlows`, a group without a role, and a
//! `<poolId>_<Provider>` group like the ones Cognito makes for federated users. The spec holds
//! Cognito's defaults, keeps the client's flows and leaves the service's group out, so import
//! exits 0 and `check` passes.

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::types::PreventUserExistenceErrorTypes;
use e2e::aws::{cognito as cognito_client, recovery_by_verified_email};
use e2e::cli::{expect_code, run_poolctl, Run};
use e2e::emulator::Emulator;
use e2e::{scratch_dir, unique_name};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn cognitos_defaults_and_its_own_groups_import_faithfully() {
    let emulator = Emulator::start();
    let client = cognito_client(&emulator).await;
    let pool = client
        .create_user_pool()
        .pool_name(unique_name("defaults"))
        .account_recovery_setting(recovery_by_verified_email())
        .send()
        .await
        .unwrap();
    let pool = pool.user_pool().unwrap().id().unwrap().to_owned();
    client
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    for (group, precedence) in [("admins", 1), (&*format!("{pool}_Google"), 0)] {
        client
            .create_group()
            .user_pool_id(&pool)
            .group_name(group)
            .precedence(precedence)
            .send()
            .await
            .unwrap();
    }

    let dir = scratch_dir("import-fidelity");
    let spec = dir.join("defaults.yaml");
    let run: Run = run_poolctl(
        &emulator,
        &[
            "import",
            "--user-pool-id",
            &pool,
            "--out",
            spec.to_str().unwrap(),
        ],
    );
    expect_code(&run, 0, "import of a pool at Cognito's defaults");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(!text.contains(&format!("{pool}_Google")), "{text}");
    assert!(!text.contains("role_arn"), "{text}");

    // What the spec renders is the pool as Cognito has it.
    let run = run_poolctl(
        &emulator,
        &[
            "render",
            spec.to_str().unwrap(),
            "--stdout",
            "--format",
            "json",
        ],
    );
    expect_code(&run, 0, "render the imported spec");
    let template: Value = serde_json::from_str(&run.stdout).unwrap();
    let resources = template["Resources"].as_object().unwrap();
    let of_type = |kind: &str| -> Vec<&Value> {
        resources
            .values()
            .filter(|r| r["Type"] == kind)
            .map(|r| &r["Properties"])
            .collect()
    };
    let policy = &of_type("AWS::Cognito::UserPool")[0]["Policies"]["PasswordPolicy"];
    assert_eq!(policy["MinimumLength"], 8, "{policy:#}");
    assert_eq!(policy["TemporaryPasswordValidityDays"], 7, "{policy:#}");
    assert_eq!(
        of_type("AWS::Cognito::UserPoolClient")[0]["ExplicitAuthFlows"],
        json!([
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH"
        ])
    );
    let groups = of_type("AWS::Cognito::UserPoolGroup");
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0]["GroupName"], "admins");
    assert!(groups[0].get("RoleArn").is_none(), "{groups:#?}");

    let check = run_poolctl(&emulator, &["check", spec.to_str().unwrap()]);
    expect_code(&check, 0, "check of the imported spec");
}
