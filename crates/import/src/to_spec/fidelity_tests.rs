//! What a live pool states, or leaves to Cognito's defaults, comes back as the spec that
//! renders to the same pool.

use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, PasswordPolicyType, UserPoolPolicyType,
};
use spec::PasswordPolicy;

use super::tests::{agent_builder, live, pool_builder};
use super::to_spec;

#[test]
fn a_pool_without_a_password_policy_gets_cognitos_defaults_not_poolctls() {
    let imported = to_spec(&live(pool_builder().build(), agent_builder().build()));
    assert_eq!(
        imported.spec.password,
        PasswordPolicy {
            min_length: 8,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
            history_size: None,
        }
    );
}

#[test]
fn an_omitted_temporary_password_validity_is_cognitos_not_zero() {
    let policy = |days: Option<i32>| {
        UserPoolPolicyType::builder()
            .password_policy(
                PasswordPolicyType::builder()
                    .minimum_length(10)
                    .require_numbers(true)
                    .set_temporary_password_validity_days(days)
                    .build(),
            )
            .build()
    };
    let days = |pool| to_spec(&live(pool, agent_builder().build())).spec.password;

    let omitted = days(pool_builder().policies(policy(None)).build());
    assert_eq!(omitted.temporary_password_validity_days, 7);
    assert_eq!(omitted.min_length, 10);
    assert!(omitted.require_numbers && !omitted.require_symbols);

    // Without TemporaryPasswordValidityDays, Cognito uses the legacy setting.
    let legacy = days(
        pool_builder()
            .policies(policy(None))
            .admin_create_user_config(
                AdminCreateUserConfigType::builder()
                    .unused_account_validity_days(30)
                    .build(),
            )
            .build(),
    );
    assert_eq!(legacy.temporary_password_validity_days, 30);

    let stated = days(pool_builder().policies(policy(Some(3))).build());
    assert_eq!(stated.temporary_password_validity_days, 3);
}
