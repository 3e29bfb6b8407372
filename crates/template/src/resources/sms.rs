//! SMS sending: the pool's `SmsConfiguration` and, with `sns_role: create`, the role Cognito
//! assumes to publish SMS through Amazon SNS.
//!
//! The role trusts `cognito-idp.amazonaws.com` for this account and the external ID only: its
//! trust policy does not name the pool, since the pool names the role (pool -> role) and a
//! pool ARN in the role would close a cycle.

use serde_json::{json, Value};
use spec::{SmsSending, SnsRole};

use crate::intrinsic::{get_att, reference, sub};
use crate::SMS_ROLE_ID;

use super::trigger::checkov_skips;
use super::Context;

/// The external ID when the spec gives none and the template creates the role: stable for the
/// stack, and not a secret (the account and the service principal are what restrict the role).
fn default_external_id() -> Value {
    sub("${AWS::StackName}-sms")
}

/// The external ID the pool passes and the created role requires; `None` for an existing role
/// whose spec states none.
fn external_id(sms: &SmsSending) -> Option<Value> {
    match (&sms.external_id, sms.role()) {
        (Some(id), _) => Some(json!(id)),
        (None, Some(SnsRole::Create)) => Some(default_external_id()),
        (None, _) => None,
    }
}

/// The pool's `SmsConfiguration`; `None` without a role (the pool sends no SMS).
pub(super) fn sms_configuration(sms: &SmsSending) -> Option<Value> {
    let caller = match sms.role()? {
        SnsRole::Create => get_att(SMS_ROLE_ID, "Arn"),
        SnsRole::Arn(arn) => json!(arn),
    };
    let mut config = json!({ "SnsCallerArn": caller });
    if let Some(id) = external_id(sms) {
        config["ExternalId"] = id;
    }
    if let Some(region) = &sms.sns_region {
        config["SnsRegion"] = json!(region);
    }
    Some(config)
}

/// The role, when the spec asks the template to create it.
pub(super) fn role(cx: &Context) -> Option<Value> {
    let sms = cx.spec.sms.as_ref()?;
    if sms.role() != Some(SnsRole::Create) {
        return None;
    }
    let external_id = external_id(sms).unwrap_or_else(default_external_id);
    Some(json!({
        "Type": "AWS::IAM::Role",
        "Metadata": checkov_skips(ROLE_CHECKOV_SKIPS),
        "Properties": {
            "Description": format!("Lets the {} user pool send SMS through Amazon SNS", cx.spec.name),
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": { "Service": "cognito-idp.amazonaws.com" },
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {
                            "sts:ExternalId": external_id,
                            "aws:SourceAccount": reference("AWS::AccountId"),
                        },
                    },
                }],
            },
            "Policies": [{
                "PolicyName": "sms-publish",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            // SMS to a phone number has no resource ARN to name.
                            "Sid": "PublishSmsToPhoneNumbers",
                            "Effect": "Allow",
                            "Action": "sns:Publish",
                            "Resource": "*",
                        },
                        {
                            "Sid": "NeverPublishToTopics",
                            "Effect": "Deny",
                            "Action": "sns:Publish",
                            "Resource": sub("arn:${AWS::Partition}:sns:*:*:*"),
                        },
                    ],
                },
            }],
            "Tags": cx.tag_list(),
        }
    }))
}

/// The checkov checks the SMS role cannot meet, and why.
const ROLE_CHECKOV_SKIPS: &[(&str, &str)] = &[(
    "CKV_AWS_111",
    "sns:Publish to a phone number has no resource ARN, so the Allow names \"*\"; a Deny on arn:<partition>:sns:*:*:* keeps it from publishing to any topic, and only Cognito in this account with the external ID can assume the role",
)];
