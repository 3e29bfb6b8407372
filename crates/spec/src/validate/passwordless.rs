//! Choice-based sign-in: the first factors, passkeys and their relying party, and what an
//! emailed one-time code needs of `email_verified` (and a texted one of
//! `phone_number_verified`).

use std::collections::BTreeSet;

use crate::model::{AuthFlow, EmailSender, FirstFactor, VerifiableAttribute};

use super::Checker;

impl Checker<'_> {
    pub(super) fn passwordless(&mut self) {
        let factors = &self.spec.sign_in.first_factors;
        let mut seen = BTreeSet::new();
        for (i, factor) in factors.iter().enumerate() {
            let path = format!("sign_in.first_factors[{i}]");
            if !seen.insert(factor.name()) {
                self.error(
                    path,
                    format!("`{}` is listed twice", factor.name()),
                    "remove the duplicate",
                );
                continue;
            }
            match factor {
                FirstFactor::EmailOtp => self.email_otp(&path),
                FirstFactor::SmsOtp => self.sms_otp(&path),
                FirstFactor::Passkey if self.spec.passkeys.is_none() => self.error(
                    path,
                    "`passkey` needs `passkeys` with the relying party",
                    "add `passkeys: { relying_party_id: <your domain> }`",
                ),
                FirstFactor::Passkey | FirstFactor::Password => {}
            }
        }
        if !factors.is_empty() && !factors.contains(&FirstFactor::Password) {
            self.warning(
                "sign_in.first_factors",
                "`password` is not among the first factors: users who have neither a verified email address nor a passkey cannot sign in",
                "add `password`; users who never set one still sign in with the other factors",
            );
        }
        let offers_choice = factors.iter().any(|f| *f != FirstFactor::Password);
        if offers_choice
            && !self.spec.clients.is_empty()
            && !self
                .spec
                .clients
                .iter()
                .any(|c| c.auth_flows.contains(&AuthFlow::UserAuth))
        {
            // AWS accepts it; the factors are just unreachable until a client allows the flow.
            self.warning(
                "sign_in.first_factors",
                "no client offers choice-based sign-in: it goes through the `user_auth` flow, which no client allows, so these factors cannot be used yet",
                "add `user_auth` to the auth_flows of the clients that offer these factors",
            );
        }
        self.passkeys();
    }

    fn email_otp(&mut self, path: &str) {
        let spec = self.spec;
        if !spec
            .verification
            .auto_verify
            .contains(&VerifiableAttribute::Email)
        {
            self.error(
                path,
                "`email_otp` sends codes only to a verified address, and email is not in verification.auto_verify: no user's address would be verified",
                "add `email` to verification.auto_verify",
            );
        }
        if spec.email.sending != EmailSender::Ses {
            // Cognito accepts the pool: the settings its default sender refuses are listed in
            // EmailConfigurationType, and the first factors are not among them (unlike email
            // MFA). The codes then share the default sender's small daily quota.
            self.warning(
                path,
                "`email_otp` codes go through Cognito's default email sender, which sends only a small number of messages a day per pool: beyond it, users cannot sign in by email code",
                "send through Amazon SES: `email: { sending: ses, ses: { ... } }`",
            );
        }
        // The ways a user of this pool can hold an unverified address, and so be unable to
        // sign in with an emailed code.
        let mut reasons = Vec::new();
        if !spec
            .verification
            .keep_original_until_verified
            .contains(&VerifiableAttribute::Email)
            && spec
                .verification
                .auto_verify
                .contains(&VerifiableAttribute::Email)
        {
            reasons.push("a changed email address is unverified until the user confirms it (email is not in keep_original_until_verified)");
        }
        if spec.triggers.pre_sign_up_arn.is_some() {
            reasons.push("the PreSignUp function given by ARN may confirm sign-ups without verifying their address");
        }
        if spec.triggers.user_migration.is_some() {
            reasons.push(
                "migrated users keep whatever email_verified the user_migration function returns",
            );
        }
        if !reasons.is_empty() {
            self.warning(
                path,
                format!(
                    "users whose email is unverified cannot sign in with an emailed code: {}",
                    reasons.join("; ")
                ),
                "keep another first factor (password or passkey) for them, and verify addresses before relying on email_otp",
            );
        }
    }

    fn sms_otp(&mut self, path: &str) {
        self.needs_sms(
            path,
            "`sms_otp`",
            "use `email_otp` or `passkey` for passwordless sign-in",
        );
        if self.spec.sends_sms()
            && !self
                .spec
                .verification
                .auto_verify
                .contains(&VerifiableAttribute::Phone)
        {
            self.error(
                path,
                "`sms_otp` sends codes only to a verified phone number, and phone is not in verification.auto_verify: no user's number would be verified",
                "add `phone` to verification.auto_verify",
            );
        }
    }

    fn passkeys(&mut self) {
        let Some(passkeys) = &self.spec.passkeys else {
            return;
        };
        if !self
            .spec
            .sign_in
            .first_factors
            .contains(&FirstFactor::Passkey)
        {
            self.warning(
                "passkeys",
                "`passkeys` has no effect: `passkey` is not among sign_in.first_factors",
                "add `passkey` to sign_in.first_factors, or remove `passkeys`",
            );
        }
        let rp = passkeys.relying_party_id.as_str();
        let path = "passkeys.relying_party_id";
        // WebAuthnConfigurationType: the relying party is "typically" the pool's domain, and
        // must be its custom domain only when the pool has one and signs in through managed
        // login. Without a domain, passkeys work through the SDK with the app's own domain.
        let Some(domain) = &self.spec.domain else {
            self.warning(
                path,
                format!("the pool has no domain, so passkeys for the relying party `{rp}` work only in your own app through the SDK, not in managed login"),
                "keep it if your app signs users in through the API; for managed login add a `domain` and make the relying party that domain",
            );
            return;
        };
        if let Some(custom) = &domain.custom {
            let name = custom.name.as_str();
            let parent = name
                .strip_suffix(rp)
                .is_some_and(|head| head.ends_with('.'))
                && rp.contains('.');
            if rp != name && !parent {
                // WebAuthnConfigurationType.RelyingPartyId: with a custom domain the relying
                // party must be that domain; passkeys registered for another are refused at
                // sign-in (WebAuthnRelyingPartyMismatchException).
                self.error(
                    path,
                    format!("the relying party `{rp}` is neither the custom domain `{name}` nor a parent of it; Cognito requires the custom domain as relying party (WebAuthnConfigurationType, https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_WebAuthnConfigurationType.html)"),
                    format!("use `{name}`, or a parent domain of it such as `{}`", name.split_once('.').map_or(name, |(_, rest)| rest)),
                );
            }
        } else if let Some(prefix) = &domain.prefix {
            let matches = rp
                .strip_prefix(&format!("{prefix}.auth."))
                .and_then(|rest| rest.strip_suffix(".amazoncognito.com"))
                .is_some_and(|region| {
                    !region.is_empty()
                        && region
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                });
            if !matches {
                // Not refused by Cognito: the app's own domain serves passkeys through the SDK.
                self.warning(
                    path,
                    format!("the relying party `{rp}` is not the pool's Cognito domain, so passkeys work only in your own app through the SDK, not in managed login"),
                    format!("keep it if your app signs users in through the API; for managed login use `{prefix}.auth.<region>.amazoncognito.com`"),
                );
            }
        }
    }
}
