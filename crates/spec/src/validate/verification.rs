//! Verification: auto-verified attributes, keeping the old email until the new one is
//! verified, the verification message, and account recovery.

use std::collections::BTreeSet;

use crate::model::{MessageStyle, RecoveryMechanism, VerifiableAttribute, VerificationMessage};

use super::Checker;

impl Checker<'_> {
    pub(super) fn verification(&mut self) {
        let v = &self.spec.verification;
        let mut seen = BTreeSet::new();
        for (i, attribute) in v.auto_verify.iter().enumerate() {
            if !seen.insert(*attribute) {
                self.error(
                    format!("verification.auto_verify[{i}]"),
                    "listed twice",
                    "remove the duplicate",
                );
            }
            if *attribute == VerifiableAttribute::Phone {
                self.needs_sms(
                    format!("verification.auto_verify[{i}]"),
                    "phone verification",
                    "remove `phone` from verification.auto_verify",
                );
            }
        }
        for (i, attribute) in v.keep_original_until_verified.iter().enumerate() {
            if !v.auto_verify.contains(attribute) {
                let name = attribute.spec_name();
                self.error(
                    format!("verification.keep_original_until_verified[{i}]"),
                    format!(
                        "`{name}` is kept until verified but is not auto-verified; CloudFormation rejects this (AttributesRequireVerificationBeforeUpdate must be a subset of AutoVerifiedAttributes)"
                    ),
                    format!(
                        "add `{name}` to verification.auto_verify, or remove it from verification.keep_original_until_verified"
                    ),
                );
            }
        }
        if self.spec.email_change_unkept() {
            self.warning(
                "verification.keep_original_until_verified",
                "email can change but the old address is not kept until the new one is verified: a user who changes their email (or mistypes it) is left with an unverified address and cannot reset their password",
                "add `email` to verification.keep_original_until_verified",
            );
        }

        // The message; Cognito's own needs no check.
        if let Some(message) = v.message.message() {
            self.verification_message(message);
        }

        // Account recovery.
        let recovery = &v.account_recovery;
        if recovery.is_empty() {
            self.error(
                "verification.account_recovery",
                "no account recovery mechanism: users who forget their password are locked out",
                "use `[verified_email]`, or `[admin_only]` if only administrators may recover accounts",
            );
        }
        if recovery.contains(&RecoveryMechanism::AdminOnly) && recovery.len() > 1 {
            self.error(
                "verification.account_recovery",
                "`admin_only` excludes the other recovery mechanisms",
                "use `[admin_only]` alone, or remove it",
            );
        }
        if recovery.contains(&RecoveryMechanism::Legacy) {
            if recovery.len() > 1 {
                self.error(
                    "verification.account_recovery",
                    "`legacy` (no AccountRecoverySetting) excludes the other recovery mechanisms",
                    "use `[legacy]` alone, or state the mechanisms instead",
                );
            } else {
                self.warning(
                    "verification.account_recovery",
                    "Cognito's legacy recovery: a code goes by SMS to a verified phone number before email, so whoever holds the phone can reset the password",
                    "state the mechanisms, e.g. `[verified_email]`",
                );
            }
        }
        if recovery.len() > 2 {
            self.error(
                "verification.account_recovery",
                "Cognito allows at most two recovery mechanisms",
                "keep two",
            );
        }
        let mut seen = Vec::new();
        for (i, mechanism) in recovery.iter().enumerate() {
            let path = format!("verification.account_recovery[{i}]");
            if seen.contains(mechanism) {
                self.error(&path, "listed twice", "remove the duplicate");
            }
            seen.push(*mechanism);
            if *mechanism == RecoveryMechanism::VerifiedPhone
                && !v.auto_verify.contains(&VerifiableAttribute::Phone)
            {
                // AWS accepts it (and other tools write it by default): recovery simply
                // falls through to the next mechanism, so warn rather than refuse.
                let why = if self.spec.sms.is_none() {
                    "there is no `sms` block"
                } else {
                    "`phone` is not in verification.auto_verify"
                };
                self.warning(
                    path,
                    format!("recovery by verified phone, but phone numbers are never verified in this pool ({why}): no user can recover their account this way"),
                    "use `verified_email`, or add an `sms` block and `phone` to verification.auto_verify",
                );
            } else if *mechanism == RecoveryMechanism::VerifiedEmail
                && !v.auto_verify.contains(&VerifiableAttribute::Email)
            {
                self.warning(
                    path,
                    "recovery by verified email, but email is not auto-verified: users who sign themselves up never get a verified address and cannot reset their password",
                    "add `email` to verification.auto_verify",
                );
            }
        }
    }
}

impl Checker<'_> {
    fn verification_message(&mut self, message: &VerificationMessage) {
        let base = "verification.message";
        self.message_text(base, message.style, &message.subject, &message.body);
        if message.style == MessageStyle::Link && self.spec.domain.is_none() {
            self.warning(
                format!("{base}.style"),
                "verification links point at the pool's hosted domain, and this pool has no `domain`",
                "add a `domain`, or use `style: code`",
            );
        }
        if let Some(other) = &message.other_style {
            let style = match message.style {
                MessageStyle::Code => MessageStyle::Link,
                MessageStyle::Link => MessageStyle::Code,
            };
            self.message_text(
                &format!("{base}.other_style"),
                style,
                &other.subject,
                &other.body,
            );
        }
    }

    /// A verification email of `style`: the placeholder Cognito requires and the lengths it
    /// takes.
    fn message_text(&mut self, base: &str, style: MessageStyle, subject: &str, body: &str) {
        match style {
            MessageStyle::Code if !body.contains("{####}") => self.error(
                format!("{base}.body"),
                "a code verification message must contain the code placeholder `{####}`; Cognito rejects the pool otherwise",
                "put `{####}` in the body, e.g. \"Your verification code is {####}\"",
            ),
            MessageStyle::Link if !has_link_placeholder(body) => self.error(
                format!("{base}.body"),
                "a link verification message must contain a link placeholder `{##...##}`; Cognito rejects the pool otherwise",
                "put the link text between `{##` and `##}` in the body, e.g. \"{##Verify your email##}\"",
            ),
            _ => {}
        }
        if subject.trim().is_empty() || subject.chars().count() > 140 {
            self.error(
                format!("{base}.subject"),
                "the subject must have 1 to 140 characters",
                "write a short subject such as \"Your verification code\"",
            );
        }
        if body.chars().count() > 20_000 {
            self.error(
                format!("{base}.body"),
                "the body is longer than 20000 characters",
                "shorten it",
            );
        }
    }
}

fn has_link_placeholder(body: &str) -> bool {
    // `{####}` (the code placeholder) also starts with `{##` and ends with `##}`: not a link.
    let body = body.replace("{####}", "");
    body.find("{##")
        .is_some_and(|start| body[start + 3..].contains("##}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_placeholders() {
        assert!(has_link_placeholder("Click {##Verify Email##}"));
        assert!(!has_link_placeholder("Your code is {####}"));
        assert!(!has_link_placeholder("no placeholder"));
    }
}
