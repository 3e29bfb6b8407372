//! Standard and custom attributes, and the questions other rules ask about them (does an
//! attribute exist, can it change after sign-up).

use crate::locate::child_path;
use crate::model::{CustomAttributeType, STANDARD_ATTRIBUTES, VERIFICATION_ATTRIBUTES};

use super::Checker;

impl Checker<'_> {
    pub(super) fn attributes(&mut self) {
        for name in self.spec.attributes.standard.keys() {
            let path = child_path("attributes.standard", name);
            if VERIFICATION_ATTRIBUTES.contains(&name.as_str()) {
                self.error_at_key(
                    path,
                    format!("`{name}` is not a schema attribute: Cognito manages it and rejects a pool schema that declares it"),
                    format!("remove `{name}` from attributes.standard; to set it from a provider, use the provider's `email_verified` setting"),
                );
            } else if !STANDARD_ATTRIBUTES.contains(&name.as_str()) {
                let help = if name.starts_with("custom:") {
                    format!(
                        "declare it under attributes.custom as `{}`",
                        name.trim_start_matches("custom:")
                    )
                } else {
                    format!(
                        "use one of {}, or declare a custom attribute under attributes.custom",
                        STANDARD_ATTRIBUTES.join(", ")
                    )
                };
                self.error_at_key(path, format!("`{name}` is not a standard attribute"), help);
            }
        }
        for (name, attribute) in &self.spec.attributes.custom {
            let path = child_path("attributes.custom", name);
            if let Some(bare) = name.strip_prefix("custom:") {
                self.error_at_key(
                    &path,
                    "custom attribute names are written without the `custom:` prefix",
                    format!("write `{bare}`; clients and mappings refer to it as `custom:{bare}`"),
                );
            } else if !(1..=20).contains(&name.len())
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                self.error_at_key(
                    &path,
                    format!("custom attribute name {name:?} is not valid"),
                    "use 1 to 20 letters, digits and underscores",
                );
            }
            let is_string = attribute.kind == CustomAttributeType::String;
            let is_number = attribute.kind == CustomAttributeType::Number;
            if !is_string && (attribute.min_length.is_some() || attribute.max_length.is_some()) {
                self.error(
                    format!(
                        "{path}.{}",
                        if attribute.min_length.is_some() {
                            "min_length"
                        } else {
                            "max_length"
                        }
                    ),
                    "length constraints apply to string attributes only",
                    "remove `min_length`/`max_length`, or make the attribute `type: string`",
                );
            }
            if !is_number && (attribute.min_value.is_some() || attribute.max_value.is_some()) {
                self.error(
                    format!(
                        "{path}.{}",
                        if attribute.min_value.is_some() {
                            "min_value"
                        } else {
                            "max_value"
                        }
                    ),
                    "value constraints apply to number attributes only",
                    "remove `min_value`/`max_value`, or make the attribute `type: number`",
                );
            }
            if let Some(min) = attribute.min_length {
                if min > 2048 {
                    self.error(
                        format!("{path}.min_length"),
                        format!("min_length {min} is more than Cognito's limit of 2048"),
                        "use a value up to 2048",
                    );
                }
            }
            if let Some(max) = attribute.max_length {
                if max > 2048 {
                    self.error(
                        format!("{path}.max_length"),
                        format!("max_length {max} is more than Cognito's limit of 2048"),
                        "use a value up to 2048",
                    );
                }
            }
            if let (Some(min), Some(max)) = (attribute.min_length, attribute.max_length) {
                if min > max {
                    self.error(
                        format!("{path}.min_length"),
                        format!("min_length {min} exceeds max_length {max}"),
                        "make min_length <= max_length",
                    );
                }
            }
            if let (Some(min), Some(max)) = (attribute.min_value, attribute.max_value) {
                if min > max {
                    self.error(
                        format!("{path}.min_value"),
                        format!("min_value {min} exceeds max_value {max}"),
                        "make min_value <= max_value",
                    );
                }
            }
        }
    }

    // The questions the other rule groups ask about attributes.

    /// Whether the standard attribute `name` can change after sign-up (Cognito's default: yes).
    pub(super) fn standard_mutable(&self, name: &str) -> bool {
        self.spec.attributes.standard_mutable(name)
    }

    /// Whether `attribute` (as clients and mappings write it) exists in this pool.
    pub(super) fn attribute_exists(&self, attribute: &str) -> bool {
        match attribute.strip_prefix("custom:") {
            Some(custom) => self.spec.attributes.custom.contains_key(custom),
            None => STANDARD_ATTRIBUTES.contains(&attribute),
        }
    }

    /// Whether `attribute` can change after sign-up (`Mutable`).
    pub(super) fn attribute_mutable(&self, attribute: &str) -> bool {
        match attribute.strip_prefix("custom:") {
            Some(custom) => self
                .spec
                .attributes
                .custom
                .get(custom)
                .is_none_or(|a| a.mutable),
            None => self.standard_mutable(attribute),
        }
    }

    /// The spec path at which an attribute's mutability is decided.
    pub(super) fn mutability_path(attribute: &str) -> String {
        match attribute.strip_prefix("custom:") {
            Some(custom) => format!("{}.mutable", child_path("attributes.custom", custom)),
            None => format!("{}.mutable", child_path("attributes.standard", attribute)),
        }
    }
}
