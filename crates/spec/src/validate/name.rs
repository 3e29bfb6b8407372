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
                "use 1 to 64 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. `acme-users`",
            );
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
