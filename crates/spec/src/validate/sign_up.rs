//! Who creates users: administrators only, and the invitation they send. The limits are the
//! API's own (`MessageTemplateType` in the Cognito API reference): a message without the
//! temporary password placeholder fails the deploy.

use super::Checker;

/// The placeholder Cognito puts the temporary password in.
const PASSWORD_PLACEHOLDER: &str = "{####}";

/// The placeholder Cognito puts the username in.
const USERNAME_PLACEHOLDER: &str = "{username}";

/// Where the limits come from, for every refusal's help.
const LIMITS: &str = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_MessageTemplateType.html";

impl Checker<'_> {
    pub(super) fn sign_up(&mut self) {
        let Some(invitation) = &self.spec.sign_up.invitation else {
            return;
        };
        if let Some(subject) = &invitation.email_subject {
            if !(1..=140).contains(&subject.chars().count()) {
                self.error(
                    "sign_up.invitation.email_subject",
                    "an invitation's subject has 1 to 140 characters; CloudFormation fails the pool otherwise",
                    format!("shorten it (limits: {LIMITS})"),
                );
            }
        }
        for (key, text, most) in [
            ("email_message", &invitation.email_message, 20_000),
            ("sms_message", &invitation.sms_message, 140),
        ] {
            let Some(text) = text else { continue };
            let path = format!("sign_up.invitation.{key}");
            if !text.contains(PASSWORD_PLACEHOLDER) {
                self.error(
                    path,
                    "an invitation must contain the temporary password placeholder `{####}`; CloudFormation fails the pool otherwise",
                    format!("put `{{####}}` in it, e.g. \"Your username is {{username}} and your temporary password is {{####}}\" ({LIMITS})"),
                );
            } else if !(6..=most).contains(&text.chars().count()) {
                self.error(
                    path,
                    format!("an invitation {key} has 6 to {most} characters; CloudFormation fails the pool otherwise"),
                    format!("shorten it (limits: {LIMITS})"),
                );
            } else if !text.contains(USERNAME_PLACEHOLDER) {
                self.warning(
                    path,
                    "the invitation does not say the username (`{username}`), so the user cannot sign in with it unless told otherwise",
                    "add `{username}` to the message",
                );
            }
        }
    }
}
