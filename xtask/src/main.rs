//! Build tasks for the poolctl workspace, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`). Building is not the runtime's business: the deploy driver takes a
//! finished zip, and this crate makes it.
//!
//! `cargo xtask trigger [arm64|x86_64] [--out-dir DIR] [--target-dir DIR]` (what `just
//! trigger` runs) builds the PreSignUp trigger for one architecture and writes
//! `DIR/pre-sign-up-<arch>.zip` and a `.sha256` beside it in `sha256sum` format, then prints
//! the sha256, the sizes and the bootstrap's path. `--target-dir` builds the bootstrap in
//! another cargo target directory, for the reproducibility check.
//!
//! `cargo xtask dist --target T... [--out-dir DIR] [--trigger-zips DIR]` (what `just dist`
//! runs) builds both trigger zips (or takes them from `--trigger-zips`), then poolctl for each
//! target with them embedded, and writes `poolctl-<version>-<target>.tar.gz`, its `.sha256`
//! and `poolctl-<version>-checksums.txt`. `cargo xtask checksums` writes the last alone, over
//! the archives already in the directory (the release workflow gathers them from several
//! machines).

// A build tool run from a terminal: it reports what it built.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use template::Architecture;
use xtask::{dist, trigger};

#[derive(Debug, Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    about = "Build tasks for the poolctl workspace"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Build the PreSignUp trigger for Lambda and write its deterministic zip.
    Trigger(TriggerArgs),
    /// Build the release archives of poolctl, with both trigger zips embedded.
    Dist(DistArgs),
    /// Write poolctl-<version>-checksums.txt over the archives in a directory.
    Checksums(ChecksumsArgs),
}

#[derive(Debug, Args)]
struct DistArgs {
    /// Rust target to build for (repeatable); Linux targets are static musl builds through
    /// `cargo zigbuild`.
    #[arg(long = "target", required = true)]
    targets: Vec<String>,
    /// Where to write the archives, their `.sha256` and the checksums file (and the trigger
    /// zips, unless `--trigger-zips` is given).
    #[arg(long, default_value = "dist")]
    out_dir: PathBuf,
    /// Embed the trigger zips already in this directory instead of building them.
    #[arg(long)]
    trigger_zips: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ChecksumsArgs {
    /// The directory holding the archives.
    #[arg(long, default_value = "dist")]
    out_dir: PathBuf,
}

#[derive(Debug, Args)]
struct TriggerArgs {
    /// Lambda architecture of the function.
    #[arg(
        default_value_t = Architecture::DEFAULT,
        value_parser = PossibleValuesParser::new(Architecture::ALL.map(Architecture::as_str))
            .map(|name| name.parse::<Architecture>().expect("a possible value")),
    )]
    arch: Architecture,
    /// Where to write `pre-sign-up-<arch>.zip` and its `.sha256`.
    #[arg(long, default_value = "dist")]
    out_dir: PathBuf,
    /// Build the bootstrap in this cargo target directory (a clean rebuild, to check that the
    /// zip is reproducible).
    #[arg(long)]
    target_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.task {
        Task::Trigger(args) => package_trigger(args),
        Task::Dist(args) => build_dist(args),
        Task::Checksums(args) => write_checksums(&args.out_dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> Result<PathBuf, String> {
    let workspace_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    workspace_root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", workspace_root.display()))
}

/// `path` made absolute against the current directory (cargo runs builds elsewhere).
fn absolute(path: &Path) -> Result<PathBuf, String> {
    Ok(std::env::current_dir()
        .map_err(|e| e.to_string())?
        .join(path))
}

fn package_trigger(args: &TriggerArgs) -> Result<(), String> {
    let target_dir = args.target_dir.as_deref().map(absolute).transpose()?;
    write_trigger(args.arch, &args.out_dir, target_dir.as_deref())
}

fn write_trigger(
    arch: Architecture,
    out_dir: &Path,
    target_dir: Option<&Path>,
) -> Result<(), String> {
    let workspace_root = workspace_root()?;
    let bootstrap =
        trigger::build_bootstrap(&workspace_root, arch, target_dir).map_err(|e| e.to_string())?;
    let bytes = trigger::package_zip(&bootstrap).map_err(|e| e.to_string())?;
    let sha256 = trigger::sha256_hex(&bytes);
    let binary_size = std::fs::metadata(&bootstrap)
        .map_err(|e| e.to_string())?
        .len();

    let file_name = trigger::file_name(arch);
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let zip_path = out_dir.join(&file_name);
    std::fs::write(&zip_path, &bytes).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let sum_path = out_dir.join(format!("{file_name}.sha256"));
    std::fs::write(&sum_path, dist::checksum_line(&sha256, &file_name))
        .map_err(|e| format!("{}: {e}", sum_path.display()))?;

    println!("{}", zip_path.display());
    println!("  sha256     {sha256}");
    println!("  zip        {} bytes", bytes.len());
    println!("  bootstrap  {binary_size} bytes, {}", bootstrap.display());
    Ok(())
}

fn build_dist(args: &DistArgs) -> Result<(), String> {
    let workspace_root = workspace_root()?;
    let out_dir = absolute(&args.out_dir)?;
    let zips_dir = match &args.trigger_zips {
        Some(dir) => absolute(dir)?,
        None => {
            for arch in Architecture::ALL {
                write_trigger(arch, &out_dir, None)?;
            }
            out_dir.clone()
        }
    };
    for arch in Architecture::ALL {
        let zip = zips_dir.join(trigger::file_name(arch));
        if !zip.is_file() {
            return Err(format!("no trigger zip at {} to embed", zip.display()));
        }
    }
    let version = dist::version(&workspace_root).map_err(|e| e.to_string())?;
    let documents = dist::DOCUMENTS.map(|name| workspace_root.join(name));
    for target in &args.targets {
        let binary = dist::build(&workspace_root, target, &zips_dir).map_err(|e| e.to_string())?;
        if dist::is_linux(target) {
            dist::check_static(&binary, target).map_err(|e| e.to_string())?;
        }
        let size = std::fs::metadata(&binary)
            .map_err(|e| format!("{}: {e}", binary.display()))?
            .len();
        let (archive, sha256) = dist::package(&binary, &documents, &version, target, &out_dir)
            .map_err(|e| e.to_string())?;
        println!("{}", archive.display());
        println!("  sha256  {sha256}");
        println!(
            "  poolctl {size} bytes{}",
            if dist::is_linux(target) {
                ", static"
            } else {
                ""
            }
        );
    }
    write_checksums(&out_dir)
}

fn write_checksums(out_dir: &Path) -> Result<(), String> {
    let version = dist::version(&workspace_root()?).map_err(|e| e.to_string())?;
    let (path, names) = dist::write_checksums(out_dir, &version).map_err(|e| e.to_string())?;
    if names.is_empty() {
        return Err(format!(
            "no poolctl-{version}-*.tar.gz in {}",
            out_dir.display()
        ));
    }
    println!("{} ({} archives)", path.display(), names.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn trigger_defaults_to_arm64_in_dist_and_takes_lambdas_names() {
        let Task::Trigger(args) = Cli::try_parse_from(["xtask", "trigger"]).unwrap().task else {
            panic!("not the trigger task");
        };
        assert_eq!(args.arch, Architecture::Arm64);
        assert_eq!(args.out_dir, Path::new("dist"));
        assert_eq!(args.target_dir, None);

        let Task::Trigger(args) = Cli::try_parse_from([
            "xtask",
            "trigger",
            "x86_64",
            "--out-dir",
            "/tmp/out",
            "--target-dir",
            "repro",
        ])
        .unwrap()
        .task
        else {
            panic!("not the trigger task");
        };
        assert_eq!(args.arch, Architecture::X86_64);
        assert_eq!(args.out_dir, Path::new("/tmp/out"));
        assert_eq!(args.target_dir.as_deref(), Some(Path::new("repro")));

        let error = Cli::try_parse_from(["xtask", "trigger", "x86-64"]).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("invalid value 'x86-64'") && text.contains("arm64, x86_64"),
            "{text}"
        );
    }
}
