//! The hosted sign-in domain (`UserPoolDomain`): a Cognito prefix or a custom domain.

use serde_json::{json, Map, Value};

use spec::ManagedLogin;

use crate::intrinsic::reference;

use super::Context;

pub(super) fn domain(cx: &Context) -> Option<Value> {
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
    if let Some(version) = domain.managed_login {
        let version = match version {
            ManagedLogin::Classic => 1,
            ManagedLogin::V2 => 2,
        };
        props.insert("ManagedLoginVersion".into(), json!(version));
    }
    Some(json!({ "Type": "AWS::Cognito::UserPoolDomain", "Properties": props }))
}
