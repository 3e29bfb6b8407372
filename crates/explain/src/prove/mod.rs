//! `explain --prove`: the scenarios a pool can be driven through from outside, performed
//! against a deployed stack, each user's `email_verified` read back and compared with the
//! row's prediction, and every user made deleted again.
//!
//! Performed: agent sign-up (SignUp with the client's secret, then AdminConfirmSignUp unless
//! the trigger confirmed), self-service sign-up (read right after SignUp: entering the code is
//! the user's step), AdminCreateUser with and without `email_verified` (no invitation sent),
//! and SAML sign-in through the hosted UI when the endpoint is a local emulator (on AWS the
//! assertion must come signed from the IdP). Not performed: email change, duplicate address,
//! and other federated sign-ins; their checks say why.

pub(crate) mod saml;

use std::collections::BTreeMap;

use aws::AwsError;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
use aws_sdk_cognitoidentityprovider::Client;
use spec::{PoolSpec, ProviderKind, UsernameKind};

use crate::row::{Row, Scenario, Verdict};
use crate::scenarios::Explanation;
use crate::ExplainError;

/// The error code Cognito answers with when the PreSignUp trigger refuses a sign-up.
const TRIGGER_REFUSED: &str = "UserLambdaValidationException";
/// Prefix of every user a proof makes, so that a leftover is recognisable.
pub const USER_PREFIX: &str = "poolctl-explain";

/// What a proof did, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub stack: String,
    pub pool_id: String,
    /// One per row of the explanation, in its order.
    pub checks: Vec<Check>,
    /// Users made and not deleted again: the username and why.
    pub leftovers: Vec<(String, String)>,
}

impl Proof {
    /// Checks performed whose observation differs from the prediction, or that failed.
    pub fn mismatches(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.agrees() == Some(false))
    }

    pub fn performed(&self) -> usize {
        self.checks.iter().filter(|c| c.agrees().is_some()).count()
    }
}

/// One row's check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The index of the row in the explanation.
    pub row: usize,
    /// The user made for it.
    pub user: Option<String>,
    /// What `email_verified` should be at the moment it is read.
    pub predicted: Verdict,
    pub observed: Observed,
    /// When the moment differs from the row's: e.g. a self-service sign-up is read before
    /// the user enters the code.
    pub note: Option<&'static str>,
}

impl Check {
    /// `None` when the scenario was not performed.
    pub fn agrees(&self) -> Option<bool> {
        match &self.observed {
            Observed::Verdict(observed) => Some(*observed == self.predicted),
            Observed::Failed(_) => Some(false),
            Observed::NotPerformed(_) => None,
        }
    }
}

/// What a check saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    Verdict(Verdict),
    /// A call failed in a way no prediction covers.
    Failed(String),
    /// Why the scenario was not performed.
    NotPerformed(String),
}

/// Performs the explanation's scenarios against the pool of `stack`, deployed from `spec`.
pub async fn prove(
    aws: &aws::Aws,
    spec: &PoolSpec,
    explanation: &Explanation,
    stack: &str,
) -> Result<Proof, ExplainError> {
    let pool_id = aws.user_pool_id(stack).await?;
    let client = aws.cognito.clone();
    let clients = client_ids(&client, &pool_id).await?;
    let hosted_ui = aws
        .custom_endpoint
        .then(|| aws.config.endpoint_url())
        .flatten()
        .filter(|url| url.starts_with("http://"))
        .map(str::to_owned);
    let mut run = Run {
        client,
        spec,
        pool_id: pool_id.clone(),
        clients,
        hosted_ui,
        token: run_token(),
        made: Vec::new(),
    };
    let mut checks = Vec::with_capacity(explanation.rows.len());
    for (index, row) in explanation.rows.iter().enumerate() {
        checks.push(run.check(index, row).await);
    }
    let leftovers = run.clean_up().await;
    Ok(Proof {
        stack: stack.to_owned(),
        pool_id,
        checks,
        leftovers,
    })
}

/// The pool's app clients, by name.
async fn client_ids(
    client: &Client,
    pool_id: &str,
) -> Result<BTreeMap<String, String>, ExplainError> {
    let mut ids = BTreeMap::new();
    for description in aws::cognito::list_user_pool_clients(client, pool_id).await? {
        if let (Some(name), Some(id)) = (description.client_name(), description.client_id()) {
            ids.insert(name.to_owned(), id.to_owned());
        }
    }
    Ok(ids)
}

/// A short token that makes this run's usernames unique.
fn run_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{:08x}",
        (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
    )
    .chars()
    .rev()
    .take(8)
    .collect()
}

/// A failed call as every failed call reads ([`AwsError::from_sdk`]).
fn failure<E>(
    operation: &'static str,
    error: &aws_sdk_cognitoidentityprovider::error::SdkError<
        E,
        aws_sdk_cognitoidentityprovider::config::http::HttpResponse,
    >,
) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    AwsError::from_sdk(operation, error).to_string()
}

fn attribute(name: &str, value: &str) -> Option<AttributeType> {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .ok()
}

fn is_trigger_refusal<E: ProvideErrorMetadata, R>(
    error: &aws_sdk_cognitoidentityprovider::error::SdkError<E, R>,
) -> bool {
    error.code() == Some(TRIGGER_REFUSED)
}

/// One proof run: the client, the pool, and the users made so far.
struct Run<'a> {
    client: Client,
    spec: &'a PoolSpec,
    pool_id: String,
    clients: BTreeMap<String, String>,
    /// The local emulator's endpoint, where its hosted UI answers.
    hosted_ui: Option<String>,
    token: String,
    made: Vec<String>,
}

/// A check's outcome before it is tied to its row.
struct Seen {
    user: Option<String>,
    observed: Observed,
}

impl Seen {
    fn not_performed(why: impl Into<String>) -> Seen {
        Seen {
            user: None,
            observed: Observed::NotPerformed(why.into()),
        }
    }

    fn failed(user: Option<String>, why: String) -> Seen {
        Seen {
            user,
            observed: Observed::Failed(why),
        }
    }
}

impl Run<'_> {
    async fn check(&mut self, index: usize, row: &Row) -> Check {
        let (predicted, note) = prediction(row);
        let seen = match &row.scenario {
            Scenario::AgentSignUp { client } => self.sign_up(index, row, client, true).await,
            Scenario::SelfServiceSignUp { client }
            | Scenario::VerifyDomainSignUp { client, .. } => {
                self.sign_up(index, row, client, false).await
            }
            Scenario::AdminCreateUser { email_verified } => {
                self.admin_create(index, row, *email_verified).await
            }
            Scenario::FederatedSignIn { provider, .. } => self.federated(index, provider).await,
            Scenario::EmailChange | Scenario::DuplicateEmail => Seen::not_performed(
                "not performed by --prove: it needs a user's own session and a code",
            ),
            Scenario::FederatedAddressChange { .. } => Seen::not_performed(
                "not performed by --prove: it needs the identity provider to change a user's address",
            ),
        };
        Check {
            row: index,
            user: seen.user,
            predicted,
            observed: seen.observed,
            note,
        }
    }

    /// The address and username for row `index`: in the domain the row's trigger call used.
    fn identity(&self, index: usize, row: &Row) -> Result<(String, String), Seen> {
        let domain = row
            .trigger
            .as_ref()
            .and_then(|t| t.email.rsplit_once('@'))
            .map_or("example.com", |(_, domain)| domain);
        let local = format!("{USER_PREFIX}-{}-{index}", self.token);
        let email = format!("{local}@{domain}");
        match self.spec.sign_in.username {
            UsernameKind::Email | UsernameKind::EmailOrPhone => Ok((email.clone(), email)),
            UsernameKind::Username => Ok((local, email)),
            UsernameKind::Phone => Err(Seen::not_performed(
                "not performed: the pool's username is a phone number, which poolctl does not verify",
            )),
        }
    }

    /// A password the spec's policy accepts.
    fn password(&self) -> String {
        let min = usize::from(self.spec.password.min_length);
        let mut password = format!("Aa1!{}", self.token);
        while password.len() < min.max(12) {
            password.push('x');
        }
        password
    }

    async fn sign_up(&mut self, index: usize, row: &Row, client: &str, agent: bool) -> Seen {
        let (username, email) = match self.identity(index, row) {
            Ok(identity) => identity,
            Err(seen) => return seen,
        };
        let Some(client_id) = self.clients.get(client).cloned() else {
            return Seen::failed(None, format!("the pool has no app client named `{client}`"));
        };
        let secret = match self.secret(client, &client_id).await {
            Ok(secret) => secret,
            Err(why) => return Seen::failed(None, why),
        };
        let mut request = self
            .client
            .sign_up()
            .client_id(&client_id)
            .username(&username)
            .password(self.password())
            .set_user_attributes(attribute("email", &email).map(|a| vec![a]));
        if let Some(secret) = &secret {
            request = request.secret_hash(aws::cognito::secret_hash(&username, &client_id, secret));
        }
        let confirmed = match request.send().await {
            Ok(output) => output.user_confirmed(),
            Err(error) if is_trigger_refusal(&error) => {
                return Seen {
                    user: None,
                    observed: Observed::Verdict(Verdict::Refused),
                }
            }
            Err(error) => return Seen::failed(None, failure("cognito-idp:SignUp", &error)),
        };
        self.made.push(username.clone());
        if agent && !confirmed {
            if let Err(error) = self
                .client
                .admin_confirm_sign_up()
                .user_pool_id(&self.pool_id)
                .username(&username)
                .send()
                .await
            {
                return Seen::failed(
                    Some(username),
                    failure("cognito-idp:AdminConfirmSignUp", &error),
                );
            }
        }
        self.read(username).await
    }

    /// The client's secret, when it has one.
    async fn secret(&self, client: &str, client_id: &str) -> Result<Option<String>, String> {
        let has_secret = self
            .spec
            .clients
            .iter()
            .any(|c| c.name == client && c.generate_secret);
        if !has_secret {
            return Ok(None);
        }
        let described = self
            .client
            .describe_user_pool_client()
            .user_pool_id(&self.pool_id)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| failure("cognito-idp:DescribeUserPoolClient", &e))?;
        described
            .user_pool_client()
            .and_then(|c| c.client_secret())
            .map(|s| Some(s.to_owned()))
            .ok_or_else(|| format!("app client `{client}` has no secret in the pool"))
    }

    async fn admin_create(&mut self, index: usize, row: &Row, email_verified: bool) -> Seen {
        let (username, email) = match self.identity(index, row) {
            Ok(identity) => identity,
            Err(seen) => return seen,
        };
        let mut attributes: Vec<AttributeType> = attribute("email", &email).into_iter().collect();
        if email_verified {
            attributes.extend(attribute("email_verified", "true"));
        }
        let created = self
            .client
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(&username)
            .set_user_attributes(Some(attributes))
            .temporary_password(self.password())
            .message_action(MessageActionType::Suppress)
            .send()
            .await;
        match created {
            Ok(_) => {
                self.made.push(username.clone());
                self.read(username).await
            }
            Err(error) if is_trigger_refusal(&error) => Seen {
                user: None,
                observed: Observed::Verdict(Verdict::Refused),
            },
            Err(error) => Seen::failed(None, failure("cognito-idp:AdminCreateUser", &error)),
        }
    }

    async fn federated(&mut self, index: usize, provider: &str) -> Seen {
        let Some(found) = self
            .spec
            .identity_providers
            .iter()
            .find(|p| p.name == provider)
        else {
            return Seen::not_performed("not performed: the provider is not in the spec");
        };
        if !matches!(found.kind, ProviderKind::Saml { .. }) {
            return Seen::not_performed(format!(
                "not performed: a sign-in at {} needs a person at the provider",
                found.kind.provider_type()
            ));
        }
        let Some(endpoint) = self.hosted_ui.clone() else {
            return Seen::not_performed(
                "not performed on AWS: the SAML assertion must come signed from the IdP; sign in through it by hand",
            );
        };
        let Some((client, callback)) = self.spec.clients.iter().find_map(|c| {
            (c.providers.iter().any(|p| p == provider))
                .then(|| {
                    c.callback_urls
                        .first()
                        .map(|url| (c.name.clone(), url.clone()))
                })
                .flatten()
        }) else {
            return Seen::not_performed(format!(
                "not performed: no app client offers {provider} with a callback URL"
            ));
        };
        let Some(client_id) = self.clients.get(&client).cloned() else {
            return Seen::failed(None, format!("the pool has no app client named `{client}`"));
        };
        let name_id = format!("{USER_PREFIX}-{}-{index}@example.com", self.token);
        let mut claims: Vec<(String, String)> = found
            .email_source()
            .map(|source| (source.to_owned(), name_id.clone()))
            .into_iter()
            .collect();
        if let Some(claim) = found.email_verified_source() {
            claims.push((claim.to_owned(), "true".to_owned()));
        }
        let sign_in = saml::SignIn {
            endpoint: &endpoint,
            client_id: &client_id,
            callback: &callback,
            provider,
            name_id: &name_id,
            claims: &claims,
        };
        // Noted before the sign-in: a sign-in that fails late may still have made the user.
        let username = format!("{provider}_{name_id}");
        self.made.push(username.clone());
        if let Err(why) = sign_in.perform().await {
            return Seen::failed(None, format!("SAML sign-in: {why}"));
        }
        self.read(username).await
    }

    /// `email_verified` of `username`, as the pool has it (absent reads as false, as on AWS).
    async fn read(&self, username: String) -> Seen {
        let user = self
            .client
            .admin_get_user()
            .user_pool_id(&self.pool_id)
            .username(&username)
            .send()
            .await;
        match user {
            Ok(user) => {
                let verified = user.user_attributes().iter().any(|a| {
                    a.name() == "email_verified" && a.value().is_some_and(policy::is_true_attribute)
                });
                Seen {
                    user: Some(username),
                    observed: Observed::Verdict(Verdict::from_bool(verified)),
                }
            }
            Err(error) => {
                let why = failure("cognito-idp:AdminGetUser", &error);
                Seen::failed(Some(username), why)
            }
        }
    }

    /// Deletes every user made; returns those that could not be deleted.
    async fn clean_up(&mut self) -> Vec<(String, String)> {
        let mut leftovers = Vec::new();
        for username in std::mem::take(&mut self.made) {
            let deleted = self
                .client
                .admin_delete_user()
                .user_pool_id(&self.pool_id)
                .username(&username)
                .send()
                .await;
            match deleted {
                Err(error) if error.code() != Some("UserNotFoundException") => {
                    leftovers.push((username, failure("cognito-idp:AdminDeleteUser", &error)));
                }
                _ => {}
            }
        }
        leftovers
    }
}

/// What a check expects to read, and when that differs from the row's own moment, why.
fn prediction(row: &Row) -> (Verdict, Option<&'static str>) {
    match row.scenario {
        Scenario::SelfServiceSignUp { .. } | Scenario::VerifyDomainSignUp { .. }
            if row.email_verified != Verdict::Refused =>
        {
            let verified = row
                .trigger
                .as_ref()
                .is_some_and(|t| t.outcome.as_ref().is_ok_and(|d| d.auto_verify_email));
            let note = (!verified)
                .then_some("read right after SignUp: entering the code is the user's step");
            (Verdict::from_bool(verified), note)
        }
        _ => (row.email_verified, None),
    }
}
