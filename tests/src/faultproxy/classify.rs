//! Which service and operation a request is, as the AWS SDKs send them: the service from the
//! SigV4 credential scope (or, for unsigned calls such as Cognito's SignUp, from the
//! `X-Amz-Target` prefix), the operation from `X-Amz-Target`, the query protocol's `Action`
//! (form body or URL query), S3's method + path + query, or Lambda's REST paths; and which
//! resources the request names ([`Resource`]: a user pool, a stack, a bucket or object...), so
//! that a recorded call can be checked against an IAM policy's `Resource`.

use serde::Serialize;

/// The wire protocol of a request, which decides the shape of an injected error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `Action=...` form posts: CloudFormation, STS, IAM. Errors are `<ErrorResponse>` XML.
    Query,
    /// `X-Amz-Target` + JSON body: Cognito user pools. Errors are `{"__type": ...}` JSON.
    AwsJson,
    /// REST + JSON: Lambda. Errors are JSON with `x-amzn-ErrorType`.
    RestJson,
    /// S3's REST + XML. Errors are `<Error>` XML.
    S3,
}

/// What the proxy knows about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestInfo {
    /// The SigV4 service name: `cloudformation`, `cognito-idp`, `s3`, `sts`, `lambda`, `iam`...,
    /// or `unknown`.
    pub service: String,
    /// The API operation (`DescribeStacks`, `ListUsers`, `PutObject`...); `S3Other`,
    /// `LambdaOther` or `Unknown` when it cannot be told.
    pub operation: String,
    /// The region of the credential scope; empty for unsigned calls.
    pub region: String,
    /// The access key id of the credential scope (the quota key's account); empty for
    /// unsigned calls.
    pub access_key: String,
    pub protocol: Protocol,
    /// A HEAD request: an answer to it has no body.
    pub head: bool,
    /// The resources the request names, as the service's IAM authorisation sees them; empty
    /// for a request that names none (listing every stack, creating a pool).
    pub resources: Vec<Resource>,
}

/// A resource a request names, by the identifier the request carries (the ARN is built from
/// it with the region and account: see `e2e::iam`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Resource {
    /// Cognito's `UserPoolId`.
    UserPool(String),
    /// CloudFormation's `StackName`: a name or a stack ARN.
    Stack(String),
    /// CloudFormation's `ChangeSetName`: a name or a change set ARN.
    ChangeSet(String),
    Bucket(String),
    Object {
        bucket: String,
        key: String,
    },
    /// A Lambda function's name (or ARN) from its REST path.
    Function(String),
    /// The role STS `AssumeRole` names (`RoleArn`).
    Role(String),
}

/// Case-insensitive header lookup.
pub(crate) fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Classifies a request from its method, request target (path and query), headers and body.
pub fn classify(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> RequestInfo {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let scope = header(headers, "authorization")
        .and_then(credential_scope_from_authorization)
        .or_else(|| query_value(query, "X-Amz-Credential").and_then(|c| parse_scope(&c)));
    let amz_target = header(headers, "x-amz-target");
    let form_body = header(headers, "content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let action = if form_body {
        std::str::from_utf8(body)
            .ok()
            .and_then(|b| query_value(b, "Action"))
    } else {
        None
    }
    .or_else(|| query_value(query, "Action"));

    let service = match (&scope, amz_target) {
        (Some(scope), _) => scope.service.clone(),
        (None, Some(t)) => service_from_target(t).to_owned(),
        (None, None) => "unknown".to_owned(),
    };
    let (operation, protocol) = if let Some(t) = amz_target {
        (
            t.rsplit_once('.').map_or(t, |(_, op)| op).to_owned(),
            Protocol::AwsJson,
        )
    } else if service == "s3" {
        let host = header(headers, "host").unwrap_or("");
        (
            s3_operation(method, host, path, query, headers),
            Protocol::S3,
        )
    } else if let Some(action) = action {
        (action, Protocol::Query)
    } else if service == "lambda" {
        (lambda_operation(method, path), Protocol::RestJson)
    } else {
        ("Unknown".to_owned(), Protocol::RestJson)
    };
    let resources = match protocol {
        Protocol::AwsJson => json_resources(body),
        Protocol::Query if form_body => std::str::from_utf8(body)
            .map(query_resources)
            .unwrap_or_default(),
        Protocol::Query => query_resources(query),
        Protocol::S3 => s3_resources(
            header(headers, "host").unwrap_or(""),
            path,
            &operation,
            body,
        ),
        Protocol::RestJson if service == "lambda" => lambda_resources(path),
        Protocol::RestJson => Vec::new(),
    };
    let (region, access_key) = scope.map(|s| (s.region, s.access_key)).unwrap_or_default();
    RequestInfo {
        service,
        operation,
        region,
        access_key,
        protocol,
        head: method.eq_ignore_ascii_case("HEAD"),
        resources,
    }
}

/// Cognito's JSON requests name their pool as `UserPoolId`.
fn json_resources(body: &[u8]) -> Vec<Resource> {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("UserPoolId")?.as_str().map(str::to_owned))
        .map(|id| vec![Resource::UserPool(id)])
        .unwrap_or_default()
}

/// CloudFormation's query requests name a stack and sometimes a change set; STS's
/// `AssumeRole` names a role.
fn query_resources(form: &str) -> Vec<Resource> {
    let mut resources = Vec::new();
    if let Some(role) = query_value(form, "RoleArn").filter(|s| !s.is_empty()) {
        resources.push(Resource::Role(role));
    }
    if let Some(stack) = query_value(form, "StackName").filter(|s| !s.is_empty()) {
        resources.push(Resource::Stack(stack));
    }
    if let Some(change_set) = query_value(form, "ChangeSetName").filter(|s| !s.is_empty()) {
        resources.push(Resource::ChangeSet(change_set));
    }
    resources
}

/// The bucket, or for object operations the object(s): `DeleteObjects` names its keys in the
/// XML body, each one a `s3:DeleteObject` on that object.
fn s3_resources(host: &str, path: &str, operation: &str, body: &[u8]) -> Vec<Resource> {
    let (bucket, key) = s3_bucket_and_key(host, path);
    if bucket.is_empty() {
        return Vec::new();
    }
    if operation == "DeleteObjects" {
        let body = String::from_utf8_lossy(body);
        return body
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</Key>"))
            .map(|(key, _)| Resource::Object {
                bucket: bucket.clone(),
                key: xml_unescape(key),
            })
            .collect();
    }
    if key.is_empty() {
        vec![Resource::Bucket(bucket)]
    } else {
        vec![Resource::Object { bucket, key }]
    }
}

fn xml_unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `(bucket, key)`, path-style or virtual-hosted, the key percent-decoded.
fn s3_bucket_and_key(host: &str, path: &str) -> (String, String) {
    let hostname = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let virtual_hosted = hostname.contains('.')
        && hostname.parse::<std::net::IpAddr>().is_err()
        && !hostname.starts_with("s3.")
        && !hostname.starts_with("s3-");
    let path = path.trim_start_matches('/');
    let (bucket, key) = if virtual_hosted {
        (hostname.split('.').next().unwrap_or(""), path)
    } else {
        path.split_once('/').unwrap_or((path, ""))
    };
    (percent_decode_path(bucket), percent_decode_path(key))
}

/// Lambda's REST paths name the function as their third segment.
fn lambda_resources(path: &str) -> Vec<Resource> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [_, "functions", name, ..] => vec![Resource::Function(percent_decode_path(name))],
        _ => Vec::new(),
    }
}

struct Scope {
    access_key: String,
    region: String,
    service: String,
}

/// `AWS4-HMAC-SHA256 Credential=AKID/20261129/us-east-1/cloudformation/aws4_request, ...`
fn credential_scope_from_authorization(authorization: &str) -> Option<Scope> {
    let start = authorization.find("Credential=")? + "Credential=".len();
    let rest = &authorization[start..];
    let end = rest.find([',', ' ']).unwrap_or(rest.len());
    parse_scope(&rest[..end])
}

/// `AKID/DATE/REGION/SERVICE/aws4_request`
fn parse_scope(credential: &str) -> Option<Scope> {
    let parts: Vec<&str> = credential.split('/').collect();
    match parts.as_slice() {
        [access_key, _date, region, service, "aws4_request"] => Some(Scope {
            access_key: (*access_key).to_owned(),
            region: (*region).to_owned(),
            service: (*service).to_owned(),
        }),
        _ => None,
    }
}

/// The service of an unsigned JSON-protocol call, from its `X-Amz-Target` prefix.
fn service_from_target(target: &str) -> &'static str {
    match target.split_once('.').map_or(target, |(prefix, _)| prefix) {
        "AWSCognitoIdentityProviderService" => "cognito-idp",
        "AWSCognitoIdentityService" => "cognito-identity",
        "AWSSecurityTokenServiceV20110615" => "sts",
        _ => "unknown",
    }
}

/// The decoded value of `key` in a `k=v&k=v` string.
pub(crate) fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == key).then(|| percent_decode(v))
    })
}

/// The decoded keys of a `k=v&k=v` string.
fn query_keys(query: &str) -> Vec<String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| percent_decode(pair.split_once('=').map_or(pair, |(k, _)| k)))
        .collect()
}

/// Percent-decoding of a URL path (where `+` is itself, unlike in a query).
fn percent_decode_path(text: &str) -> String {
    percent_decode(&text.replace('+', "%2B"))
}

fn percent_decode(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// S3's operation from method, bucket/key (path-style, or virtual-hosted when the host is a
/// name with the bucket as its first label) and query. The Rust SDK adds `x-id=<Operation>` to
/// many requests; that wins when present.
fn s3_operation(
    method: &str,
    host: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
) -> String {
    if let Some(id) = query_value(query, "x-id") {
        return id;
    }
    let hostname = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let virtual_hosted = hostname.contains('.')
        && hostname.parse::<std::net::IpAddr>().is_err()
        && !hostname.starts_with("s3.")
        && !hostname.starts_with("s3-");
    let path = path.trim_start_matches('/');
    let (bucket, key) = if virtual_hosted {
        (hostname.split('.').next().unwrap_or(""), path)
    } else {
        path.split_once('/').unwrap_or((path, ""))
    };
    let keys = query_keys(query);
    let has = |k: &str| keys.iter().any(|q| q == k);
    let copy = header(headers, "x-amz-copy-source").is_some();
    let method = method.to_ascii_uppercase();
    let op = match (bucket.is_empty(), key.is_empty(), method.as_str()) {
        (true, _, "GET") => "ListBuckets",
        (true, _, _) => "S3Other",
        (false, true, _) => return s3_bucket_operation(&method, &keys),
        (false, false, "POST") if has("uploads") => "CreateMultipartUpload",
        (false, false, "POST") if has("uploadId") => "CompleteMultipartUpload",
        (false, false, "PUT") if has("partNumber") && copy => "UploadPartCopy",
        (false, false, "PUT") if has("partNumber") => "UploadPart",
        (false, false, "PUT") if has("tagging") => "PutObjectTagging",
        (false, false, "PUT") if has("acl") => "PutObjectAcl",
        (false, false, "PUT") if copy => "CopyObject",
        (false, false, "PUT") => "PutObject",
        (false, false, "GET") if has("uploadId") => "ListParts",
        (false, false, "GET") if has("tagging") => "GetObjectTagging",
        (false, false, "GET") if has("acl") => "GetObjectAcl",
        (false, false, "GET") if has("attributes") => "GetObjectAttributes",
        (false, false, "GET") => "GetObject",
        (false, false, "HEAD") => "HeadObject",
        (false, false, "DELETE") if has("uploadId") => "AbortMultipartUpload",
        (false, false, "DELETE") if has("tagging") => "DeleteObjectTagging",
        (false, false, "DELETE") => "DeleteObject",
        _ => "S3Other",
    };
    op.to_owned()
}

fn s3_bucket_operation(method: &str, keys: &[String]) -> String {
    // Bucket sub-resources named `<Get|Put|Delete>Bucket<Name>`, and one that is not.
    const CONFIGS: &[(&str, &str)] = &[
        ("policy", "BucketPolicy"),
        ("versioning", "BucketVersioning"),
        ("tagging", "BucketTagging"),
        ("encryption", "BucketEncryption"),
        ("lifecycle", "BucketLifecycleConfiguration"),
        ("cors", "BucketCors"),
        ("acl", "BucketAcl"),
        ("ownershipControls", "BucketOwnershipControls"),
        ("notification", "BucketNotificationConfiguration"),
        ("website", "BucketWebsite"),
        ("logging", "BucketLogging"),
        ("replication", "BucketReplication"),
        ("accelerate", "BucketAccelerateConfiguration"),
        ("publicAccessBlock", "PublicAccessBlock"),
    ];
    let has = |k: &str| keys.iter().any(|q| q == k);
    let verb = match method {
        "GET" => "Get",
        "PUT" => "Put",
        "DELETE" => "Delete",
        _ => "",
    };
    if !verb.is_empty() {
        if let Some((_, name)) = CONFIGS.iter().find(|(k, _)| has(k)) {
            return format!("{verb}{name}");
        }
    }
    let op = match method {
        "POST" if has("delete") => "DeleteObjects",
        "GET" if has("list-type") => "ListObjectsV2",
        "GET" if has("versions") => "ListObjectVersions",
        "GET" if has("uploads") => "ListMultipartUploads",
        "GET" if has("location") => "GetBucketLocation",
        "GET" => "ListObjects",
        "PUT" => "CreateBucket",
        "DELETE" => "DeleteBucket",
        "HEAD" => "HeadBucket",
        _ => "S3Other",
    };
    op.to_owned()
}

/// Lambda's REST operations that a deploy can touch; the rest are `LambdaOther`.
fn lambda_operation(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = method.to_ascii_uppercase();
    let op = match (method.as_str(), segments.as_slice()) {
        ("POST", [_, "functions", _, "invocations"]) => "Invoke",
        ("GET", [_, "functions"]) => "ListFunctions",
        ("POST", [_, "functions"]) => "CreateFunction",
        ("GET", [_, "functions", _]) => "GetFunction",
        ("DELETE", [_, "functions", _]) => "DeleteFunction",
        ("GET", [_, "functions", _, "configuration"]) => "GetFunctionConfiguration",
        ("PUT", [_, "functions", _, "configuration"]) => "UpdateFunctionConfiguration",
        ("PUT", [_, "functions", _, "code"]) => "UpdateFunctionCode",
        ("POST", [_, "functions", _, "policy"]) => "AddPermission",
        ("GET", [_, "functions", _, "policy"]) => "GetPolicy",
        ("DELETE", [_, "functions", _, "policy", _]) => "RemovePermission",
        _ => "LambdaOther",
    };
    op.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn auth(service: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20261129/eu-west-1/{service}/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=abc"
        )
    }

    #[test]
    fn query_protocol_from_the_form_body_or_the_url() {
        let a = auth("cloudformation");
        let headers = h(&[
            ("Authorization", &a),
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
        ]);
        let info = classify(
            "POST",
            "/",
            &headers,
            b"Action=DescribeStacks&Version=2010-05-15&StackName=x",
        );
        assert_eq!(info.service, "cloudformation");
        assert_eq!(info.operation, "DescribeStacks");
        assert_eq!(info.region, "eu-west-1");
        assert_eq!(info.access_key, "AKID");
        assert_eq!(info.protocol, Protocol::Query);
        let a = auth("sts");
        let info = classify(
            "GET",
            "/?Version=2011-06-15&Action=GetCallerIdentity",
            &h(&[("authorization", &a)]),
            b"",
        );
        assert_eq!(
            (info.service.as_str(), info.operation.as_str()),
            ("sts", "GetCallerIdentity")
        );
    }

    #[test]
    fn json_protocol_signed_and_unsigned() {
        let a = auth("cognito-idp");
        let info = classify(
            "POST",
            "/",
            &h(&[
                ("Authorization", &a),
                (
                    "X-Amz-Target",
                    "AWSCognitoIdentityProviderService.ListUsers",
                ),
            ]),
            b"{}",
        );
        assert_eq!(
            (info.service.as_str(), info.operation.as_str()),
            ("cognito-idp", "ListUsers")
        );
        assert_eq!(info.protocol, Protocol::AwsJson);
        let info = classify(
            "POST",
            "/",
            &h(&[("x-amz-target", "AWSCognitoIdentityProviderService.SignUp")]),
            b"{}",
        );
        assert_eq!(
            (info.service.as_str(), info.operation.as_str()),
            ("cognito-idp", "SignUp")
        );
        assert_eq!(info.access_key, "");
    }

    #[test]
    fn s3_operations_from_method_path_and_query() {
        // (method, target, extra headers, operation)
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a str);
        let a = auth("s3");
        let cases: &[Case] = &[
            ("GET", "/", &[], "ListBuckets"),
            ("PUT", "/bucket", &[], "CreateBucket"),
            ("HEAD", "/bucket", &[], "HeadBucket"),
            ("DELETE", "/bucket", &[], "DeleteBucket"),
            ("GET", "/bucket?list-type=2&prefix=a", &[], "ListObjectsV2"),
            ("GET", "/bucket", &[], "ListObjects"),
            ("POST", "/bucket?delete", &[], "DeleteObjects"),
            ("PUT", "/bucket?versioning", &[], "PutBucketVersioning"),
            ("GET", "/bucket?policy", &[], "GetBucketPolicy"),
            (
                "PUT",
                "/bucket?publicAccessBlock",
                &[],
                "PutPublicAccessBlock",
            ),
            ("PUT", "/bucket/a/b.zip", &[], "PutObject"),
            ("PUT", "/bucket/a/b.zip?x-id=PutObject", &[], "PutObject"),
            (
                "PUT",
                "/bucket/k",
                &[("x-amz-copy-source", "/other/k")],
                "CopyObject",
            ),
            ("HEAD", "/bucket/k", &[], "HeadObject"),
            ("GET", "/bucket/k", &[], "GetObject"),
            ("DELETE", "/bucket/k", &[], "DeleteObject"),
            ("POST", "/bucket/k?uploads", &[], "CreateMultipartUpload"),
            (
                "PUT",
                "/bucket/k?partNumber=1&uploadId=u",
                &[],
                "UploadPart",
            ),
            (
                "POST",
                "/bucket/k?uploadId=u",
                &[],
                "CompleteMultipartUpload",
            ),
            (
                "DELETE",
                "/bucket/k?uploadId=u",
                &[],
                "AbortMultipartUpload",
            ),
            ("PATCH", "/bucket/k", &[], "S3Other"),
        ];
        for (method, target, extra, want) in cases {
            let mut headers = h(&[("Authorization", &a), ("Host", "127.0.0.1:4566")]);
            headers.extend(h(extra));
            let info = classify(method, target, &headers, b"");
            assert_eq!(info.operation, *want, "{method} {target}");
            assert_eq!(info.protocol, Protocol::S3);
        }
        // Virtual-hosted: the bucket is the first label of the host.
        let headers = h(&[("Authorization", &a), ("Host", "bucket.localhost:4566")]);
        assert_eq!(
            classify("PUT", "/key", &headers, b"").operation,
            "PutObject"
        );
        assert_eq!(
            classify("PUT", "/", &headers, b"").operation,
            "CreateBucket"
        );
        // A presigned URL carries the scope in its query.
        let info = classify(
            "GET",
            "/bucket/k?X-Amz-Credential=AKID%2F20261129%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x",
            &[],
            b"",
        );
        assert_eq!(
            (info.service.as_str(), info.operation.as_str()),
            ("s3", "GetObject")
        );
    }

    #[test]
    fn lambda_and_unknown_requests() {
        let a = auth("lambda");
        let headers = h(&[("Authorization", &a)]);
        let op = |m, p| classify(m, p, &headers, b"").operation;
        assert_eq!(op("POST", "/2015-03-31/functions/f/invocations"), "Invoke");
        assert_eq!(op("GET", "/2015-03-31/functions/f"), "GetFunction");
        assert_eq!(op("GET", "/2015-03-31/layers"), "LambdaOther");
        let info = classify("GET", "/hello", &[], b"");
        assert_eq!(
            (info.service.as_str(), info.operation.as_str()),
            ("unknown", "Unknown")
        );
    }

    #[test]
    fn the_resources_a_request_names() {
        let a = auth("cognito-idp");
        let info = classify(
            "POST",
            "/",
            &h(&[
                ("Authorization", &a),
                (
                    "X-Amz-Target",
                    "AWSCognitoIdentityProviderService.ListUsers",
                ),
            ]),
            br#"{"UserPoolId":"us-east-1_abc","Limit":60}"#,
        );
        assert_eq!(info.resources, [Resource::UserPool("us-east-1_abc".into())]);
        let a = auth("cloudformation");
        let form = h(&[
            ("Authorization", &a),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]);
        let info = classify(
            "POST",
            "/",
            &form,
            b"Action=DescribeChangeSet&ChangeSetName=poolctl-1&StackName=arn%3Aaws%3Acloudformation%3Aus-east-1%3A1%3Astack%2Fs%2Fid",
        );
        assert_eq!(
            info.resources,
            [
                Resource::Stack("arn:aws:cloudformation:us-east-1:1:stack/s/id".into()),
                Resource::ChangeSet("poolctl-1".into())
            ]
        );
        // Listing every stack names none.
        assert!(classify("POST", "/", &form, b"Action=DescribeStacks")
            .resources
            .is_empty());
        let a = auth("s3");
        let s3 = h(&[("Authorization", &a), ("Host", "127.0.0.1:4566")]);
        assert_eq!(
            classify("PUT", "/b/review/a%20b+c.zip?x-id=PutObject", &s3, b"").resources,
            [Resource::Object {
                bucket: "b".into(),
                key: "review/a b+c.zip".into()
            }]
        );
        assert_eq!(
            classify("HEAD", "/b", &s3, b"").resources,
            [Resource::Bucket("b".into())]
        );
        let delete = b"<Delete><Object><Key>review/x.zip</Key></Object><Object><Key>a&amp;b</Key></Object></Delete>";
        assert_eq!(
            classify("POST", "/b?delete", &s3, delete).resources,
            [
                Resource::Object {
                    bucket: "b".into(),
                    key: "review/x.zip".into()
                },
                Resource::Object {
                    bucket: "b".into(),
                    key: "a&b".into()
                }
            ]
        );
        let a = auth("lambda");
        assert_eq!(
            classify(
                "GET",
                "/2015-03-31/functions/f/configuration",
                &h(&[("Authorization", &a)]),
                b""
            )
            .resources,
            [Resource::Function("f".into())]
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb+c"), "a/b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
