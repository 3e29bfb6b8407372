//! The CloudFormation document for a pool spec: parameters, resources, outputs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use spec::{
    Alias, AppClient, AuthFlow, CustomAttributeType, DeletionProtection, DuplicateEmailPolicy,
    EmailSender, EmailVerifiedPolicy, HttpMethod, IdentityProvider, MessageStyle, Mfa, OAuthFlow,
    PoolSpec, ProviderKind, RecoveryMechanism, UsernameKind, VerifiableAttribute, COGNITO_PROVIDER,
};

use crate::intrinsic::{get_att, join, reference, sub};
use crate::*;

/// The tag carrying the `EnvironmentName` parameter.
const ENVIRONMENT_TAG: &str = "poolctl:environment";

/// A name turned into a logical-ID part: PascalCase, ASCII letters and digits only
/// (`web` -> `Web`, `agent-backend` -> `AgentBackend`, `Corp.SSO` -> `CorpSSO`).
pub fn logical_id_part(name: &str) -> String {
    let mut out = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        out.push_str("Unnamed");
    }
    out
}

/// Logical IDs for named things, unique within the template. Names that collapse to the same
/// ID (`a-b` and `aB`) get a numeric suffix in spec order, so IDs stay stable as long as the
/// spec's order does.
struct IdAllocator {
    taken: BTreeSet<String>,
}

impl IdAllocator {
    fn allocate(&mut self, prefix: &str, name: &str) -> String {
        let base = format!("{prefix}{}", logical_id_part(name));
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// Everything a resource builder needs to refer to other resources.
struct Context<'a> {
    spec: &'a PoolSpec,
    pool_id: String,
    /// Spec client name -> logical ID, in spec order.
    clients: Vec<(&'a AppClient, String)>,
    /// Spec provider name -> logical ID, in spec order.
    providers: Vec<(&'a IdentityProvider, String)>,
}

impl Context<'_> {
    fn client_id(&self, name: &str) -> Option<&str> {
        self.clients
            .iter()
            .find(|(c, _)| c.name == name)
            .map(|(_, id)| id.as_str())
    }

    fn provider_id(&self, name: &str) -> Option<&str> {
        self.providers
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, id)| id.as_str())
    }

    fn has_trigger(&self) -> bool {
        self.spec.has_pre_sign_up_trigger()
    }

    /// Tags as a map (`UserPoolTags`): the spec's, plus the pool name and the environment.
    fn tag_map(&self) -> Value {
        let mut tags: BTreeMap<&str, Value> = self
            .spec
            .tags
            .iter()
            .map(|(k, v)| (k.as_str(), Value::String(v.clone())))
            .collect();
        tags.insert(POOL_TAG, Value::String(self.spec.name.clone()));
        tags.insert(ENVIRONMENT_TAG, reference(PARAM_ENVIRONMENT_NAME));
        Value::Object(tags.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// The same tags as a `[{Key, Value}]` list (Lambda, IAM, Logs).
    fn tag_list(&self) -> Value {
        let Value::Object(map) = self.tag_map() else {
            return json!([]);
        };
        Value::Array(
            map.into_iter()
                .map(|(k, v)| json!({ "Key": k, "Value": v }))
                .collect(),
        )
    }
}

/// The whole template.
pub fn document(spec: &PoolSpec, options: &RenderOptions) -> Value {
    let pool_id = options
        .pool_logical_id
        .clone()
        .unwrap_or_else(|| USER_POOL_ID.to_owned());
    let mut ids = IdAllocator {
        taken: [
            pool_id.as_str(),
            USER_POOL_DOMAIN_ID,
            PRE_SIGN_UP_FUNCTION_ID,
            PRE_SIGN_UP_ROLE_ID,
            PRE_SIGN_UP_LOGS_POLICY_ID,
            PRE_SIGN_UP_PERMISSION_ID,
            PRE_SIGN_UP_LOG_GROUP_ID,
        ]
        .into_iter()
        .map(str::to_owned)
        .collect(),
    };
    let providers = spec
        .identity_providers
        .iter()
        .map(|p| (p, ids.allocate("Provider", &p.name)))
        .collect();
    let clients = spec
        .clients
        .iter()
        .map(|c| (c, ids.allocate("Client", &c.name)))
        .collect();
    let cx = Context {
        spec,
        pool_id,
        clients,
        providers,
    };

    let mut doc = Map::new();
    doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    let description = match &spec.description {
        Some(text) => format!("Cognito user pool {}: {text} (poolctl)", spec.name),
        None => format!("Cognito user pool {} (poolctl)", spec.name),
    };
    doc.insert("Description".into(), Value::String(description));
    doc.insert("Parameters".into(), parameters(&cx));
    doc.insert("Resources".into(), resources(&cx));
    doc.insert("Outputs".into(), outputs(&cx));
    Value::Object(doc)
}

fn parameters(cx: &Context) -> Value {
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
    if cx.has_trigger() {
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

fn resources(cx: &Context) -> Value {
    let mut res = Map::new();
    res.insert(cx.pool_id.clone(), user_pool(cx));
    if let Some(domain) = domain(cx) {
        res.insert(USER_POOL_DOMAIN_ID.into(), domain);
    }
    for (provider, id) in &cx.providers {
        res.insert(id.clone(), identity_provider(cx, provider));
    }
    for (client, id) in &cx.clients {
        res.insert(id.clone(), app_client(cx, client));
    }
    if let Some(policy) = &cx.spec.triggers.pre_sign_up {
        res.insert(PRE_SIGN_UP_LOG_GROUP_ID.into(), log_group(cx));
        res.insert(PRE_SIGN_UP_ROLE_ID.into(), role(cx));
        res.insert(PRE_SIGN_UP_LOGS_POLICY_ID.into(), logs_policy());
        res.insert(PRE_SIGN_UP_FUNCTION_ID.into(), function(cx, policy));
        res.insert(PRE_SIGN_UP_PERMISSION_ID.into(), permission(cx));
    }
    Value::Object(res)
}

/// `arn:...:function:${AWS::StackName}-pre-sign-up` as a string, so that the pool does not
/// depend on the function (which depends on the clients, which depend on the pool).
fn function_name() -> String {
    format!("${{AWS::StackName}}-{PRE_SIGN_UP_FUNCTION_SUFFIX}")
}

fn user_pool(cx: &Context) -> Value {
    let spec = cx.spec;
    let mut props = Map::new();
    props.insert("UserPoolName".into(), json!(spec.name));

    // Sign-in identifiers.
    match spec.sign_in.username {
        UsernameKind::Email => {
            props.insert("UsernameAttributes".into(), json!(["email"]));
        }
        UsernameKind::Phone => {
            props.insert("UsernameAttributes".into(), json!(["phone_number"]));
        }
        UsernameKind::EmailOrPhone => {
            props.insert(
                "UsernameAttributes".into(),
                json!(["email", "phone_number"]),
            );
        }
        UsernameKind::Username => {
            if !spec.sign_in.aliases.is_empty() {
                let aliases: Vec<&str> = spec
                    .sign_in
                    .aliases
                    .iter()
                    .map(|a| match a {
                        Alias::Email => "email",
                        Alias::Phone => "phone_number",
                        Alias::PreferredUsername => "preferred_username",
                    })
                    .collect();
                props.insert("AliasAttributes".into(), json!(aliases));
            }
        }
    }
    props.insert(
        "UsernameConfiguration".into(),
        json!({ "CaseSensitive": spec.sign_in.case_sensitive }),
    );

    // Verification.
    let verification = &spec.verification;
    if !verification.auto_verify.is_empty() {
        let auto: Vec<&str> = verification
            .auto_verify
            .iter()
            .map(verifiable_name)
            .collect();
        props.insert("AutoVerifiedAttributes".into(), json!(auto));
    }
    if !verification.keep_original_until_verified.is_empty() {
        let keep: Vec<&str> = verification
            .keep_original_until_verified
            .iter()
            .map(verifiable_name)
            .collect();
        props.insert(
            "UserAttributeUpdateSettings".into(),
            json!({ "AttributesRequireVerificationBeforeUpdate": keep }),
        );
    }
    let message = &verification.message;
    let template = match message.style {
        MessageStyle::Code => json!({
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
            "EmailMessage": message.body,
            "EmailSubject": message.subject,
        }),
        MessageStyle::Link => json!({
            "DefaultEmailOption": "CONFIRM_WITH_LINK",
            "EmailMessageByLink": message.body,
            "EmailSubjectByLink": message.subject,
        }),
    };
    props.insert("VerificationMessageTemplate".into(), template);
    if !verification.account_recovery.is_empty() {
        let mechanisms: Vec<Value> = verification
            .account_recovery
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let name = match m {
                    RecoveryMechanism::VerifiedEmail => "verified_email",
                    RecoveryMechanism::VerifiedPhone => "verified_phone_number",
                    RecoveryMechanism::AdminOnly => "admin_only",
                };
                json!({ "Name": name, "Priority": i + 1 })
            })
            .collect();
        props.insert(
            "AccountRecoverySetting".into(),
            json!({ "RecoveryMechanisms": mechanisms }),
        );
    }

    // Email sending.
    let email = match (spec.email.sending, &spec.email.ses) {
        (EmailSender::Ses, Some(ses)) => {
            let mut config = Map::new();
            config.insert("EmailSendingAccount".into(), json!("DEVELOPER"));
            config.insert("SourceArn".into(), json!(ses.source_arn));
            config.insert("From".into(), json!(ses.from));
            if let Some(reply_to) = &ses.reply_to {
                config.insert("ReplyToEmailAddress".into(), json!(reply_to));
            }
            if let Some(set) = &ses.configuration_set {
                config.insert("ConfigurationSet".into(), json!(set));
            }
            Value::Object(config)
        }
        // `ses` without settings does not pass validation; Cognito's sender is the safe reading.
        _ => json!({ "EmailSendingAccount": "COGNITO_DEFAULT" }),
    };
    props.insert("EmailConfiguration".into(), email);

    // Passwords and MFA.
    let password = &spec.password;
    props.insert(
        "Policies".into(),
        json!({
            "PasswordPolicy": {
                "MinimumLength": password.min_length,
                "RequireLowercase": password.require_lowercase,
                "RequireUppercase": password.require_uppercase,
                "RequireNumbers": password.require_numbers,
                "RequireSymbols": password.require_symbols,
                "TemporaryPasswordValidityDays": password.temporary_password_validity_days,
            }
        }),
    );
    match spec.mfa {
        Mfa::Off => {
            props.insert("MfaConfiguration".into(), json!("OFF"));
        }
        Mfa::Optional => {
            props.insert("MfaConfiguration".into(), json!("OPTIONAL"));
            props.insert("EnabledMfas".into(), json!(["SOFTWARE_TOKEN_MFA"]));
        }
        Mfa::Required => {
            props.insert("MfaConfiguration".into(), json!("ON"));
            props.insert("EnabledMfas".into(), json!(["SOFTWARE_TOKEN_MFA"]));
        }
    }

    // Attributes. The verification flags are not schema attributes: never listed.
    let mut schema = Vec::new();
    for (name, attribute) in &spec.attributes.standard {
        if name == "email_verified" || name == "phone_number_verified" {
            continue;
        }
        schema.push(
            json!({ "Name": name, "Required": attribute.required, "Mutable": attribute.mutable }),
        );
    }
    for (name, attribute) in &spec.attributes.custom {
        let mut entry = Map::new();
        entry.insert("Name".into(), json!(name));
        let data_type = match attribute.kind {
            CustomAttributeType::String => "String",
            CustomAttributeType::Number => "Number",
            CustomAttributeType::Boolean => "Boolean",
            CustomAttributeType::DateTime => "DateTime",
        };
        entry.insert("AttributeDataType".into(), json!(data_type));
        entry.insert("Mutable".into(), json!(attribute.mutable));
        // The constraint values are strings in the CloudFormation schema.
        match attribute.kind {
            CustomAttributeType::String
                if attribute.min_length.is_some() || attribute.max_length.is_some() =>
            {
                let mut c = Map::new();
                if let Some(min) = attribute.min_length {
                    c.insert("MinLength".into(), json!(min.to_string()));
                }
                if let Some(max) = attribute.max_length {
                    c.insert("MaxLength".into(), json!(max.to_string()));
                }
                entry.insert("StringAttributeConstraints".into(), Value::Object(c));
            }
            CustomAttributeType::Number
                if attribute.min_value.is_some() || attribute.max_value.is_some() =>
            {
                let mut c = Map::new();
                if let Some(min) = attribute.min_value {
                    c.insert("MinValue".into(), json!(min.to_string()));
                }
                if let Some(max) = attribute.max_value {
                    c.insert("MaxValue".into(), json!(max.to_string()));
                }
                entry.insert("NumberAttributeConstraints".into(), Value::Object(c));
            }
            _ => {}
        }
        schema.push(Value::Object(entry));
    }
    if !schema.is_empty() {
        props.insert("Schema".into(), Value::Array(schema));
    }

    if cx.has_trigger() {
        props.insert(
            "LambdaConfig".into(),
            json!({
                "PreSignUp": sub(format!(
                    "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{}",
                    function_name()
                ))
            }),
        );
    }
    let deletion_protection = match spec.protection.deletion {
        DeletionProtection::Active => "ACTIVE",
        DeletionProtection::Inactive => "INACTIVE",
    };
    props.insert("DeletionProtection".into(), json!(deletion_protection));
    props.insert("UserPoolTags".into(), cx.tag_map());

    let policy = if spec.protection.retain_on_delete {
        "Retain"
    } else {
        "Delete"
    };
    json!({
        "Type": "AWS::Cognito::UserPool",
        "DeletionPolicy": policy,
        "UpdateReplacePolicy": policy,
        "Properties": props,
    })
}

fn verifiable_name(attribute: &VerifiableAttribute) -> &'static str {
    match attribute {
        VerifiableAttribute::Email => "email",
        VerifiableAttribute::Phone => "phone_number",
    }
}

fn domain(cx: &Context) -> Option<Value> {
    let domain = cx.spec.domain.as_ref()?;
    let mut props = Map::new();
    props.insert("UserPoolId".into(), reference(&cx.pool_id));
    if let Some(custom) = &domain.custom {
        props.insert("Domain".into(), json!(custom.name));
        props.insert(
            "CustomDomainConfig".into(),
            json!({ "CertificateArn": custom.certificate_arn }),
        );
    } else if let Some(prefix) = &domain.prefix {
        props.insert("Domain".into(), json!(prefix));
    } else {
        return None;
    }
    Some(json!({ "Type": "AWS::Cognito::UserPoolDomain", "Properties": props }))
}

fn identity_provider(cx: &Context, provider: &IdentityProvider) -> Value {
    let scopes = |scopes: &[String], separator: &str| scopes.join(separator);
    let details = match &provider.kind {
        ProviderKind::Google {
            client_id,
            client_secret,
            scopes: s,
        } => json!({
            "client_id": client_id,
            "client_secret": client_secret,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Oidc {
            issuer,
            client_id,
            client_secret,
            scopes: s,
            attributes_request_method,
        } => json!({
            "client_id": client_id,
            "client_secret": client_secret,
            "attributes_request_method": match attributes_request_method {
                HttpMethod::Get => "GET",
                HttpMethod::Post => "POST",
            },
            "oidc_issuer": issuer,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Apple {
            client_id,
            team_id,
            key_id,
            private_key,
            scopes: s,
        } => json!({
            "client_id": client_id,
            "team_id": team_id,
            "key_id": key_id,
            "private_key": private_key,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Facebook {
            client_id,
            client_secret,
            scopes: s,
            api_version,
        } => {
            // Facebook takes its permissions comma-separated.
            let mut d = Map::new();
            d.insert("client_id".into(), json!(client_id));
            d.insert("client_secret".into(), json!(client_secret));
            d.insert("authorize_scopes".into(), json!(scopes(s, ",")));
            if let Some(version) = api_version {
                d.insert("api_version".into(), json!(version));
            }
            Value::Object(d)
        }
        ProviderKind::Amazon {
            client_id,
            client_secret,
            scopes: s,
        } => json!({
            "client_id": client_id,
            "client_secret": client_secret,
            "authorize_scopes": scopes(s, " "),
        }),
        ProviderKind::Saml {
            metadata_url,
            metadata_file,
            idp_signout,
            ..
        } => {
            let mut d = Map::new();
            if let Some(url) = metadata_url {
                d.insert("MetadataURL".into(), json!(url));
            } else if let Some(file) = metadata_file {
                d.insert("MetadataFile".into(), json!(file));
            }
            d.insert(
                "IDPSignout".into(),
                json!(if *idp_signout { "true" } else { "false" }),
            );
            Value::Object(d)
        }
    };
    json!({
        "Type": "AWS::Cognito::UserPoolIdentityProvider",
        "Properties": {
            "UserPoolId": reference(&cx.pool_id),
            "ProviderName": provider.name,
            "ProviderType": provider.kind.provider_type(),
            "ProviderDetails": details,
            "AttributeMapping": attribute_mapping(provider),
        }
    })
}

/// The provider's attribute mapping: `email` and, per the email_verified policy,
/// `email_verified`, then the spec's own entries (which win).
pub fn attribute_mapping(provider: &IdentityProvider) -> Value {
    let mut mapping: BTreeMap<&str, &str> = BTreeMap::new();
    match &provider.kind {
        ProviderKind::Saml {
            email_attribute, ..
        } => {
            mapping.insert("email", email_attribute);
        }
        _ => {
            mapping.insert("email", "email");
        }
    }
    let policy = match &provider.email_verified {
        Some(policy) => Some(policy),
        None if provider.kind.sends_email_verified() => Some(&EmailVerifiedPolicy::Claim),
        None => None,
    };
    match policy {
        Some(EmailVerifiedPolicy::Claim) => {
            mapping.insert("email_verified", "email_verified");
        }
        Some(EmailVerifiedPolicy::ClaimNamed(claim)) => {
            mapping.insert("email_verified", claim);
        }
        Some(EmailVerifiedPolicy::Trigger | EmailVerifiedPolicy::Unverified) | None => {}
    }
    for (pool_attribute, provider_attribute) in &provider.attribute_mapping {
        mapping.insert(pool_attribute, provider_attribute);
    }
    Value::Object(
        mapping
            .into_iter()
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect(),
    )
}

fn app_client(cx: &Context, client: &AppClient) -> Value {
    let mut props = Map::new();
    props.insert("UserPoolId".into(), reference(&cx.pool_id));
    props.insert("ClientName".into(), json!(client.name));
    props.insert("GenerateSecret".into(), json!(client.generate_secret));
    props.insert("SupportedIdentityProviders".into(), json!(client.providers));

    let flows: Vec<OAuthFlow> = match &client.oauth_flows {
        Some(flows) => flows.clone(),
        None if !client.callback_urls.is_empty() => vec![OAuthFlow::Code],
        None => Vec::new(),
    };
    if !flows.is_empty() {
        props.insert("AllowedOAuthFlowsUserPoolClient".into(), json!(true));
        let names: Vec<&str> = flows
            .iter()
            .map(|f| match f {
                OAuthFlow::Code => "code",
                OAuthFlow::Implicit => "implicit",
                OAuthFlow::ClientCredentials => "client_credentials",
            })
            .collect();
        props.insert("AllowedOAuthFlows".into(), json!(names));
        props.insert("AllowedOAuthScopes".into(), json!(client.oauth_scopes));
        if !client.callback_urls.is_empty() {
            props.insert("CallbackURLs".into(), json!(client.callback_urls));
        }
        if !client.logout_urls.is_empty() {
            props.insert("LogoutURLs".into(), json!(client.logout_urls));
        }
    }

    let mut auth_flows: Vec<&str> = client
        .auth_flows
        .iter()
        .map(|f| match f {
            AuthFlow::UserSrp => "ALLOW_USER_SRP_AUTH",
            AuthFlow::UserPassword => "ALLOW_USER_PASSWORD_AUTH",
            AuthFlow::AdminUserPassword => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            AuthFlow::Custom => "ALLOW_CUSTOM_AUTH",
            AuthFlow::UserAuth => "ALLOW_USER_AUTH",
        })
        .collect();
    auth_flows.push("ALLOW_REFRESH_TOKEN_AUTH");
    props.insert("ExplicitAuthFlows".into(), json!(auth_flows));

    if let Some(read) = &client.read_attributes {
        props.insert("ReadAttributes".into(), json!(read));
    }
    if let Some(write) = &client.write_attributes {
        props.insert("WriteAttributes".into(), json!(write));
    }
    let tokens = &client.tokens;
    props.insert("AccessTokenValidity".into(), json!(tokens.access_minutes));
    props.insert("IdTokenValidity".into(), json!(tokens.id_minutes));
    props.insert("RefreshTokenValidity".into(), json!(tokens.refresh_days));
    props.insert(
        "TokenValidityUnits".into(),
        json!({ "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days" }),
    );
    props.insert("PreventUserExistenceErrors".into(), json!("ENABLED"));
    props.insert("EnableTokenRevocation".into(), json!(true));

    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Cognito::UserPoolClient"));
    // Provider names are plain strings here: without DependsOn, the client could be created
    // before the providers it names, which Cognito refuses.
    let depends: Vec<&str> = client
        .providers
        .iter()
        .filter(|p| p.as_str() != COGNITO_PROVIDER)
        .filter_map(|p| cx.provider_id(p))
        .collect();
    if !depends.is_empty() {
        resource.insert("DependsOn".into(), json!(depends));
    }
    resource.insert("Properties".into(), Value::Object(props));
    Value::Object(resource)
}

fn log_group(cx: &Context) -> Value {
    json!({
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
        "Properties": {
            "LogGroupName": sub(format!("/aws/lambda/{}", function_name())),
            "RetentionInDays": cx.spec.triggers.log_retention_days,
            "Tags": cx.tag_list(),
        }
    })
}

fn role(cx: &Context) -> Value {
    // Only the trust policy: what the function may do is granted by PreSignUpLogsPolicy,
    // a separate resource, so that no pool-scoped statement can ever close a cycle here.
    json!({
        "Type": "AWS::IAM::Role",
        "Properties": {
            "Description": "Runs the PreSignUp trigger",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": { "Service": "lambda.amazonaws.com" },
                    "Action": "sts:AssumeRole",
                }],
            },
            "Tags": cx.tag_list(),
        }
    })
}

fn logs_policy() -> Value {
    json!({
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": "pre-sign-up-logs",
            "Roles": [reference(PRE_SIGN_UP_ROLE_ID)],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": get_att(PRE_SIGN_UP_LOG_GROUP_ID, "Arn"),
                }],
            },
        }
    })
}

fn function(cx: &Context, policy: &policy::PreSignUpPolicy) -> Value {
    json!({
        "Type": "AWS::Lambda::Function",
        // Logs work from the first invocation on.
        "DependsOn": [PRE_SIGN_UP_LOGS_POLICY_ID],
        "Properties": {
            "FunctionName": sub(function_name()),
            "Description": format!("PreSignUp trigger of the {} user pool", cx.spec.name),
            "Runtime": "provided.al2023",
            "Handler": "bootstrap",
            "Architectures": [reference(PARAM_TRIGGER_ARCHITECTURE)],
            "Code": {
                "S3Bucket": reference(PARAM_ARTIFACT_BUCKET),
                "S3Key": reference(PARAM_ARTIFACT_KEY),
            },
            "Role": get_att(PRE_SIGN_UP_ROLE_ID, "Arn"),
            "MemorySize": 128,
            // Cognito gives a trigger 5 seconds before it retries.
            "Timeout": 5,
            "Environment": { "Variables": { (policy::POLICY_ENV): policy_value(cx, policy) } },
            "Tags": cx.tag_list(),
        }
    })
}

/// The policy JSON for the function, trusted clients named by their client ids.
///
/// Normally `!Sub '{"trusted_clients":["${ClientAgent}"],...}'`: Fn::Sub only reads `${`, so
/// JSON braces are fine. Should the JSON itself contain `${` or a backtick (neither of which a
/// valid spec produces), it falls back to Fn::Join with Refs, which needs no escape; the
/// `${!` escape is avoided because the CDK export cannot carry it.
fn policy_value(cx: &Context, policy: &policy::PreSignUpPolicy) -> Value {
    let base = serde_json::to_string(policy).unwrap_or_default();
    // A placeholder that occurs nowhere in the policy text.
    let mut marker = String::from("@client@");
    while base.contains(&marker) {
        marker.insert(0, '@');
    }
    let mut with_placeholders = policy.clone();
    let mut refs: Vec<Value> = Vec::new();
    for (i, name) in policy.trusted_clients.iter().enumerate() {
        match cx.client_id(name) {
            Some(id) => {
                with_placeholders.trusted_clients[i] = format!("{marker}{i}{marker}");
                refs.push(reference(id));
            }
            // Validation rules this out; a name matches no client id, so it trusts nobody.
            None => refs.push(Value::Null),
        }
    }
    let text = serde_json::to_string(&with_placeholders).unwrap_or_default();
    if refs.iter().all(Value::is_null) {
        return Value::String(text);
    }
    // Split the text at the placeholders into literal pieces and client refs.
    let mut pieces: Vec<Value> = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(&marker) {
        let after = &rest[start + marker.len()..];
        let Some(end) = after.find(&marker) else {
            break;
        };
        let index: usize = after[..end].parse().unwrap_or(usize::MAX);
        pieces.push(Value::String(rest[..start].to_owned()));
        pieces.push(refs.get(index).cloned().unwrap_or(Value::Null));
        rest = &after[end + marker.len()..];
    }
    pieces.push(Value::String(rest.to_owned()));

    let literal_is_sub_safe = pieces
        .iter()
        .filter_map(Value::as_str)
        .all(|s| !s.contains("${") && !s.contains('`'));
    if literal_is_sub_safe {
        let mut format = String::new();
        for piece in &pieces {
            match piece {
                Value::String(s) => format.push_str(s),
                other => {
                    if let Some(id) = other.get("Ref").and_then(Value::as_str) {
                        format.push_str(&format!("${{{id}}}"));
                    }
                }
            }
        }
        sub(format)
    } else {
        join(
            "",
            pieces
                .into_iter()
                .filter(|p| !p.is_null() && p.as_str() != Some(""))
                .collect(),
        )
    }
}

fn permission(cx: &Context) -> Value {
    json!({
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": get_att(PRE_SIGN_UP_FUNCTION_ID, "Arn"),
            "Principal": "cognito-idp.amazonaws.com",
            "SourceArn": get_att(&cx.pool_id, "Arn"),
            "SourceAccount": reference("AWS::AccountId"),
        }
    })
}

fn outputs(cx: &Context) -> Value {
    let mut out = Map::new();
    let mut add = |key: &str, description: String, value: Value| {
        out.insert(
            key.to_owned(),
            json!({ "Description": description, "Value": value }),
        );
    };
    add(
        OUTPUT_USER_POOL_ID,
        "User pool id".into(),
        reference(&cx.pool_id),
    );
    add(
        OUTPUT_USER_POOL_ARN,
        "User pool ARN".into(),
        get_att(&cx.pool_id, "Arn"),
    );
    // Built with Sub: GetAtt ProviderURL is missing from some implementations.
    add(
        OUTPUT_PROVIDER_URL,
        "OpenID Connect issuer URL of the pool".into(),
        sub(format!(
            "https://cognito-idp.${{AWS::Region}}.amazonaws.com/${{{}}}",
            cx.pool_id
        )),
    );
    for (client, id) in &cx.clients {
        add(
            &format!("{id}Id"),
            format!("App client id of {}", client.name),
            reference(id),
        );
    }
    if let Some(domain) = &cx.spec.domain {
        if let Some(custom) = &domain.custom {
            add(
                OUTPUT_HOSTED_UI_URL,
                "Hosted sign-in URL".into(),
                json!(format!("https://{}", custom.name)),
            );
        } else if domain.prefix.is_some() {
            add(
                OUTPUT_HOSTED_UI_URL,
                "Hosted sign-in URL".into(),
                sub(format!(
                    "https://${{{USER_POOL_DOMAIN_ID}}}.auth.${{AWS::Region}}.amazoncognito.com"
                )),
            );
        }
    }
    if cx.has_trigger() {
        add(
            OUTPUT_PRE_SIGN_UP_FUNCTION_ARN,
            "ARN of the PreSignUp trigger function".into(),
            get_att(PRE_SIGN_UP_FUNCTION_ID, "Arn"),
        );
    }
    if let Some(policy) = cx.spec.sign_in.duplicate_email {
        let (value, meaning) = match policy {
            DuplicateEmailPolicy::Reject => (
                "reject",
                "call AdminCreateUser/ConfirmSignUp with ForceAliasCreation false",
            ),
            DuplicateEmailPolicy::MoveAlias => (
                "move_alias",
                "ForceAliasCreation true moves the email alias",
            ),
        };
        add(
            OUTPUT_DUPLICATE_EMAIL_POLICY,
            format!("Duplicate-email policy: {meaning}"),
            json!(value),
        );
    }
    Value::Object(out)
}
