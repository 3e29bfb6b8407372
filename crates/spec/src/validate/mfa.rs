//! Multi-factor authentication: the factors, the email MFA message and what email MFA needs.

use std::collections::BTreeSet;

use crate::model::{EmailSender, MfaFactor, MfaMode};

use super::Checker;

/// The code placeholder Cognito puts the code in.
const CODE_PLACEHOLDER: &str = "{####}";

impl Checker<'_> {
    pub(super) fn mfa(&mut self) {
        let mfa = &self.spec.mfa;
        if mfa.mode != MfaMode::Off && mfa.factors.is_empty() {
            self.error(
                "mfa.factors",
                "MFA is on but no factor is offered",
                "list at least one of `totp`, `email` and `sms`",
            );
        }
        let mut seen = BTreeSet::new();
        for (i, factor) in mfa.factors.iter().enumerate() {
            let path = format!("mfa.factors[{i}]");
            if !seen.insert(format!("{factor:?}")) {
                self.error(path, "this factor is listed twice", "remove the duplicate");
                continue;
            }
            match factor {
                MfaFactor::Sms => self.needs_sms(path, "SMS MFA", "use `totp` or `email`"),
                MfaFactor::Email if self.spec.email.sending != EmailSender::Ses => self.error(
                    path,
                    "email MFA needs email sent through Amazon SES",
                    "set `email: { sending: ses, ses: { ... } }`",
                ),
                MfaFactor::Email | MfaFactor::Totp => {}
            }
        }
        if let Some(message) = &mfa.email_message {
            if !mfa.factors.contains(&MfaFactor::Email) || mfa.mode == MfaMode::Off {
                self.warning(
                    "mfa.email_message",
                    "`email_message` has no effect: email MFA is not on",
                    "add `email` to mfa.factors with `mode: optional` or `required`, or remove `email_message`",
                );
            }
            if !message.body.contains(CODE_PLACEHOLDER) {
                self.error(
                    "mfa.email_message.body",
                    "the email MFA message must contain the code placeholder `{####}`",
                    "write e.g. `Your sign-in code is {####}`",
                );
            } else if message.body.len() > 20_000 {
                self.error(
                    "mfa.email_message.body",
                    "the email MFA message is longer than Cognito's 20000 characters",
                    "shorten it",
                );
            }
            if message.subject.is_empty() || message.subject.len() > 140 {
                self.error(
                    "mfa.email_message.subject",
                    "the email MFA subject must have 1 to 140 characters",
                    "write a short subject such as `Your sign-in code`",
                );
            }
        }
        if mfa.mode == MfaMode::Off && mfa.factors != [MfaFactor::Totp] {
            self.warning(
                "mfa.factors",
                "`factors` has no effect while MFA is off",
                "set `mode: optional` or `mode: required`, or remove `factors`",
            );
        }
    }
}
