//! CloudFormation express mode for review pools.
//!
//! Express mode (`DeploymentConfig.Mode = EXPRESS` on CreateChangeSet and DeleteStack) ends a
//! stack operation once each resource's configuration is applied, without waiting for it to
//! stabilise. Review pools are short-lived and used by a test job right after: that trade is
//! the right one for them and the wrong one for production, so only review stacks use it.
//!
//! It rides on the review pools' own CloudFormation client as an SDK interceptor that sets the
//! field on those two requests, so the deploy driver's operations stay the same for every
//! caller. A service that refuses the field gets the standard mode instead (see
//! [`is_express_refused`]); one that ignores it (the local emulator) simply runs the standard
//! mode.

use aws_sdk_cloudformation::config::interceptors::BeforeSerializationInterceptorContextMut;
use aws_sdk_cloudformation::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetInput;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackInput;
use aws_sdk_cloudformation::types::{DeploymentConfig, DeploymentConfigMode};

use aws::{Aws, AwsError};
use deploy::DeployError;

#[derive(Debug)]
struct ExpressMode;

fn express() -> DeploymentConfig {
    DeploymentConfig::builder()
        .mode(DeploymentConfigMode::Express)
        .build()
}

impl Intercept for ExpressMode {
    fn name(&self) -> &'static str {
        "poolctl-review-express-mode"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), aws_sdk_cloudformation::error::BoxError> {
        let input = context.input_mut();
        if let Some(create) = input.downcast_mut::<CreateChangeSetInput>() {
            create.deployment_config.get_or_insert_with(express);
        } else if let Some(delete) = input.downcast_mut::<DeleteStackInput>() {
            delete.deployment_config.get_or_insert_with(express);
        }
        Ok(())
    }
}

/// `aws` whose CloudFormation change sets and deletions run in express mode.
pub fn with_express_mode(aws: &Aws) -> Aws {
    aws.with_cloudformation_interceptor(ExpressMode)
}

/// The service refused the deployment configuration (a region or partition without express
/// mode, or an endpoint that validates strictly): worth one retry in the standard mode.
pub fn is_express_refused(error: &DeployError) -> bool {
    match error {
        DeployError::Aws(AwsError {
            operation,
            code,
            message,
        }) => {
            let call = matches!(
                *operation,
                "cloudformation:CreateChangeSet" | "cloudformation:DeleteStack"
            );
            let code = code.as_deref().unwrap_or_default();
            let invalid = code == "ValidationError"
                || code.starts_with("InvalidParameter")
                || code == "UnsupportedOperation";
            let text = message.to_ascii_lowercase();
            call && invalid
                && (text.contains("deploymentconfig")
                    || text.contains("express")
                    || text.contains("deployment mode"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws_error(operation: &'static str, code: &str, message: &str) -> DeployError {
        DeployError::Aws(AwsError {
            operation,
            code: Some(code.into()),
            message: message.into(),
        })
    }

    /// Serves one HTTP request on a loopback port with `response` (an XML body) and hands back
    /// the request body: what the SDK really put on the wire.
    fn one_request_server(response: &'static str) -> (String, std::thread::JoinHandle<String>) {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{response}",
                response.len()
            );
            reader.get_mut().write_all(reply.as_bytes()).unwrap();
            String::from_utf8(body).unwrap()
        });
        (endpoint, server)
    }

    fn client(endpoint: &str) -> Aws {
        use aws_config::{BehaviorVersion, Region, SdkConfig};
        use aws_sdk_cloudformation::config::{Credentials, SharedCredentialsProvider};
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "test", "test", None, None, "test",
            )))
            .build();
        Aws::from_config(config, "us-east-1".into())
    }

    const CREATED: &str =
        "<CreateChangeSetResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
        <CreateChangeSetResult><Id>arn:cs</Id><StackId>arn:stack</StackId></CreateChangeSetResult>\
        <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CreateChangeSetResponse>";
    const DELETED: &str =
        "<DeleteStackResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
        <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteStackResponse>";

    #[tokio::test]
    async fn review_change_sets_and_deletions_are_sent_in_express_mode() {
        let (endpoint, server) = one_request_server(CREATED);
        let aws = with_express_mode(&client(&endpoint));
        aws.cloudformation
            .create_change_set()
            .stack_name("s")
            .change_set_name("c")
            .send()
            .await
            .unwrap();
        let body = server.join().unwrap();
        assert!(body.contains("Action=CreateChangeSet"), "{body}");
        assert!(body.contains("DeploymentConfig.Mode=EXPRESS"), "{body}");

        let (endpoint, server) = one_request_server(DELETED);
        with_express_mode(&client(&endpoint))
            .cloudformation
            .delete_stack()
            .stack_name("s")
            .send()
            .await
            .unwrap();
        assert!(server
            .join()
            .unwrap()
            .contains("DeploymentConfig.Mode=EXPRESS"));

        // The driver's own client, used for production deploys, is untouched.
        let (endpoint, server) = one_request_server(CREATED);
        client(&endpoint)
            .cloudformation
            .create_change_set()
            .stack_name("s")
            .change_set_name("c")
            .send()
            .await
            .unwrap();
        assert!(!server.join().unwrap().contains("DeploymentConfig"));
    }

    #[test]
    fn only_a_refusal_of_the_deployment_config_falls_back() {
        let refused = aws_error(
            "cloudformation:CreateChangeSet",
            "ValidationError",
            "ValidationError: DeploymentConfig mode EXPRESS is not supported in this region",
        );
        assert!(is_express_refused(&refused));
        assert!(is_express_refused(&aws_error(
            "cloudformation:DeleteStack",
            "InvalidParameterValue",
            "Unknown parameter DeploymentConfig"
        )));
        // Anything else is a real error and is reported as such.
        assert!(!is_express_refused(&aws_error(
            "cloudformation:CreateChangeSet",
            "ValidationError",
            "Template format error"
        )));
        assert!(!is_express_refused(&aws_error(
            "cloudformation:CreateChangeSet",
            "Throttling",
            "Rate exceeded"
        )));
        assert!(!is_express_refused(&aws_error(
            "s3:PutObject",
            "ValidationError",
            "express"
        )));
        assert!(!is_express_refused(&DeployError::StackNotFound("s".into())));
    }
}
