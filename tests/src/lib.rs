//! Test harness shared by the end-to-end tests, which drive the real binaries as a user would.
//!
//! - [`emulator`]: [`Emulator::start`](emulator::Emulator::start) runs a private ministack
//!   (the local AWS, see TESTBED.md) on a free loopback port; every emulator has its own port,
//!   state and temp directories, so test binaries and tests may each start their own at once.
//! - [`cli`]: [`poolctl`](cli::poolctl) gives a `Command` for the real poolctl binary pointed
//!   at an emulator; [`run_poolctl`](cli::run_poolctl) and [`expect_code`](cli::expect_code)
//!   run it and check its exit code, with stdout and stderr in the failure message.
//! - [`aws`]: SDK clients against an emulator, stack and app-client lookups, sign-ups.
//! - [`faultproxy`]: a proxy in front of the emulator that injects throttling, errors,
//!   resets, truncated bodies, latency and request-rate quotas;
//!   [`Emulator::start_with`](emulator::Emulator::start_with) puts one in front of a new
//!   emulator, so that everything aimed at it goes through the proxy.
//! - [`iam`]: least-privilege policies (infra/iam) evaluated against the calls the proxy saw
//!   a command make.
//! - [`matrix`]: the fault matrix's cases: a deployed pool behind its own proxy, and the
//!   check that nothing was lost.
//! - Here: paths in the repository, unique names, and scratch files (spec variants).

// Test code: the e2e harness may print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod aws;
pub mod cli;
pub mod emulator;
pub mod faultproxy;
pub mod iam;
pub mod matrix;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Cargo's target directory (honours CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                repo_root().join(dir)
            }
        }
        None => repo_root().join("target"),
    }
}

/// A name unique to this process and call, for stacks and pools that tests create, so tests
/// sharing one emulator never collide. Starts with a letter, as stack names must.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A new empty directory under `target/e2e/scratch/` for files a test writes (specs, outputs,
/// rendered templates). Left in place after the test, for post-mortems.
pub fn scratch_dir(label: &str) -> PathBuf {
    let dir = target_dir()
        .join("e2e")
        .join("scratch")
        .join(unique_name(label));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("create scratch dir {}: {e}", dir.display()));
    dir
}

/// Writes `contents` to `dir/name` and returns the path.
pub fn write_file(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

/// A copy of the spec at `source` (relative to the repository root) with text replaced, each
/// `(from, to)` once, written as `file_name` in a new scratch directory. Panics if the spec no
/// longer contains a `from`, so an edit can never silently do nothing.
pub fn spec_variant(source: &str, file_name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(repo_root().join(source))
        .unwrap_or_else(|e| panic!("read {source}: {e}"));
    for (from, to) in edits {
        assert!(text.contains(from), "{source} no longer contains {from:?}");
        text = text.replacen(from, to, 1);
    }
    write_file(&scratch_dir("spec"), file_name, &text)
}
