//! Build tasks for the poolctl workspace, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`). Building is not the runtime's business: the deploy driver takes a
//! finished zip, and this crate makes it.
//!
//! `cargo xtask trigger [arm64|x86_64] [--out-dir DIR] [--target-dir DIR]` (what `just
//! trigger` runs) builds the PreSignUp trigger for one architecture and writes
//! `DIR/pre-sign-up-<arch>.zip` and a `.sha256` beside it in `sha256sum` format, then prints
//! the sha256, the sizes and the bootstrap's path. `--target-dir` builds the bootstrap in
//! another cargo target directory, for the reproducibility check.

// A build tool run from a terminal: it reports what it built.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod trigger;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use template::Architecture;

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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn package_trigger(args: &TriggerArgs) -> Result<(), String> {
    let arch = args.arch;
    let target_dir = match &args.target_dir {
        Some(dir) => Some(
            std::env::current_dir()
                .map_err(|e| e.to_string())?
                .join(dir),
        ),
        None => None,
    };
    let workspace_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workspace_root = workspace_root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", workspace_root.display()))?;

    let bootstrap = trigger::build_bootstrap(&workspace_root, arch, target_dir.as_deref())
        .map_err(|e| e.to_string())?;
    let bytes = trigger::package_zip(&bootstrap).map_err(|e| e.to_string())?;
    let sha256 = trigger::sha256_hex(&bytes);
    let binary_size = std::fs::metadata(&bootstrap)
        .map_err(|e| e.to_string())?
        .len();

    let out_dir = &args.out_dir;
    let file_name = trigger::file_name(arch);
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let zip_path = out_dir.join(&file_name);
    std::fs::write(&zip_path, &bytes).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let sum_path = out_dir.join(format!("{file_name}.sha256"));
    std::fs::write(&sum_path, format!("{sha256}  {file_name}\n"))
        .map_err(|e| format!("{}: {e}", sum_path.display()))?;

    println!("{}", zip_path.display());
    println!("  sha256     {sha256}");
    println!("  zip        {} bytes", bytes.len());
    println!("  bootstrap  {binary_size} bytes, {}", bootstrap.display());
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
        let Task::Trigger(args) = Cli::try_parse_from(["xtask", "trigger"]).unwrap().task;
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
        .task;
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
