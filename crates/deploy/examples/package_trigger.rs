//! Builds the PreSignUp trigger for one architecture and writes its deterministic zip.
//!
//! `cargo run -p deploy --example package_trigger -- [arm64|x86_64] [--out-dir DIR]
//! [--target-dir DIR]` (what `just trigger` runs; `--target-dir` builds the bootstrap in
//! another cargo target directory, for the reproducibility check). Writes `DIR/pre-sign-up-<arch>.zip` and a `.sha256` beside it
//! in `sha256sum` format, then prints the sha256, the sizes and the bootstrap's path.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use deploy::artifact::{build_bootstrap_in, Arch, TriggerArtifact};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("package_trigger: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut arch = Arch::Arm64;
    let mut out_dir = PathBuf::from("dist");
    let mut target_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out-dir" => out_dir = args.next().ok_or("--out-dir needs a directory")?.into(),
            "--target-dir" => {
                let dir = args.next().ok_or("--target-dir needs a directory")?;
                let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
                target_dir = Some(cwd.join(dir));
            }
            other => arch = other.parse().map_err(|e| format!("{e}"))?,
        }
    }
    let workspace_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let workspace_root = workspace_root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", workspace_root.display()))?;

    let bootstrap = build_bootstrap_in(&workspace_root, arch, target_dir.as_deref())
        .map_err(|e| e.to_string())?;
    let artifact = TriggerArtifact::from_bootstrap(&bootstrap, arch).map_err(|e| e.to_string())?;
    let binary_size = std::fs::metadata(&bootstrap)
        .map_err(|e| e.to_string())?
        .len();

    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let zip_path = out_dir.join(artifact.file_name());
    std::fs::write(&zip_path, &artifact.bytes)
        .map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let sum_path = out_dir.join(format!("{}.sha256", artifact.file_name()));
    std::fs::write(
        &sum_path,
        format!("{}  {}\n", artifact.sha256, artifact.file_name()),
    )
    .map_err(|e| format!("{}: {e}", sum_path.display()))?;

    println!("{}", zip_path.display());
    println!("  sha256     {}", artifact.sha256);
    println!("  zip        {} bytes", artifact.bytes.len());
    println!("  bootstrap  {binary_size} bytes, {}", bootstrap.display());
    Ok(())
}
