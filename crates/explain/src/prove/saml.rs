//! A SAML sign-in through a local emulator's hosted UI, as a browser makes it: the authorize
//! redirect, then the IdP's POST of an (unsigned) assertion. Only plain `http://` endpoints:
//! this is for emulators, which accept unsigned assertions; AWS does not.

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct SignIn<'a> {
    /// `http://host:port` of the emulator.
    pub endpoint: &'a str,
    pub client_id: &'a str,
    pub callback: &'a str,
    pub provider: &'a str,
    pub name_id: &'a str,
    /// SAML attributes (name, value) the assertion carries.
    pub claims: &'a [(String, String)],
}

impl SignIn<'_> {
    /// Signs `name_id` in; `Err` says which step failed.
    pub async fn perform(&self) -> Result<(), String> {
        let authorize = format!(
            "/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&identity_provider={}",
            form_encode(self.client_id),
            form_encode(self.callback),
            form_encode(self.provider),
        );
        let (status, location) = exchange(self.endpoint, "GET", &authorize, "").await?;
        let location =
            location.ok_or_else(|| format!("authorize answered {status} without a redirect"))?;
        let relay = location
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("RelayState="))
            .ok_or_else(|| format!("authorize redirected to {location} without a RelayState"))?;
        let body = format!(
            "SAMLResponse={}&RelayState={relay}",
            form_encode(&self.assertion())
        );
        let (status, location) =
            exchange(self.endpoint, "POST", "/saml2/idpresponse", &body).await?;
        match location {
            Some(location) if location.starts_with(self.callback) => Ok(()),
            other => Err(format!(
                "the IdP response was answered with {status} and {other:?}, not the callback"
            )),
        }
    }

    /// The assertion, base64-encoded as the IdP posts it.
    fn assertion(&self) -> String {
        let attributes: String = self
            .claims
            .iter()
            .map(|(name, value)| {
                format!(
                    r#"<saml:Attribute Name="{}"><saml:AttributeValue>{}</saml:AttributeValue></saml:Attribute>"#,
                    xml_escape(name),
                    xml_escape(value)
                )
            })
            .collect();
        let response = format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion><saml:Subject><saml:NameID>{}</saml:NameID></saml:Subject><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>"#,
            xml_escape(self.name_id)
        );
        base64::engine::general_purpose::STANDARD.encode(response)
    }
}

/// One HTTP/1.1 exchange: the status and the `Location` header.
async fn exchange(
    endpoint: &str,
    method: &str,
    path: &str,
    body: &str,
) -> Result<(u16, Option<String>), String> {
    let host = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("{endpoint} is not an http:// endpoint"))?
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(host)
        .await
        .map_err(|e| format!("connect to {host}: {e}"))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("send to {host}: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .map_err(|e| format!("read from {host}: {e}"))?;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let location = answer
        .lines()
        .take_while(|line| !line.is_empty())
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("location")
                .then(|| value.trim().to_owned())
        });
    Ok((status, location))
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assertion_carries_the_name_id_and_each_claim_escaped() {
        let claims = vec![
            ("email".to_owned(), "a@corp.example".to_owned()),
            ("verified".to_owned(), "<true>".to_owned()),
        ];
        let sign_in = SignIn {
            endpoint: "http://127.0.0.1:1",
            client_id: "c",
            callback: "http://localhost/cb",
            provider: "Corp",
            name_id: "a@corp.example",
            claims: &claims,
        };
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(sign_in.assertion())
            .unwrap();
        let xml = String::from_utf8(decoded).unwrap();
        assert!(xml.contains("<saml:NameID>a@corp.example</saml:NameID>"));
        assert!(xml.contains(r#"Name="verified"><saml:AttributeValue>&lt;true&gt;<"#));
    }

    #[test]
    fn form_encoding_keeps_only_unreserved_bytes() {
        assert_eq!(
            form_encode("http://localhost:3000/cb?x=1 2"),
            "http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1%202"
        );
    }
}
