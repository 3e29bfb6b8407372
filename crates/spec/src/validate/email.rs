//! Email sending: Cognito's sender or SES, and the SES settings.

use crate::model::EmailSender;

use super::Checker;

impl Checker<'_> {
    pub(super) fn email(&mut self) {
        let email = &self.spec.email;
        match (email.sending, &email.ses) {
            (EmailSender::Ses, None) => self.error(
                "email.ses",
                "`sending: ses` needs the SES settings",
                "add `ses: { source_arn: arn:aws:ses:<region>:<account>:identity/<identity>, from: \"Name <no-reply@example.com>\" }`",
            ),
            (EmailSender::Cognito, Some(_)) => self.error(
                "email.ses",
                "SES settings are given but `sending` is `cognito`, so they would be ignored",
                "set `sending: ses`, or remove `ses`",
            ),
            (EmailSender::Ses, Some(ses)) => {
                if !is_ses_identity_arn(&ses.source_arn) {
                    self.error(
                        "email.ses.source_arn",
                        format!("{:?} is not an SES identity ARN", ses.source_arn),
                        "write `arn:aws:ses:<region>:<12-digit account>:identity/<domain or address>`",
                    );
                }
                if !looks_like_address(&ses.from) {
                    self.error(
                        "email.ses.from",
                        format!("{:?} has no email address", ses.from),
                        "write an address, optionally with a display name: `Acme <no-reply@acme.example>`",
                    );
                }
                if let Some(reply_to) = &ses.reply_to {
                    if !looks_like_address(reply_to) {
                        self.error(
                            "email.ses.reply_to",
                            format!("{reply_to:?} is not an email address"),
                            "write an address such as `support@acme.example`",
                        );
                    }
                }
            }
            (EmailSender::Cognito, None) => {}
        }
    }
}

fn is_ses_identity_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "ses"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5]
            .strip_prefix("identity/")
            .is_some_and(|identity| !identity.is_empty())
}

/// An address, bare or as `Name <address>`.
fn looks_like_address(value: &str) -> bool {
    let address = match (value.rfind('<'), value.strip_suffix('>')) {
        (Some(start), Some(_)) => &value[start + 1..value.len() - 1],
        _ => value,
    };
    match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !address.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(looks_like_address("Acme <no-reply@acme.example>"));
        assert!(looks_like_address("no-reply@acme.example"));
        assert!(!looks_like_address("Acme"));
    }
}
