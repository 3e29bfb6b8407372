//! Sign-in identifiers: username kind, aliases, the duplicate-email policy, case sensitivity.

use std::collections::BTreeSet;

use crate::model::{Alias, UsernameKind, VerifiableAttribute};

use super::Checker;

impl Checker<'_> {
    pub(super) fn sign_in(&mut self) {
        let sign_in = &self.spec.sign_in;
        if sign_in.username != UsernameKind::Username && !sign_in.aliases.is_empty() {
            self.error(
                "sign_in.aliases",
                format!(
                    "aliases are only possible with `username: username`, not `username: {}`",
                    username_kind_name(sign_in.username)
                ),
                "remove `aliases`, or set `username: username` to let users sign in with a chosen username plus these aliases",
            );
        }
        let mut seen = BTreeSet::new();
        for (i, alias) in sign_in.aliases.iter().enumerate() {
            if !seen.insert(*alias) {
                self.error(
                    format!("sign_in.aliases[{i}]"),
                    "this alias is listed twice",
                    "remove the duplicate",
                );
            }
        }
        let email_alias = sign_in.email_is_alias();
        if email_alias && sign_in.duplicate_email.is_none() {
            self.warning(
                "sign_in.duplicate_email",
                "email is an alias but no duplicate-email policy is stated: when a second account confirms the same address, Cognito either refuses it (AliasExistsException) or moves the alias and unverifies the first account's email",
                "add `duplicate_email: reject` (the first account keeps the address) or `duplicate_email: move_alias`",
            );
        }
        if sign_in.duplicate_email.is_some() && !email_alias {
            self.warning(
                "sign_in.duplicate_email",
                "`duplicate_email` has no effect: email is not an alias",
                "remove `duplicate_email`, or add `email` to `aliases`",
            );
        }
        let phone_identifies = matches!(
            sign_in.username,
            UsernameKind::Phone | UsernameKind::EmailOrPhone
        ) || sign_in.aliases.contains(&Alias::Phone);
        let verifies_phone = self
            .spec
            .verification
            .auto_verify
            .contains(&VerifiableAttribute::Phone);
        if phone_identifies && !(verifies_phone && self.spec.sends_sms()) {
            let path = if sign_in.aliases.contains(&Alias::Phone) {
                "sign_in.aliases"
            } else {
                "sign_in.username"
            };
            let (why, help) = if self.spec.sends_sms() {
                (
                    "phone is not in verification.auto_verify",
                    "add `phone` to verification.auto_verify",
                )
            } else {
                (
                    "the pool has no `sms` block to send codes with",
                    "add `sms: { sns_role: create }` and `phone` to verification.auto_verify, or sign in with email (`username: email`)",
                )
            };
            self.warning(
                path,
                format!("users sign in with a phone number, but phone numbers are never verified here ({why}): phone_number_verified stays false, so they cannot confirm or recover their account by phone"),
                help,
            );
        }
        let email_identifies = sign_in.email_is_username() || email_alias;
        if email_identifies && sign_in.case_sensitive {
            self.warning(
                "sign_in.case_sensitive",
                "case-sensitive sign-in with email: `Ann@example.com` and `ann@example.com` become two different users",
                "set `case_sensitive: false` (it cannot be changed once the pool is deployed)",
            );
        }
    }
}

fn username_kind_name(kind: UsernameKind) -> &'static str {
    match kind {
        UsernameKind::Email => "email",
        UsernameKind::Phone => "phone",
        UsernameKind::EmailOrPhone => "email_or_phone",
        UsernameKind::Username => "username",
    }
}
