//! The pool name: it names the stack and the resources.

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
    }
}
