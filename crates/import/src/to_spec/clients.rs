//! App clients.

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, OAuthFlowType, PreventUserExistenceErrorTypes, TimeUnitsType,
    UserPoolClientType,
};
use serde_json::json;
use spec::{Analytics, AppClient, AuthFlow, OAuthFlow, RefreshTokenRotation, TokenValidity};

use super::{spec_name, Gaps};
use crate::gap::Target;

/// `AuthSessionValidity` when a client does not set it.
const COGNITO_AUTH_SESSION_MINUTES: i32 = 3;

/// The clients, and each one's id by its spec name.
pub(super) fn clients(
    live: &[UserPoolClientType],
    gaps: &mut Gaps,
) -> (Vec<AppClient>, BTreeMap<String, String>) {
    let mut clients: Vec<AppClient> = Vec::new();
    let mut ids = BTreeMap::new();
    for client in live {
        let live_name = client.client_name().unwrap_or_default();
        let name = spec_name(live_name, "client", 128);
        if clients.iter().any(|c| c.name == name) {
            gaps.add(
                format!("clients[{live_name}]"),
                client.client_id().unwrap_or_default(),
                "another client has the same name in the spec; spec clients are named uniquely",
            );
            continue;
        }
        let target = Target::Client(name.clone());
        if name != live_name {
            gaps.add_property(
                format!("clients[{live_name}].ClientName"),
                live_name,
                &format!(
                    "a client's name is lowercase letters, digits and hyphens; imported as \
                     `{name}`, so the first deploy renames it"
                ),
                target.clone(),
                "/ClientName",
                json!(live_name),
            );
        }
        let prefix = format!("clients[{name}]");
        let setting = |s: &str| format!("{prefix}.{s}");

        let mut auth_flows = Vec::new();
        let mut refresh = false;
        // A client with no ExplicitAuthFlows allows SRP, custom auth and refresh tokens;
        // written out, so that a deploy keeps them.
        let live_flows = client.explicit_auth_flows();
        let live_flows = if live_flows.is_empty() {
            &[
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowCustomAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ][..]
        } else {
            live_flows
        };
        for flow in live_flows {
            match flow {
                ExplicitAuthFlowsType::AllowUserSrpAuth => auth_flows.push(AuthFlow::UserSrp),
                ExplicitAuthFlowsType::AllowUserPasswordAuth => {
                    auth_flows.push(AuthFlow::UserPassword);
                }
                ExplicitAuthFlowsType::AllowAdminUserPasswordAuth => {
                    auth_flows.push(AuthFlow::AdminUserPassword);
                }
                ExplicitAuthFlowsType::AllowCustomAuth => auth_flows.push(AuthFlow::Custom),
                ExplicitAuthFlowsType::AllowUserAuth => auth_flows.push(AuthFlow::UserAuth),
                ExplicitAuthFlowsType::AllowRefreshTokenAuth => refresh = true,
                // Legacy names, kept as they are: such a client refreshes without the flow.
                ExplicitAuthFlowsType::AdminNoSrpAuth => {
                    auth_flows.push(AuthFlow::LegacyAdminNoSrp);
                    refresh = true;
                }
                ExplicitAuthFlowsType::CustomAuthFlowOnly => {
                    auth_flows.push(AuthFlow::LegacyCustomAuthFlowOnly);
                    refresh = true;
                }
                ExplicitAuthFlowsType::UserPasswordAuth => {
                    auth_flows.push(AuthFlow::LegacyUserPassword);
                    refresh = true;
                }
                other => gaps.add(
                    setting("ExplicitAuthFlows"),
                    other.as_str(),
                    "a flow name the spec does not have",
                ),
            }
        }
        let rotation = client
            .refresh_token_rotation()
            .filter(|r| r.feature().as_str() == "ENABLED")
            .map(|r| RefreshTokenRotation {
                retry_grace_period_seconds: r
                    .retry_grace_period_seconds()
                    .and_then(|s| u8::try_from(s).ok())
                    .unwrap_or(0),
            });
        let oauth_on = client
            .allowed_o_auth_flows_user_pool_client()
            .unwrap_or(false);
        let oauth_flows: Vec<OAuthFlow> = client
            .allowed_o_auth_flows()
            .iter()
            .filter_map(|f| match f {
                OAuthFlowType::Code => Some(OAuthFlow::Code),
                OAuthFlowType::Implicit => Some(OAuthFlow::Implicit),
                OAuthFlowType::ClientCredentials => Some(OAuthFlow::ClientCredentials),
                _ => None,
            })
            .collect();
        let callback_urls = client.callback_urls().to_vec();
        // Written out unless it is what the spec derives from the callback URLs.
        let derived = if callback_urls.is_empty() {
            Vec::new()
        } else {
            vec![OAuthFlow::Code]
        };
        let effective = if oauth_on { oauth_flows } else { Vec::new() };
        let oauth_scopes = if effective.is_empty() {
            AppClient::default_oauth_scopes()
        } else {
            client.allowed_o_auth_scopes().to_vec()
        };

        ids.insert(
            name.clone(),
            client.client_id().unwrap_or_default().to_owned(),
        );
        clients.push(AppClient {
            name,
            generate_secret: client.client_secret().is_some_and(|s| !s.is_empty()),
            providers: client.supported_identity_providers().to_vec(),
            callback_urls,
            logout_urls: client.logout_urls().to_vec(),
            oauth_flows: (effective != derived).then_some(effective),
            oauth_scopes,
            auth_flows,
            // A rotating client never has the flow; without rotation, its absence is kept.
            refresh_token_auth: refresh || rotation.is_some(),
            // Absent is what the API means by LEGACY.
            prevent_user_existence_errors: client
                .prevent_user_existence_errors()
                .is_some_and(|p| *p == PreventUserExistenceErrorTypes::Enabled),
            default_redirect_url: client
                .default_redirect_uri()
                .filter(|u| !u.is_empty())
                .map(str::to_owned),
            propagate_user_context: client
                .enable_propagate_additional_user_context_data()
                .unwrap_or(false),
            // Absent is what the API means by on.
            token_revocation: client.enable_token_revocation().unwrap_or(true),
            // Absent or Cognito's default of 3 minutes renders as nothing.
            auth_session_minutes: client
                .auth_session_validity()
                .filter(|minutes| *minutes != COGNITO_AUTH_SESSION_MINUTES)
                .and_then(|minutes| u8::try_from(minutes).ok()),
            analytics: client.analytics_configuration().map(|a| {
                let own = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
                Analytics {
                    application_arn: own(a.application_arn()),
                    application_id: own(a.application_id()),
                    role_arn: own(a.role_arn()),
                    external_id: own(a.external_id()),
                    user_data_shared: a.user_data_shared(),
                }
            }),
            read_attributes: Some(client.read_attributes().to_vec()).filter(|a| !a.is_empty()),
            write_attributes: Some(client.write_attributes().to_vec()).filter(|a| !a.is_empty()),
            tokens: tokens(client, &setting, gaps),
            refresh_token_rotation: rotation,
            branding: None,
        });
    }
    (clients, ids)
}

/// Token lifetimes in the spec's units (minutes, minutes, days), from the client's values in
/// its own units (Cognito's defaults: hours, hours, days; 60 min, 60 min, 30 days).
fn tokens(
    client: &UserPoolClientType,
    setting: &dyn Fn(&str) -> String,
    gaps: &mut Gaps,
) -> TokenValidity {
    let units = client.token_validity_units();
    let minutes = |value: Option<i32>, unit: Option<&TimeUnitsType>| -> Option<u32> {
        let value = u32::try_from(value?).ok()?;
        Some(match unit {
            Some(TimeUnitsType::Seconds) => value / 60,
            Some(TimeUnitsType::Minutes) => value,
            Some(TimeUnitsType::Days) => value * 1440,
            _ => value * 60,
        })
    };
    let defaults = TokenValidity::default();
    let refresh_value = u32::try_from(client.refresh_token_validity()).unwrap_or(0);
    let refresh_unit = units.and_then(|u| u.refresh_token());
    // Kept in the client's own unit where the spec has it (days, hours), else in hours.
    let (refresh_days, refresh_hours) = match refresh_unit {
        _ if refresh_value == 0 => (None, None),
        None | Some(TimeUnitsType::Days) => (Some(refresh_value), None),
        Some(TimeUnitsType::Hours) => (None, Some(refresh_value)),
        Some(TimeUnitsType::Minutes) if refresh_value % 60 == 0 => (None, Some(refresh_value / 60)),
        Some(TimeUnitsType::Seconds) if refresh_value % 3600 == 0 => {
            (None, Some(refresh_value / 3600))
        }
        Some(unit) => {
            gaps.add(
                setting("RefreshTokenValidity"),
                format!("{refresh_value} {}", unit.as_str()),
                "the spec counts refresh tokens in whole hours or days",
            );
            (None, None)
        }
    };
    TokenValidity {
        access_minutes: minutes(
            client.access_token_validity(),
            units.and_then(|u| u.access_token()),
        )
        .unwrap_or(defaults.access_minutes),
        id_minutes: minutes(client.id_token_validity(), units.and_then(|u| u.id_token()))
            .unwrap_or(defaults.id_minutes),
        // Absent (or 0) is Cognito's 30 days, written out.
        refresh_days: refresh_days.or_else(|| refresh_hours.is_none().then_some(30)),
        refresh_hours,
    }
}
