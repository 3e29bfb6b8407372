//! PoolSpec -> CloudFormation document, with YAML and JSON emitters.
//!
//! [`render`] builds the template as an ordered `serde_json::Value` (keys keep insertion
//! order), with intrinsic functions in their JSON long form; [`Template::to_json`] prints it
//! as is and [`Template::to_yaml`] prints the same document in YAML with short-form
//! intrinsics and YAML-1.1-safe quoting. Both are byte-identical for the same input: nothing
//! here depends on a hash order, the clock or the machine.
//!
//! The trigger is wired without a dependency cycle: the pool names the function by its fixed
//! name (`${AWS::StackName}-pre-sign-up`) in a `!Sub` string instead of referencing it, the
//! function references the clients (whose ids its policy needs), the clients reference the
//! pool, and only the permission references both the pool and the function.

mod architecture;
pub mod intrinsic;
mod read_back;
mod resources;
mod yaml;

use serde_json::Value;

pub use architecture::{Architecture, UnknownArchitecture};
pub use read_back::{pre_sign_up_policy, ReadBackError};
pub use resources::logical_id_part;
pub use yaml::needs_quotes;

/// The tag naming the pool spec: on every taggable resource and on the stack.
pub const POOL_TAG: &str = "poolctl:pool";

/// Parameter: S3 bucket of the trigger zip.
pub const PARAM_ARTIFACT_BUCKET: &str = "ArtifactBucket";
/// Parameter: S3 key of the trigger zip.
pub const PARAM_ARTIFACT_KEY: &str = "ArtifactKey";
/// Parameter: the environment name (tags).
pub const PARAM_ENVIRONMENT_NAME: &str = "EnvironmentName";
/// Parameter: the trigger function's CPU architecture, `arm64` or `x86_64`.
pub const PARAM_TRIGGER_ARCHITECTURE: &str = "TriggerArchitecture";

/// The default logical ID of the user pool.
pub const USER_POOL_ID: &str = "UserPool";
/// Logical ID of the hosted UI domain.
pub const USER_POOL_DOMAIN_ID: &str = "UserPoolDomain";
/// Logical IDs of the PreSignUp trigger's resources.
pub const PRE_SIGN_UP_FUNCTION_ID: &str = "PreSignUpFunction";
pub const PRE_SIGN_UP_ROLE_ID: &str = "PreSignUpRole";
pub const PRE_SIGN_UP_LOGS_POLICY_ID: &str = "PreSignUpLogsPolicy";
pub const PRE_SIGN_UP_PERMISSION_ID: &str = "PreSignUpPermission";
pub const PRE_SIGN_UP_LOG_GROUP_ID: &str = "PreSignUpLogGroup";
/// Logical ID of the role Cognito sends SMS with, when the template creates it.
pub const SMS_ROLE_ID: &str = "SmsRole";

/// Output keys.
pub const OUTPUT_USER_POOL_ID: &str = "UserPoolId";
pub const OUTPUT_USER_POOL_ARN: &str = "UserPoolArn";
pub const OUTPUT_PROVIDER_URL: &str = "ProviderUrl";
pub const OUTPUT_HOSTED_UI_URL: &str = "HostedUiUrl";
pub const OUTPUT_PRE_SIGN_UP_FUNCTION_ARN: &str = "PreSignUpFunctionArn";
pub const OUTPUT_DUPLICATE_EMAIL_POLICY: &str = "DuplicateEmailPolicy";

/// The trigger function's name within its stack (after `${AWS::StackName}-`).
pub const PRE_SIGN_UP_FUNCTION_SUFFIX: &str = "pre-sign-up";

/// Choices the caller makes beyond the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// The logical ID of the pool already deployed in the stack, so that it stays stable
    /// (a changed logical ID replaces the pool and loses its users). `None` = `UserPool`.
    pub pool_logical_id: Option<String>,
}

/// A rendered CloudFormation template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    document: Value,
}

impl Template {
    /// The document as YAML: block style, short-form intrinsics, YAML-1.1-safe quoting.
    pub fn to_yaml(&self) -> String {
        yaml::to_yaml(&self.document)
    }

    /// The document as JSON: pretty, two-space indentation, trailing newline.
    pub fn to_json(&self) -> String {
        // Serialising a Value with string keys cannot fail.
        let mut text = serde_json::to_string_pretty(&self.document).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The document tree.
    pub fn as_value(&self) -> &Value {
        &self.document
    }

    /// Names of the template's parameters, in order.
    pub fn parameter_names(&self) -> Vec<&str> {
        self.document
            .get("Parameters")
            .and_then(Value::as_object)
            .map(|params| params.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The logical ID of the app client named `name` in the spec, if it is in the template.
    pub fn client_logical_id(&self, name: &str) -> Option<String> {
        let resources = self.document.get("Resources")?.as_object()?;
        resources
            .iter()
            .find(|(_, r)| {
                r.get("Type").and_then(Value::as_str) == Some("AWS::Cognito::UserPoolClient")
                    && r.pointer("/Properties/ClientName").and_then(Value::as_str) == Some(name)
            })
            .map(|(id, _)| id.clone())
    }
}

/// Renders a validated pool spec to a CloudFormation template.
///
/// Never fails and never panics: a spec that did not pass validation still renders, and
/// CloudFormation (or cfn-lint) names what is wrong with it.
pub fn render(spec: &spec::PoolSpec, options: &RenderOptions) -> Template {
    Template {
        document: resources::document(spec, options),
    }
}
