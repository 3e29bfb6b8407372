//! Which endpoint a client sends to and which setting chose it, so that a transport failure
//! reads as what it is: "cannot reach cloudformation at http://127.0.0.1:9 (connection
//! refused); the endpoint is set by AWS_ENDPOINT_URL".
//!
//! Every client this crate builds carries [`NameEndpoint`], an interceptor that notes the
//! request's endpoint before it is sent and, when the call ends in a transport failure or a
//! timeout, wraps that error in [`Unreachable`]. The error keeps its kind (I/O, timeout, ...)
//! and its cause chain, so retry decisions, made before this runs, are unchanged.

use std::fmt;

use aws_sdk_cloudformation::config::interceptors::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextMut,
};
use aws_sdk_cloudformation::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_cloudformation::error::{BoxError, ConnectorError};
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_types::config_bag::{Storable, StoreReplace};

/// The services poolctl calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    CloudFormation,
    S3,
    Sts,
    Cognito,
}

impl Service {
    /// The name in IAM actions and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Service::CloudFormation => "cloudformation",
            Service::S3 => "s3",
            Service::Sts => "sts",
            Service::Cognito => "cognito-idp",
        }
    }

    /// The service-specific endpoint variable (`AWS_ENDPOINT_URL_<SERVICE ID>`).
    pub fn endpoint_variable(self) -> &'static str {
        match self {
            Service::CloudFormation => "AWS_ENDPOINT_URL_CLOUDFORMATION",
            Service::S3 => "AWS_ENDPOINT_URL_S3",
            Service::Sts => "AWS_ENDPOINT_URL_STS",
            Service::Cognito => "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
        }
    }
}

/// The setting that chose a client's endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointOrigin {
    /// A variable of the environment: the service's own, or `AWS_ENDPOINT_URL`.
    Variable(&'static str),
    /// `endpoint_url` in the shared config (the named profile, when known).
    Profile(Option<String>),
    /// No endpoint is configured: the service's public endpoint for the region.
    Default { region: String },
}

impl EndpointOrigin {
    /// Which setting chose `service`'s endpoint, by the SDK's order: the service's variable,
    /// `AWS_ENDPOINT_URL`, the shared config, the default. `configured` is the endpoint the
    /// loaded configuration holds.
    pub(crate) fn of(
        service: Service,
        configured: Option<&str>,
        profile: Option<&str>,
        region: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> EndpointOrigin {
        let set = |name: &str| env(name).is_some_and(|value| !value.is_empty());
        if set(service.endpoint_variable()) {
            EndpointOrigin::Variable(service.endpoint_variable())
        } else if set("AWS_ENDPOINT_URL") {
            EndpointOrigin::Variable("AWS_ENDPOINT_URL")
        } else if configured.is_some() {
            EndpointOrigin::Profile(profile.map(str::to_owned))
        } else {
            EndpointOrigin::Default {
                region: region.to_owned(),
            }
        }
    }
}

impl fmt::Display for EndpointOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointOrigin::Variable(name) => write!(f, "set by {name}"),
            EndpointOrigin::Profile(Some(profile)) => {
                write!(f, "set by endpoint_url in profile {profile}")
            }
            EndpointOrigin::Profile(None) => write!(f, "set by endpoint_url in the shared config"),
            EndpointOrigin::Default { region } => {
                write!(f, "the service's default endpoint for region {region}")
            }
        }
    }
}

/// A call that did not get an answer: the service, where it was sent, and why it failed.
#[derive(Debug)]
pub(crate) struct Unreachable {
    pub(crate) service: Service,
    /// `scheme://host[:port]` of the request.
    pub(crate) endpoint: String,
    pub(crate) origin: EndpointOrigin,
    pub(crate) cause: BoxError,
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot reach {} at {} ({}); the endpoint is {}",
            self.service.name(),
            self.endpoint,
            reason(self.cause.as_ref()),
            self.origin
        )
    }
}

impl std::error::Error for Unreachable {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.cause.as_ref())
    }
}

/// Why a request got no answer, in a few words, from its cause chain.
pub(crate) fn reason(error: &(dyn std::error::Error + 'static)) -> String {
    let mut texts = Vec::new();
    let mut current = Some(error);
    while let Some(cause) = current {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            match io.kind() {
                ErrorKind::ConnectionRefused => return "connection refused".into(),
                ErrorKind::ConnectionReset => return "connection reset".into(),
                ErrorKind::TimedOut => return "timed out".into(),
                _ => {}
            }
        }
        texts.push(cause.to_string());
        current = cause.source();
    }
    let all = texts.join(": ").to_ascii_lowercase();
    let innermost = texts.last().cloned().unwrap_or_default();
    if all.contains("dns error") || all.contains("failed to lookup address") {
        format!("the host name does not resolve: {innermost}")
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        format!("TLS failed: {innermost}")
    } else if all.contains("timed out") || all.contains("timeout") {
        "timed out".into()
    } else if all.contains("connection refused") {
        "connection refused".into()
    } else {
        innermost
    }
}

/// The endpoint of the request being sent, kept for the end of the call.
#[derive(Debug, Clone)]
struct SentTo(String);

impl Storable for SentTo {
    type Storer = StoreReplace<Self>;
}

/// Notes each request's endpoint and names it in a transport failure (see the module docs).
#[derive(Debug)]
pub(crate) struct NameEndpoint {
    pub(crate) service: Service,
    pub(crate) origin: EndpointOrigin,
}

impl Intercept for NameEndpoint {
    fn name(&self) -> &'static str {
        "poolctl-name-endpoint"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let endpoint = origin_of(context.request().uri());
        cfg.interceptor_state().store_put(SentTo(endpoint));
        Ok(())
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(SentTo(endpoint)) = cfg.load::<SentTo>().cloned() else {
            // Nothing was sent (the request could not be built or signed).
            return Ok(());
        };
        let Some(Err(error)) = context.output_or_error_mut() else {
            return Ok(());
        };
        let kind = match error.as_connector_error() {
            Some(connector) if connector.is_io() => Kind::Io,
            Some(connector) if connector.is_timeout() => Kind::ConnectTimeout,
            Some(connector) if connector.is_user() => Kind::User,
            Some(connector) => Kind::Other(connector.as_other()),
            None if error.is_timeout_error() => Kind::OperationTimeout,
            None => return Ok(()),
        };
        let original = std::mem::replace(error, OrchestratorError::other("replaced"));
        let named: BoxError = Box::new(Unreachable {
            service: self.service,
            endpoint,
            origin: self.origin.clone(),
            cause: Box::new(original),
        });
        *error = match kind {
            Kind::Io => OrchestratorError::connector(ConnectorError::io(named)),
            Kind::ConnectTimeout => OrchestratorError::connector(ConnectorError::timeout(named)),
            Kind::User => OrchestratorError::connector(ConnectorError::user(named)),
            Kind::Other(other) => OrchestratorError::connector(ConnectorError::other(named, other)),
            Kind::OperationTimeout => OrchestratorError::timeout(named),
        };
        Ok(())
    }
}

enum Kind {
    Io,
    ConnectTimeout,
    User,
    Other(Option<aws_smithy_types::retry::ErrorKind>),
    OperationTimeout,
}

/// `scheme://host[:port]` of a URI: where a request went, without its path or query.
fn origin_of(uri: &str) -> String {
    let (scheme, rest) = uri.split_once("://").unwrap_or(("", uri));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if scheme.is_empty() {
        authority.to_owned()
    } else {
        format!("{scheme}://{authority}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_follows_the_sdks_order_of_settings() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let both = env(&[
            ("AWS_ENDPOINT_URL", "http://a"),
            ("AWS_ENDPOINT_URL_S3", "http://b"),
        ]);
        assert_eq!(
            EndpointOrigin::of(Service::S3, Some("http://a"), None, "eu-west-1", both),
            EndpointOrigin::Variable("AWS_ENDPOINT_URL_S3")
        );
        assert_eq!(
            EndpointOrigin::of(Service::Sts, Some("http://a"), None, "eu-west-1", both),
            EndpointOrigin::Variable("AWS_ENDPOINT_URL")
        );
        let none = env(&[("AWS_ENDPOINT_URL", "")]);
        assert_eq!(
            EndpointOrigin::of(
                Service::Sts,
                Some("http://p"),
                Some("dev"),
                "eu-west-1",
                none
            )
            .to_string(),
            "set by endpoint_url in profile dev"
        );
        assert_eq!(
            EndpointOrigin::of(Service::Cognito, None, None, "eu-west-1", none).to_string(),
            "the service's default endpoint for region eu-west-1"
        );
    }

    #[test]
    fn an_endpoint_is_named_without_its_path() {
        assert_eq!(origin_of("http://127.0.0.1:9/"), "http://127.0.0.1:9");
        assert_eq!(
            origin_of("https://cloudformation.us-east-1.amazonaws.com/?Action=X"),
            "https://cloudformation.us-east-1.amazonaws.com"
        );
    }

    #[derive(Debug)]
    struct Layer(
        &'static str,
        Option<Box<dyn std::error::Error + Send + Sync>>,
    );

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    fn chain(outer: &'static str, inner: impl std::error::Error + Send + Sync + 'static) -> Layer {
        Layer(outer, Some(Box::new(inner)))
    }

    #[test]
    fn each_transport_failure_reads_as_what_it_is() {
        let refused = chain(
            "client error (Connect)",
            std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        );
        assert_eq!(reason(&refused), "connection refused");
        let dns = chain(
            "client error (Connect)",
            chain(
                "dns error",
                Layer(
                    "failed to lookup address information: Name or service not known",
                    None,
                ),
            ),
        );
        assert_eq!(
            reason(&dns),
            "the host name does not resolve: failed to lookup address information: Name or \
             service not known"
        );
        let tls = chain(
            "client error (Connect)",
            Layer("invalid peer certificate: UnknownIssuer", None),
        );
        assert_eq!(
            reason(&tls),
            "TLS failed: invalid peer certificate: UnknownIssuer"
        );
        let timeout = chain(
            "connection timeout",
            Layer("HTTP connect timeout occurred after 10s", None),
        );
        assert_eq!(reason(&timeout), "timed out");
        let unreachable = Unreachable {
            service: Service::CloudFormation,
            endpoint: "http://127.0.0.1:9".into(),
            origin: EndpointOrigin::Variable("AWS_ENDPOINT_URL"),
            cause: Box::new(refused),
        };
        assert_eq!(
            unreachable.to_string(),
            "cannot reach cloudformation at http://127.0.0.1:9 (connection refused); the \
             endpoint is set by AWS_ENDPOINT_URL"
        );
    }
}
