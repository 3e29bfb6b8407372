//! Build-time inputs of the binary: the PreSignUp trigger zips to embed and the git commit.
//!
//! `POOLCTL_TRIGGER_ZIPS_DIR` names a directory holding `pre-sign-up-<arch>.zip` files, as
//! `cargo xtask trigger ARCH` writes them to `dist/`; each one found is embedded byte for byte
//! (a relative path is taken from the workspace root). Without the variable the build is a
//! development build with no embedded trigger; with it, a directory holding none of the zips
//! fails the build, since a release without its trigger would only fail later, at a deploy.
//! The commit comes from `git rev-parse` and is `unknown` outside a git checkout.

// A build script speaks to cargo on stdout.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const ZIPS_DIR_VAR: &str = "POOLCTL_TRIGGER_ZIPS_DIR";
/// Lambda's architecture names, as `template::Architecture` spells them (a unit test in
/// `src/trigger_zips.rs` checks the two lists agree).
const ARCHITECTURES: [&str; 2] = ["arm64", "x86_64"];

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    println!("cargo:rerun-if-changed=build.rs");

    let embedded = match embedded_zips(&manifest_dir) {
        Ok(embedded) => embedded,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(1);
        }
    };
    let mut code = String::from(
        "/// Lambda architecture names the build looked for.\n\
         #[cfg(test)]\n\
         pub(crate) const LOOKED_FOR: &[&str] = &[",
    );
    for arch in ARCHITECTURES {
        let _ = write!(code, "{arch:?}, ");
    }
    code.push_str("];\n/// The embedded zips: (architecture name, bytes, lowercase hex sha256).\n");
    code.push_str("pub(crate) static EMBEDDED: &[(&str, &[u8], &str)] = &[\n");
    for (arch, path) in &embedded {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        // Here rather than at each start: `--version` shows it, and hashing a zip at every
        // start of a debug build would cost more than the command.
        let sha256: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let _ = writeln!(
            code,
            "    ({arch:?}, include_bytes!({:?}), {sha256:?}),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    std::fs::write(out_dir.join("embedded_triggers.rs"), code).expect("write OUT_DIR file");

    println!(
        "cargo:rustc-env=POOLCTL_GIT_COMMIT={}",
        git_commit(&manifest_dir)
    );
}

/// The zips to embed, by architecture: none without the variable.
fn embedded_zips(manifest_dir: &Path) -> Result<Vec<(&'static str, PathBuf)>, String> {
    println!("cargo:rerun-if-env-changed={ZIPS_DIR_VAR}");
    let Some(dir) = std::env::var_os(ZIPS_DIR_VAR).filter(|d| !d.is_empty()) else {
        return Ok(Vec::new());
    };
    let dir = PathBuf::from(dir);
    let dir = if dir.is_absolute() {
        dir
    } else {
        workspace_root(manifest_dir).join(dir)
    };
    // The directory itself: a zip added later is noticed.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut found = Vec::new();
    for arch in ARCHITECTURES {
        let path = dir.join(format!("pre-sign-up-{arch}.zip"));
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_file() {
            found.push((arch, path));
        }
    }
    if found.is_empty() {
        return Err(format!(
            "{ZIPS_DIR_VAR}={} holds no pre-sign-up-<arch>.zip ({}): build one with \
             `just trigger ARCH`, or unset the variable for a build without an embedded trigger",
            dir.display(),
            ARCHITECTURES.join(", ")
        ));
    }
    Ok(found)
}

/// The nearest directory at or above the package whose Cargo.toml declares `[workspace]`
/// (the package's own directory when none does, as in a published crate).
fn workspace_root(manifest_dir: &Path) -> PathBuf {
    manifest_dir
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
        })
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// The checkout's commit, `unknown` when there is no git or no checkout; the build reruns when
/// HEAD moves.
fn git_commit(manifest_dir: &Path) -> String {
    let git = |args: &[&str]| -> Option<String> {
        let output = Command::new("git")
            .args(args)
            .current_dir(manifest_dir)
            .output()
            .ok()?;
        let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
        (output.status.success() && !text.is_empty()).then_some(text)
    };
    let Some(commit) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".to_owned();
    };
    // HEAD, the branch it names and packed-refs: a commit or a checkout changes one of them.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", &name]) {
            if Path::new(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    commit
}
