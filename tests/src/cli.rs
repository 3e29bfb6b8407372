//! Running the real poolctl binary as a user or a CI job would, and checking what it did: its
//! exit code, stdout and stderr.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::emulator::{self, Emulator, UNSET_VARS};
use crate::{repo_root, target_dir};

/// The built poolctl binary: `POOLCTL_BIN`, or `target/debug/poolctl`.
pub fn poolctl_bin() -> PathBuf {
    let path = std::env::var_os("POOLCTL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join("poolctl"));
    assert!(
        path.is_file(),
        "poolctl binary not found at {}: build it first with `cargo build -p poolctl` \
         (`just test` does), or set POOLCTL_BIN",
        path.display()
    );
    path
}

/// The x86_64 PreSignUp trigger zip: `POOLCTL_TRIGGER_ZIP`, or `dist/pre-sign-up-x86_64.zip`.
/// x86_64 because the emulator runs the function's bootstrap on this machine.
pub fn trigger_zip_x86_64() -> PathBuf {
    let path = std::env::var_os("POOLCTL_TRIGGER_ZIP")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist").join("pre-sign-up-x86_64.zip"));
    assert!(
        path.is_file(),
        "trigger zip not found at {}: build it first with `just trigger x86_64` \
         (`just test` does), or set POOLCTL_TRIGGER_ZIP",
        path.display()
    );
    path
}

/// `COMMAND SPEC --stack STACK --arch x86_64 --trigger-zip ZIP`: a deploy-like command
/// (`deploy`, `diff`) of a spec on the emulator, which runs the x86_64 bootstrap.
pub fn spec_command(command: &str, spec: &Path, stack: &str) -> Vec<String> {
    let zip = trigger_zip_x86_64();
    [
        command,
        &spec.to_string_lossy(),
        "--stack",
        stack,
        "--arch",
        "x86_64",
        "--trigger-zip",
        &zip.to_string_lossy(),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `Command` for the real poolctl binary, aimed at `emulator`, run from the repository root.
pub fn poolctl(emulator: &Emulator) -> Command {
    let mut command = poolctl_offline();
    command.envs(emulator.env());
    command
}

/// `Command` for the real poolctl binary run from the repository root as a CI job would (no
/// terminal, no stdin), with no AWS endpoint or credentials: for commands that need no AWS,
/// and for checking what happens before any AWS call.
pub fn poolctl_offline() -> Command {
    let mut command = Command::new(poolctl_bin());
    for var in UNSET_VARS.iter().chain(&[
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        // A test run inside GitHub Actions must not write to the job's own summary and outputs.
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
    ]) {
        command.env_remove(var);
    }
    command
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .current_dir(repo_root())
        .stdin(Stdio::null());
    command
}

/// What a finished poolctl process did.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The log of the emulator it ran against, for failure messages.
    emulator_log: Option<PathBuf>,
}

impl Run {
    /// Stdout parsed as JSON (for `--output json`); panics showing both streams if it is not.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `command` to completion, capturing stdout and stderr.
pub fn run(command: &mut Command) -> Run {
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {:?}: {e}", command.get_program()));
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        emulator_log: None,
    }
}

/// What a poolctl process started by hand (to kill or interrupt it) did, once it ended.
pub fn finished_on(emulator: &Emulator, child: std::process::Child) -> Run {
    let output = child.wait_with_output().expect("wait for poolctl");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        emulator_log: Some(emulator.log_path().to_path_buf()),
    }
}

/// Runs `command` (a [`poolctl`] aimed at `emulator`); a failed [`expect_code`] also shows
/// the end of the emulator's log.
pub fn run_on(emulator: &Emulator, command: &mut Command) -> Run {
    Run {
        emulator_log: Some(emulator.log_path().to_path_buf()),
        ..run(command)
    }
}

/// `poolctl ARGS` against `emulator`.
pub fn run_poolctl(emulator: &Emulator, args: &[&str]) -> Run {
    run_on(emulator, poolctl(emulator).args(args))
}

/// `poolctl ARGS` with no AWS environment (see [`poolctl_offline`]).
pub fn run_offline(args: &[&str]) -> Run {
    run(poolctl_offline().args(args))
}

/// Asserts that `run` exited with `code`; otherwise panics with `what`, both streams and, for
/// a run against an emulator, the end of its log. Returns `run` for chaining.
#[track_caller]
pub fn expect_code<'r>(run: &'r Run, code: i32, what: &str) -> &'r Run {
    if run.code != Some(code) {
        let emulator = run
            .emulator_log
            .as_deref()
            .map(|log| {
                format!(
                    "\nemulator log ({}):\n{}",
                    log.display(),
                    emulator::log_tail(log)
                )
            })
            .unwrap_or_default();
        panic!(
            "{what}: exit {:?} (expected {code})\nstdout:\n{}\nstderr:\n{}{emulator}",
            run.code, run.stdout, run.stderr
        );
    }
    run
}

/// Sends SIGINT to a poolctl spawned by a test, as Ctrl-C in its terminal would.
// kill(2) with a signal other than SIGKILL has no safe std equivalent.
#[allow(unsafe_code)]
pub fn interrupt(child: &Child) {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits pid_t");
    // SAFETY: kill(2) with SIGINT on a child process this test started and has not reaped.
    let sent = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(
        sent,
        0,
        "SIGINT to poolctl: {}",
        std::io::Error::last_os_error()
    );
}
