//! `install.sh` against a mirror made with the release packing itself (`xtask::dist`), served
//! as `file://`: it installs and the installed program runs; a tampered archive is refused with
//! a non-zero exit and nothing left behind, neither in the install directory nor in the
//! temporary one. The archive's contents are a tiny script standing in for poolctl.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::dist;

const VERSION: &str = "9.8.7";

/// Every target a release has: `install.sh` picks this machine's by itself.
const TARGETS: [&str; 4] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
];

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("poolctl-install-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A mirror directory laid out as `just dist` writes it, holding a fake poolctl that prints
/// `message`, for every target.
fn mirror(scratch: &Path, message: &str) -> PathBuf {
    let fake = scratch.join("fake-poolctl");
    std::fs::write(&fake, format!("#!/bin/sh\necho '{message}' \"$@\"\n")).unwrap();
    let documents = dist::DOCUMENTS.map(|name| workspace_root().join(name));
    let mirror = scratch.join("mirror");
    for target in TARGETS {
        dist::package(&fake, &documents, VERSION, target, &mirror).unwrap();
    }
    dist::write_checksums(&mirror, VERSION).unwrap();
    mirror
}

/// Runs install.sh with only the variables it documents (and a private TMPDIR to watch).
fn install(mirror: &Path, install_dir: &Path, tmp: &Path, version: &str) -> Output {
    std::fs::create_dir_all(tmp).unwrap();
    Command::new("sh")
        .arg(workspace_root().join("install.sh"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", tmp)
        .env("TMPDIR", tmp)
        .env(
            "POOLCTL_DOWNLOAD_URL",
            format!("file://{}", mirror.display()),
        )
        .env("POOLCTL_VERSION", version)
        .env("POOLCTL_INSTALL_DIR", install_dir)
        .output()
        .expect("run sh install.sh")
}

fn entries(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(read) => read
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn installs_a_verified_release_and_the_installed_binary_runs() {
    let scratch = Scratch::new("ok");
    let mirror = mirror(&scratch.0, "fake poolctl");
    let bin = scratch.0.join("bin");
    let tmp = scratch.0.join("tmp");

    let output = install(&mirror, &bin, &tmp, &format!("v{VERSION}"));
    assert!(
        output.status.success(),
        "install.sh failed: {}",
        text(&output.stderr)
    );
    assert!(
        text(&output.stderr).contains(&format!("installed poolctl {VERSION}")),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(entries(&bin), ["poolctl"]);
    let mode = std::fs::metadata(bin.join("poolctl"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    let ran = Command::new(bin.join("poolctl"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(ran.status.success());
    assert_eq!(text(&ran.stdout), "fake poolctl --version\n");
    assert!(
        entries(&tmp).is_empty(),
        "left in TMPDIR: {:?}",
        entries(&tmp)
    );

    // --print-version names what it would install, without installing.
    let printed = Command::new("sh")
        .arg(workspace_root().join("install.sh"))
        .arg("--print-version")
        .env("POOLCTL_VERSION", format!("v{VERSION}"))
        .output()
        .unwrap();
    assert_eq!(text(&printed.stdout), format!("{VERSION}\n"));
}

#[test]
fn a_tampered_archive_is_refused_and_nothing_is_left_behind() {
    let scratch = Scratch::new("tampered");
    let mirror = mirror(&scratch.0, "tampered poolctl");
    for target in TARGETS {
        let archive = mirror.join(dist::archive_name(VERSION, target));
        let mut bytes = std::fs::read(&archive).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(&archive, bytes).unwrap();
    }

    // Into a directory that does not exist yet: it must not be created.
    let fresh = scratch.0.join("fresh-bin");
    let tmp = scratch.0.join("tmp");
    let output = install(&mirror, &fresh, &tmp, VERSION);
    assert!(
        !output.status.success(),
        "install.sh accepted a tampered archive"
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(
        !fresh.exists(),
        "install dir created: {:?}",
        entries(&fresh)
    );
    assert!(
        entries(&tmp).is_empty(),
        "left in TMPDIR: {:?}",
        entries(&tmp)
    );

    // Over an installed poolctl: it stays as it was, and nothing is added beside it.
    let bin = scratch.0.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("poolctl"), "the old one").unwrap();
    let output = install(&mirror, &bin, &tmp, VERSION);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(entries(&bin), ["poolctl"]);
    assert_eq!(
        std::fs::read_to_string(bin.join("poolctl")).unwrap(),
        "the old one"
    );
    assert!(
        entries(&tmp).is_empty(),
        "left in TMPDIR: {:?}",
        entries(&tmp)
    );
}

#[test]
fn a_version_the_mirror_does_not_have_fails_cleanly() {
    let scratch = Scratch::new("missing");
    let mirror = mirror(&scratch.0, "fake poolctl");
    let bin = scratch.0.join("bin");
    let tmp = scratch.0.join("tmp");
    let output = install(&mirror, &bin, &tmp, "0.0.0-missing");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("cannot download"),
        "{}",
        text(&output.stderr)
    );
    assert!(!bin.exists());
    assert!(
        entries(&tmp).is_empty(),
        "left in TMPDIR: {:?}",
        entries(&tmp)
    );

    // A mirror needs an explicit version.
    let output = install(&mirror, &bin, &tmp, "latest");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("needs POOLCTL_VERSION"),
        "{}",
        text(&output.stderr)
    );
}

/// The cargo-binstall metadata in crates/poolctl/Cargo.toml, filled in as binstall does, names
/// the archives the release packs.
#[test]
fn binstall_metadata_names_the_release_archives() {
    let manifest =
        std::fs::read_to_string(workspace_root().join("crates/poolctl/Cargo.toml")).unwrap();
    let value = |key: &str| -> String {
        let section = &manifest[manifest
            .find("[package.metadata.binstall]")
            .expect("binstall metadata")..];
        let line = section
            .lines()
            .find(|line| line.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} in [package.metadata.binstall]"));
        line.split_once(" = ")
            .unwrap()
            .1
            .trim_matches('"')
            .to_owned()
    };
    let fill = |template: &str, target: &str| {
        template
            .replace("{ repo }", "https://github.com/poolctl/poolctl")
            .replace("{ name }", "poolctl")
            .replace("{ version }", VERSION)
            .replace("{ target }", target)
            .replace("{ bin }", "poolctl")
            .replace("{ binary-ext }", "")
    };
    assert_eq!(value("pkg-fmt"), "tgz");
    for target in TARGETS {
        assert_eq!(
            fill(&value("pkg-url"), target),
            format!(
                "https://github.com/poolctl/poolctl/releases/download/v{VERSION}/{}",
                dist::archive_name(VERSION, target)
            )
        );
        assert_eq!(
            fill(&value("bin-dir"), target),
            format!("{}/{}", dist::archive_stem(VERSION, target), dist::BINARY)
        );
    }
}
