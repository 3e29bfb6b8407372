//! App clients (`Client<Name>`).

use serde_json::{json, Map, Value};
use spec::{Analytics, AppClient, AuthFlow, OAuthFlow, RefreshLifetime, COGNITO_PROVIDER};

use crate::intrinsic::reference;

use super::Context;

pub(super) fn app_client(cx: &Context, client: &AppClient) -> Value {
    let mut props = Map::new();
    props.insert("UserPoolId".into(), reference(&cx.pool_id));
    props.insert("ClientName".into(), json!(client.name));
    props.insert("GenerateSecret".into(), json!(client.generate_secret));
    props.insert("SupportedIdentityProviders".into(), json!(client.providers));

    let flows = client.effective_oauth_flows();
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
            AuthFlow::LegacyAdminNoSrp => "ADMIN_NO_SRP_AUTH",
            AuthFlow::LegacyCustomAuthFlowOnly => "CUSTOM_AUTH_FLOW_ONLY",
            AuthFlow::LegacyUserPassword => "USER_PASSWORD_AUTH",
        })
        .collect();
    // A rotating client cannot refresh through REFRESH_TOKEN_AUTH: it refreshes through
    // GetTokensFromRefreshToken or the token endpoint, so the flow is not offered. Legacy flow
    // names refresh without it, and Cognito refuses it beside them.
    let legacy = client.auth_flows.iter().any(|f| f.is_legacy());
    if client.refresh_token_rotation.is_none() && client.refresh_token_auth && !legacy {
        auth_flows.push("ALLOW_REFRESH_TOKEN_AUTH");
    }
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
    let (refresh, refresh_unit) = match tokens.refresh_lifetime() {
        RefreshLifetime::Days(days) => (days, "days"),
        RefreshLifetime::Hours(hours) => (hours, "hours"),
    };
    props.insert("RefreshTokenValidity".into(), json!(refresh));
    props.insert(
        "TokenValidityUnits".into(),
        json!({ "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": refresh_unit }),
    );
    props.insert(
        "PreventUserExistenceErrors".into(),
        json!(if client.prevent_user_existence_errors {
            "ENABLED"
        } else {
            "LEGACY"
        }),
    );
    props.insert(
        "EnableTokenRevocation".into(),
        json!(client.token_revocation),
    );
    if let Some(minutes) = client.auth_session_minutes {
        props.insert("AuthSessionValidity".into(), json!(minutes));
    }
    // Written only when the spec sets them, so that other clients' templates stay as they were.
    if let Some(url) = &client.default_redirect_url {
        props.insert("DefaultRedirectURI".into(), json!(url));
    }
    if client.propagate_user_context {
        props.insert(
            "EnablePropagateAdditionalUserContextData".into(),
            json!(true),
        );
    }
    if let Some(analytics) = &client.analytics {
        props.insert(
            "AnalyticsConfiguration".into(),
            analytics_configuration(analytics),
        );
    }
    if let Some(rotation) = &client.refresh_token_rotation {
        props.insert(
            "RefreshTokenRotation".into(),
            json!({
                "Feature": "ENABLED",
                "RetryGracePeriodSeconds": rotation.retry_grace_period_seconds,
            }),
        );
    }

    let mut resource = Map::new();
    resource.insert("Type".into(), json!("AWS::Cognito::UserPoolClient"));
    // Provider names are plain strings here: without DependsOn, the client could be created
    // before the providers it names, which Cognito refuses.
    let mut depends: Vec<&str> = client
        .providers
        .iter()
        .filter(|p| p.as_str() != COGNITO_PROVIDER)
        .filter_map(|p| cx.provider_id(p))
        .collect();
    // Custom scopes are plain strings too: the resource servers that define them come first.
    for (server, id) in &cx.resource_servers {
        let scopes = server.scope_strings();
        if client.oauth_scopes.iter().any(|s| scopes.contains(s)) {
            depends.push(id);
        }
    }
    if !depends.is_empty() {
        resource.insert("DependsOn".into(), json!(depends));
    }
    resource.insert("Properties".into(), Value::Object(props));
    Value::Object(resource)
}

/// `AnalyticsConfiguration`: the keys the spec states.
fn analytics_configuration(analytics: &Analytics) -> Value {
    let mut config = Map::new();
    for (key, value) in [
        ("ApplicationArn", &analytics.application_arn),
        ("ApplicationId", &analytics.application_id),
        ("RoleArn", &analytics.role_arn),
        ("ExternalId", &analytics.external_id),
    ] {
        if let Some(value) = value {
            config.insert(key.into(), json!(value));
        }
    }
    if analytics.user_data_shared {
        config.insert("UserDataShared".into(), json!(true));
    }
    Value::Object(config)
}
