//! Tags within Cognito's limits.

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
            if value.chars().count() > 256 {
                self.error(
                    &path,
                    "a tag value may have at most 256 characters",
                    "shorten it",
                );
            }
        }
    }
}
