//! What a template rendered here says, read back from the template alone (a deployed stack's,
//! say): the inverse of the renderer for the parts that live only in the template.

use serde_json::Value;

use crate::PRE_SIGN_UP_FUNCTION_ID;

/// Why the PreSignUp policy could not be read back from a template.
#[derive(Debug, thiserror::Error)]
pub enum ReadBackError {
    #[error("{PRE_SIGN_UP_FUNCTION_ID}'s {} is neither text nor the Fn::Sub or Fn::Join this renderer writes", policy::POLICY_ENV)]
    PolicyShape,
    #[error("{PRE_SIGN_UP_FUNCTION_ID}'s policy names {0}, which is not an app client of the template with a plain ClientName")]
    UnknownClient(String),
    #[error("{PRE_SIGN_UP_FUNCTION_ID}'s policy is not a PreSignUp policy: {0}")]
    Policy(#[from] serde_json::Error),
}

/// The PreSignUp policy of poolctl's own trigger in `template`, with trusted clients by name
/// (the template passes their ids), as the spec wrote it. `None` when the template has no
/// poolctl trigger.
pub fn pre_sign_up_policy(
    template: &Value,
) -> Result<Option<policy::PreSignUpPolicy>, ReadBackError> {
    let Some(value) = template
        .pointer(&format!(
            "/Resources/{PRE_SIGN_UP_FUNCTION_ID}/Properties/Environment/Variables"
        ))
        .and_then(|variables| variables.get(policy::POLICY_ENV))
    else {
        return Ok(None);
    };
    let client_name = |logical_id: &str| {
        template
            .pointer(&format!("/Resources/{logical_id}/Properties/ClientName"))
            .and_then(Value::as_str)
            .filter(|_| {
                template.pointer(&format!("/Resources/{logical_id}/Type"))
                    == Some(&Value::from("AWS::Cognito::UserPoolClient"))
            })
            .ok_or_else(|| ReadBackError::UnknownClient(logical_id.to_owned()))
    };
    // The renderer puts each trusted client's id where its name was, by `${Id}` or `Ref`.
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Object(map) if map.len() == 1 && map.contains_key("Fn::Sub") => {
            let mut rest = map["Fn::Sub"].as_str().ok_or(ReadBackError::PolicyShape)?;
            let mut text = String::new();
            while let Some(start) = rest.find("${") {
                let end = rest[start..].find('}').ok_or(ReadBackError::PolicyShape)? + start;
                text.push_str(&rest[..start]);
                text.push_str(client_name(&rest[start + 2..end])?);
                rest = &rest[end + 1..];
            }
            text.push_str(rest);
            text
        }
        Value::Object(map) if map.len() == 1 && map.contains_key("Fn::Join") => {
            let join = &map["Fn::Join"];
            let delimiter = join
                .get(0)
                .and_then(Value::as_str)
                .ok_or(ReadBackError::PolicyShape)?;
            let parts = join
                .get(1)
                .and_then(Value::as_array)
                .ok_or(ReadBackError::PolicyShape)?;
            let mut pieces = Vec::with_capacity(parts.len());
            for part in parts {
                match (part.as_str(), part.get("Ref").and_then(Value::as_str)) {
                    (Some(literal), _) => pieces.push(literal),
                    (None, Some(logical_id)) => pieces.push(client_name(logical_id)?),
                    (None, None) => return Err(ReadBackError::PolicyShape),
                }
            }
            pieces.join(delimiter)
        }
        _ => return Err(ReadBackError::PolicyShape),
    };
    Ok(Some(serde_json::from_str(&text)?))
}
