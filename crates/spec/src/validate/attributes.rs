//! Standard and custom attributes, and the questions other rules ask about them (does an
//! attribute exist, can it change after sign-up).

use crate::locate::child_path;
use crate::model::{
    CustomAttributeType, NON_STRING_STANDARD_ATTRIBUTES, STANDARD_ATTRIBUTES,
    VERIFICATION_ATTRIBUTES,
};

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
            } else {
                let attribute = &self.spec.attributes.standard[name];
                let lengths = attribute.min_length.is_some() || attribute.max_length.is_some();
                if lengths && NON_STRING_STANDARD_ATTRIBUTES.contains(&name.as_str()) {
                    self.error(
                        format!("{path}.min_length"),
                        format!("`{name}` is not a string: length limits apply to string attributes only"),
                        "remove `min_length`/`max_length`",
                    );
                } else {
                    self.lengths(&path, attribute.min_length, attribute.max_length);
                }
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
            } else if !custom_attribute_name_valid(name) {
                // Cognito's own rule (CustomAttributeNameType; the CloudFormation schema's
                // SchemaAttribute.Name): a custom attribute can never be renamed, so refusing a
                // name Cognito accepts would leave such a pool impossible to adopt.
                self.error_at_key(
                    &path,
                    format!("custom attribute name {name:?} is not valid: Cognito takes 1 to 20 letters, digits, punctuation or symbols, and no spaces or control characters"),
                    "use 1 to 20 characters without spaces, e.g. `tenant_id` or `tenant-id`",
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
            self.lengths(&path, attribute.min_length, attribute.max_length);
            if let (Some(min), Some(max)) = (attribute.min_value, attribute.max_value) {
                if min > max {
                    self.error(
                        format!("{path}.min_value"),
                        format!("min_value {min} exceeds max_value {max}"),
                        "make min_value <= max_value",
                    );
                }
            }
            if attribute.developer_only {
                self.warning(
                    format!("{path}.developer_only"),
                    format!("`dev:custom:{name}` is a developer-only attribute, a legacy form: only administrator calls with AWS credentials read or write it"),
                    "for a new attribute, leave developer_only out and keep it out of the clients' write_attributes",
                );
            }
        }
    }

    /// A string attribute's length limits: each at most 2048, the minimum not above the
    /// maximum.
    fn lengths(&mut self, path: &str, min_length: Option<u32>, max_length: Option<u32>) {
        if let Some(min) = min_length {
            if min > 2048 {
                self.error(
                    format!("{path}.min_length"),
                    format!("min_length {min} is more than Cognito's limit of 2048"),
                    "use a value up to 2048",
                );
            }
        }
        if let Some(max) = max_length {
            if max > 2048 {
                self.error(
                    format!("{path}.max_length"),
                    format!("max_length {max} is more than Cognito's limit of 2048"),
                    "use a value up to 2048",
                );
            }
        }
        if let (Some(min), Some(max)) = (min_length, max_length) {
            if min > max {
                self.error(
                    format!("{path}.min_length"),
                    format!("min_length {min} exceeds max_length {max}"),
                    "make min_length <= max_length",
                );
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
            // A developer-only attribute is no client's to read or write.
            Some(custom) => self
                .spec
                .attributes
                .custom
                .get(custom)
                .is_some_and(|a| !a.developer_only),
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

/// Cognito's custom attribute name pattern, `^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`, 1 to 20
/// characters: every Unicode character but separators (Z) and "other" (C: control, format,
/// private use, unassigned). Whitespace, control and the common format and private-use
/// characters stand for Z and C here; unassigned code points are left to Cognito.
pub(crate) fn custom_attribute_name_valid(name: &str) -> bool {
    (1..=20).contains(&name.chars().count())
        && name.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(
                    c,
                    '\u{00AD}'
                        | '\u{061C}'
                        | '\u{180E}'
                        | '\u{200B}'..='\u{200F}'
                        | '\u{202A}'..='\u{202E}'
                        | '\u{2060}'..='\u{206F}'
                        | '\u{FEFF}'
                        | '\u{FFF9}'..='\u{FFFB}'
                        | '\u{E000}'..='\u{F8FF}'
                        | '\u{F0000}'..
                )
        })
}

#[cfg(test)]
mod tests {
    use super::custom_attribute_name_valid;

    #[test]
    fn custom_attribute_names_as_cognito_takes_them() {
        for ok in [
            "tenant_id",
            "tenant-id",
            "Tenant.Id",
            "ÜberId",
            "a",
            "x:y",
            "12345678901234567890",
        ] {
            assert!(custom_attribute_name_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "two words",
            "tab\tbed",
            "zero\u{200B}width",
            "123456789012345678901",
        ] {
            assert!(!custom_attribute_name_valid(bad), "{bad:?}");
        }
    }
}
