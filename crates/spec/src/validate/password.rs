//! Password rules within Cognito's limits.

use super::Checker;

impl Checker<'_> {
    pub(super) fn password(&mut self) {
        let p = &self.spec.password;
        if !(6..=99).contains(&p.min_length) {
            self.error(
                "password.min_length",
                format!(
                    "minimum password length {} is outside Cognito's range 6 to 99",
                    p.min_length
                ),
                "use a value from 6 to 99; 12 or more is recommended",
            );
        }
        if p.temporary_password_validity_days > 365 {
            self.error(
                "password.temporary_password_validity_days",
                format!(
                    "temporary_password_validity_days: {} days is more than Cognito's maximum of 365",
                    p.temporary_password_validity_days
                ),
                "use a value from 0 to 365",
            );
        }
        if let Some(size) = p.history_size {
            if size > 24 {
                self.error(
                    "password.history_size",
                    format!("history_size: {size} is more than Cognito's maximum of 24"),
                    "use a value from 0 to 24",
                );
            }
        }
    }
}
