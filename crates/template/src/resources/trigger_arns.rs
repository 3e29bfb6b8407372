//! The permissions for triggers given by ARN: one `AWS::Lambda::Permission` per trigger,
//! scoped to this pool (`SourceArn`) and the stack's account (`SourceAccount`).

use serde_json::{json, Map, Value};

use crate::intrinsic::{get_att, reference};

use super::Context;

/// The permission's logical ID: `<LambdaConfig name>Permission`.
pub(super) fn permission_id(trigger_name: &str) -> String {
    format!("{trigger_name}Permission")
}

pub(super) fn insert_permissions(res: &mut Map<String, Value>, cx: &Context) {
    for trigger in cx.spec.triggers.by_arn() {
        res.insert(
            permission_id(trigger.name),
            json!({
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": trigger.arn,
                    "Principal": "cognito-idp.amazonaws.com",
                    "SourceArn": get_att(&cx.pool_id, "Arn"),
                    "SourceAccount": reference("AWS::AccountId"),
                }
            }),
        );
    }
}
