//! Least-privilege IAM policies (infra/iam/*.json) checked against the calls a command was
//! seen to make: the fault proxy records every request's service, operation, signing key and
//! the resources it names ([`Decision`]); [`calls`] turns those into IAM actions on ARNs
//! ([`iam_action`], [`arn`]), and [`Policy`] evaluates them the way IAM does for one
//! identity-based policy: an explicit `Deny` wins, then an `Allow` whose `Action`/`NotAction`
//! and `Resource`/`NotResource` globs match, otherwise the call is not allowed.
//!
//! Not evaluated: `Condition` blocks (the proxy cannot see a pool's tags or which service a
//! role is passed to), so a conditional statement counts as matching; [`Policy::conditions`]
//! lists them so a test can assert what they say.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::Value;

use crate::faultproxy::{Decision, Resource};
use crate::repo_root;

/// One statement of a policy.
#[derive(Clone, Debug)]
struct Statement {
    sid: String,
    allow: bool,
    actions: Globs,
    resources: Globs,
    condition: Option<Value>,
}

/// `Action` (any of these) or `NotAction` (anything but these); the same for resources.
#[derive(Clone, Debug)]
enum Globs {
    AnyOf(Vec<String>),
    NoneOf(Vec<String>),
}

impl Globs {
    fn parse(statement: &Value, key: &str, not_key: &str) -> Result<Globs, String> {
        match (statement.get(key), statement.get(not_key)) {
            (Some(v), None) => strings(v).map(Globs::AnyOf),
            (None, Some(v)) => strings(v).map(Globs::NoneOf),
            _ => Err(format!("exactly one of {key} and {not_key} is required")),
        }
    }

    /// IAM matches action names case-insensitively, resources (ARNs) as written.
    fn matches(&self, text: &str, ignore_case: bool) -> bool {
        let hit = |patterns: &[String]| {
            patterns.iter().any(|p| {
                if ignore_case {
                    glob(&p.to_ascii_lowercase(), &text.to_ascii_lowercase())
                } else {
                    glob(p, text)
                }
            })
        };
        match self {
            Globs::AnyOf(patterns) => hit(patterns),
            Globs::NoneOf(patterns) => !hit(patterns),
        }
    }
}

fn strings(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("not a string: {v}"))
            })
            .collect(),
        other => Err(format!("not a string or a list: {other}")),
    }
}

/// IAM's wildcards: `*` any run of characters, `?` any one.
pub fn glob(pattern: &str, text: &str) -> bool {
    crate::faultproxy::plan::glob(pattern, text)
}

/// What a policy says about one action on one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// By the statement with this `Sid`.
    Allowed(String),
    /// By the `Deny` statement with this `Sid`.
    Denied(String),
    /// No statement allows it (IAM's implicit deny).
    NotAllowed,
}

/// An identity-based policy document.
#[derive(Clone, Debug)]
pub struct Policy {
    pub name: String,
    statements: Vec<Statement>,
}

impl Policy {
    /// `infra/iam/<file>` with each `(placeholder, value)` substituted in its text first (the
    /// files say `ACCOUNT_ID`, `REGION`, `POOL_ID`, `STACK_NAME`). Panics if it does not parse.
    pub fn load(file: &str, substitutions: &[(&str, &str)]) -> Policy {
        let path = repo_root().join("infra/iam").join(file);
        let mut text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        for (placeholder, value) in substitutions {
            text = text.replace(placeholder, value);
        }
        Policy::parse(file, &text).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    pub fn parse(name: &str, text: &str) -> Result<Policy, String> {
        let document: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let list = match &document["Statement"] {
            Value::Array(list) => list.clone(),
            one @ Value::Object(_) => vec![one.clone()],
            _ => return Err("no Statement".to_owned()),
        };
        let mut statements = Vec::new();
        for (index, statement) in list.iter().enumerate() {
            let sid = statement["Sid"]
                .as_str()
                .map_or_else(|| format!("#{index}"), str::to_owned);
            let allow = match statement["Effect"].as_str() {
                Some("Allow") => true,
                Some("Deny") => false,
                other => return Err(format!("{sid}: Effect {other:?}")),
            };
            statements.push(Statement {
                allow,
                actions: Globs::parse(statement, "Action", "NotAction")
                    .map_err(|e| format!("{sid}: {e}"))?,
                resources: Globs::parse(statement, "Resource", "NotResource")
                    .map_err(|e| format!("{sid}: {e}"))?,
                condition: statement.get("Condition").cloned(),
                sid,
            });
        }
        Ok(Policy {
            name: name.to_owned(),
            statements,
        })
    }

    /// IAM's evaluation for this one policy: explicit deny, then allow, else not allowed.
    /// `resource` is an ARN, or `*` for an action that names no resource.
    pub fn evaluate(&self, action: &str, resource: &str) -> Verdict {
        let matching = |s: &&Statement| {
            s.actions.matches(action, true) && s.resources.matches(resource, false)
        };
        if let Some(deny) = self.statements.iter().filter(|s| !s.allow).find(matching) {
            return Verdict::Denied(deny.sid.clone());
        }
        match self.statements.iter().filter(|s| s.allow).find(matching) {
            Some(allow) => Verdict::Allowed(allow.sid.clone()),
            None => Verdict::NotAllowed,
        }
    }

    /// Every `(Sid, action pattern)` an `Allow` statement grants by name. An `Allow` with
    /// `NotAction` grants everything else, which no least-privilege policy should: it is
    /// returned as `NotAction` so that a reverse check fails on it.
    pub fn granted(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for s in self.statements.iter().filter(|s| s.allow) {
            match &s.actions {
                Globs::AnyOf(actions) => {
                    out.extend(actions.iter().map(|a| (s.sid.clone(), a.clone())));
                }
                Globs::NoneOf(_) => out.push((s.sid.clone(), "NotAction".to_owned())),
            }
        }
        out
    }

    /// `(Sid, Condition)` of every statement with a condition (not evaluated here).
    pub fn conditions(&self) -> Vec<(String, Value)> {
        self.statements
            .iter()
            .filter_map(|s| Some((s.sid.clone(), s.condition.clone()?)))
            .collect()
    }

    /// Whether the statement `sid` is what a call of `action` on `resource` needs (for the
    /// reverse check: is each grant used, on the resources it names). A bare `Resource: "*"`
    /// only counts for a call that names no resource: one that names its resource could have
    /// been granted on that resource alone.
    fn statement_needed(&self, sid: &str, action: &str, resource: &str) -> bool {
        self.statements.iter().any(|s| {
            s.sid == sid
                && s.allow
                && s.actions.matches(action, true)
                && match &s.resources {
                    Globs::AnyOf(patterns) => patterns
                        .iter()
                        .any(|p| glob(p, resource) && (p != "*" || resource == "*")),
                    Globs::NoneOf(_) => s.resources.matches(resource, false),
                }
        })
    }
}

/// One authorised call: an IAM action on the resources it needs (`*` when it names none).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Call {
    pub action: String,
    pub resource: String,
    /// The API operation as the proxy saw it, e.g. `s3:HeadObject` for `s3:GetObject`.
    pub operation: String,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}", self.action, self.resource)?;
        if !self.operation.eq_ignore_ascii_case(&self.action) {
            write!(f, " (for {})", self.operation)?;
        }
        Ok(())
    }
}

/// The IAM action that authorises an API operation; `None` for one that needs no permission.
/// Panics on an operation the proxy could not name, so an unrecognised call is never
/// silently let through.
pub fn iam_action(service: &str, operation: &str) -> Option<String> {
    let renamed = match (service, operation) {
        ("sts", "GetCallerIdentity") => return None,
        (_, "S3Other" | "LambdaOther" | "Unknown") | ("unknown", _) => {
            panic!("the proxy could not tell which {service} operation a request was")
        }
        ("s3", "HeadObject") => "GetObject",
        ("s3", "HeadBucket" | "ListObjects" | "ListObjectsV2") => "ListBucket",
        ("s3", "ListObjectVersions") => "ListBucketVersions",
        ("s3", "DeleteObjects") => "DeleteObject",
        (
            "s3",
            "CreateMultipartUpload" | "UploadPart" | "CompleteMultipartUpload" | "CopyObject",
        ) => "PutObject",
        ("s3", "AbortMultipartUpload") => "AbortMultipartUpload",
        ("s3", "PutBucketEncryption") => "PutEncryptionConfiguration",
        ("s3", "GetBucketEncryption") => "GetEncryptionConfiguration",
        ("s3", "PutBucketLifecycleConfiguration") => "PutLifecycleConfiguration",
        ("s3", "GetBucketLifecycleConfiguration") => "GetLifecycleConfiguration",
        ("s3", "PutPublicAccessBlock") => "PutBucketPublicAccessBlock",
        ("s3", "GetPublicAccessBlock") => "GetBucketPublicAccessBlock",
        ("lambda", "Invoke") => "InvokeFunction",
        (_, other) => other,
    };
    Some(format!("{service}:{renamed}"))
}

/// The ARN IAM checks for `resource`, in `region` and `account`. A stack or change set named
/// by name gets `unknown-id` for the id its ARN ends with (policies scope by name: `.../*`).
pub fn arn(resource: &Resource, region: &str, account: &str) -> String {
    let cfn = |kind: &str, name: &str| {
        if name.starts_with("arn:") {
            name.to_owned()
        } else {
            format!("arn:aws:cloudformation:{region}:{account}:{kind}/{name}/unknown-id")
        }
    };
    match resource {
        Resource::UserPool(id) => format!("arn:aws:cognito-idp:{region}:{account}:userpool/{id}"),
        Resource::Stack(name) => cfn("stack", name),
        Resource::ChangeSet(name) => cfn("changeSet", name),
        Resource::Bucket(bucket) => format!("arn:aws:s3:::{bucket}"),
        Resource::Object { bucket, key } => format!("arn:aws:s3:::{bucket}/{key}"),
        Resource::Function(name) if name.starts_with("arn:") => name.clone(),
        Resource::Function(name) => format!("arn:aws:lambda:{region}:{account}:function:{name}"),
        Resource::Role(arn) => arn.clone(),
    }
}

/// The resources IAM authorises a request against. CloudFormation authorises a call that
/// names a stack against the stack (change set calls included), and one that names only a
/// change set ARN against that; S3's `DeleteObjects` needs `s3:DeleteObject` on each key.
fn authorised_resources(resources: &[Resource]) -> Vec<&Resource> {
    if let Some(stack) = resources.iter().find(|r| matches!(r, Resource::Stack(_))) {
        return vec![stack];
    }
    resources.iter().collect()
}

/// The calls signed with `access_key` among `decisions`, as IAM actions on ARNs in `account`
/// (each once). Panics if there are none: a command that made no call proves nothing.
pub fn calls(decisions: &[Decision], access_key: &str, account: &str) -> BTreeSet<Call> {
    let mut out = BTreeSet::new();
    for decision in decisions.iter().filter(|d| d.access_key == access_key) {
        let Some(action) = iam_action(&decision.service, &decision.operation) else {
            continue;
        };
        let operation = format!("{}:{}", decision.service, decision.operation);
        let resources = authorised_resources(&decision.resources);
        if resources.is_empty() {
            out.insert(Call {
                action: action.clone(),
                resource: "*".to_owned(),
                operation: operation.clone(),
            });
        }
        for resource in resources {
            out.insert(Call {
                action: action.clone(),
                resource: arn(resource, &decision.region, account),
                operation: operation.clone(),
            });
        }
    }
    assert!(
        !out.is_empty(),
        "no call signed with {access_key} went through the proxy"
    );
    out
}

/// What is wrong with `policy` for `calls`: every call it does not allow, and every action a
/// statement grants that no call used on that statement's resources (unless `unseen` names
/// it, with the reason it is needed all the same). Empty when the policy fits exactly.
pub fn problems(policy: &Policy, calls: &BTreeSet<Call>, unseen: &[(&str, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    for call in calls {
        match policy.evaluate(&call.action, &call.resource) {
            Verdict::Allowed(_) => {}
            Verdict::Denied(sid) => problems.push(format!(
                "{}: {call} is denied by statement {sid}",
                policy.name
            )),
            Verdict::NotAllowed => {
                problems.push(format!("{}: {call} is not allowed", policy.name));
            }
        }
    }
    for (sid, pattern) in policy.granted() {
        if unseen
            .iter()
            .any(|(action, _)| action.eq_ignore_ascii_case(&pattern))
        {
            continue;
        }
        if pattern.contains(['*', '?']) || pattern == "NotAction" {
            problems.push(format!(
                "{}: statement {sid} grants {pattern}, more than any one call needs",
                policy.name
            ));
            continue;
        }
        let used = calls.iter().any(|call| {
            call.action.eq_ignore_ascii_case(&pattern)
                && policy.statement_needed(&sid, &call.action, &call.resource)
        });
        if !used {
            problems.push(format!(
                "{}: statement {sid} grants {pattern}, which no call used on its resources",
                policy.name
            ));
        }
    }
    for (action, reason) in unseen {
        assert!(!reason.is_empty(), "{action}: say why it is needed");
        if !policy
            .granted()
            .iter()
            .any(|(_, a)| a.eq_ignore_ascii_case(action))
        {
            problems.push(format!(
                "{}: {action} is listed as needed ({reason}) but not granted",
                policy.name
            ));
        }
        if calls.iter().any(|c| c.action.eq_ignore_ascii_case(action)) {
            problems.push(format!(
                "{}: {action} is listed as unseen but was called: drop it from the list",
                policy.name
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faultproxy::Outcome;

    const POLICY: &str = r#"{
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "Pool", "Effect": "Allow",
         "Action": ["cognito-idp:ListUsers", "cognito-idp:Describe*"],
         "Resource": "arn:aws:cognito-idp:us-east-1:1:userpool/p1"},
        {"Sid": "Domains", "Effect": "Allow", "Action": "cognito-idp:DescribeUserPoolDomain",
         "Resource": "*"},
        {"Sid": "NoDeletes", "Effect": "Deny", "Action": "cognito-idp:Delete*",
         "Resource": "*"},
        {"Sid": "AllButIam", "Effect": "Allow", "NotAction": ["iam:*", "cognito-idp:Admin*"],
         "Resource": "arn:aws:s3:::b/*"}
      ]
    }"#;

    fn policy() -> Policy {
        Policy::parse("test", POLICY).unwrap()
    }

    #[test]
    fn allow_deny_and_not_action_as_iam_evaluates_them() {
        let p = policy();
        let pool = "arn:aws:cognito-idp:us-east-1:1:userpool/p1";
        assert_eq!(
            p.evaluate("cognito-idp:ListUsers", pool),
            Verdict::Allowed("Pool".into())
        );
        // Action names are case-insensitive; globs match.
        assert_eq!(
            p.evaluate("Cognito-IDP:describeuserpool", pool),
            Verdict::Allowed("Pool".into())
        );
        // Resources are not: another pool, or the same one in another case, is not allowed.
        assert_eq!(
            p.evaluate(
                "cognito-idp:ListUsers",
                "arn:aws:cognito-idp:us-east-1:1:userpool/p2"
            ),
            Verdict::NotAllowed
        );
        assert_eq!(
            p.evaluate(
                "cognito-idp:ListUsers",
                "arn:aws:cognito-idp:us-east-1:1:userpool/P1"
            ),
            Verdict::NotAllowed
        );
        // An action that names no resource needs Resource "*".
        assert_eq!(
            p.evaluate("cognito-idp:DescribeUserPoolDomain", "*"),
            Verdict::Allowed("Domains".into())
        );
        assert_eq!(
            p.evaluate("cognito-idp:ListUsers", "*"),
            Verdict::NotAllowed
        );
        // An explicit deny wins over any allow.
        assert_eq!(
            p.evaluate("cognito-idp:DeleteUserPool", "*"),
            Verdict::Denied("NoDeletes".into())
        );
        // NotAction: everything but the listed, on its resources.
        assert_eq!(
            p.evaluate("s3:PutObject", "arn:aws:s3:::b/k"),
            Verdict::Allowed("AllButIam".into())
        );
        assert_eq!(
            p.evaluate("iam:PassRole", "arn:aws:s3:::b/k"),
            Verdict::NotAllowed
        );
        assert_eq!(
            p.evaluate("s3:PutObject", "arn:aws:s3:::c/k"),
            Verdict::NotAllowed
        );
    }

    #[test]
    fn placeholders_statements_and_bad_documents() {
        assert!(Policy::parse("x", "{}").is_err());
        assert!(Policy::parse(
            "x",
            r#"{"Statement": {"Effect": "Allow", "Action": "a:B"}}"#
        )
        .is_err());
        assert!(Policy::parse(
            "x",
            r#"{"Statement": {"Effect": "Maybe", "Action": "a:B", "Resource": "*"}}"#
        )
        .is_err());
        let one = Policy::parse(
            "x",
            r#"{"Statement": {"Effect": "Allow", "Action": "a:B", "Resource": "*",
                "Condition": {"StringEquals": {"k": "v"}}}}"#,
        )
        .unwrap();
        assert_eq!(one.evaluate("a:b", "*"), Verdict::Allowed("#0".into()));
        assert_eq!(one.conditions().len(), 1);
    }

    #[test]
    fn operations_map_to_the_actions_that_authorise_them() {
        let action = |s, o| iam_action(s, o);
        assert_eq!(action("sts", "GetCallerIdentity"), None);
        assert_eq!(
            action("cognito-idp", "ListUsers").as_deref(),
            Some("cognito-idp:ListUsers")
        );
        assert_eq!(
            action("cloudformation", "CreateChangeSet").as_deref(),
            Some("cloudformation:CreateChangeSet")
        );
        for (op, want) in [
            ("PutObject", "s3:PutObject"),
            ("HeadObject", "s3:GetObject"),
            ("HeadBucket", "s3:ListBucket"),
            ("ListObjectsV2", "s3:ListBucket"),
            ("DeleteObjects", "s3:DeleteObject"),
            ("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
            (
                "PutBucketLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
            ),
            ("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
            ("CreateBucket", "s3:CreateBucket"),
        ] {
            assert_eq!(action("s3", op).as_deref(), Some(want), "{op}");
        }
        assert_eq!(
            action("lambda", "Invoke").as_deref(),
            Some("lambda:InvokeFunction")
        );
        assert!(std::panic::catch_unwind(|| iam_action("s3", "S3Other")).is_err());
    }

    fn decision(key: &str, service: &str, operation: &str, resources: Vec<Resource>) -> Decision {
        Decision {
            service: service.into(),
            operation: operation.into(),
            outcome: Outcome::Passed,
            access_key: key.into(),
            region: "us-east-1".into(),
            resources,
        }
    }

    #[test]
    fn recorded_requests_become_calls_on_arns() {
        let decisions = [
            decision(
                "k",
                "cognito-idp",
                "ListUsers",
                vec![Resource::UserPool("p1".into())],
            ),
            decision(
                "k",
                "cognito-idp",
                "ListUsers",
                vec![Resource::UserPool("p1".into())],
            ),
            decision("other", "cognito-idp", "AdminDeleteUser", vec![]),
            decision("k", "sts", "GetCallerIdentity", vec![]),
            decision(
                "k",
                "cloudformation",
                "DescribeChangeSet",
                vec![
                    Resource::Stack("s".into()),
                    Resource::ChangeSet("poolctl-1".into()),
                ],
            ),
            decision("k", "cloudformation", "DescribeStacks", vec![]),
            decision(
                "k",
                "s3",
                "DeleteObjects",
                vec![
                    Resource::Object {
                        bucket: "b".into(),
                        key: "x".into(),
                    },
                    Resource::Object {
                        bucket: "b".into(),
                        key: "y".into(),
                    },
                ],
            ),
        ];
        let calls: Vec<String> = calls(&decisions, "k", "1")
            .iter()
            .map(|c| format!("{} {}", c.action, c.resource))
            .collect();
        assert_eq!(
            calls,
            [
                "cloudformation:DescribeChangeSet arn:aws:cloudformation:us-east-1:1:stack/s/unknown-id",
                "cloudformation:DescribeStacks *",
                "cognito-idp:ListUsers arn:aws:cognito-idp:us-east-1:1:userpool/p1",
                "s3:DeleteObject arn:aws:s3:::b/x",
                "s3:DeleteObject arn:aws:s3:::b/y",
            ]
        );
    }

    #[test]
    fn problems_name_missing_and_unused_grants() {
        let p = Policy::parse(
            "p",
            r#"{"Statement": [
              {"Sid": "Pool", "Effect": "Allow",
               "Action": ["cognito-idp:ListUsers", "cognito-idp:AdminGetUser"],
               "Resource": "arn:aws:cognito-idp:r:1:userpool/p1"},
              {"Sid": "Stacks", "Effect": "Allow", "Action": ["cloudformation:DescribeStacks"],
               "Resource": "*"}
            ]}"#,
        )
        .unwrap();
        let call = |action: &str, resource: &str| Call {
            action: action.into(),
            resource: resource.into(),
            operation: action.into(),
        };
        let pool = "arn:aws:cognito-idp:r:1:userpool/p1";
        let exact: BTreeSet<Call> = [
            call("cognito-idp:ListUsers", pool),
            call("cognito-idp:AdminGetUser", pool),
            call("cloudformation:DescribeStacks", "*"),
        ]
        .into();
        assert_eq!(problems(&p, &exact, &[]), Vec::<String>::new());
        // A call the policy does not allow.
        let mut more = exact.clone();
        more.insert(call("cognito-idp:AdminDeleteUser", pool));
        let found = problems(&p, &more, &[]);
        assert!(
            found.len() == 1 && found[0].contains("AdminDeleteUser on"),
            "{found:?}"
        );
        // A grant no call used, unless listed as needed with a reason.
        let fewer: BTreeSet<Call> = exact
            .iter()
            .filter(|c| c.action != "cognito-idp:AdminGetUser")
            .cloned()
            .collect();
        let found = problems(&p, &fewer, &[]);
        assert!(
            found.len() == 1 && found[0].contains("grants cognito-idp:AdminGetUser"),
            "{found:?}"
        );
        assert!(problems(&p, &fewer, &[("cognito-idp:AdminGetUser", "on retry")]).is_empty());
        // Listed as unseen but seen: the list is stale.
        assert_eq!(
            problems(&p, &exact, &[("cognito-idp:AdminGetUser", "on retry")]).len(),
            1
        );
        // A grant used only on another resource than its statement's is unused: DescribeStacks
        // on "*" when every call named its stack is broader than needed.
        let named: BTreeSet<Call> = exact
            .iter()
            .filter(|c| c.action != "cloudformation:DescribeStacks")
            .cloned()
            .chain([call(
                "cloudformation:DescribeStacks",
                "arn:aws:cloudformation:r:1:stack/s/id",
            )])
            .collect();
        let found = problems(&p, &named, &[]);
        assert!(
            found.len() == 1 && found[0].contains("grants cloudformation:DescribeStacks"),
            "{found:?}"
        );
    }
}
