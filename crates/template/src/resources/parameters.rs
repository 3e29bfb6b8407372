//! The template's parameters: the environment name, and with a trigger its artifact and
//! architecture.

use serde_json::{json, Map, Value};

use crate::{
    Architecture, PARAM_ARTIFACT_BUCKET, PARAM_ARTIFACT_KEY, PARAM_ENVIRONMENT_NAME,
    PARAM_TRIGGER_ARCHITECTURE,
};

use super::Context;

pub(super) fn parameters(cx: &Context) -> Value {
    let mut params = Map::new();
    params.insert(
        PARAM_ENVIRONMENT_NAME.into(),
        json!({
            "Type": "String",
            "Default": "production",
            "Description": "Name of the environment this pool serves (tagged on every resource)",
            "MinLength": 1,
            "MaxLength": 128,
        }),
    );
    // The trigger's parameters exist only with a trigger: an unused parameter is a lint warning.
    if cx.spec.has_pre_sign_up_trigger() {
        params.insert(
            PARAM_ARTIFACT_BUCKET.into(),
            json!({
                "Type": "String",
                "Description": "S3 bucket holding the PreSignUp trigger zip",
                "MinLength": 3,
            }),
        );
        params.insert(
            PARAM_ARTIFACT_KEY.into(),
            json!({
                "Type": "String",
                "Description": "S3 key of the PreSignUp trigger zip (named by its sha256)",
                "MinLength": 1,
            }),
        );
        params.insert(
            PARAM_TRIGGER_ARCHITECTURE.into(),
            json!({
                "Type": "String",
                "Default": Architecture::DEFAULT.as_str(),
                "AllowedValues": Architecture::ALL.map(Architecture::as_str),
                "Description": "CPU architecture of the PreSignUp trigger zip",
            }),
        );
    }
    Value::Object(params)
}
