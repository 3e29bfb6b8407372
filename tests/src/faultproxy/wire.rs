//! Error answers in each service's own wire shape, as the AWS SDKs parse them.

use super::classify::{Protocol, RequestInfo};

/// The kinds of error the proxy answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Throttle,
    Internal,
    Unavailable,
    /// The credentials' session token has expired.
    ExpiredToken,
}

/// A complete HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The error `kind` as the service of `request` sends it.
pub fn error_response(request: &RequestInfo, kind: ErrorKind, request_id: &str) -> Canned {
    let (status, code, message, json_type_field) = match (request.protocol, kind) {
        (Protocol::Query, ErrorKind::Throttle) => (400, "Throttling", "Rate exceeded", ""),
        (Protocol::Query, ErrorKind::Internal) => (
            500,
            "InternalFailure",
            "The request processing has failed because of an unknown error, exception or failure.",
            "",
        ),
        (Protocol::AwsJson, ErrorKind::Throttle) => {
            (400, "TooManyRequestsException", "Rate exceeded", "")
        }
        (Protocol::AwsJson, ErrorKind::Internal) => {
            (500, "InternalErrorException", "Internal server error.", "")
        }
        (Protocol::RestJson, ErrorKind::Throttle) => {
            (429, "TooManyRequestsException", "Rate exceeded", "User")
        }
        (Protocol::RestJson, ErrorKind::Internal) => {
            (500, "ServiceException", "Internal server error.", "Service")
        }
        (Protocol::S3, ErrorKind::Throttle) => {
            (503, "SlowDown", "Please reduce your request rate.", "")
        }
        (Protocol::S3, ErrorKind::Internal) => (
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
            "",
        ),
        (Protocol::S3, ErrorKind::Unavailable) => (
            503,
            "ServiceUnavailable",
            "Service is unable to handle request.",
            "",
        ),
        (Protocol::S3, ErrorKind::ExpiredToken) => {
            (400, "ExpiredToken", "The provided token has expired.", "")
        }
        (Protocol::Query, ErrorKind::ExpiredToken) => (
            403,
            "ExpiredToken",
            "The security token included in the request is expired",
            "",
        ),
        (Protocol::AwsJson | Protocol::RestJson, ErrorKind::ExpiredToken) => (
            403,
            "ExpiredTokenException",
            "The security token included in the request is expired",
            "User",
        ),
        (_, ErrorKind::Unavailable) => (
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
            "Service",
        ),
    };
    let mut headers = vec![("x-amzn-RequestId".to_owned(), request_id.to_owned())];
    let body = match request.protocol {
        Protocol::Query => {
            let fault_type = if status < 500 { "Sender" } else { "Receiver" };
            headers.push(("Content-Type".to_owned(), "text/xml".to_owned()));
            format!(
                "<ErrorResponse><Error><Type>{fault_type}</Type><Code>{code}</Code><Message>{message}</Message>\
                 </Error><RequestId>{request_id}</RequestId></ErrorResponse>"
            )
        }
        Protocol::AwsJson => {
            headers.push((
                "Content-Type".to_owned(),
                "application/x-amz-json-1.1".to_owned(),
            ));
            headers.push(("x-amzn-ErrorType".to_owned(), code.to_owned()));
            serde_json::json!({ "__type": code, "message": message }).to_string()
        }
        Protocol::RestJson => {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
            headers.push(("x-amzn-ErrorType".to_owned(), code.to_owned()));
            serde_json::json!({ "Type": json_type_field, "message": message }).to_string()
        }
        Protocol::S3 => {
            headers[0].0 = "x-amz-request-id".to_owned();
            headers.push(("Content-Type".to_owned(), "application/xml".to_owned()));
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
                 <Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
            )
        }
    };
    Canned {
        status,
        headers,
        // An answer to HEAD has no body (S3's HEAD errors are the status alone).
        body: if request.head {
            Vec::new()
        } else {
            body.into_bytes()
        },
    }
}

/// The throttling error code a request's service uses.
pub fn throttling_code(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Query => "Throttling",
        Protocol::AwsJson | Protocol::RestJson => "TooManyRequestsException",
        Protocol::S3 => "SlowDown",
    }
}
