//! Environments: each merged spec is validated, a finding the override caused points at the
//! override, and a command is given the environment it names or a clear refusal.

use spec::{load_str, SelectError};

const SPEC: &str = r#"name: shop
sign_in:
  username: email
clients:
  - name: web
    providers: [COGNITO]
    callback_urls: ["http://localhost:3000/callback"]
    oauth_flows: [code]
    oauth_scopes: [openid, email]
tags:
  app: shop
environments:
  dev: { account: "111111111111", region: us-east-1 }
  prod:
    account: "333333333333"
    region: us-east-1
    role_arn: "arn:aws:iam::333333333333:role/poolctl-deploy"
    overrides:
      domain: { prefix: acme-login }
      clients: { web: { callback_urls: ["https://app.acme.example/callback"] } }
      tags: { env: prod }
"#;

#[test]
fn each_environment_gets_the_base_with_its_overrides() {
    let loaded = load_str("shop.yaml", SPEC).unwrap();
    let prod = loaded.clone().select(Some("prod")).unwrap();
    assert_eq!(prod.environment.as_ref().unwrap().name, "prod");
    assert_eq!(
        prod.environment.unwrap().environment.account,
        "333333333333"
    );
    assert_eq!(
        prod.spec.domain.unwrap().prefix.as_deref(),
        Some("acme-login")
    );
    assert_eq!(
        prod.spec.clients[0].callback_urls,
        ["https://app.acme.example/callback"]
    );
    assert_eq!(
        prod.spec.clients[0].oauth_scopes.len(),
        2,
        "the rest of the client stays"
    );
    assert_eq!(prod.spec.tags["app"], "shop");
    assert_eq!(prod.spec.tags["env"], "prod");
    let dev = loaded.clone().select(Some("dev")).unwrap();
    assert!(dev.spec.domain.is_none());
    assert_eq!(
        dev.spec.clients[0].callback_urls,
        ["http://localhost:3000/callback"]
    );
    // The base, for render without --env.
    assert!(loaded.clone().select(None).unwrap().environment.is_none());
}

#[test]
fn commands_that_call_aws_must_name_a_declared_environment() {
    let loaded = load_str("shop.yaml", SPEC).unwrap();
    assert_eq!(
        loaded.clone().select_for_aws(None).unwrap_err(),
        SelectError::Required {
            pool: "shop".into(),
            available: vec!["dev".into(), "prod".into()]
        }
    );
    let unknown = loaded.clone().select_for_aws(Some("stage")).unwrap_err();
    assert!(matches!(unknown, SelectError::Unknown { .. }));
    assert!(unknown.to_string().contains("dev, prod"), "{unknown}");
    assert!(loaded.select_for_aws(Some("dev")).is_ok());

    let plain = load_str("p.yaml", "name: p\nsign_in: { username: email }\n").unwrap();
    assert!(plain.clone().select_for_aws(None).is_ok());
    assert!(matches!(
        plain.select_for_aws(Some("dev")).unwrap_err(),
        SelectError::NoneDeclared { .. }
    ));
}

/// The errors of a spec that does not load (the base's warning about its missing domain aside).
fn errors(text: &str) -> Vec<spec::Diagnostic> {
    let error = load_str("shop.yaml", text).unwrap_err();
    error
        .diagnostics
        .into_iter()
        .filter(spec::Diagnostic::is_error)
        .collect()
}

/// The line (1-based) of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn an_error_the_override_caused_points_at_the_override() {
    let text = SPEC.replace("prefix: acme-login", "prefix: aws-login");
    let error = errors(&text);
    let diagnostic = &error[0];
    assert_eq!(error.len(), 1, "{error:?}");
    assert_eq!(diagnostic.line, line_of(&text, "prefix: aws-login"));
    assert_eq!(diagnostic.path, "environments.prod.overrides.domain.prefix");
    assert!(
        diagnostic.message.contains("environment `prod`"),
        "{diagnostic}"
    );

    let text = SPEC.replace(
        "callback_urls: [\"https://app.acme.example/callback\"]",
        "callback_urls: [\"http://app.acme.example/callback\"]",
    );
    let error = errors(&text);
    assert_eq!(
        error[0].line,
        line_of(&text, "http://app.acme"),
        "{error:?}"
    );
}

#[test]
fn an_unknown_key_in_an_override_points_at_it() {
    let text = SPEC.replace("tags: { env: prod }", "tagz: { env: prod }");
    let error = errors(&text);
    assert_eq!(error.len(), 1, "{error:?}");
    assert_eq!(error[0].line, line_of(&text, "tagz"));
    assert!(error[0].message.contains("tagz"), "{}", error[0]);
}

#[test]
fn environment_declarations_are_checked() {
    let text = SPEC
        .replace("\"111111111111\"", "\"1111\"")
        .replace("arn:aws:iam::333333333333", "arn:aws:iam::444444444444");
    let lines: Vec<usize> = errors(&text).iter().map(|d| d.line).collect();
    assert_eq!(
        lines,
        [line_of(&text, "dev: {"), line_of(&text, "role_arn")]
    );
    let text = SPEC.replace("  dev: {", "  Dev_1: {");
    let error = errors(&text);
    assert!(
        error[0].message.contains("environment name"),
        "{}",
        error[0]
    );
}

#[test]
fn several_environments_by_list_all_or_glob() {
    let text = SPEC.replace(
        "  dev: {",
        "  stage: { account: \"222222222222\", region: eu-west-1 }\n  dev: {",
    );
    let loaded = load_str("shop.yaml", &text).unwrap();
    let names = |selector: &str| -> Vec<String> {
        loaded
            .select_several(selector)
            .unwrap()
            .into_iter()
            .map(|s| s.environment.unwrap().name)
            .collect()
    };
    assert_eq!(names("all"), ["dev", "prod", "stage"]);
    assert_eq!(names("prod,dev,prod"), ["prod", "dev"]);
    assert_eq!(names("*d*"), ["dev", "prod"]);
    assert_eq!(names("st*,dev"), ["stage", "dev"]);
    assert!(matches!(
        loaded.select_several("dev,qa").unwrap_err(),
        SelectError::Unknown { .. }
    ));
    assert!(matches!(
        loaded.select_several("qa-*").unwrap_err(),
        SelectError::NoMatch { .. }
    ));
    // The merged spec comes with each.
    let prod = &loaded.select_several("prod").unwrap()[0];
    assert_eq!(prod.spec.tags["env"], "prod");
    let named_all = text.replace("  dev: {", "  all: {");
    assert!(load_str("shop.yaml", &named_all).is_err());
}
