//! Tags within Cognito's and IAM's limits (the tags go on every resource that takes them,
//! the trigger's role included).

use crate::locate::child_path;

use super::Checker;

impl Checker<'_> {
    pub(super) fn tags(&mut self) {
        if self.spec.tags.len() > 50 {
            self.error("tags", "Cognito allows at most 50 tags", "remove some tags");
        }
        for (key, value) in &self.spec.tags {
            let path = child_path("tags", key);
            if key.is_empty()
                || key.chars().count() > 128
                || key.to_ascii_lowercase().starts_with("aws:")
            {
                self.error_at_key(
                    &path,
                    format!("tag key {key:?} is not valid"),
                    "use 1 to 128 characters, not starting with `aws:`",
                );
            }
            if let Some(bad) = key.chars().find(|c| !tag_char(*c)) {
                self.error_at_key(
                    &path,
                    format!("tag key {key:?} has the character {bad:?}, which AWS does not allow in tags"),
                    TAG_CHARACTERS,
                );
            }
            if names_a_secret(key) {
                self.error_at_key(
                    &path,
                    format!("tag key {key:?} says it holds a secret, and a tag is plain text that anyone who can read the pool sees (it cannot be a dynamic reference)"),
                    "keep secrets in Secrets Manager, out of tags, and rename the tag",
                );
            }
            if value.chars().count() > 256 {
                self.error(
                    &path,
                    "a tag value may have at most 256 characters",
                    "shorten it",
                );
            }
            if let Some(bad) = value.chars().find(|c| !tag_char(*c)) {
                self.error(
                    &path,
                    format!("the value of tag {key:?} has the character {bad:?}, which AWS does not allow in tags"),
                    TAG_CHARACTERS,
                );
            }
        }
    }
}

const TAG_CHARACTERS: &str =
    "use letters, digits, spaces and `_ . : / = + - @` only (the pattern of CloudFormation's tag schemas)";

/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, the tag pattern of the resource schemas.
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

/// Whether a property or tag name says it holds a secret: it contains `secret`, `password`,
/// `passwd` or `private_key`/`privatekey`, in any case. The pattern guard/secrets.guard applies
/// to the template's property names.
pub fn names_a_secret(name: &str) -> bool {
    let name = name.to_lowercase();
    ["secret", "password", "passwd", "private_key", "privatekey"]
        .iter()
        .any(|word| name.contains(word))
}

#[cfg(test)]
mod tests {
    use super::names_a_secret;

    #[test]
    fn secret_names() {
        assert!(names_a_secret("db-Password"));
        assert!(names_a_secret("ClientSecret"));
        assert!(names_a_secret("private_key"));
        assert!(names_a_secret("PrivateKey"));
        assert!(!names_a_secret("private-key"));
        assert!(!names_a_secret("environment"));
    }
}
