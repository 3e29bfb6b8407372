//! SMS sending: the IAM role Cognito publishes SMS through (Amazon SNS) and the SMS messages.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The `sns_role` value that asks the template to create the role.
pub const CREATE_SNS_ROLE: &str = "create";

/// SMS sending through Amazon SNS (`SmsConfiguration`). SMS MFA, the `sms_otp` first factor
/// and phone verification need it, with `sns_role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsSending {
    /// The IAM role Cognito assumes to send SMS: `create` (the template creates a role that
    /// only Cognito can assume, for this account and external ID, and that may only publish
    /// SMS to phone numbers) or the ARN of an existing role,
    /// `arn:aws:iam::<account>:role/<name>`. Without it the pool sends no SMS and only keeps
    /// the messages below (as a pool created without `SmsConfiguration` may): `check` warns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_role: Option<String>,

    /// The external ID Cognito gives when it assumes the role (`sts:ExternalId`): 2 to 1224
    /// letters, digits and `_+=,.@:/-`; not a secret. With `sns_role: create` it defaults to
    /// `<stack name>-sms`; with a role ARN, state it when the role's trust policy asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,

    /// The AWS Region whose SNS sends the SMS, e.g. `us-east-1`. Unset: the pool's Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,

    /// The SMS that carries a verification code (phone verification); 6 to 140 characters,
    /// must contain the code placeholder `{####}`. Unset: Cognito's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_message: Option<String>,

    /// The SMS that carries an MFA or sign-in code (`sms` MFA, `sms_otp`); 6 to 140
    /// characters, must contain the code placeholder `{####}`. Unset: Cognito's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_message: Option<String>,
}

/// Which role Cognito sends SMS with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnsRole<'a> {
    /// The template creates it.
    Create,
    /// An existing role, by ARN.
    Arn(&'a str),
}

impl SmsSending {
    /// The role, read from `sns_role`; `None` when the pool sends no SMS. The one place
    /// `create` is told from an ARN.
    pub fn role(&self) -> Option<SnsRole<'_>> {
        self.sns_role.as_deref().map(|role| {
            if role == CREATE_SNS_ROLE {
                SnsRole::Create
            } else {
                SnsRole::Arn(role)
            }
        })
    }
}
