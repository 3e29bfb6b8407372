//! Round-trip fidelity on pools poolctl did not write: every CloudFormation template in
//! `tests/corpus/` (public user-pool configurations, see its README) is created on the emulator
//! as its authors wrote it; `poolctl import` reads the pool (exit 0: nothing it cannot hold),
//! `poolctl check` accepts the spec (warnings allowed), and `poolctl deploy` makes a second pool
//! from it as a new stack. Then everything Cognito says about the two pools is compared field
//! by field: the pool, each client (by name), each identity provider, the domain, each group,
//! each resource server, the MFA configuration and the risk configuration, ignoring only the
//! fields in [`IGNORED`]. Where the emulator keeps no value for a property ([`TESTBED_GAPS`],
//! docs/testbed-gaps.md), the property is compared between the original template and the
//! imported spec's rendered template instead.
//!
//! One emulator serves every template; a failure lists every differing field of every
//! template, not only the first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aws_sdk_cloudformation::types::{Capability, StackStatus};
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::config::interceptors::AfterDeserializationInterceptorContextRef;
use cognito::config::{ConfigBag, Intercept, RuntimeComponents};
use cognito::error::{BoxError, ProvideErrorMetadata};
use e2e::aws::{cloudformation, sdk_config, wait_for_stack};
use e2e::cli::{run_poolctl, Run};
use e2e::emulator::Emulator;
use e2e::{repo_root, scratch_dir, unique_name};
use serde_json::{Map, Value};

/// Fields that name or date a resource rather than configure it, by the object they are in.
/// Each differs between two pools made from one configuration by construction.
const IGNORED: &[(&str, &[&str], &str)] = &[
    (
        "UserPool",
        &[
            "Id",
            "Arn",
            "CreationDate",
            "LastModifiedDate",
            "EstimatedNumberOfUsers",
        ],
        "identity, dates and user count of the pool",
    ),
    (
        "UserPool",
        &["Name"],
        "the redeployed pool is named after its own stack (the spec's name is its slug)",
    ),
    (
        "UserPool",
        &["SmsMfaConfiguration", "SoftwareTokenMfaConfiguration"],
        "not DescribeUserPool fields on AWS: the emulator echoes SetUserPoolMfaConfig there \
         (MfaConfig compares them)",
    ),
    (
        "UserPool",
        &["Domain"],
        "domain prefixes are unique per region, so the redeploy takes another (compared below)",
    ),
    (
        "UserPoolClient",
        &[
            "UserPoolId",
            "ClientId",
            "ClientSecret",
            "CreationDate",
            "LastModifiedDate",
        ],
        "identity, dates and the generated secret of a client (GenerateSecret is compared)",
    ),
    (
        "DomainDescription",
        &[
            "UserPoolId",
            "AWSAccountId",
            "Domain",
            "CloudFrontDistribution",
            "S3Bucket",
        ],
        "the domain's own name and what the service derives from it",
    ),
    (
        "IdentityProvider",
        &["UserPoolId", "CreationDate", "LastModifiedDate"],
        "identity and dates of a provider",
    ),
    (
        "Group",
        &["UserPoolId", "CreationDate", "LastModifiedDate"],
        "identity and dates of a group",
    ),
    (
        "ResourceServer",
        &["UserPoolId"],
        "identity of a resource server",
    ),
    (
        "RiskConfiguration",
        &["UserPoolId", "LastModifiedDate"],
        "identity and date of a risk configuration",
    ),
];

/// Tags a deploy adds to every pool it makes, not the pool's: poolctl's own (`poolctl:*`) and
/// CloudFormation's (`aws:cloudformation:*`, naming the stack).
const DEPLOY_TAG_PREFIXES: &[&str] = &["poolctl:", "aws:"];

/// Properties the emulator accepts in a template but keeps no value for (so no describe call
/// can show them): `(resource type, property)`. They are compared template to template.
/// docs/testbed-gaps.md lists them.
/// - `EnabledMfas`: the emulator's CloudFormation applies `SOFTWARE_TOKEN_MFA` only, so SMS
///   MFA never reaches `GetUserPoolMfaConfig`. The harness sets it on the original pool through
///   the API, as CloudFormation does on AWS, so that import sees it.
const TESTBED_GAPS: &[(&str, &str)] = &[("AWS::Cognito::UserPool", "EnabledMfas")];

/// Differences this corpus shows that poolctl does not remove yet, each recorded with why:
/// `(template, the start of the problem line, why)`. Each names one template: nothing is
/// excused across the corpus. A recorded difference that no longer occurs fails the test, so
/// the list only shrinks. It is empty: every template round-trips.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

/// Keeps the body of the last response the client received: the service's own JSON, every
/// field of it, as the SDK was given it.
#[derive(Debug, Clone, Default)]
struct LastBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for LastBody {
    fn name(&self) -> &'static str {
        "LastBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let body = context.response().body().bytes().map(<[u8]>::to_vec);
        *self.0.lock().expect("body lock") = body;
        Ok(())
    }
}

/// A Cognito client whose every answer is also read as JSON.
struct Observer {
    client: cognito::Client,
    last: LastBody,
}

impl Observer {
    async fn new(emulator: &Emulator) -> Observer {
        let last = LastBody::default();
        let config = cognito::config::Builder::from(&sdk_config(emulator).await)
            .interceptor(last.clone())
            .build();
        Observer {
            client: cognito::Client::from_conf(config),
            last,
        }
    }

    /// The JSON body of the answer to the call just made.
    fn body(&self) -> Value {
        let bytes = self
            .last
            .0
            .lock()
            .expect("body lock")
            .take()
            .expect("a response body");
        serde_json::from_slice(&bytes).expect("a JSON response body")
    }

    /// Everything Cognito says about a pool's configuration, as one JSON document keyed by
    /// what it is (`UserPool`, `UserPoolClient <name>`, ...), identity fields removed.
    async fn snapshot(&self, pool: &str) -> Result<BTreeMap<String, Value>, String> {
        let c = &self.client;
        let mut all = BTreeMap::new();
        let fail = |what: &str, e: &dyn std::fmt::Debug| format!("{what} of {pool}: {e:?}");

        c.describe_user_pool()
            .user_pool_id(pool)
            .send()
            .await
            .map_err(|e| fail("DescribeUserPool", &e))?;
        let user_pool = self.body()["UserPool"].clone();
        let domain = user_pool["Domain"].as_str().map(str::to_owned);
        all.insert("UserPool".to_owned(), user_pool);

        let clients = c
            .list_user_pool_clients()
            .user_pool_id(pool)
            .max_results(60)
            .send()
            .await
            .map_err(|e| fail("ListUserPoolClients", &e))?;
        for listed in clients.user_pool_clients() {
            c.describe_user_pool_client()
                .user_pool_id(pool)
                .client_id(listed.client_id().unwrap_or_default())
                .send()
                .await
                .map_err(|e| fail("DescribeUserPoolClient", &e))?;
            let client = self.body()["UserPoolClient"].clone();
            let name = client["ClientName"].as_str().unwrap_or_default().to_owned();
            all.insert(format!("UserPoolClient {name}"), client);
        }

        let providers = c
            .list_identity_providers()
            .user_pool_id(pool)
            .max_results(60)
            .send()
            .await
            .map_err(|e| fail("ListIdentityProviders", &e))?;
        for listed in providers.providers() {
            let name = listed.provider_name().unwrap_or_default();
            c.describe_identity_provider()
                .user_pool_id(pool)
                .provider_name(name)
                .send()
                .await
                .map_err(|e| fail("DescribeIdentityProvider", &e))?;
            all.insert(
                format!("IdentityProvider {name}"),
                self.body()["IdentityProvider"].clone(),
            );
        }

        if let Some(domain) = domain {
            c.describe_user_pool_domain()
                .domain(&domain)
                .send()
                .await
                .map_err(|e| fail("DescribeUserPoolDomain", &e))?;
            all.insert(
                "DomainDescription".to_owned(),
                self.body()["DomainDescription"].clone(),
            );
        }

        let groups = c
            .list_groups()
            .user_pool_id(pool)
            .limit(60)
            .send()
            .await
            .map_err(|e| fail("ListGroups", &e))?;
        for listed in groups.groups() {
            let name = listed.group_name().unwrap_or_default();
            c.get_group()
                .user_pool_id(pool)
                .group_name(name)
                .send()
                .await
                .map_err(|e| fail("GetGroup", &e))?;
            all.insert(format!("Group {name}"), self.body()["Group"].clone());
        }

        let servers = c
            .list_resource_servers()
            .user_pool_id(pool)
            .max_results(50)
            .send()
            .await
            .map_err(|e| fail("ListResourceServers", &e))?;
        for listed in servers.resource_servers() {
            let identifier = listed.identifier().unwrap_or_default();
            c.describe_resource_server()
                .user_pool_id(pool)
                .identifier(identifier)
                .send()
                .await
                .map_err(|e| fail("DescribeResourceServer", &e))?;
            all.insert(
                format!("ResourceServer {identifier}"),
                self.body()["ResourceServer"].clone(),
            );
        }

        c.get_user_pool_mfa_config()
            .user_pool_id(pool)
            .send()
            .await
            .map_err(|e| fail("GetUserPoolMfaConfig", &e))?;
        let mut mfa = self.body();
        // SMS MFA is compared in the templates (`EnabledMfas`, TESTBED_GAPS): the redeployed
        // pool cannot have it on the emulator.
        if let Some(mfa) = mfa.as_object_mut() {
            mfa.remove("SmsMfaConfiguration");
        }
        all.insert("MfaConfig".to_owned(), mfa);

        // The emulator has no risk configuration (the action is unknown to it, and its
        // CloudFormation rejects the attachment type): docs/testbed-gaps.md.
        match c
            .describe_risk_configuration()
            .user_pool_id(pool)
            .send()
            .await
        {
            Ok(_) => {
                all.insert(
                    "RiskConfiguration".to_owned(),
                    self.body()["RiskConfiguration"].clone(),
                );
            }
            Err(e) if e.code() == Some("InvalidAction") => {}
            Err(e) => return Err(fail("DescribeRiskConfiguration", &e)),
        }

        for (key, value) in &mut all {
            let kind = key.split(' ').next().unwrap_or_default();
            strip_ignored(kind, value);
            cognito_semantics(kind, value);
            normalize(value);
        }
        Ok(all)
    }
}

/// Removes [`IGNORED`] fields of an object of `kind`, and poolctl's own tags from a pool.
fn strip_ignored(kind: &str, value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    for (owner, fields, _why) in IGNORED {
        if *owner == kind {
            for field in *fields {
                object.remove(*field);
            }
        }
    }
    if kind == "UserPool" {
        if let Some(Value::Object(tags)) = object.get_mut("UserPoolTags") {
            tags.retain(|key, _| !DEPLOY_TAG_PREFIXES.iter().any(|p| key.starts_with(p)));
            if tags.is_empty() {
                object.remove("UserPoolTags");
            }
        }
    }
}

/// Writes a value the way Cognito reads it, where two spellings mean one setting, so that
/// only a difference in meaning is a difference. Each rule is Cognito's documented behaviour:
/// - a pool without `UsernameConfiguration` is case sensitive; without `UserPoolAddOns`, its
///   advanced security is `OFF`;
/// - `EmailVerificationMessage`, `EmailVerificationSubject` and `SmsVerificationMessage` are
///   the same settings as `VerificationMessageTemplate`'s `EmailMessage`, `EmailSubject` and
///   `SmsMessage` (Cognito keeps each pair equal; the emulator stores them apart), and an empty
///   string is no value;
/// - `LambdaConfig.PreTokenGeneration` is `PreTokenGenerationConfig` at `V1_0` (likewise);
/// - a client without `ExplicitAuthFlows` allows SRP, custom auth and refresh tokens;
/// - token lifetimes are a number in a unit (`TokenValidityUnits`, hours for access and ID
///   tokens and days for refresh tokens when absent), 60 minutes, 60 minutes and 30 days when
///   absent: compared as minutes.
fn cognito_semantics(kind: &str, value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    object.retain(|_, v| !(v.is_null() || v.as_str() == Some("")));
    match kind {
        "UserPool" => {
            object
                .entry("UsernameConfiguration")
                .or_insert_with(|| serde_json::json!({ "CaseSensitive": true }));
            object
                .entry("UserPoolAddOns")
                .or_insert_with(|| serde_json::json!({ "AdvancedSecurityMode": "OFF" }));
            let template = object
                .entry("VerificationMessageTemplate")
                .or_insert_with(|| Value::Object(Map::new()));
            let mut template = template.as_object().cloned().unwrap_or_default();
            template.retain(|_, v| !(v.is_null() || v.as_str() == Some("")));
            for (legacy, field) in [
                ("EmailVerificationMessage", "EmailMessage"),
                ("EmailVerificationSubject", "EmailSubject"),
                ("SmsVerificationMessage", "SmsMessage"),
            ] {
                if let Some(text) = object.remove(legacy) {
                    template.entry(field).or_insert(text);
                }
            }
            if template.is_empty() {
                object.remove("VerificationMessageTemplate");
            } else {
                object.insert(
                    "VerificationMessageTemplate".into(),
                    Value::Object(template),
                );
            }
            if let Some(Value::Object(lambda)) = object.get_mut("LambdaConfig") {
                if let Some(arn) = lambda.remove("PreTokenGeneration") {
                    lambda.entry("PreTokenGenerationConfig").or_insert_with(
                        || serde_json::json!({ "LambdaArn": arn, "LambdaVersion": "V1_0" }),
                    );
                }
            }
        }
        "UserPoolClient" => {
            let flows_absent = object
                .get("ExplicitAuthFlows")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty);
            if flows_absent {
                object.insert(
                    "ExplicitAuthFlows".into(),
                    serde_json::json!([
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_CUSTOM_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH"
                    ]),
                );
            }
            let units = object.remove("TokenValidityUnits").unwrap_or(Value::Null);
            for (field, unit_field, default_unit, default_minutes) in [
                ("AccessTokenValidity", "AccessToken", "hours", 60),
                ("IdTokenValidity", "IdToken", "hours", 60),
                ("RefreshTokenValidity", "RefreshToken", "days", 30 * 24 * 60),
            ] {
                let unit = units[unit_field].as_str().unwrap_or(default_unit);
                let minutes = match object.remove(field).and_then(|v| v.as_i64()) {
                    None | Some(0) => default_minutes,
                    Some(n) => match unit {
                        "seconds" => n / 60,
                        "minutes" => n,
                        "hours" => n * 60,
                        _ => n * 24 * 60,
                    },
                };
                object.insert(format!("{field}Minutes"), Value::from(minutes));
            }
        }
        _ => {}
    }
}

/// Cognito's lists are sets (flows, scopes, attributes, schema, recovery options): sorted, so
/// that order alone is never a difference.
fn normalize(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.iter_mut().for_each(normalize);
            items.sort_by_key(Value::to_string);
        }
        Value::Object(map) => map.values_mut().for_each(normalize),
        _ => {}
    }
}

/// Every field whose value differs between `original` and `again`, as `path: a -> b`.
fn differences(path: &str, original: &Value, again: &Value, out: &mut Vec<String>) {
    match (original, again) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let missing = Value::Null;
                differences(
                    &format!("{path}.{key}"),
                    a.get(key).unwrap_or(&missing),
                    b.get(key).unwrap_or(&missing),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (a, b) if a != b => out.push(format!("{path}: {a} -> {b}")),
        _ => {}
    }
}

/// The corpus templates, by file name.
fn corpus() -> Vec<PathBuf> {
    let dir = repo_root().join("tests").join("corpus");
    let mut templates: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    templates.sort();
    templates
}

/// The template's resources, parsed (CloudFormation's short-form tags read as plain values).
fn resources(text: &str) -> Map<String, Value> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).expect("a YAML template");
    let json = serde_json::to_value(untag(yaml)).expect("YAML as JSON");
    json["Resources"]
        .as_object()
        .cloned()
        .expect("a Resources map")
}

/// A YAML value with `!Ref X`-style tags replaced by `{"!Ref": X}`.
fn untag(value: serde_norway::Value) -> serde_norway::Value {
    use serde_norway::Value as Y;
    match value {
        Y::Tagged(tagged) => {
            let mut map = serde_norway::Mapping::new();
            map.insert(
                Y::String(tagged.tag.to_string()),
                untag(tagged.value.clone()),
            );
            Y::Mapping(map)
        }
        Y::Sequence(items) => Y::Sequence(items.into_iter().map(untag).collect()),
        Y::Mapping(map) => Y::Mapping(map.into_iter().map(|(k, v)| (k, untag(v))).collect()),
        other => other,
    }
}

/// What one template's round trip found wrong: every problem, one line each, in order.
struct Outcome {
    name: String,
    problems: Vec<String>,
}

/// A stack's pool id: its `AWS::Cognito::UserPool` resource, or its `UserPoolId` output.
async fn pool_of(cfn: &aws_sdk_cloudformation::Client, stack: &str) -> Result<String, String> {
    let resources = cfn
        .describe_stack_resources()
        .stack_name(stack)
        .send()
        .await
        .map_err(|e| format!("DescribeStackResources {stack}: {e:?}"))?;
    resources
        .stack_resources()
        .iter()
        .find(|r| r.resource_type() == Some("AWS::Cognito::UserPool"))
        .and_then(|r| r.physical_resource_id())
        .map(str::to_owned)
        .ok_or_else(|| format!("stack {stack} has no user pool"))
}

fn exit_problem(run: &Run, what: &str) -> Option<String> {
    (run.code != Some(0)).then(|| {
        format!(
            "{what}: exit {:?}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        )
    })
}

/// One template's round trip; every problem found is in the outcome.
async fn round_trip(emulator: &Emulator, observer: &Observer, template: &Path) -> Outcome {
    let name = template
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a file name")
        .to_owned();
    let mut problems = Vec::new();
    let result = round_trip_steps(emulator, observer, template, &name, &mut problems).await;
    if let Err(problem) = result {
        problems.push(problem);
    }
    Outcome { name, problems }
}

async fn round_trip_steps(
    emulator: &Emulator,
    observer: &Observer,
    template: &Path,
    name: &str,
    problems: &mut Vec<String>,
) -> Result<(), String> {
    let text = std::fs::read_to_string(template).map_err(|e| e.to_string())?;
    let cfn = cloudformation(emulator).await;
    let stack = unique_name(&format!("corpus-{name}"));
    cfn.create_stack()
        .stack_name(&stack)
        .template_body(&text)
        .capabilities(Capability::CapabilityIam)
        .send()
        .await
        .map_err(|e| format!("CreateStack of the original: {e:?}"))?;
    let status = wait_for_stack(&cfn, &stack).await;
    if status != StackStatus::CreateComplete {
        return Err(format!(
            "the original template did not create: {status:?}\n{}",
            emulator.log_tail()
        ));
    }
    let original_pool = pool_of(&cfn, &stack).await?;
    let original = resources(&text);
    apply_sms_mfa(observer, &original, &original_pool).await?;

    let dir = scratch_dir(&format!("corpus-{name}"));
    let spec = dir.join(format!("{name}.yaml"));
    let spec_arg = spec.to_str().expect("a UTF-8 path");
    let run = run_poolctl(
        emulator,
        &[
            "import",
            "--user-pool-id",
            &original_pool,
            "--out",
            spec_arg,
            "--allow-partial",
        ],
    );
    // --allow-partial writes the spec even with gaps, so the rest still runs; the gaps are
    // listed in the header, and any is a problem.
    if let Some(problem) = exit_problem(&run, "poolctl import") {
        return Err(problem);
    }
    let written = std::fs::read_to_string(&spec).map_err(|e| e.to_string())?;
    let gaps: Vec<&str> = written
        .lines()
        .filter(|line| line.starts_with("#   - "))
        .collect();
    problems.extend(gaps.iter().map(|gap| format!("import gap: {}", &gap[6..])));

    let run = run_poolctl(emulator, &["check", spec_arg]);
    problems.extend(exit_problem(&run, "poolctl check"));

    // A domain prefix is unique per region: the redeploy takes the original's with a suffix.
    let mut edited = written.clone();
    for resource in original.values() {
        if resource["Type"] == "AWS::Cognito::UserPoolDomain" {
            let prefix = resource["Properties"]["Domain"]
                .as_str()
                .unwrap_or_default();
            let from = format!("prefix: {prefix}\n");
            if !edited.contains(&from) {
                return Err(format!("the imported spec has no `{from}`:\n{written}"));
            }
            edited = edited.replacen(&from, &format!("prefix: {prefix}-again\n"), 1);
        }
    }
    std::fs::write(&spec, &edited).map_err(|e| e.to_string())?;

    compare_testbed_gaps(emulator, &original, spec_arg, problems);

    let again_stack = unique_name(&format!("corpus-{name}-again"));
    let run = run_poolctl(
        emulator,
        &["deploy", spec_arg, "--stack", &again_stack, "--yes"],
    );
    if let Some(problem) = exit_problem(&run, "poolctl deploy of the imported spec") {
        return Err(problem);
    }
    let again_pool = pool_of(&cfn, &again_stack).await?;

    let before = observer.snapshot(&original_pool).await?;
    let after = observer.snapshot(&again_pool).await?;
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut differing = Vec::new();
    for key in keys {
        let missing = Value::Null;
        differences(
            key,
            before.get(key).unwrap_or(&missing),
            after.get(key).unwrap_or(&missing),
            &mut differing,
        );
    }
    problems.extend(differing.into_iter().map(|d| format!("differs: {d}")));
    Ok(())
}

/// What CloudFormation does on AWS for a pool whose `EnabledMfas` lists `SMS_MFA` and the
/// emulator's does not: SMS MFA on, with the pool's `SmsConfiguration`.
async fn apply_sms_mfa(
    observer: &Observer,
    original: &Map<String, Value>,
    pool: &str,
) -> Result<(), String> {
    use cognito::types::{
        SmsConfigurationType, SmsMfaConfigType, SoftwareTokenMfaConfigType, UserPoolMfaType,
    };
    for resource in original.values() {
        let properties = &resource["Properties"];
        let enabled = properties["EnabledMfas"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if resource["Type"] != "AWS::Cognito::UserPool" || !enabled.contains(&"SMS_MFA".into()) {
            continue;
        }
        let sms = &properties["SmsConfiguration"];
        let sms = SmsConfigurationType::builder()
            .sns_caller_arn(sms["SnsCallerArn"].as_str().unwrap_or_default())
            .set_external_id(sms["ExternalId"].as_str().map(str::to_owned))
            .build();
        observer
            .client
            .set_user_pool_mfa_config()
            .user_pool_id(pool)
            .mfa_configuration(UserPoolMfaType::from(
                properties["MfaConfiguration"].as_str().unwrap_or("OFF"),
            ))
            .sms_mfa_configuration(SmsMfaConfigType::builder().sms_configuration(sms).build())
            .set_software_token_mfa_configuration(
                enabled
                    .contains(&"SOFTWARE_TOKEN_MFA".into())
                    .then(|| SoftwareTokenMfaConfigType::builder().enabled(true).build()),
            )
            .send()
            .await
            .map_err(|e| format!("SetUserPoolMfaConfig on the original: {e:?}"))?;
    }
    Ok(())
}

/// For each [`TESTBED_GAPS`] property the original template sets, the imported spec's rendered
/// template must set it to the same value.
fn compare_testbed_gaps(
    emulator: &Emulator,
    original: &Map<String, Value>,
    spec: &str,
    problems: &mut Vec<String>,
) {
    let wanted: Vec<(&str, &str, &Value)> = original
        .values()
        .flat_map(|resource| {
            TESTBED_GAPS.iter().filter_map(move |(kind, property)| {
                (resource["Type"] == *kind)
                    .then(|| resource["Properties"].get(*property))
                    .flatten()
                    .map(|value| (*kind, *property, value))
            })
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let run = run_poolctl(emulator, &["render", spec, "--stdout", "--format", "json"]);
    if let Some(problem) = exit_problem(&run, "poolctl render") {
        problems.push(problem);
        return;
    }
    let rendered: Value = serde_json::from_str(&run.stdout).expect("rendered JSON");
    let rendered = rendered["Resources"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (kind, property, value) in wanted {
        let found = rendered
            .values()
            .filter(|r| r["Type"] == kind)
            .find_map(|r| r["Properties"].get(property));
        let as_set = |v: &Value| {
            let mut v = v.clone();
            normalize(&mut v);
            v
        };
        if found.map(as_set) != Some(as_set(value)) {
            problems.push(format!(
                "{kind}.{property} (not kept by the emulator, compared in the templates): \
                 {value} -> {}",
                found.map_or("absent".to_owned(), Value::to_string)
            ));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_corpus_pool_imports_checks_and_redeploys_identically() {
    let templates = corpus();
    assert!(
        templates.len() >= 40,
        "tests/corpus holds {} templates",
        templates.len()
    );
    let emulator = Emulator::start();
    let observer = Observer::new(&emulator).await;
    let mut unexpected = Vec::new();
    let mut seen = vec![false; KNOWN_DIFFERENCES.len()];
    for template in &templates {
        let outcome = round_trip(&emulator, &observer, template).await;
        let mut new: Vec<&String> = Vec::new();
        for problem in &outcome.problems {
            let known = KNOWN_DIFFERENCES
                .iter()
                .position(|(name, start, _)| *name == outcome.name && problem.starts_with(start));
            match known {
                Some(i) => seen[i] = true,
                None => new.push(problem),
            }
        }
        if !new.is_empty() {
            let lines: Vec<&str> = new.iter().map(|p| p.as_str()).collect();
            unexpected.push(format!("== {}\n{}", outcome.name, lines.join("\n")));
        }
    }
    let stale: Vec<String> = KNOWN_DIFFERENCES
        .iter()
        .zip(&seen)
        .filter(|(_, seen)| !**seen)
        .map(|((name, start, _), _)| format!("{name}: {start}"))
        .collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} of {} corpus templates do not round-trip:\n{}\n\nrecorded differences no longer \
         seen (remove them from KNOWN_DIFFERENCES): {stale:#?}",
        unexpected.len(),
        templates.len(),
        unexpected.join("\n\n"),
    );
}
