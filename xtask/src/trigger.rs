//! The trigger artifact: the `bootstrap` binary built for a Lambda architecture, packed into a
//! zip whose bytes depend on the binary alone (the deploy driver stores it under a key made of
//! its sha256).
//!
//! Content-addressed keys only work if packing is reproducible: one entry named `bootstrap`,
//! mode 0755, the fixed timestamp 1980-01-01 00:00, deflate at a fixed level, and nothing
//! else from the build machine (no owner, no mtime, no extra fields, no comment). The binary
//! itself is built with the machine's paths remapped, so the same source gives the same
//! bytes in any checkout and any target directory.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};
use template::Architecture;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot run cargo to build the trigger: {0}")]
    CargoSpawn(#[source] std::io::Error),
    #[error("building the trigger for {arch} failed ({status}); run `{command}` to see why")]
    CargoFailed {
        arch: Architecture,
        status: std::process::ExitStatus,
        command: String,
    },
    #[error("cargo built the trigger for {0} but reported no bootstrap executable")]
    NoExecutable(Architecture),
    #[error("cannot read the bootstrap at {path}: {source}")]
    ReadBootstrap {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the trigger zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write the trigger zip: {0}")]
    Io(#[from] std::io::Error),
}

/// The Rust target: static musl binaries run on Amazon Linux 2023 whatever the build machine's
/// glibc.
pub fn rust_target(arch: Architecture) -> &'static str {
    match arch {
        Architecture::Arm64 => "aarch64-unknown-linux-musl",
        Architecture::X86_64 => "x86_64-unknown-linux-musl",
    }
}

/// The conventional file name, `pre-sign-up-<arch>.zip`.
pub fn file_name(arch: Architecture) -> String {
    format!("pre-sign-up-{arch}.zip")
}

/// The cargo command that builds the bootstrap (also shown when the build fails).
fn cargo_command(workspace_root: &Path, arch: Architecture, target_dir: Option<&Path>) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(workspace_root).args([
        "build",
        "--profile",
        "lambda",
        "-p",
        "poolctl-lambda",
        "--bin",
        "bootstrap",
        "--target",
        rust_target(arch),
        "--message-format",
        "json-render-diagnostics",
    ]);
    if let Some(dir) = target_dir {
        command.arg("--target-dir").arg(dir);
    }
    let target_env = rust_target(arch).to_uppercase().replace('-', "_");
    // rust-lld ships with the toolchain: the cross link needs no C toolchain for the target.
    let linker_var = format!("CARGO_TARGET_{target_env}_LINKER");
    if std::env::var_os(&linker_var).is_none() {
        command.env(&linker_var, "rust-lld");
    }
    // Paths of this machine (checkout, cargo home, target directory) end up in panic
    // locations; remapping them keeps the binary identical across checkouts. Per-target
    // flags leave host builds (build scripts, other crates) untouched.
    let rustflags_var = format!("CARGO_TARGET_{target_env}_RUSTFLAGS");
    if std::env::var_os(&rustflags_var).is_none() {
        let mut remaps = vec![(workspace_root.to_path_buf(), "/poolctl")];
        if let Some(cargo_home) = cargo_home() {
            remaps.push((cargo_home, "/cargo"));
        }
        // Last: rustc applies the last matching remap, and the target directory may lie
        // inside the checkout.
        let target_dir = target_dir
            .map(|dir| workspace_root.join(dir))
            .unwrap_or_else(|| default_target_dir(workspace_root));
        remaps.push((target_dir, "/target"));
        let flags: Vec<String> = remaps
            .iter()
            .map(|(from, to)| format!("--remap-path-prefix={}={to}", from.display()))
            .collect();
        command.env(&rustflags_var, flags.join(" "));
    }
    command
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
}

fn default_target_dir(workspace_root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| workspace_root.join(dir))
        .unwrap_or_else(|| workspace_root.join("target"))
}

/// Builds the bootstrap with the `lambda` profile for `arch` and returns its path. Compiler
/// messages go to stderr as usual. `target_dir` builds in another cargo target directory (a
/// clean rebuild, to check that the build is reproducible).
pub fn build_bootstrap(
    workspace_root: &Path,
    arch: Architecture,
    target_dir: Option<&Path>,
) -> Result<PathBuf, Error> {
    let mut command = cargo_command(workspace_root, arch, target_dir);
    let shown = format!("{command:?}");
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(Error::CargoSpawn)?;
    if !output.status.success() {
        return Err(Error::CargoFailed {
            arch,
            status: output.status,
            command: shown,
        });
    }
    // The executable path from cargo's own report, wherever the target directory is.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == "bootstrap"
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or(Error::NoExecutable(arch))
}

/// Packs the bootstrap at `bootstrap` into a deterministic zip: the same binary gives the same
/// bytes whatever the file's name, mtime, owner or permissions on this machine.
pub fn package_zip(bootstrap: &Path) -> Result<Vec<u8>, Error> {
    let binary = std::fs::read(bootstrap).map_err(|source| Error::ReadBootstrap {
        path: bootstrap.to_path_buf(),
        source,
    })?;
    zip_bootstrap(&binary)
}

fn zip_bootstrap(binary: &[u8]) -> Result<Vec<u8>, Error> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o755)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("bootstrap", options)?;
    zip.write_all(binary)?;
    Ok(zip.finish()?.into_inner())
}

/// Lowercase hex sha256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use zip::ZipArchive;

    fn temp_file(name: &str, contents: &[u8], mode: u32) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("poolctl-artifact-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    /// Some bytes that compress a little, like a binary.
    fn fake_binary() -> Vec<u8> {
        (0..200_000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8 & 0x3f)
            .collect()
    }

    #[test]
    fn packaging_is_deterministic_whatever_the_file_metadata() {
        let binary = fake_binary();
        let first = temp_file("bootstrap", &binary, 0o600);
        let second = temp_file("renamed-elsewhere", &binary, 0o777);
        let a = package_zip(&first).unwrap();
        let b = package_zip(&first).unwrap();
        let c = package_zip(&second).unwrap();
        assert_eq!(a, b);
        assert_eq!(sha256_hex(&a), sha256_hex(&c));
        // A different binary gives a different artifact.
        let mut other = binary.clone();
        other[0] ^= 1;
        assert_ne!(zip_bootstrap(&other).unwrap(), a);
    }

    #[test]
    fn the_zip_holds_one_executable_bootstrap_with_a_fixed_timestamp() {
        let binary = fake_binary();
        let bytes = zip_bootstrap(&binary).unwrap();
        let mut archive = ZipArchive::new(Cursor::new(&bytes)).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name(), "bootstrap");
        assert_eq!(entry.unix_mode().map(|mode| mode & 0o777), Some(0o755));
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        let time = entry.last_modified().unwrap();
        assert_eq!((time.year(), time.month(), time.day()), (1980, 1, 1));
        assert_eq!((time.hour(), time.minute(), time.second()), (0, 0, 0));
        assert!(entry.extra_data().is_none_or(<[u8]>::is_empty));
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut unpacked).unwrap();
        assert_eq!(unpacked, binary);
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn arch_names_are_lambdas_and_targets_are_static_musl() {
        for arch in Architecture::ALL {
            assert_eq!(arch.to_string().parse::<Architecture>().unwrap(), arch);
        }
        assert_eq!(Architecture::Arm64.to_string(), "arm64");
        assert_eq!(Architecture::X86_64.to_string(), "x86_64");
        assert!("aarch64".parse::<Architecture>().is_err());
        assert!("x86-64".parse::<Architecture>().is_err());
        assert_eq!(
            rust_target(Architecture::Arm64),
            "aarch64-unknown-linux-musl"
        );
        assert_eq!(
            rust_target(Architecture::X86_64),
            "x86_64-unknown-linux-musl"
        );
        assert_eq!(file_name(Architecture::Arm64), "pre-sign-up-arm64.zip");
        assert_eq!(file_name(Architecture::X86_64), "pre-sign-up-x86_64.zip");
    }

    #[test]
    fn a_missing_bootstrap_is_a_clear_error() {
        let error = package_zip(Path::new("/nonexistent/bootstrap")).unwrap_err();
        assert!(
            error.to_string().contains("/nonexistent/bootstrap"),
            "{error}"
        );
    }
}
