//! The template's outputs: pool id and ARN, issuer URL, client ids, hosted UI URL, trigger
//! ARN and the duplicate-email policy.

use serde_json::{json, Map, Value};
use spec::DuplicateEmailPolicy;

use crate::intrinsic::{get_att, reference, sub};
use crate::{
    OUTPUT_DUPLICATE_EMAIL_POLICY, OUTPUT_HOSTED_UI_URL, OUTPUT_PRE_SIGN_UP_FUNCTION_ARN,
    OUTPUT_PROVIDER_URL, OUTPUT_USER_POOL_ARN, OUTPUT_USER_POOL_ID, PRE_SIGN_UP_FUNCTION_ID,
    USER_POOL_DOMAIN_ID,
};

use super::Context;

pub(super) fn outputs(cx: &Context) -> Value {
    let mut out = Map::new();
    let mut add = |key: &str, description: String, value: Value| {
        out.insert(
            key.to_owned(),
            json!({ "Description": description, "Value": value }),
        );
    };
    add(
        OUTPUT_USER_POOL_ID,
        "User pool id".into(),
        reference(&cx.pool_id),
    );
    add(
        OUTPUT_USER_POOL_ARN,
        "User pool ARN".into(),
        get_att(&cx.pool_id, "Arn"),
    );
    // Built with Sub: GetAtt ProviderURL is missing from some implementations.
    add(
        OUTPUT_PROVIDER_URL,
        "OpenID Connect issuer URL of the pool".into(),
        sub(format!(
            "https://cognito-idp.${{AWS::Region}}.amazonaws.com/${{{}}}",
            cx.pool_id
        )),
    );
    for (client, id) in &cx.clients {
        add(
            &format!("{id}Id"),
            format!("App client id of {}", client.name),
            reference(id),
        );
    }
    if let Some(domain) = &cx.spec.domain {
        if let Some(custom) = &domain.custom {
            add(
                OUTPUT_HOSTED_UI_URL,
                "Hosted sign-in URL".into(),
                json!(format!("https://{}", custom.name)),
            );
        } else if domain.prefix.is_some() {
            add(
                OUTPUT_HOSTED_UI_URL,
                "Hosted sign-in URL".into(),
                sub(format!(
                    "https://${{{USER_POOL_DOMAIN_ID}}}.auth.${{AWS::Region}}.amazoncognito.com"
                )),
            );
        }
    }
    if cx.spec.has_pre_sign_up_trigger() {
        add(
            OUTPUT_PRE_SIGN_UP_FUNCTION_ARN,
            "ARN of the PreSignUp trigger function".into(),
            get_att(PRE_SIGN_UP_FUNCTION_ID, "Arn"),
        );
    }
    if let Some(policy) = cx.spec.sign_in.duplicate_email {
        let (value, meaning) = match policy {
            DuplicateEmailPolicy::Reject => (
                "reject",
                "call AdminCreateUser/ConfirmSignUp with ForceAliasCreation false",
            ),
            DuplicateEmailPolicy::MoveAlias => (
                "move_alias",
                "ForceAliasCreation true moves the email alias",
            ),
        };
        add(
            OUTPUT_DUPLICATE_EMAIL_POLICY,
            format!("Duplicate-email policy: {meaning}"),
            json!(value),
        );
    }
    Value::Object(out)
}
