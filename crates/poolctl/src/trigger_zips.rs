//! The PreSignUp trigger zips inside this binary, and which zip a command uses.
//!
//! A release build embeds `dist/pre-sign-up-<arch>.zip` byte for byte (`build.rs`, when
//! `POOLCTL_TRIGGER_ZIPS_DIR` is set); a development build embeds none. `--trigger-zip`
//! overrides the embedded zip. The commit the binary was built from comes from `build.rs` too.

use std::path::Path;

use anyhow::Context;
use template::Architecture;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/embedded_triggers.rs"));
}

/// The git commit of the build (12 hex digits), or `unknown` outside a git checkout.
pub const GIT_COMMIT: &str = env!("POOLCTL_GIT_COMMIT");

/// One embedded zip.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    pub arch: Architecture,
    pub bytes: &'static [u8],
    /// Lowercase hex sha256 of `bytes`: the same digest names the artifact in S3.
    pub sha256: &'static str,
}

/// Every embedded zip, in `Architecture::ALL` order.
pub fn embedded_all() -> Vec<Embedded> {
    Architecture::ALL.into_iter().filter_map(embedded).collect()
}

/// The zip embedded for `arch`, if this build has one.
pub fn embedded(arch: Architecture) -> Option<Embedded> {
    generated::EMBEDDED
        .iter()
        .find(|(name, _, _)| *name == arch.as_str())
        .map(|&(_, bytes, sha256)| Embedded {
            arch,
            bytes,
            sha256,
        })
}

/// `--trigger-zip`'s file when given, else the zip embedded for `arch`; `None` when neither
/// exists (a development build without the flag).
pub fn given_or_embedded(
    trigger_zip: Option<&Path>,
    arch: Architecture,
) -> anyhow::Result<Option<Vec<u8>>> {
    match trigger_zip {
        Some(path) => std::fs::read(path)
            .with_context(|| format!("cannot read the trigger zip {}", path.display()))
            .map(Some),
        None => Ok(embedded(arch).map(|zip| zip.bytes.to_vec())),
    }
}

/// Why a deploy of `pool` (which has the trigger) has no zip for `arch`, and how to get one.
pub fn missing_zip_message(pool: &str, arch: Architecture) -> String {
    let embedded: Vec<&str> = embedded_all().iter().map(|z| z.arch.as_str()).collect();
    let build = if embedded.is_empty() {
        "this poolctl is a development build with no embedded trigger".to_owned()
    } else {
        format!(
            "this poolctl embeds the trigger for {} only",
            embedded.join(" and ")
        )
    };
    format!(
        "pool {pool} has a PreSignUp trigger and {build}, so there is no {arch} zip: build it \
         with `just trigger {arch}` (or `cargo xtask trigger {arch}`) and pass --trigger-zip \
         dist/pre-sign-up-{arch}.zip, or use a release build of poolctl, which embeds the \
         trigger for every architecture"
    )
}

/// `--version`'s text after the name: the version, the commit and the embedded triggers.
pub fn version_text() -> String {
    let mut text = format!("{}\ncommit {GIT_COMMIT}\n", env!("CARGO_PKG_VERSION"));
    let embedded = embedded_all();
    if embedded.is_empty() {
        text.push_str("no embedded trigger");
    }
    let lines: Vec<String> = embedded
        .iter()
        .map(|zip| format!("trigger {} sha256 {}", zip.arch, zip.sha256))
        .collect();
    text.push_str(&lines.join("\n"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_looks_for_every_architecture_by_its_lambda_name() {
        let names: Vec<&str> = Architecture::ALL.map(Architecture::as_str).to_vec();
        assert_eq!(generated::LOOKED_FOR, names.as_slice());
    }

    #[test]
    fn each_embedded_digest_is_the_deploy_drivers_sha256_of_its_bytes() {
        for zip in embedded_all() {
            assert_eq!(zip.sha256, deploy::artifact::sha256_hex(zip.bytes));
        }
    }

    #[test]
    fn a_missing_zip_says_how_to_build_one_and_pass_it() {
        let message = missing_zip_message("demo", Architecture::Arm64);
        for part in [
            "pool demo has a PreSignUp trigger",
            "no arm64 zip",
            "`just trigger arm64`",
            "--trigger-zip dist/pre-sign-up-arm64.zip",
            "a release build of poolctl",
        ] {
            assert!(message.contains(part), "{part:?} missing from: {message}");
        }
        let build = if embedded_all().is_empty() {
            "a development build with no embedded trigger"
        } else {
            "embeds the trigger for"
        };
        assert!(message.contains(build), "{message}");
    }

    #[test]
    fn the_version_names_the_commit_and_each_embedded_digest_or_none() {
        let text = version_text();
        assert!(text.starts_with(env!("CARGO_PKG_VERSION")), "{text}");
        assert!(text.contains(&format!("commit {GIT_COMMIT}")), "{text}");
        let embedded = embedded_all();
        assert_eq!(
            text.contains("no embedded trigger"),
            embedded.is_empty(),
            "{text}"
        );
        for zip in embedded {
            assert!(text.contains(&format!("trigger {} sha256 {}", zip.arch, zip.sha256)));
        }
    }
}
