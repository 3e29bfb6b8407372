//! The PreSignUp policy read back from a rendered template (as a stack holds it: poolctl
//! deploys the JSON document) is the spec's own, trusted clients by name, for every example
//! and coverage spec.

mod common;

use common::*;

#[test]
fn the_pre_sign_up_policy_reads_back_from_every_rendered_template() {
    let mut with_policy = 0;
    for path in all_specs() {
        let spec = load(&path);
        let rendered = render(&path);
        let from_json = template::pre_sign_up_policy(rendered.as_value())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(from_json, spec.triggers.pre_sign_up, "{}", path.display());
        with_policy += usize::from(spec.triggers.pre_sign_up.is_some());
    }
    assert!(with_policy >= 3, "only {with_policy} specs have a policy");
}

#[test]
fn a_policy_naming_no_client_of_the_template_is_an_error() {
    let template = serde_json::json!({
        "Resources": {
            "PreSignUpFunction": { "Type": "AWS::Lambda::Function", "Properties": {
                "Environment": { "Variables": {
                    "POOLCTL_POLICY": { "Fn::Sub": "{\"trusted_clients\":[\"${ClientGone}\"]}" }
                } }
            } }
        }
    });
    let error = template::pre_sign_up_policy(&template).unwrap_err();
    assert!(error.to_string().contains("ClientGone"), "{error}");
    assert_eq!(
        template::pre_sign_up_policy(&serde_json::json!({ "Resources": {} })).unwrap(),
        None
    );
}
