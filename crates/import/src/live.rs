//! Reading a live pool with the Cognito SDK, in the SDK's own types. Read-only: Describe*,
//! List* and GetUserPoolMfaConfig. Client secrets come back from DescribeUserPoolClient and
//! provider secrets from DescribeIdentityProvider; neither is kept beyond the SDK value, and
//! [`crate::to_spec`] never copies them. Managed login branding is read per client when the
//! domain serves managed login (v2), the only version that shows it.

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, DomainDescriptionType, GroupType, IdentityProviderType,
    ManagedLoginBrandingType, ResourceServerType, UserPoolClientType, UserPoolMfaType,
    UserPoolType,
};
use aws_sdk_cognitoidentityprovider::Client;

use crate::error::ImportError;

/// A live pool and everything that belongs to it.
#[derive(Debug, Clone)]
pub struct LivePool {
    pub pool: UserPoolType,
    /// MFA factors, the email MFA message and passkey settings (only read when MFA is on or
    /// passkeys are a first factor).
    pub mfa: Option<GetUserPoolMfaConfigOutput>,
    pub clients: Vec<UserPoolClientType>,
    pub providers: Vec<IdentityProviderType>,
    pub domain: Option<DomainDescriptionType>,
    pub groups: Vec<GroupType>,
    pub resource_servers: Vec<ResourceServerType>,
    /// Each client's managed login branding, by client id (clients without one are absent).
    pub branding: BTreeMap<String, ManagedLoginBrandingType>,
}

impl LivePool {
    pub fn id(&self) -> &str {
        self.pool.id().unwrap_or_default()
    }
}

/// Reads pool `pool_id`.
pub async fn read(client: &Client, pool_id: &str) -> Result<LivePool, ImportError> {
    let described = client
        .describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await
        .map_err(|e| ImportError::aws("cognito-idp:DescribeUserPool", &e))
        .map_err(|e| match e {
            ImportError::Aws(error) if error.is_code("ResourceNotFoundException") => {
                ImportError::PoolNotFound(pool_id.to_owned())
            }
            other => other,
        })?;
    let pool = described
        .user_pool()
        .cloned()
        .ok_or_else(|| ImportError::PoolNotFound(pool_id.to_owned()))?;

    let passkeys = pool
        .policies()
        .and_then(|p| p.sign_in_policy())
        .is_some_and(|s| {
            s.allowed_first_auth_factors()
                .contains(&AuthFactorType::WebAuthn)
        });
    let mfa_on = pool
        .mfa_configuration()
        .is_some_and(|m| *m != UserPoolMfaType::Off);
    let mfa = if mfa_on || passkeys {
        Some(
            client
                .get_user_pool_mfa_config()
                .user_pool_id(pool_id)
                .send()
                .await
                .map_err(|e| ImportError::aws("cognito-idp:GetUserPoolMfaConfig", &e))?,
        )
    } else {
        None
    };

    let mut clients = Vec::new();
    for summary in aws::cognito::list_user_pool_clients(client, pool_id).await? {
        let Some(id) = summary.client_id() else {
            continue;
        };
        let described = client
            .describe_user_pool_client()
            .user_pool_id(pool_id)
            .client_id(id)
            .send()
            .await
            .map_err(|e| ImportError::aws("cognito-idp:DescribeUserPoolClient", &e))?;
        clients.extend(described.user_pool_client().cloned());
    }

    let mut providers = Vec::new();
    let mut pages = client
        .list_identity_providers()
        .user_pool_id(pool_id)
        .max_results(60)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ImportError::aws("cognito-idp:ListIdentityProviders", &e))?;
        for summary in page.providers() {
            let Some(name) = summary.provider_name() else {
                continue;
            };
            let described = client
                .describe_identity_provider()
                .user_pool_id(pool_id)
                .provider_name(name)
                .send()
                .await
                .map_err(|e| ImportError::aws("cognito-idp:DescribeIdentityProvider", &e))?;
            providers.extend(described.identity_provider().cloned());
        }
    }

    let domain_name = pool
        .custom_domain()
        .or(pool.domain())
        .filter(|d| !d.is_empty())
        .map(str::to_owned);
    let domain = match domain_name {
        Some(name) => client
            .describe_user_pool_domain()
            .domain(&name)
            .send()
            .await
            .map_err(|e| ImportError::aws("cognito-idp:DescribeUserPoolDomain", &e))?
            .domain_description()
            .cloned()
            .filter(|d| d.domain().is_some_and(|n| !n.is_empty()))
            // Some services answer an unknown domain with an empty description.
            .or_else(|| Some(DomainDescriptionType::builder().domain(name).build())),
        None => None,
    };

    let mut groups = Vec::new();
    let mut pages = client
        .list_groups()
        .user_pool_id(pool_id)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ImportError::aws("cognito-idp:ListGroups", &e))?;
        groups.extend(page.groups().iter().cloned());
    }

    let mut resource_servers = Vec::new();
    let mut pages = client
        .list_resource_servers()
        .user_pool_id(pool_id)
        .max_results(50)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ImportError::aws("cognito-idp:ListResourceServers", &e))?;
        resource_servers.extend(page.resource_servers().iter().cloned());
    }

    let managed_login = domain
        .as_ref()
        .and_then(DomainDescriptionType::managed_login_version)
        .is_some_and(|v| v >= 2);
    let mut branding = BTreeMap::new();
    if managed_login {
        for id in clients.iter().filter_map(UserPoolClientType::client_id) {
            let answer = client
                .describe_managed_login_branding_by_client()
                .user_pool_id(pool_id)
                .client_id(id)
                .send()
                .await
                .map_err(|e| {
                    ImportError::aws("cognito-idp:DescribeManagedLoginBrandingByClient", &e)
                });
            match answer {
                Ok(answer) => {
                    if let Some(style) = answer.managed_login_branding() {
                        branding.insert(id.to_owned(), style.clone());
                    }
                }
                // A client without its own branding.
                Err(ImportError::Aws(error)) if error.is_code("ResourceNotFoundException") => {}
                Err(error) => return Err(error),
            }
        }
    }

    Ok(LivePool {
        pool,
        mfa,
        clients,
        providers,
        domain,
        groups,
        resource_servers,
        branding,
    })
}
