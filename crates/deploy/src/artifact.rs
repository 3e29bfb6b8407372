//! Content-addressed keys in the artifact bucket. The trigger zip (built elsewhere, by
//! `cargo xtask trigger`) and templates too large to send inline are stored under a key made of
//! their sha256, so the same bytes are uploaded once and a changed trigger gets a new key (and so
//! an update of the function).

use sha2::{Digest, Sha256};

/// Lowercase hex sha256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The S3 key of an artifact: `<prefix>/<sha256>.zip` (a trailing `/` on the prefix is
/// ignored; an empty prefix gives `<sha256>.zip`).
pub fn object_key(prefix: &str, sha256: &str) -> String {
    content_key(prefix, sha256, "zip")
}

/// The S3 key of a template too large to send inline: `<prefix>/<sha256 of the body>.json`.
pub fn template_key(prefix: &str, body: &[u8]) -> String {
    content_key(prefix, &sha256_hex(body), "json")
}

fn content_key(prefix: &str, sha256: &str, extension: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        format!("{sha256}.{extension}")
    } else {
        format!("{prefix}/{sha256}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_and_object_key() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(object_key("triggers", "ab12"), "triggers/ab12.zip");
        assert_eq!(object_key("triggers/", "ab12"), "triggers/ab12.zip");
        assert_eq!(object_key("", "ab12"), "ab12.zip");
        assert_eq!(
            template_key("templates/demo", b"abc"),
            "templates/demo/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json"
        );
    }
}
