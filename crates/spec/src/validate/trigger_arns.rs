//! Triggers that point at an existing function by ARN: the ARNs, what each trigger needs
//! beside it, and what poolctl cannot see into.

use crate::model::AuthFlow;

use super::triggers::is_kms_key_arn;
use super::Checker;

impl Checker<'_> {
    pub(super) fn trigger_arns(&mut self) {
        let triggers = &self.spec.triggers;
        for trigger in triggers.by_arn() {
            if !is_lambda_function_arn(trigger.arn) {
                self.error(
                    trigger.path,
                    format!("{:?} is not the ARN of a Lambda function", trigger.arn),
                    "write `arn:aws:lambda:<region>:<account>:function:<name>` (optionally with `:<alias or version>`)",
                );
            }
        }
        if triggers.pre_sign_up.is_some() && triggers.pre_sign_up_arn.is_some() {
            self.error_at_key(
                "triggers.pre_sign_up_arn",
                "a pool has one PreSignUp trigger: poolctl's (`pre_sign_up`) or a function of your own (`pre_sign_up_arn`), not both",
                "remove one of them",
            );
        } else if triggers.pre_sign_up_arn.is_some() {
            self.warning(
                "triggers.pre_sign_up_arn",
                "poolctl cannot see into a PreSignUp function given by ARN: which sign-ups it confirms and which addresses it marks verified are unknown to `check` and `explain`",
                "use poolctl's own trigger (`pre_sign_up` with a policy) to have the verification rules checked",
            );
        }
        let challenge = [
            (
                "triggers.define_auth_challenge",
                &triggers.define_auth_challenge,
            ),
            (
                "triggers.create_auth_challenge",
                &triggers.create_auth_challenge,
            ),
            (
                "triggers.verify_auth_challenge",
                &triggers.verify_auth_challenge,
            ),
        ];
        let set = challenge.iter().filter(|(_, arn)| arn.is_some()).count();
        if set > 0 && set < challenge.len() {
            let missing: Vec<&str> = challenge
                .iter()
                .filter(|(_, arn)| arn.is_none())
                .map(|(path, _)| path.trim_start_matches("triggers."))
                .collect();
            let given = challenge
                .iter()
                .find(|(_, arn)| arn.is_some())
                .map_or("triggers", |(path, _)| *path);
            // AWS accepts a partial set; custom authentication fails at sign-in until it is whole.
            self.warning(
                given,
                format!(
                    "custom authentication needs all three challenge triggers and fails at sign-in without them; missing: {}",
                    missing.join(", ")
                ),
                "add the missing triggers, or remove the custom authentication triggers",
            );
        }
        if set == challenge.len()
            && !self
                .spec
                .clients
                .iter()
                .any(|c| c.auth_flows.iter().any(|f| f.current() == AuthFlow::Custom))
        {
            self.warning(
                "triggers.define_auth_challenge",
                "custom authentication triggers are set but no client allows the `custom` flow",
                "add `custom` to the auth_flows of the clients that use custom authentication",
            );
        }
        let senders =
            triggers.custom_email_sender.is_some() || triggers.custom_sms_sender.is_some();
        match &triggers.sender_kms_key {
            None if senders => {
                let path = if triggers.custom_email_sender.is_some() {
                    "triggers.custom_email_sender"
                } else {
                    "triggers.custom_sms_sender"
                };
                self.error(
                    path,
                    "a custom sender receives codes encrypted with a KMS key, and no `sender_kms_key` is given",
                    "add `sender_kms_key: arn:aws:kms:<region>:<account>:key/<key id>`",
                );
            }
            Some(_) if !senders => self.warning(
                "triggers.sender_kms_key",
                "`sender_kms_key` has no effect without a custom email or SMS sender",
                "remove it, or add `custom_email_sender` or `custom_sms_sender`",
            ),
            Some(key) if !is_kms_key_arn(key) => self.error(
                "triggers.sender_kms_key",
                format!("{key:?} is not the ARN of a KMS key"),
                "write the key's ARN, `arn:aws:kms:<region>:<account>:key/<key id>`",
            ),
            _ => {}
        }
        if triggers.user_migration.is_some()
            && !self.spec.clients.iter().any(|c| {
                c.auth_flows.iter().any(|f| {
                    matches!(
                        f.current(),
                        AuthFlow::UserPassword | AuthFlow::AdminUserPassword
                    )
                })
            })
        {
            self.warning(
                "triggers.user_migration",
                "Cognito migrates a user at sign-in only when it receives the password in the clear, and no client allows `user_password` or `admin_user_password`",
                "add `user_password` (or `admin_user_password` for a backend) to the client users migrate through",
            );
        }
    }
}

/// `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
pub(super) fn is_lambda_function_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.split(':').collect();
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    (parts.len() == 7 || parts.len() == 8)
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "lambda"
        && word(parts[3])
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5] == "function"
        && word(parts[6])
        && parts[6].len() <= 64
        && parts
            .get(7)
            .is_none_or(|q| word(q) || q.eq_ignore_ascii_case("$LATEST"))
}
