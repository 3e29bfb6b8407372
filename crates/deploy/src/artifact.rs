//! The trigger artifact at run time: a zip built elsewhere (`cargo xtask trigger`), stored
//! under a key made of its sha256, so the same bytes are uploaded once and a changed trigger
//! gets a new key (and so an update of the function).

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
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        format!("{sha256}.zip")
    } else {
        format!("{prefix}/{sha256}.zip")
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
    }
}
