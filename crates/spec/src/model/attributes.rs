//! User attributes: the standard ones a pool configures, custom ones, and the names Cognito
//! knows.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::yes;

/// User attributes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attributes {
    /// Standard (OpenID Connect) attributes to configure, by name (`email`, `name`,
    /// `given_name`, `family_name`, `phone_number`, `preferred_username`, ...). Attributes not
    /// listed keep Cognito's defaults (optional, mutable). `email_verified` and
    /// `phone_number_verified` are not schema attributes and may not appear here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub standard: BTreeMap<String, StandardAttribute>,

    /// Custom attributes, by name without the `custom:` prefix.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, CustomAttribute>,
}

impl Attributes {
    /// Whether standard attribute `name` can change after sign-up: as configured, or
    /// Cognito's default (mutable) when it is not listed.
    pub fn standard_mutable(&self, name: &str) -> bool {
        self.standard.get(name).is_none_or(|a| a.mutable)
    }
}

/// A standard attribute's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardAttribute {
    /// Every user must have it at sign-up.
    #[serde(default)]
    pub required: bool,
    /// It can change after sign-up. Must be true for any attribute an identity provider maps.
    #[serde(default = "yes")]
    pub mutable: bool,
    /// Minimum length, for a string attribute (Cognito's default: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Maximum length, for a string attribute, at most 2048 (Cognito's default: 2048).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
}

impl StandardAttribute {
    /// Required and mutable as given, with Cognito's lengths.
    pub fn new(required: bool, mutable: bool) -> Self {
        Self {
            required,
            mutable,
            min_length: None,
            max_length: None,
        }
    }
}

/// A custom attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomAttribute {
    /// The attribute's type.
    #[serde(rename = "type")]
    pub kind: CustomAttributeType,
    /// It can change after sign-up.
    #[serde(default = "yes")]
    pub mutable: bool,
    /// For strings: minimum length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// For strings: maximum length (at most 2048).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// For numbers: minimum value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// For numbers: maximum value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// A developer-only attribute (`DeveloperOnlyAttribute`, named `dev:custom:<name>`): only
    /// administrator API calls with AWS credentials read and write it, never a user or a
    /// client. Legacy: AWS recommends a client's `write_attributes` instead. Default: `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub developer_only: bool,
}

/// A custom attribute's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomAttributeType {
    String,
    Number,
    Boolean,
    DateTime,
}

/// The standard (OpenID Connect) attributes a Cognito user pool schema has.
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// The length limits Cognito gives a standard string attribute that states none:
/// `(min, max)`. The one table of them: import leaves these out of a spec.
pub fn standard_length_default(name: &str) -> (u32, u32) {
    match name {
        "birthdate" => (10, 10),
        "sub" => (1, 2048),
        _ => (0, 2048),
    }
}

/// Standard attributes whose type is not a string, so they take no length.
pub const NON_STRING_STANDARD_ATTRIBUTES: &[&str] = &["updated_at"];

/// Verification flags: readable user attributes that are never part of the pool schema.
pub const VERIFICATION_ATTRIBUTES: &[&str] = &["email_verified", "phone_number_verified"];
