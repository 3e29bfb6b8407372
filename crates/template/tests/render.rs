//! Golden templates, determinism, and the properties of the rendered resources that keep users
//! verified and the stack deployable: the trigger wiring has no cycle, the function's role
//! grants nothing beyond its own logs, secrets stay dynamic references.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};
use spec::{EmailVerifiedPolicy, ProviderKind};

use common::*;

/// templates/ is the golden set: `just render` writes it, this test says when it is stale.
#[test]
fn committed_templates_match_the_pool_specs() {
    let templates = repo_root().join("templates");
    let mut stale = Vec::new();
    let mut expected_files = BTreeSet::new();
    for spec_path in pool_specs() {
        let template = render(&spec_path);
        for (ext, text) in [("yaml", template.to_yaml()), ("json", template.to_json())] {
            let name = format!("{}.{ext}", stem(&spec_path));
            let committed = std::fs::read_to_string(templates.join(&name)).unwrap_or_default();
            if committed != text {
                stale.push(format!("templates/{name}"));
            }
            expected_files.insert(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing: {}; run `just render` and commit the result",
        stale.join(", ")
    );
    let orphans: Vec<String> = std::fs::read_dir(&templates)
        .expect("templates/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| {
            (name.ends_with(".yaml") || name.ends_with(".json")) && !expected_files.contains(name)
        })
        .collect();
    assert!(
        orphans.is_empty(),
        "templates without a spec in infra/pools: {orphans:?}; delete them"
    );
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    for path in all_specs() {
        let (first, second) = (render(&path), render(&path));
        assert_eq!(first.to_yaml(), second.to_yaml(), "{}", path.display());
        assert_eq!(first.to_json(), second.to_json(), "{}", path.display());
        assert!(first.to_json().ends_with("}\n") && first.to_yaml().ends_with('\n'));
    }
}

#[test]
fn yaml_reads_back_as_the_json_document_in_yaml_1_2() {
    // PyYAML (YAML 1.1) is the reader that matters, in external_readers.rs; this one catches
    // emitter slips without Python. Short-form tags are turned back into long form first.
    for path in all_specs() {
        let template = render(&path);
        let parsed: serde_norway::Value =
            serde_norway::from_str(&template.to_yaml()).expect("YAML parses");
        assert_eq!(
            long_form(parsed),
            *template.as_value(),
            "{}",
            path.display()
        );
    }
}

fn long_form(value: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => json!(b),
        Y::Number(n) => serde_json::to_value(&n).expect("number"),
        Y::String(s) => json!(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(long_form).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.as_str().expect("string keys").to_owned(), long_form(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let arg = long_form(tagged.value);
            match name {
                "Ref" => json!({ "Ref": arg }),
                "GetAtt" => match arg {
                    Value::String(dotted) => {
                        let (resource, attribute) =
                            dotted.split_once('.').expect("Resource.Attribute");
                        json!({ "Fn::GetAtt": [resource, attribute] })
                    }
                    other => json!({ "Fn::GetAtt": other }),
                },
                other => json!({ format!("Fn::{other}"): arg }),
            }
        }
    }
}

/// Every `Ref`, `GetAtt`, `${X}` in a Sub and `DependsOn` of one resource, as logical IDs.
fn references(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("Ref", Value::String(name)) => {
                        out.insert(name.clone());
                    }
                    ("Fn::GetAtt", Value::Array(parts)) => {
                        if let Some(name) = parts.first().and_then(Value::as_str) {
                            out.insert(name.to_owned());
                        }
                    }
                    ("Fn::Sub", v) => {
                        let text = v
                            .as_str()
                            .or_else(|| v.get(0).and_then(Value::as_str))
                            .unwrap_or("");
                        for piece in text.split("${").skip(1) {
                            let var = piece.split('}').next().unwrap_or("");
                            out.insert(var.split('.').next().unwrap_or("").to_owned());
                        }
                        references(v, out);
                    }
                    ("DependsOn", Value::Array(ids)) => {
                        out.extend(ids.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    _ => references(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

fn dependency_graph(template: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let resources = template["Resources"].as_object().expect("Resources");
    resources
        .iter()
        .map(|(id, resource)| {
            let mut refs = BTreeSet::new();
            references(resource, &mut refs);
            refs.retain(|r| resources.contains_key(r));
            (id.clone(), refs)
        })
        .collect()
}

fn has_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
    ) -> Option<String> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => return Some(node.to_owned()),
            None => {}
        }
        state.insert(node, false);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, state) {
                return Some(format!("{node} -> {cycle}"));
            }
        }
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    graph.keys().find_map(|node| visit(node, graph, &mut state))
}

#[test]
fn the_trigger_wiring_has_no_dependency_cycle() {
    for path in all_specs() {
        let template = render(&path);
        let graph = dependency_graph(template.as_value());
        assert_eq!(
            has_cycle(&graph),
            None,
            "{}: dependency cycle",
            path.display()
        );
        // The pool names the function by a string, never by reference; the one resource it
        // may depend on is the SMS role, which depends on nothing (so never on the pool).
        assert!(
            graph["UserPool"].iter().all(|id| id == "SmsRole"),
            "{}: the pool depends on {:?}",
            path.display(),
            graph["UserPool"]
        );
        if let Some(role) = graph.get("SmsRole") {
            assert!(
                role.is_empty(),
                "{}: the SMS role depends on {role:?}",
                path.display()
            );
            assert!(graph["UserPool"].contains("SmsRole"), "{}", path.display());
        }
    }
    // The check itself notices a cycle.
    let cyclic = json!({ "Resources": { "A": { "Properties": { "X": { "Ref": "B" } } }, "B": { "DependsOn": ["A"] } } });
    assert!(has_cycle(&dependency_graph(&cyclic)).is_some());
}

#[test]
fn the_trigger_is_wired_to_the_pool_with_least_privilege() {
    for path in all_specs() {
        let spec = load(&path);
        let template = render(&path);
        let doc = template.as_value();
        let resources = doc["Resources"].as_object().expect("Resources");
        let Some(policy) = &spec.triggers.pre_sign_up else {
            assert!(!resources.contains_key("PreSignUpFunction"));
            // Only triggers given by ARN, if any, are in LambdaConfig.
            let config = &doc["Resources"]["UserPool"]["Properties"]["LambdaConfig"];
            assert_eq!(
                config.is_null(),
                spec.triggers.by_arn().is_empty() && spec.triggers.sender_kms_key.is_none(),
                "{}",
                path.display()
            );
            assert_eq!(
                template.parameter_names(),
                ["EnvironmentName"],
                "{}",
                path.display()
            );
            continue;
        };
        assert_eq!(
            template.parameter_names(),
            [
                "EnvironmentName",
                "ArtifactBucket",
                "ArtifactKey",
                "TriggerArchitecture"
            ],
            "{}",
            path.display()
        );

        // The pool calls the function by its fixed name.
        assert_eq!(
            doc["Resources"]["UserPool"]["Properties"]["LambdaConfig"]["PreSignUp"],
            json!({ "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AWS::StackName}-pre-sign-up" })
        );
        let function = &resources["PreSignUpFunction"]["Properties"];
        // With inbound federation, by the same `!Sub` ARN (no dependency, so no cycle), at the
        // only version Cognito takes; the function learns which providers it decides for.
        let inbound =
            &doc["Resources"]["UserPool"]["Properties"]["LambdaConfig"]["InboundFederation"];
        let decided = &function["Environment"]["Variables"][policy::DECIDED_PROVIDERS_ENV];
        if spec.has_inbound_federation_trigger() {
            assert_eq!(
                inbound,
                &json!({
                    "LambdaArn": doc["Resources"]["UserPool"]["Properties"]["LambdaConfig"]["PreSignUp"],
                    "LambdaVersion": "V1_0",
                }),
                "{}",
                path.display()
            );
            let decided: policy::DecidedProviders =
                serde_json::from_str(decided.as_str().expect("a JSON string")).unwrap();
            assert_eq!(decided, spec.decided_providers(), "{}", path.display());
            assert!(!decided.is_empty(), "{}", path.display());
        } else {
            assert!(inbound.is_null(), "{}", path.display());
            assert!(decided.is_null(), "{}", path.display());
        }
        assert_eq!(
            function["FunctionName"],
            json!({ "Fn::Sub": "${AWS::StackName}-pre-sign-up" })
        );
        assert_eq!(function["Runtime"], "provided.al2023");
        assert_eq!(function["Handler"], "bootstrap");
        assert_eq!(
            function["Architectures"],
            json!([{ "Ref": "TriggerArchitecture" }])
        );
        assert_eq!(
            function["Code"],
            json!({ "S3Bucket": { "Ref": "ArtifactBucket" }, "S3Key": { "Ref": "ArtifactKey" } })
        );
        assert_eq!(
            function["Role"],
            json!({ "Fn::GetAtt": ["PreSignUpRole", "Arn"] })
        );

        // The role trusts Lambda and carries no permission of its own.
        let role = &resources["PreSignUpRole"]["Properties"];
        let role_keys: BTreeSet<&str> = role
            .as_object()
            .expect("role")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            role_keys,
            BTreeSet::from(["AssumeRolePolicyDocument", "Description", "Tags"])
        );
        assert_eq!(
            role["AssumeRolePolicyDocument"]["Statement"],
            json!([{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }])
        );
        // The only grant: writing to its own log group.
        let grants: Vec<&Value> = resources
            .values()
            .filter(|r| {
                r["Type"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("AWS::IAM::") && t != "AWS::IAM::Role")
            })
            .collect();
        assert_eq!(grants.len(), 1, "{}: one IAM policy", path.display());
        assert_eq!(
            grants[0]["Properties"]["PolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": { "Fn::GetAtt": ["PreSignUpLogGroup", "Arn"] },
            }])
        );
        assert_eq!(
            grants[0]["Properties"]["Roles"],
            json!([{ "Ref": "PreSignUpRole" }])
        );

        // Only Cognito, only for this pool, only from this account may invoke it.
        let permission = &resources["PreSignUpPermission"]["Properties"];
        assert_eq!(permission["Principal"], "cognito-idp.amazonaws.com");
        assert_eq!(permission["Action"], "lambda:InvokeFunction");
        assert_eq!(
            permission["SourceArn"],
            json!({ "Fn::GetAtt": ["UserPool", "Arn"] })
        );
        assert_eq!(
            permission["SourceAccount"],
            json!({ "Ref": "AWS::AccountId" })
        );
        assert_eq!(
            permission["FunctionName"],
            json!({ "Fn::GetAtt": ["PreSignUpFunction", "Arn"] })
        );

        let log_group = &resources["PreSignUpLogGroup"]["Properties"];
        assert_eq!(
            log_group["LogGroupName"],
            json!({ "Fn::Sub": "/aws/lambda/${AWS::StackName}-pre-sign-up" })
        );
        assert_eq!(
            log_group["RetentionInDays"],
            json!(spec.triggers.log_retention_days)
        );

        // The policy the function reads is the spec's, with clients named by their ids.
        let configured =
            resolve_client_ids(&function["Environment"]["Variables"]["POOLCTL_POLICY"]);
        let parsed: policy::PreSignUpPolicy =
            serde_json::from_str(&configured).expect("policy JSON");
        let mut expected = policy.clone();
        for client in &mut expected.trusted_clients {
            *client = format!(
                "id-of-{}",
                template
                    .client_logical_id(client)
                    .expect("trusted client in template")
            );
        }
        assert_eq!(parsed, expected, "{}", path.display());
    }
}

/// The policy value with each `${ClientX}` (or `Ref ClientX`) replaced by `id-of-ClientX`, as
/// CloudFormation would with real client ids.
fn resolve_client_ids(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Object(map) if map.contains_key("Fn::Sub") => {
            let mut text = map["Fn::Sub"].as_str().expect("Sub string").to_owned();
            while let Some(start) = text.find("${") {
                let end = start + text[start..].find('}').expect("closing brace");
                let id = text[start + 2..end].to_owned();
                assert!(id.starts_with("Client"), "unexpected Sub variable {id}");
                text.replace_range(start..=end, &format!("id-of-{id}"));
            }
            text
        }
        Value::Object(map) if map.contains_key("Fn::Join") => map["Fn::Join"][1]
            .as_array()
            .expect("Join parts")
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => format!("id-of-{}", other["Ref"].as_str().expect("Ref")),
            })
            .collect(),
        other => panic!("unexpected policy value {other}"),
    }
}

#[test]
fn providers_map_email_verified_per_policy_and_keep_secrets_dynamic() {
    for path in all_specs() {
        let spec = load(&path);
        let template = render(&path);
        let resources = template.as_value()["Resources"]
            .as_object()
            .expect("Resources");
        for provider in &spec.identity_providers {
            let (_, resource) = resources
                .iter()
                .find(|(_, r)| r["Properties"]["ProviderName"] == provider.name.as_str())
                .unwrap_or_else(|| {
                    panic!(
                        "{}: no resource for provider {}",
                        path.display(),
                        provider.name
                    )
                });
            let props = &resource["Properties"];
            assert_eq!(resource["Type"], "AWS::Cognito::UserPoolIdentityProvider");
            assert_eq!(props["ProviderType"], provider.kind.provider_type());
            let details = &props["ProviderDetails"];
            let secret = match &provider.kind {
                ProviderKind::Google { client_secret, .. }
                | ProviderKind::Oidc { client_secret, .. }
                | ProviderKind::Facebook { client_secret, .. }
                | ProviderKind::Amazon { client_secret, .. } => {
                    Some(("client_secret", client_secret))
                }
                ProviderKind::Apple { private_key, .. } => Some(("private_key", private_key)),
                ProviderKind::Saml { .. } => None,
            };
            if let Some((key, value)) = secret {
                assert_eq!(details[key], value.as_str());
                assert!(
                    value.starts_with("{{resolve:"),
                    "{}: {key} of {} is not a dynamic reference",
                    path.display(),
                    provider.name
                );
            }
            let mapping = &props["AttributeMapping"];
            let expected_email = match &provider.kind {
                ProviderKind::Saml {
                    email_attribute, ..
                } => email_attribute.as_deref().unwrap_or_default(),
                _ => "email",
            };
            assert_eq!(
                mapping["email"],
                expected_email,
                "{}: {}",
                path.display(),
                provider.name
            );
            let policy = provider.email_verified.clone().or_else(|| {
                provider
                    .kind
                    .sends_email_verified()
                    .then_some(EmailVerifiedPolicy::Claim)
            });
            let expected_verified = match policy {
                Some(EmailVerifiedPolicy::Claim) => json!("email_verified"),
                Some(EmailVerifiedPolicy::ClaimNamed(claim)) => json!(claim),
                // Decided at every sign-in by poolctl's inbound federation trigger, which
                // writes this attribute.
                Some(EmailVerifiedPolicy::Trigger) if spec.triggers.inbound_federation => {
                    json!(policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE)
                }
                _ => Value::Null,
            };
            assert_eq!(
                mapping
                    .get("email_verified")
                    .cloned()
                    .unwrap_or(Value::Null),
                expected_verified,
                "{}: {}",
                path.display(),
                provider.name
            );
        }
        // Clients wait for the providers they name (names are plain strings, not references).
        for client in &spec.clients {
            let id = template
                .client_logical_id(&client.name)
                .expect("client resource");
            let named: BTreeSet<String> = client
                .providers
                .iter()
                .filter(|p| p.as_str() != spec::COGNITO_PROVIDER)
                .map(|p| {
                    resources
                        .iter()
                        .find(|(_, r)| r["Properties"]["ProviderName"] == p.as_str())
                        .map(|(id, _)| id.clone())
                        .expect("provider resource")
                })
                .collect();
            let depends: BTreeSet<String> = resources[&id]
                .get("DependsOn")
                .and_then(Value::as_array)
                .map(|ids| {
                    ids.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            // Besides providers, a client waits for the resource servers of its scopes.
            let named: BTreeSet<String> = named
                .into_iter()
                .chain(
                    spec.resource_servers
                        .iter()
                        .filter(|server| {
                            let scopes = server.scope_strings();
                            client.oauth_scopes.iter().any(|s| scopes.contains(s))
                        })
                        .map(|server| {
                            resources
                                .iter()
                                .find(|(_, r)| {
                                    r["Properties"]["Identifier"] == server.identifier.as_str()
                                })
                                .map(|(id, _)| id.clone())
                                .expect("resource server resource")
                        }),
                )
                .collect();
            assert_eq!(depends, named, "{}: {id}", path.display());
        }
        // The verification flags are never schema attributes.
        let schema = template.as_value()["Resources"]["UserPool"]["Properties"]["Schema"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(schema
            .iter()
            .all(|a| a["Name"] != "email_verified" && a["Name"] != "phone_number_verified"));
    }
}

#[test]
fn pool_protection_and_outputs_follow_the_spec() {
    for path in all_specs() {
        let spec = load(&path);
        let template = render(&path);
        let doc = template.as_value();
        let pool = &doc["Resources"]["UserPool"];
        let policy = if spec.protection.retain_on_delete {
            "Retain"
        } else {
            "Delete"
        };
        assert_eq!(pool["DeletionPolicy"], policy);
        assert_eq!(pool["UpdateReplacePolicy"], policy);
        let protection = match spec.protection.deletion {
            spec::DeletionProtection::Active => "ACTIVE",
            spec::DeletionProtection::Inactive => "INACTIVE",
        };
        assert_eq!(pool["Properties"]["DeletionProtection"], protection);
        assert_eq!(
            pool["Properties"]["UserPoolTags"]["poolctl:pool"],
            spec.name.as_str()
        );

        let outputs = doc["Outputs"].as_object().expect("Outputs");
        assert_eq!(outputs["UserPoolId"]["Value"], json!({ "Ref": "UserPool" }));
        assert_eq!(
            outputs["UserPoolArn"]["Value"],
            json!({ "Fn::GetAtt": ["UserPool", "Arn"] })
        );
        assert_eq!(
            outputs["ProviderUrl"]["Value"],
            json!({ "Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}" })
        );
        for client in &spec.clients {
            let id = template.client_logical_id(&client.name).expect("client");
            assert_eq!(outputs[&format!("{id}Id")]["Value"], json!({ "Ref": id }));
        }
        assert_eq!(outputs.contains_key("HostedUiUrl"), spec.domain.is_some());
        assert_eq!(
            outputs.contains_key("PreSignUpFunctionArn"),
            spec.triggers.pre_sign_up.is_some()
        );
    }
}

/// The ids of the checkov checks a resource's Metadata suppresses, each with its reason.
fn checkov_skips(resource: &Value) -> Vec<String> {
    let Some(skips) = resource["Metadata"]["checkov"]["skip"].as_array() else {
        return Vec::new();
    };
    skips
        .iter()
        .map(|skip| {
            let comment = skip["comment"].as_str().unwrap_or_default();
            assert!(
                comment.len() > 20,
                "a checkov skip without a reason: {skip}"
            );
            skip["id"].as_str().expect("skip id").to_owned()
        })
        .collect()
}

#[test]
fn the_log_group_is_encrypted_with_the_spec_key_or_says_why_not() {
    let mut seen_key = false;
    let mut seen_default = false;
    for path in all_specs() {
        let spec = load(&path);
        let template = render(&path);
        let resources = &template.as_value()["Resources"];
        if spec.triggers.pre_sign_up.is_none() {
            continue;
        }
        let log_group = &resources["PreSignUpLogGroup"];
        match &spec.triggers.log_group_kms_key {
            Some(key) => {
                seen_key = true;
                assert_eq!(log_group["Properties"]["KmsKeyId"], json!(key));
                assert!(log_group.get("Metadata").is_none(), "{}", path.display());
            }
            None => {
                seen_default = true;
                assert!(log_group["Properties"].get("KmsKeyId").is_none());
                assert_eq!(checkov_skips(log_group), ["CKV_AWS_158"]);
            }
        }
        // What does not apply to a synchronous Cognito trigger is suppressed, with reasons.
        assert_eq!(
            checkov_skips(&resources["PreSignUpFunction"]),
            ["CKV_AWS_115", "CKV_AWS_116", "CKV_AWS_117", "CKV_AWS_173"],
            "{}",
            path.display()
        );
    }
    assert!(seen_key && seen_default, "specs cover both log group kinds");
}

#[test]
fn a_deployed_pool_keeps_its_logical_id() {
    let path = pool_specs()
        .into_iter()
        .find(|p| stem(p) == "production")
        .expect("production.yaml");
    let options = template::RenderOptions {
        pool_logical_id: Some("AcmeUsersPool".into()),
    };
    let template = template::render(&load(&path), &options);
    let doc = template.as_value();
    assert!(doc["Resources"].get("UserPool").is_none());
    assert_eq!(
        doc["Resources"]["AcmeUsersPool"]["Type"],
        "AWS::Cognito::UserPool"
    );
    assert_eq!(
        doc["Outputs"]["UserPoolId"]["Value"],
        json!({ "Ref": "AcmeUsersPool" })
    );
    let graph = dependency_graph(doc);
    assert_eq!(has_cycle(&graph), None);
    assert!(
        graph.values().flatten().all(|id| id != "UserPool"),
        "a reference to the default ID remains"
    );
    assert!(graph.values().flatten().any(|id| id == "AcmeUsersPool"));
}

#[test]
fn a_client_name_cognito_accepts_is_kept_and_its_logical_id_derived() {
    // Upper case and spaces are Cognito's own (an imported client keeps its name); the
    // logical ID takes the name's letters and digits only.
    let text = "name: demo\nsign_in:\n  username: email\nclients:\n  - name: Web App\n";
    let spec = spec::load_str("pool.yaml", text)
        .unwrap_or_else(|e| panic!("{e}"))
        .spec;
    let template: Value = serde_json::from_str(
        &template::render(&spec, &template::RenderOptions::default()).to_json(),
    )
    .unwrap();
    assert_eq!(
        template["Resources"]["ClientWebApp"]["Properties"]["ClientName"],
        json!("Web App")
    );
}

#[test]
fn pool_name_names_the_pool_and_name_the_rest() {
    let render = |text: &str| -> Value {
        let spec = spec::load_str("pool.yaml", text)
            .unwrap_or_else(|e| panic!("{e}"))
            .spec;
        serde_json::from_str(
            &template::render(&spec, &template::RenderOptions::default()).to_json(),
        )
        .unwrap()
    };
    let base = "name: demo\nsign_in:\n  username: email\n";
    let pool = |t: &Value| t["Resources"]["UserPool"]["Properties"]["UserPoolName"].clone();
    assert_eq!(pool(&render(base)), json!("demo"));
    let named = render(&format!("{base}pool_name: Acme Users\n"));
    assert_eq!(pool(&named), json!("Acme Users"));
}
