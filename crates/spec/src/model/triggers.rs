//! Lambda triggers: poolctl's own PreSignUp function, and every trigger Cognito has pointed at
//! an existing function by ARN.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::PreSignUpPolicy;

/// Lambda triggers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    /// poolctl's PreSignUp trigger and its auto-verification policy. App clients are named by
    /// their spec name in `trusted_clients`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<PreSignUpPolicy>,

    /// Instead of poolctl's PreSignUp function, a function of your own, by ARN. poolctl cannot
    /// see which sign-ups it confirms or verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_sign_up_arn: Option<String>,

    /// Run poolctl's PreSignUp function also as the inbound federation trigger
    /// (`InboundFederation`), at every federated sign-in before Cognito maps the provider's
    /// attributes: a provider whose `email_verified` is `trigger` then keeps the `pre_sign_up`
    /// policy's answer at every sign-in, also when the address changes at the provider (without
    /// it, Cognito resets `email_verified` to false then). Needs `pre_sign_up`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inbound_federation: bool,

    /// Instead of poolctl's function, a function of your own as the inbound federation trigger
    /// (`InboundFederation`, event version `V1_0`), by ARN. poolctl cannot see which
    /// attributes it maps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_federation_arn: Option<String>,

    /// After a user confirms their account (`PostConfirmation`), by function ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_confirmation: Option<String>,

    /// Before a sign-in (`PreAuthentication`), by function ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_authentication: Option<String>,

    /// After a sign-in (`PostAuthentication`), by function ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_authentication: Option<String>,

    /// Before tokens are issued (`PreTokenGenerationConfig`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_token_generation: Option<PreTokenGeneration>,

    /// Customizes Cognito's messages (`CustomMessage`), by function ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,

    /// Migrates users from another directory at sign-in (`UserMigration`), by function ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_migration: Option<String>,

    /// Custom authentication (`DefineAuthChallenge`), by function ARN; needs the other two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub define_auth_challenge: Option<String>,

    /// Custom authentication (`CreateAuthChallenge`), by function ARN; needs the other two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_auth_challenge: Option<String>,

    /// Custom authentication (`VerifyAuthChallengeResponse`), by function ARN; needs the other
    /// two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_auth_challenge: Option<String>,

    /// Sends the pool's email itself (`CustomEmailSender`), by function ARN; needs
    /// `sender_kms_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_email_sender: Option<String>,

    /// Sends the pool's SMS itself (`CustomSMSSender`), by function ARN; needs
    /// `sender_kms_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_sms_sender: Option<String>,

    /// The KMS key (ARN) Cognito encrypts codes with for the custom senders (`KMSKeyID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_kms_key: Option<String>,

    /// Days poolctl's PreSignUp trigger's logs are kept.
    #[serde(default = "default_log_retention")]
    pub log_retention_days: u16,

    /// The customer managed KMS key that encrypts the trigger's log group: a key ARN
    /// (`arn:aws:kms:<region>:<account>:key/<key id>`, in the stack's region; not an alias), or
    /// `{{resolve:ssm:<parameter>}}` holding one. Its key policy must let
    /// `logs.<region>.amazonaws.com` use it. Without it, CloudWatch Logs encrypts the logs with
    /// its own key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group_kms_key: Option<String>,
}

fn default_log_retention() -> u16 {
    30
}

impl Default for Triggers {
    fn default() -> Self {
        Self {
            pre_sign_up: None,
            pre_sign_up_arn: None,
            inbound_federation: false,
            inbound_federation_arn: None,
            post_confirmation: None,
            pre_authentication: None,
            post_authentication: None,
            pre_token_generation: None,
            custom_message: None,
            user_migration: None,
            define_auth_challenge: None,
            create_auth_challenge: None,
            verify_auth_challenge: None,
            custom_email_sender: None,
            custom_sms_sender: None,
            sender_kms_key: None,
            log_retention_days: default_log_retention(),
            log_group_kms_key: None,
        }
    }
}

/// The pre token generation trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreTokenGeneration {
    /// The function's ARN.
    pub arn: String,
    /// The event version: `v1` (ID token), `v2` (also the access token; essentials plan or
    /// above), `v3` (also client-credentials tokens; essentials plan or above).
    #[serde(default)]
    pub version: PreTokenVersion,
}

/// The pre token generation event version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreTokenVersion {
    #[default]
    V1,
    V2,
    V3,
}

impl PreTokenVersion {
    /// The name as the spec writes it.
    pub fn name(self) -> &'static str {
        match self {
            PreTokenVersion::V1 => "v1",
            PreTokenVersion::V2 => "v2",
            PreTokenVersion::V3 => "v3",
        }
    }

    /// CloudFormation's `LambdaVersion`.
    pub fn lambda_version(self) -> &'static str {
        match self {
            PreTokenVersion::V1 => "V1_0",
            PreTokenVersion::V2 => "V2_0",
            PreTokenVersion::V3 => "V3_0",
        }
    }
}

/// One trigger that points at an existing function: where the spec says it and what
/// CloudFormation calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnTrigger<'a> {
    /// The spec path of the ARN (`triggers.post_confirmation`).
    pub path: &'static str,
    /// The trigger's name in `LambdaConfig` (`PostConfirmation`), also the base of its
    /// permission's logical ID.
    pub name: &'static str,
    /// The function's ARN.
    pub arn: &'a str,
}

impl Triggers {
    /// Every trigger given by ARN, in `LambdaConfig` order. The one list: validation checks
    /// each ARN, and the template gives each its `LambdaConfig` entry and its permission.
    pub fn by_arn(&self) -> Vec<ArnTrigger<'_>> {
        let entries: [(&'static str, &'static str, Option<&str>); 13] = [
            (
                "triggers.pre_sign_up_arn",
                "PreSignUp",
                self.pre_sign_up_arn.as_deref(),
            ),
            (
                "triggers.post_confirmation",
                "PostConfirmation",
                self.post_confirmation.as_deref(),
            ),
            (
                "triggers.pre_authentication",
                "PreAuthentication",
                self.pre_authentication.as_deref(),
            ),
            (
                "triggers.post_authentication",
                "PostAuthentication",
                self.post_authentication.as_deref(),
            ),
            (
                "triggers.pre_token_generation.arn",
                "PreTokenGeneration",
                self.pre_token_generation.as_ref().map(|p| p.arn.as_str()),
            ),
            (
                "triggers.custom_message",
                "CustomMessage",
                self.custom_message.as_deref(),
            ),
            (
                "triggers.user_migration",
                "UserMigration",
                self.user_migration.as_deref(),
            ),
            (
                "triggers.define_auth_challenge",
                "DefineAuthChallenge",
                self.define_auth_challenge.as_deref(),
            ),
            (
                "triggers.create_auth_challenge",
                "CreateAuthChallenge",
                self.create_auth_challenge.as_deref(),
            ),
            (
                "triggers.verify_auth_challenge",
                "VerifyAuthChallengeResponse",
                self.verify_auth_challenge.as_deref(),
            ),
            (
                "triggers.custom_email_sender",
                "CustomEmailSender",
                self.custom_email_sender.as_deref(),
            ),
            (
                "triggers.custom_sms_sender",
                "CustomSMSSender",
                self.custom_sms_sender.as_deref(),
            ),
            (
                "triggers.inbound_federation_arn",
                "InboundFederation",
                self.inbound_federation_arn.as_deref(),
            ),
        ];
        entries
            .into_iter()
            .filter_map(|(path, name, arn)| arn.map(|arn| ArnTrigger { path, name, arn }))
            .collect()
    }
}
