//! The PreSignUp trigger: its log group, role, logs policy, function (with the policy as
//! JSON) and the permission for the pool to invoke it.

use serde_json::{json, Map, Value};

use crate::intrinsic::{get_att, join, reference, sub};
use crate::{
    PARAM_ARTIFACT_BUCKET, PARAM_ARTIFACT_KEY, PARAM_TRIGGER_ARCHITECTURE, PRE_SIGN_UP_FUNCTION_ID,
    PRE_SIGN_UP_FUNCTION_SUFFIX, PRE_SIGN_UP_LOGS_POLICY_ID, PRE_SIGN_UP_LOG_GROUP_ID,
    PRE_SIGN_UP_PERMISSION_ID, PRE_SIGN_UP_ROLE_ID,
};

use super::Context;

/// The trigger's resources, in template order.
pub(super) fn insert_resources(
    res: &mut Map<String, Value>,
    cx: &Context,
    policy: &policy::PreSignUpPolicy,
) {
    res.insert(PRE_SIGN_UP_LOG_GROUP_ID.into(), log_group(cx));
    res.insert(PRE_SIGN_UP_ROLE_ID.into(), role(cx));
    res.insert(PRE_SIGN_UP_LOGS_POLICY_ID.into(), logs_policy());
    res.insert(PRE_SIGN_UP_FUNCTION_ID.into(), function(cx, policy));
    res.insert(PRE_SIGN_UP_PERMISSION_ID.into(), permission(cx));
}

/// The function's name, fixed by its stack's: `${AWS::StackName}-pre-sign-up`, as `Fn::Sub`
/// text.
fn function_name() -> String {
    format!("${{AWS::StackName}}-{PRE_SIGN_UP_FUNCTION_SUFFIX}")
}

/// `arn:...:function:${AWS::StackName}-pre-sign-up` as a string, so that the pool does not
/// depend on the function (which depends on the clients, which depend on the pool).
pub(super) fn function_arn() -> Value {
    sub(format!(
        "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{}",
        function_name()
    ))
}

/// checkov's suppression of its checks on one resource, each with the reason, in the resource's
/// `Metadata` (the form checkov documents: `checkov: { skip: [{ id, comment }] }`).
pub(super) fn checkov_skips(skips: &[(&str, &str)]) -> Value {
    let skip: Vec<Value> = skips
        .iter()
        .map(|(id, comment)| json!({ "id": id, "comment": comment }))
        .collect();
    json!({ "checkov": { "skip": skip } })
}

fn log_group(cx: &Context) -> Value {
    let mut group = json!({
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
    });
    let mut properties = json!({
        "LogGroupName": sub(format!("/aws/lambda/{}", function_name())),
        "RetentionInDays": cx.spec.triggers.log_retention_days,
    });
    match &cx.spec.triggers.log_group_kms_key {
        Some(key) => {
            properties["KmsKeyId"] = json!(key);
        }
        None => {
            group["Metadata"] = checkov_skips(&[(
                "CKV_AWS_158",
                "CloudWatch Logs encrypts these logs at rest with its own key; they hold one line per sign-up decision (email domain, provider, client id, never an address or a secret). Set triggers.log_group_kms_key for a customer managed key",
            )]);
        }
    }
    properties["Tags"] = cx.tag_list();
    group["Properties"] = properties;
    group
}

fn role(cx: &Context) -> Value {
    // Only the trust policy: what the function may do is granted by PreSignUpLogsPolicy,
    // a separate resource, so that no pool-scoped statement can ever close a cycle here.
    json!({
        "Type": "AWS::IAM::Role",
        "Properties": {
            "Description": "Runs the PreSignUp trigger",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": { "Service": "lambda.amazonaws.com" },
                    "Action": "sts:AssumeRole",
                }],
            },
            "Tags": cx.tag_list(),
        }
    })
}

fn logs_policy() -> Value {
    json!({
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": "pre-sign-up-logs",
            "Roles": [reference(PRE_SIGN_UP_ROLE_ID)],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": get_att(PRE_SIGN_UP_LOG_GROUP_ID, "Arn"),
                }],
            },
        }
    })
}

fn function(cx: &Context, policy: &policy::PreSignUpPolicy) -> Value {
    let mut variables = json!({ (policy::POLICY_ENV): policy_value(cx, policy) });
    let mut description = format!("PreSignUp trigger of the {} user pool", cx.spec.name);
    if cx.spec.has_inbound_federation_trigger() {
        // Names and attribute names only: no reference to resolve.
        variables[policy::DECIDED_PROVIDERS_ENV] =
            json!(serde_json::to_string(&cx.spec.decided_providers()).unwrap_or_default());
        description = format!(
            "PreSignUp and inbound federation trigger of the {} user pool",
            cx.spec.name
        );
    }
    json!({
        "Type": "AWS::Lambda::Function",
        // Logs work from the first invocation on.
        "DependsOn": [PRE_SIGN_UP_LOGS_POLICY_ID],
        "Metadata": checkov_skips(FUNCTION_CHECKOV_SKIPS),
        "Properties": {
            "FunctionName": sub(function_name()),
            "Description": description,
            "Runtime": "provided.al2023",
            "Handler": "bootstrap",
            "Architectures": [reference(PARAM_TRIGGER_ARCHITECTURE)],
            "Code": {
                "S3Bucket": reference(PARAM_ARTIFACT_BUCKET),
                "S3Key": reference(PARAM_ARTIFACT_KEY),
            },
            "Role": get_att(PRE_SIGN_UP_ROLE_ID, "Arn"),
            "MemorySize": 128,
            // Cognito gives a trigger 5 seconds before it retries.
            "Timeout": 5,
            "Environment": { "Variables": variables },
            "Tags": cx.tag_list(),
        }
    })
}

/// The checkov checks that do not apply to a synchronous Cognito trigger, and why.
const FUNCTION_CHECKOV_SKIPS: &[(&str, &str)] = &[
    (
        "CKV_AWS_115",
        "No reserved concurrency: it would cap sign-ups, since Cognito fails a sign-up whose trigger is throttled",
    ),
    (
        "CKV_AWS_116",
        "No dead-letter queue: Cognito invokes the trigger synchronously and retries it itself, so there is no asynchronous event to dead-letter",
    ),
    (
        "CKV_AWS_117",
        "Not in a VPC: the function reaches no network resource; it only answers the Lambda runtime API and writes its logs",
    ),
    (
        "CKV_AWS_173",
        "The environment variables (POOLCTL_POLICY, and POOLCTL_DECIDED_PROVIDERS with inbound federation) hold no secret (client ids, provider and attribute names, email domains); Lambda encrypts them at rest with its own key",
    ),
];

/// The policy JSON for the function, trusted clients named by their client ids.
///
/// Normally `!Sub '{"trusted_clients":["${ClientAgent}"],...}'`: Fn::Sub only reads `${`, so
/// JSON braces are fine. Should the JSON itself contain `${` or a backtick (neither of which a
/// valid spec produces), it falls back to Fn::Join with Refs, which needs no escape; the
/// `${!` escape is avoided because the CDK export cannot carry it.
fn policy_value(cx: &Context, policy: &policy::PreSignUpPolicy) -> Value {
    let base = serde_json::to_string(policy).unwrap_or_default();
    // A placeholder that occurs nowhere in the policy text.
    let mut marker = String::from("@client@");
    while base.contains(&marker) {
        marker.insert(0, '@');
    }
    let mut with_placeholders = policy.clone();
    let mut refs: Vec<Value> = Vec::new();
    for (i, name) in policy.trusted_clients.iter().enumerate() {
        match cx.client_id(name) {
            Some(id) => {
                with_placeholders.trusted_clients[i] = format!("{marker}{i}{marker}");
                refs.push(reference(id));
            }
            // Validation rules this out; a name matches no client id, so it trusts nobody.
            None => refs.push(Value::Null),
        }
    }
    let text = serde_json::to_string(&with_placeholders).unwrap_or_default();
    if refs.iter().all(Value::is_null) {
        return Value::String(text);
    }
    // Split the text at the placeholders into literal pieces and client refs.
    let mut pieces: Vec<Value> = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(&marker) {
        let after = &rest[start + marker.len()..];
        let Some(end) = after.find(&marker) else {
            break;
        };
        let index: usize = after[..end].parse().unwrap_or(usize::MAX);
        pieces.push(Value::String(rest[..start].to_owned()));
        pieces.push(refs.get(index).cloned().unwrap_or(Value::Null));
        rest = &after[end + marker.len()..];
    }
    pieces.push(Value::String(rest.to_owned()));

    let literal_is_sub_safe = pieces
        .iter()
        .filter_map(Value::as_str)
        .all(|s| !s.contains("${") && !s.contains('`'));
    if literal_is_sub_safe {
        let mut format = String::new();
        for piece in &pieces {
            match piece {
                Value::String(s) => format.push_str(s),
                other => {
                    if let Some(id) = other.get("Ref").and_then(Value::as_str) {
                        format.push_str(&format!("${{{id}}}"));
                    }
                }
            }
        }
        sub(format)
    } else {
        pieces.retain(|p| !p.is_null() && p.as_str() != Some(""));
        join("", &pieces)
    }
}

fn permission(cx: &Context) -> Value {
    json!({
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": get_att(PRE_SIGN_UP_FUNCTION_ID, "Arn"),
            "Principal": "cognito-idp.amazonaws.com",
            "SourceArn": get_att(&cx.pool_id, "Arn"),
            "SourceAccount": reference("AWS::AccountId"),
        }
    })
}
