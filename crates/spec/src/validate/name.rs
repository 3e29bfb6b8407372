//! The pool name (it names the stack and the resources) and its description.

use crate::model::MAX_TEMPLATE_DESCRIPTION;

use super::Checker;

impl Checker<'_> {
    pub(super) fn name(&mut self) {
        let name = &self.spec.name;
        let valid = (1..=64).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.ends_with('-');
        if !valid {
            self.error(
                "name",
                format!("pool name {name:?} is not valid: it names the stack (`poolctl-<name>`) and resources"),
                "use 1 to 64 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. `acme-users`; to keep another name for the pool in Cognito, write it as `pool_name`",
            );
        }
        if let Some(pool_name) = &self.spec.pool_name {
            // Cognito's UserPoolName pattern: CloudFormation fails the stack on anything else.
            if !cognito_name_valid(pool_name) {
                self.error(
                    "pool_name",
                    format!("pool_name {pool_name:?} is not valid: Cognito takes 1 to 128 letters, digits, spaces and `_+=,.@-` (UserPoolName), and CloudFormation fails the stack otherwise"),
                    "use such a name, e.g. `Acme Users`",
                );
            }
        }
        self.description();
    }

    fn description(&mut self) {
        let Some(description) = &self.spec.description else {
            return;
        };
        let rendered = self.spec.template_description().len();
        if rendered > MAX_TEMPLATE_DESCRIPTION {
            let room = MAX_TEMPLATE_DESCRIPTION.saturating_sub(rendered - description.len());
            self.error(
                "description",
                format!(
                    "the description is {} bytes; with the text poolctl puts around it the template's Description would be {rendered} bytes, over CloudFormation's limit of {MAX_TEMPLATE_DESCRIPTION}",
                    description.len()
                ),
                format!("shorten the description to at most {room} bytes (UTF-8)"),
            );
        }
    }
}

/// Cognito's pattern for pool and client names (`UserPoolName`, `ClientName`):
/// `[\w\s+=,.@-]+`, 1 to 128 characters; `\w` and `\s` are ASCII there.
pub(super) fn cognito_name_valid(name: &str) -> bool {
    (1..=128).contains(&name.chars().count())
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '_' | ' '
                        | '\t'
                        | '\n'
                        | '\u{0B}'
                        | '\u{0C}'
                        | '\r'
                        | '+'
                        | '='
                        | ','
                        | '.'
                        | '@'
                        | '-'
                )
        })
}

/// What a name keeps in a CloudFormation logical ID (the template's `logical_id_part`):
/// its ASCII letters and digits, each word capitalized, so names equal here collide.
pub(super) fn logical_id_key(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{cognito_name_valid, logical_id_key};

    #[test]
    fn names_as_cognito_takes_them() {
        for ok in ["web", "Web App", "my_pool+dev=1,a.b@c-d", "A"] {
            assert!(cognito_name_valid(ok), "{ok}");
        }
        let long = "a".repeat(129);
        for bad in ["", "web/app", "café", "a|b", long.as_str()] {
            assert!(!cognito_name_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn logical_id_keys_collapse_like_the_template() {
        assert_eq!(logical_id_key("web-app"), "WebApp");
        assert_eq!(logical_id_key("Web App"), "WebApp");
        assert_ne!(logical_id_key("web1"), logical_id_key("web2"));
    }
}
