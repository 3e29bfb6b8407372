//! SMS sending: the `sms` block (role, external ID, SNS Region, messages), and the one refusal
//! of everything that sends SMS while the pool has no `sms` block.

use crate::model::{FirstFactor, MfaFactor, MfaMode, SnsRole, VerifiableAttribute};

use super::groups::is_iam_role_arn;
use super::Checker;

/// The code placeholder Cognito puts the code in.
const CODE_PLACEHOLDER: &str = "{####}";

/// How to add SMS sending, for every refusal's help.
const ADD_SMS: &str =
    "add `sms: { sns_role: create }` (or `sns_role: <role ARN>`) so that the pool can send SMS";

impl Checker<'_> {
    pub(super) fn sms(&mut self) {
        let Some(sms) = &self.spec.sms else {
            return;
        };
        if let Some(SnsRole::Arn(arn)) = sms.role() {
            if !is_iam_role_arn(arn) {
                self.error(
                    "sms.sns_role",
                    format!("{arn:?} is neither `create` nor the ARN of an IAM role"),
                    "write `create` to have the template create the role, or `arn:aws:iam::<12-digit account>:role/<name>`",
                );
            }
        }
        if let Some(id) = &sms.external_id {
            if !is_external_id(id) {
                self.error(
                    "sms.external_id",
                    "an external ID has 2 to 1224 characters, letters, digits and `_+=,.@:/-` only",
                    "write a short, non-secret name such as `acme-users-sms`",
                );
            }
        }
        if let Some(region) = &sms.sns_region {
            if !is_region(region) {
                self.error(
                    "sms.sns_region",
                    format!("{region:?} is not an AWS Region"),
                    "write a Region code such as `us-east-1` or `eu-west-1`, or remove it to use the pool's Region",
                );
            }
        }
        for (key, text) in [
            ("verification_message", &sms.verification_message),
            ("authentication_message", &sms.authentication_message),
        ] {
            let Some(text) = text else { continue };
            let path = format!("sms.{key}");
            if !text.contains(CODE_PLACEHOLDER) {
                self.error(
                    path,
                    "an SMS code message must contain the code placeholder `{####}`; Cognito rejects the pool otherwise",
                    "put `{####}` in the message, e.g. \"Your code is {####}\"",
                );
            } else if !(6..=140).contains(&text.chars().count()) {
                self.error(
                    path,
                    "an SMS message has 6 to 140 characters",
                    "shorten it: one SMS holds the code and a few words",
                );
            }
        }
        if sms.sns_role.is_none() {
            let held = [
                sms.verification_message.is_some(),
                sms.authentication_message.is_some(),
            ];
            let message = if held.contains(&true) {
                "the `sms` block has no `sns_role`, so the pool sends no SMS and these messages are never sent"
            } else {
                "the `sms` block has no `sns_role`, so the pool sends no SMS"
            };
            self.warning(
                "sms",
                message,
                "add `sns_role: create` (or `sns_role: <role ARN>`) for the pool to send SMS, or remove the `sms` block",
            );
        }
        let verifies_phone = self
            .spec
            .verification
            .auto_verify
            .contains(&VerifiableAttribute::Phone);
        if sms.verification_message.is_some() && !verifies_phone {
            self.warning(
                "sms.verification_message",
                "`verification_message` has no effect: phone is not in verification.auto_verify",
                "add `phone` to verification.auto_verify, or remove `verification_message`",
            );
        }
        let mfa = &self.spec.mfa;
        let sends_codes = (mfa.mode != MfaMode::Off && mfa.factors.contains(&MfaFactor::Sms))
            || self
                .spec
                .sign_in
                .first_factors
                .contains(&FirstFactor::SmsOtp);
        if sms.authentication_message.is_some() && !sends_codes {
            self.warning(
                "sms.authentication_message",
                "`authentication_message` has no effect: neither SMS MFA nor the `sms_otp` first factor is on",
                "add `sms` to mfa.factors or `sms_otp` to sign_in.first_factors, or remove `authentication_message`",
            );
        }
    }

    /// Refuses `what`, which sends SMS, at `path` when the pool has no `sms` block. The one
    /// home of that rule: MFA, first factors and verification all ask here.
    pub(super) fn needs_sms(&mut self, path: impl Into<String>, what: &str, instead: &str) {
        if !self.spec.sends_sms() {
            self.error(
                path,
                if self.spec.sms.is_none() {
                    format!("{what} sends codes by SMS, and this pool has no `sms` block to send them with")
                } else {
                    format!("{what} sends codes by SMS, and this pool's `sms` block has no `sns_role` to send them with")
                },
                format!("{ADD_SMS}, or {instead}"),
            );
        }
    }
}

/// `sts:ExternalId`: 2 to 1224 characters of `[\w+=,.@:/-]`.
fn is_external_id(id: &str) -> bool {
    (2..=1224).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c))
}

/// A Region code: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`.
fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let letters = |s: &&str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase());
    parts.len() >= 3
        && parts.len() <= 4
        && parts[0].len() == 2
        && letters(&parts[0])
        && parts[1..parts.len() - 1].iter().all(letters)
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for good in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-5",
        ] {
            assert!(is_region(good), "{good}");
        }
        for bad in [
            "",
            "us-east",
            "useast1",
            "US-EAST-1",
            "us-east-1a",
            "virginia",
            "us--1",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }

    #[test]
    fn external_ids() {
        assert!(is_external_id("acme-users-sms"));
        assert!(is_external_id("a:b/c=d,e.f@g+h_i"));
        assert!(!is_external_id("x"));
        assert!(!is_external_id("has space"));
        assert!(!is_external_id(&"a".repeat(1225)));
    }
}
