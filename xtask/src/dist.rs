//! The release archives: poolctl built for one Rust target and packed, with the README and
//! the LICENSE, into `poolctl-<version>-<target>.tar.gz`, a `.sha256` beside it and
//! `poolctl-<version>-checksums.txt` for the set. These names are the contract with
//! `install.sh`, the cargo-binstall metadata in crates/poolctl/Cargo.toml and the release
//! workflow; `xtask/tests/install.rs` installs archives made here, so they cannot drift.
//!
//! Linux binaries are static musl builds. The AWS SDK's TLS stack (rustls on aws-lc-rs)
//! compiles C, so the build goes through `cargo zigbuild`, whose zig is the C compiler and
//! linker for every Linux target (docs/decisions.md says why). Archives are deterministic:
//! fixed mtime, owner and modes, gzip without a timestamp.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::trigger::sha256_hex;

/// The binary's name, and the archives' prefix.
pub const BINARY: &str = "poolctl";

/// The files packed beside the binary, from the workspace root.
pub const DOCUMENTS: [&str; 2] = ["README.md", "LICENSE"];

/// The directory inside an archive, and the archive's name without its extension:
/// `poolctl-<version>-<target>`.
pub fn archive_stem(version: &str, target: &str) -> String {
    format!("{BINARY}-{version}-{target}")
}

/// `poolctl-<version>-<target>.tar.gz`.
pub fn archive_name(version: &str, target: &str) -> String {
    format!("{}.tar.gz", archive_stem(version, target))
}

/// `poolctl-<version>-checksums.txt`: one `sha256sum` line per archive of the version.
pub fn checksums_name(version: &str) -> String {
    format!("{BINARY}-{version}-checksums.txt")
}

/// One line in `sha256sum` format (two spaces, then the file name), as `sha256sum -c` reads
/// it; the `.sha256` files and the checksums file both hold such lines.
pub fn checksum_line(sha256: &str, file_name: &str) -> String {
    format!("{sha256}  {file_name}\n")
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot run `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{command}` failed ({status})")]
    Failed {
        command: String,
        status: std::process::ExitStatus,
    },
    #[error("cargo built poolctl for {0} but reported no executable")]
    NoExecutable(String),
    #[error("the workspace has no package named poolctl (cargo metadata)")]
    NoVersion,
    #[error("{path} is dynamically linked (it names an interpreter); a release binary for {target} must be static")]
    NotStatic { path: PathBuf, target: String },
    #[error("{path} is not a 64-bit little-endian ELF file")]
    NotElf { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// poolctl's version, as its Cargo.toml says.
pub fn version(workspace_root: &Path) -> Result<String, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace_root)
        .args(["metadata", "--no-deps", "--format-version", "1"]);
    let stdout = run(&mut command, Stdio::piped())?;
    let metadata: serde_json::Value =
        serde_json::from_slice(&stdout).map_err(|_| Error::NoVersion)?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|package| package["name"] == BINARY)
        .and_then(|package| package["version"].as_str())
        .map(str::to_owned)
        .ok_or(Error::NoVersion)
}

/// Runs `command` and returns its stdout; stderr goes to the terminal.
fn run(command: &mut Command, stdout: Stdio) -> Result<Vec<u8>, Error> {
    let shown = format!("{command:?}");
    let output = command
        .stdout(stdout)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|source| Error::Spawn {
            command: shown.clone(),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Failed {
            command: shown,
            status: output.status,
        });
    }
    Ok(output.stdout)
}

/// Whether `target` is a Linux one: those are built static with zig.
pub fn is_linux(target: &str) -> bool {
    target.contains("-linux-")
}

/// Builds poolctl with the `dist` profile for `target`, with the trigger zips in
/// `trigger_zips_dir` for it to embed, and returns the executable's path.
pub fn build(
    workspace_root: &Path,
    target: &str,
    trigger_zips_dir: &Path,
) -> Result<PathBuf, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // zig compiles aws-lc's C and links for any Linux target; macOS builds natively.
    let subcommand = if is_linux(target) {
        "zigbuild"
    } else {
        "build"
    };
    command
        .current_dir(workspace_root)
        .args([subcommand, "--profile", "dist", "--locked", "-p", BINARY])
        .args(["--bin", BINARY, "--target", target])
        .args(["--message-format", "json-render-diagnostics"])
        // The agreed interface with poolctl's build script: a directory holding
        // pre-sign-up-arm64.zip and pre-sign-up-x86_64.zip, embedded into the binary.
        .env("POOLCTL_TRIGGER_ZIPS_DIR", trigger_zips_dir);
    let stdout = run(&mut command, Stdio::piped())?;
    String::from_utf8_lossy(&stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == BINARY
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| Error::NoExecutable(target.to_owned()))
}

/// Refuses an ELF executable that names an interpreter (`PT_INTERP`): a static or static-pie
/// binary has none, so it runs on any Linux whatever its libc.
pub fn check_static(path: &Path, target: &str) -> Result<(), Error> {
    const PT_INTERP: u32 = 3;
    let bytes = std::fs::read(path).map_err(io(path))?;
    let not_elf = || Error::NotElf {
        path: path.to_path_buf(),
    };
    // e_ident: magic, ELFCLASS64 (2), ELFDATA2LSB (1); both our Linux targets are.
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" || bytes[4] != 2 || bytes[5] != 1 {
        return Err(not_elf());
    }
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let phoff = usize::try_from(u64::from_le_bytes(
        bytes[32..40].try_into().map_err(|_| not_elf())?,
    ))
    .map_err(|_| not_elf())?;
    let entry_size = usize::from(u16_at(54));
    let entries = usize::from(u16_at(56));
    for index in 0..entries {
        let at = phoff + index * entry_size;
        let header = bytes.get(at..at + 4).ok_or_else(not_elf)?;
        if u32::from_le_bytes(header.try_into().map_err(|_| not_elf())?) == PT_INTERP {
            return Err(Error::NotStatic {
                path: path.to_path_buf(),
                target: target.to_owned(),
            });
        }
    }
    Ok(())
}

/// Writes `out_dir/poolctl-<version>-<target>.tar.gz` (the directory `poolctl-<version>-<target>/`
/// with `binary` as `poolctl` and each of `documents` by its file name) and its `.sha256`;
/// returns the archive's path and sha256. The same inputs give the same bytes.
pub fn package(
    binary: &Path,
    documents: &[PathBuf],
    version: &str,
    target: &str,
    out_dir: &Path,
) -> Result<(PathBuf, String), Error> {
    let stem = archive_stem(version, target);
    let gzip = GzEncoder::new(Vec::new(), Compression::best());
    let mut archive = tar::Builder::new(gzip);
    let mut append = |name: &str, path: &Path, mode: u32| -> Result<(), Error> {
        let contents = std::fs::read(path).map_err(io(path))?;
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(mode);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        archive
            .append_data(&mut header, format!("{stem}/{name}"), contents.as_slice())
            .map_err(io(path))
    };
    append(BINARY, binary, 0o755)?;
    for document in documents {
        let name = document
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        append(&name, document, 0o644)?;
    }
    let name = archive_name(version, target);
    let archive_path = out_dir.join(&name);
    let bytes = archive
        .into_inner()
        .and_then(GzEncoder::finish)
        .map_err(io(&archive_path))?;
    std::fs::create_dir_all(out_dir).map_err(io(out_dir))?;
    std::fs::write(&archive_path, &bytes).map_err(io(&archive_path))?;
    let sha256 = sha256_hex(&bytes);
    let sum_path = out_dir.join(format!("{name}.sha256"));
    std::fs::write(&sum_path, checksum_line(&sha256, &name)).map_err(io(&sum_path))?;
    Ok((archive_path, sha256))
}

/// Writes `out_dir/poolctl-<version>-checksums.txt` over every `poolctl-<version>-*.tar.gz`
/// in `out_dir` (sorted by name), as the release publishes them together; returns its path and
/// the archives' names.
pub fn write_checksums(out_dir: &Path, version: &str) -> Result<(PathBuf, Vec<String>), Error> {
    let prefix = format!("{BINARY}-{version}-");
    let mut names: Vec<String> = std::fs::read_dir(out_dir)
        .map_err(io(out_dir))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&prefix) && name.ends_with(".tar.gz"))
        .collect();
    names.sort();
    let path = out_dir.join(checksums_name(version));
    let mut file = std::fs::File::create(&path).map_err(io(&path))?;
    for name in &names {
        let archive = out_dir.join(name);
        let bytes = std::fs::read(&archive).map_err(io(&archive))?;
        file.write_all(checksum_line(&sha256_hex(&bytes), name).as_bytes())
            .map_err(io(&path))?;
    }
    Ok((path, names))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("poolctl-dist-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn names_follow_the_published_pattern() {
        assert_eq!(
            archive_name("1.2.3", "aarch64-unknown-linux-musl"),
            "poolctl-1.2.3-aarch64-unknown-linux-musl.tar.gz"
        );
        assert_eq!(checksums_name("1.2.3"), "poolctl-1.2.3-checksums.txt");
        assert_eq!(checksum_line("ab", "f.tar.gz"), "ab  f.tar.gz\n");
    }

    #[test]
    fn archives_are_deterministic_and_hold_the_binary_and_documents() {
        let dir = scratch("package");
        let binary = dir.join("built-poolctl");
        std::fs::write(&binary, b"\x7fELF pretend").unwrap();
        let readme = dir.join("README.md");
        std::fs::write(&readme, "# poolctl\n").unwrap();
        let (first, sha) = package(
            &binary,
            std::slice::from_ref(&readme),
            "0.0.1",
            "x86_64-unknown-linux-musl",
            &dir.join("a"),
        )
        .unwrap();
        // Another mtime on the inputs: the same bytes.
        std::fs::write(&binary, b"\x7fELF pretend").unwrap();
        let (second, sha_again) = package(
            &binary,
            &[readme],
            "0.0.1",
            "x86_64-unknown-linux-musl",
            &dir.join("b"),
        )
        .unwrap();
        assert_eq!(sha, sha_again);
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap()
        );
        let sum = std::fs::read_to_string(
            dir.join("a/poolctl-0.0.1-x86_64-unknown-linux-musl.tar.gz.sha256"),
        )
        .unwrap();
        assert_eq!(
            sum,
            format!("{sha}  poolctl-0.0.1-x86_64-unknown-linux-musl.tar.gz\n")
        );

        let mut entries = Vec::new();
        let gz = flate2::read::GzDecoder::new(std::fs::File::open(&first).unwrap());
        for entry in tar::Archive::new(gz).entries().unwrap() {
            let mut entry = entry.unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).ok();
            entries.push((
                entry.path().unwrap().display().to_string(),
                entry.header().mode().unwrap(),
            ));
        }
        assert_eq!(
            entries,
            [
                (
                    "poolctl-0.0.1-x86_64-unknown-linux-musl/poolctl".to_owned(),
                    0o755
                ),
                (
                    "poolctl-0.0.1-x86_64-unknown-linux-musl/README.md".to_owned(),
                    0o644
                ),
            ]
        );

        let (path, names) = write_checksums(&dir.join("a"), "0.0.1").unwrap();
        assert_eq!(names, ["poolctl-0.0.1-x86_64-unknown-linux-musl.tar.gz"]);
        assert_eq!(std::fs::read_to_string(path).unwrap(), sum);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_dynamic_executable_is_refused_and_a_non_elf_file_too() {
        // The test binary itself is dynamically linked on a glibc host.
        let me = std::env::current_exe().unwrap();
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            let error = check_static(&me, "x86_64-unknown-linux-gnu").unwrap_err();
            assert!(matches!(error, Error::NotStatic { .. }), "{error}");
        }
        let dir = scratch("elf");
        let text = dir.join("script");
        std::fs::write(&text, "#!/bin/sh\n").unwrap();
        assert!(matches!(
            check_static(&text, "x86_64-unknown-linux-musl"),
            Err(Error::NotElf { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
