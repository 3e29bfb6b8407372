//! CloudFormation intrinsic functions as document nodes.
//!
//! The document holds them in their JSON long form (`{"Fn::Sub": ...}`); the YAML emitter
//! recognises exactly these shapes and writes the short form (`!Sub`).

use serde_json::{json, Value};

/// `{"Ref": name}`: a parameter, a resource, or a pseudo parameter such as `AWS::AccountId`.
pub fn reference(name: &str) -> Value {
    json!({ "Ref": name })
}

/// `{"Fn::GetAtt": [resource, attribute]}`.
pub fn get_att(resource: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [resource, attribute] })
}

/// `{"Fn::Sub": text}`: `${Name}` in `text` is replaced by `Ref Name` (or `GetAtt` for
/// `${Name.Attribute}`).
pub fn sub(text: impl Into<String>) -> Value {
    json!({ "Fn::Sub": text.into() })
}

/// `{"Fn::Join": [delimiter, parts]}`.
pub fn join(delimiter: &str, parts: &[Value]) -> Value {
    json!({ "Fn::Join": [delimiter, parts] })
}
