//! App clients: names, providers, redirect URLs, OAuth flows and scopes, attribute
//! permissions, token lifetimes.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    AppClient, ManagedLogin, OAuthFlow, RefreshLifetime, ResourceServer, COGNITO_PROVIDER,
    VERIFICATION_ATTRIBUTES,
};

use super::Checker;

impl Checker<'_> {
    pub(super) fn clients(&mut self) {
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for (i, client) in self.spec.clients.iter().enumerate() {
            let base = format!("clients[{i}]");
            let name = client.name.as_str();
            // The client's ClientName as Cognito takes it (the CloudFormation schema's
            // pattern and length), so an existing client keeps its name through import.
            if !super::name::cognito_name_valid(name) {
                self.error(
                    format!("{base}.name"),
                    format!("client name {name:?} is not valid: Cognito takes 1 to 128 letters, digits, spaces and `_+=,.@-` (ClientName), and CloudFormation fails the stack otherwise"),
                    "use such a name, e.g. `web` or `Web App`",
                );
            }
            // Logical IDs are `Client<PascalName>` from the ASCII letters and digits of the
            // name: `web-1`, `web1` and `Web 1` would collide.
            if let Some(first) = names.insert(super::name::logical_id_key(name), i) {
                let other = &self.spec.clients[first].name;
                let message = if other == name {
                    format!("client name `{name}` is already used by clients[{first}]")
                } else {
                    format!("client names `{other}` and `{name}` differ only in case, spaces or punctuation and would get the same CloudFormation logical ID")
                };
                self.error(
                    format!("{base}.name"),
                    message,
                    "give each client a distinct name",
                );
            }

            self.client_providers(i, client);
            self.client_urls(i, client);
            self.client_oauth(i, client);
            self.client_attributes(i, client);
            self.client_tokens(i, client);
            self.client_rotation_and_branding(i, client);
        }
    }

    fn client_providers(&mut self, i: usize, client: &AppClient) {
        let mut seen = BTreeSet::new();
        for (j, provider) in client.providers.iter().enumerate() {
            let path = format!("clients[{i}].providers[{j}]");
            if !seen.insert(provider.as_str()) {
                self.error(
                    &path,
                    format!("`{provider}` is listed twice"),
                    "remove the duplicate",
                );
                continue;
            }
            if provider == COGNITO_PROVIDER
                || self
                    .spec
                    .identity_providers
                    .iter()
                    .any(|p| &p.name == provider)
            {
                continue;
            }
            let known: Vec<&str> = std::iter::once(COGNITO_PROVIDER)
                .chain(self.spec.identity_providers.iter().map(|p| p.name.as_str()))
                .collect();
            self.error(
                path,
                format!(
                    "client `{}` names provider `{provider}`, which is not defined",
                    client.name
                ),
                format!(
                    "use one of: {} (or add `{provider}` to identity_providers)",
                    known.join(", ")
                ),
            );
        }
        let federated = client.providers.iter().any(|p| p != COGNITO_PROVIDER);
        if federated
            && client
                .effective_oauth_flows()
                .iter()
                .all(|f| *f == OAuthFlow::ClientCredentials)
        {
            self.warning(
                format!("clients[{i}].providers"),
                "federated providers are offered but the client has no user OAuth flow (`code`), so nobody can sign in through them",
                "add `callback_urls` (the `code` flow is then the default)",
            );
        }
    }

    fn client_urls(&mut self, i: usize, client: &AppClient) {
        for (field, urls) in [
            ("callback_urls", &client.callback_urls),
            ("logout_urls", &client.logout_urls),
        ] {
            for (j, url) in urls.iter().enumerate() {
                if !is_allowed_redirect(url) {
                    self.error(
                        format!("clients[{i}].{field}[{j}]"),
                        format!("{url:?} is not allowed: Cognito accepts https URLs, and http only for localhost"),
                        "use `https://...`, or `http://localhost:<port>/...` for development",
                    );
                } else if url.contains('#') {
                    self.error(
                        format!("clients[{i}].{field}[{j}]"),
                        "a redirect URL may not contain a fragment (`#`)",
                        "remove the fragment",
                    );
                }
            }
        }
    }

    fn client_oauth(&mut self, i: usize, client: &AppClient) {
        let base = format!("clients[{i}]");
        let flows = client.effective_oauth_flows();
        let user_flow = flows
            .iter()
            .any(|f| matches!(f, OAuthFlow::Code | OAuthFlow::Implicit));
        if user_flow && client.callback_urls.is_empty() {
            self.error(
                format!("{base}.callback_urls"),
                "the `code` and `implicit` OAuth flows need at least one callback URL",
                "add `callback_urls: [https://app.example.com/callback]`, or remove the flow",
            );
        }
        if flows.contains(&OAuthFlow::ClientCredentials) {
            if !client.generate_secret {
                self.error(
                    format!("{base}.oauth_flows"),
                    "the `client_credentials` flow needs a client secret",
                    "set `generate_secret: true` on this client",
                );
            }
            if user_flow {
                self.error(
                    format!("{base}.oauth_flows"),
                    "`client_credentials` cannot be combined with `code` or `implicit`",
                    "use a separate client for machine-to-machine access",
                );
            }
            if client
                .oauth_scopes
                .iter()
                .any(|s| BUILT_IN_SCOPES.contains(&s.as_str()))
            {
                self.error(
                    format!("{base}.oauth_scopes"),
                    "the `client_credentials` flow accepts only resource-server scopes (`<server>/<scope>`), not openid, email, phone, profile or aws.cognito.signin.user.admin",
                    "list the resource-server scopes this client needs",
                );
            }
        }
        if !flows.is_empty() {
            if client.oauth_scopes.is_empty() {
                self.error(
                    format!("{base}.oauth_scopes"),
                    "OAuth flows need at least one scope",
                    "use `[openid, email, profile]`",
                );
            }
            for (j, scope) in client.oauth_scopes.iter().enumerate() {
                if BUILT_IN_SCOPES.contains(&scope.as_str()) {
                    continue;
                }
                let defined: Vec<String> = self
                    .spec
                    .resource_servers
                    .iter()
                    .flat_map(ResourceServer::scope_strings)
                    .collect();
                if !scope.contains('/') {
                    self.error(
                        format!("{base}.oauth_scopes[{j}]"),
                        format!("`{scope}` is neither a Cognito scope nor a resource-server scope"),
                        format!(
                            "use {} or `<resource server>/<scope>`",
                            BUILT_IN_SCOPES.join(", ")
                        ),
                    );
                } else if !defined.contains(scope) {
                    let help = if defined.is_empty() {
                        "define it under resource_servers (`identifier` and `scopes`)".to_owned()
                    } else {
                        format!(
                            "use one of: {}, or define it under resource_servers",
                            defined.join(", ")
                        )
                    };
                    self.error(
                        format!("{base}.oauth_scopes[{j}]"),
                        format!("`{scope}` is not a scope of any resource server of this pool: Cognito refuses the client"),
                        help,
                    );
                }
            }
            let needs_openid = client
                .oauth_scopes
                .iter()
                .any(|s| matches!(s.as_str(), "email" | "phone" | "profile"));
            if needs_openid && !client.oauth_scopes.iter().any(|s| s == "openid") {
                self.error(
                    format!("{base}.oauth_scopes"),
                    "the email, phone and profile scopes require `openid`",
                    "add `openid` to oauth_scopes",
                );
            }
            if self.spec.domain.is_none() && user_flow {
                self.warning(
                    format!("{base}.oauth_flows"),
                    "OAuth sign-in goes through the pool's hosted domain, and this pool has no `domain`",
                    "add `domain: { prefix: <name> }`",
                );
            }
        }
        let mut seen = Vec::new();
        for (j, flow) in client.auth_flows.iter().enumerate() {
            if seen.contains(flow) {
                self.error(
                    format!("{base}.auth_flows[{j}]"),
                    "listed twice",
                    "remove the duplicate",
                );
            }
            seen.push(*flow);
        }
        self.client_legacy_flows(&base, client);
    }

    /// Cognito's flow names from before the `ALLOW_` ones: accepted as they are, never mixed
    /// with today's, and with refresh tokens always allowed.
    fn client_legacy_flows(&mut self, base: &str, client: &AppClient) {
        let Some(legacy) = client.auth_flows.iter().find(|f| f.is_legacy()) else {
            return;
        };
        let legacy_name = legacy.spec_name();
        let current_name = legacy.current().spec_name();
        if let Some(other) = client.auth_flows.iter().find(|f| !f.is_legacy()) {
            self.error(
                format!("{base}.auth_flows"),
                format!(
                    "`{legacy_name}` is a legacy flow name and `{}` is not: Cognito refuses a client that mixes the two kinds",
                    other.spec_name()
                ),
                "use today's names only (`legacy_admin_no_srp` is `admin_user_password`, `legacy_custom_auth_flow_only` is `custom`, `legacy_user_password` is `user_password`)",
            );
        } else if !client.refresh_token_auth {
            self.error(
                format!("{base}.refresh_token_auth"),
                "a client with legacy flow names always allows refresh tokens: `refresh_token_auth: false` cannot hold",
                "remove `refresh_token_auth: false`, or use today's flow names",
            );
        } else {
            self.warning(
                format!("{base}.auth_flows"),
                format!("`{legacy_name}` is a legacy flow name, which Cognito keeps for clients made before the `ALLOW_` names"),
                format!("use `{current_name}` (with refresh_token_auth, on by default) in place of the legacy names"),
            );
        }
    }

    fn client_attributes(&mut self, i: usize, client: &AppClient) {
        let base = format!("clients[{i}]");
        for (field, list, readable) in [
            ("read_attributes", &client.read_attributes, true),
            ("write_attributes", &client.write_attributes, false),
        ] {
            let Some(list) = list else { continue };
            for (j, attribute) in list.iter().enumerate() {
                let verification_flag = VERIFICATION_ATTRIBUTES.contains(&attribute.as_str());
                if !(self.attribute_exists(attribute) || verification_flag) {
                    self.error(
                        format!("{base}.{field}[{j}]"),
                        format!("`{attribute}` is not an attribute of this pool"),
                        "use a standard attribute name, or `custom:<name>` for an attribute declared under attributes.custom",
                    );
                } else if verification_flag && !readable {
                    self.error(
                        format!("{base}.{field}[{j}]"),
                        format!("`{attribute}` may not be writable by a client: users could mark their own address verified"),
                        format!("remove `{attribute}` from write_attributes (it may be read)"),
                    );
                }
            }
        }
        let Some(writable) = &client.write_attributes else {
            return;
        };
        // Required attributes must be writable, or nobody can sign up through this client.
        for (name, attribute) in &self.spec.attributes.standard {
            if attribute.required && !writable.contains(name) {
                self.error(
                    format!("{base}.write_attributes"),
                    format!("`{name}` is required but client `{}` cannot write it; Cognito rejects the client", client.name),
                    format!("add `{name}` to write_attributes"),
                );
            }
        }
        // Attributes that a provider this client offers maps must be writable, or that
        // provider's sign-ins through this client fail.
        for provider_name in &client.providers {
            let Some(provider) = self
                .spec
                .identity_providers
                .iter()
                .find(|p| &p.name == provider_name)
            else {
                continue;
            };
            for attribute in provider.effective_attribute_mapping().keys() {
                if attribute == "username" || VERIFICATION_ATTRIBUTES.contains(&attribute.as_str())
                {
                    continue;
                }
                if !writable.contains(attribute) {
                    self.error(
                        format!("{base}.write_attributes"),
                        format!(
                            "client `{}` offers provider `{provider_name}`, which maps `{attribute}`, but cannot write it: federated sign-ins through this client fail",
                            client.name
                        ),
                        format!("add `{attribute}` to write_attributes, or stop mapping it from `{provider_name}`"),
                    );
                }
            }
        }
    }

    fn client_tokens(&mut self, i: usize, client: &AppClient) {
        if let Some(minutes) = client.auth_session_minutes {
            if !(3..=15).contains(&minutes) {
                self.error(
                    format!("clients[{i}].auth_session_minutes"),
                    format!("auth_session_minutes: {minutes} is outside Cognito's range 3 to 15"),
                    "use 3 to 15 minutes, or leave the key out for Cognito's 3 (AuthSessionValidity \
                     in https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html)",
                );
            }
        }
        let base = format!("clients[{i}].tokens");
        let t = &client.tokens;
        for (field, minutes) in [
            ("access_minutes", t.access_minutes),
            ("id_minutes", t.id_minutes),
        ] {
            if !(5..=1440).contains(&minutes) {
                self.error(
                    format!("{base}.{field}"),
                    format!("{field}: {minutes} minutes is outside Cognito's range 5 to 1440"),
                    "use 5 to 1440 minutes (1 day)",
                );
            }
        }
        if t.refresh_days.is_some() && t.refresh_hours.is_some() {
            self.error(
                format!("{base}.refresh_hours"),
                "refresh_days and refresh_hours both set the refresh token lifetime",
                "keep one of them",
            );
            return;
        }
        let (field, minutes, in_range) = match t.refresh_lifetime() {
            RefreshLifetime::Days(days) => (
                "refresh_days",
                u64::from(days) * 1440,
                (1..=3650).contains(&days),
            ),
            RefreshLifetime::Hours(hours) => (
                "refresh_hours",
                u64::from(hours) * 60,
                (1..=87_600).contains(&hours),
            ),
        };
        if !in_range {
            let (value, unit, range) = match t.refresh_lifetime() {
                RefreshLifetime::Days(days) => (days, "days", "1 to 3650"),
                RefreshLifetime::Hours(hours) => (hours, "hours", "1 to 87600"),
            };
            self.error(
                format!("{base}.{field}"),
                format!("{field}: {value} {unit} is outside Cognito's range {range}"),
                format!("use {range} {unit}"),
            );
        } else if minutes <= u64::from(t.access_minutes.max(t.id_minutes)) {
            self.error(
                format!("{base}.{field}"),
                format!("{field}: the refresh token must outlive the access and ID tokens"),
                format!("raise {field} or lower access_minutes/id_minutes"),
            );
        }
    }
}

impl Checker<'_> {
    fn client_rotation_and_branding(&mut self, i: usize, client: &AppClient) {
        let base = format!("clients[{i}]");
        self.client_settings(&base, client);
        if let Some(rotation) = &client.refresh_token_rotation {
            if rotation.retry_grace_period_seconds > 60 {
                self.error(
                    format!("{base}.refresh_token_rotation.retry_grace_period_seconds"),
                    format!(
                        "retry_grace_period_seconds: {} is outside Cognito's range 0 to 60",
                        rotation.retry_grace_period_seconds
                    ),
                    "use 0 to 60 seconds",
                );
            }
        }
        let Some(branding) = &client.branding else {
            return;
        };
        let path = format!("{base}.branding");
        if branding.cognito_defaults == branding.settings_file.is_some() {
            self.error(
                &path,
                "branding needs exactly one of `cognito_defaults: true` and `settings_file`",
                "write `branding: { cognito_defaults: true }` or `branding: { settings_file: branding/<client>.json }`",
            );
        }
        let v2 = self.spec.domain.as_ref().and_then(|d| d.managed_login) == Some(ManagedLogin::V2);
        if !v2 {
            self.error(
                path,
                "branding styles managed login, and the pool's domain does not use it",
                "set `domain.managed_login: v2`",
            );
        }
    }
}

/// Scopes Cognito defines itself; anything else must be a resource-server scope `server/scope`.
const BUILT_IN_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

fn is_allowed_redirect(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty() && !rest.starts_with('/');
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    host == "localhost"
}

impl Checker<'_> {
    /// The default redirect URL, user existence errors and analytics.
    fn client_settings(&mut self, base: &str, client: &AppClient) {
        if let Some(url) = &client.default_redirect_url {
            if !client.callback_urls.contains(url) {
                self.error(
                    format!("{base}.default_redirect_url"),
                    "the default redirect URL must be one of the client's callback_urls; CloudFormation fails the client otherwise (DefaultRedirectURI, https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html)",
                    format!("add {url:?} to callback_urls, or remove default_redirect_url"),
                );
            }
        }
        if !client.prevent_user_existence_errors {
            self.warning(
                format!("{base}.prevent_user_existence_errors"),
                "sign-in, confirmation and password reset tell whether a username exists (Cognito's LEGACY)",
                "remove `prevent_user_existence_errors: false` (the default prevents it) unless the app depends on UserNotFoundException",
            );
        }
        if let Some(analytics) = &client.analytics {
            if analytics.application_arn.is_none() && analytics.application_id.is_none() {
                self.error(
                    format!("{base}.analytics"),
                    "analytics names no Pinpoint project; Cognito needs its ApplicationArn or ApplicationId (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AnalyticsConfigurationType.html)",
                    "add `application_arn: arn:aws:mobiletargeting:<region>:<account>:apps/<id>`, or `application_id` with `role_arn`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects() {
        assert!(is_allowed_redirect("https://app.example.com/cb"));
        assert!(is_allowed_redirect("http://localhost:3000/callback"));
        assert!(is_allowed_redirect("http://localhost/cb"));
        assert!(!is_allowed_redirect("http://app.example.com/cb"));
        assert!(!is_allowed_redirect("http://localhost.evil.com/cb"));
        assert!(!is_allowed_redirect("ftp://x"));
    }
}
