//! `poolctl`: the thin binary. It parses arguments, wires the library crates together and
//! hands results to `ui`, which alone prints; the logic lives in the library crates.

mod cli;
mod cmd;
mod exit;
mod inputs;
mod several;
mod trigger_zips;
// Every line a person sees is printed from `ui`, so the workspace's print lints (denied by
// `just clippy`) are allowed here and nowhere else: a print in `cmd/` fails the lint. Writing
// to the stdout/stderr handles is a disallowed method (clippy.toml) for the same reason.
#[allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)]
mod ui;

use std::io::IsTerminal;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command, ReviewCommand, TriggerCommand, UsersCommand};
use crate::exit::Failure;

fn main() -> std::process::ExitCode {
    quiet_on_closed_stdout();
    // The version names the commit and the embedded triggers, known only once built.
    let version: &'static str = Box::leak(trigger_zips::version_text().into_boxed_str());
    let parsed = Cli::command()
        .version(version)
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; a bad flag is exit 1, like any bad input
            // (the exit codes of docs/cli.md), rather than clap's own 2.
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return std::process::ExitCode::from(code);
        }
    };
    init_logging();
    let result = match cli.command {
        Command::Check(args) => cmd::check::run(&args),
        Command::Render(args) => cmd::render::run(&args),
        Command::Schema => cmd::schema::run(),
        Command::Deploy(args) => block_on(cmd::deploy::run(&cli.global, &args)),
        Command::Diff(args) => block_on(cmd::diff::run(&cli.global, &args)),
        Command::Destroy(args) => block_on(cmd::destroy::run(&cli.global, &args)),
        Command::Outputs(args) => block_on(cmd::outputs::run(&cli.global, &args)),
        Command::Review(ReviewCommand::Up(args)) => block_on(cmd::review::up(&cli.global, &args)),
        Command::Review(ReviewCommand::Down(args)) => {
            block_on(cmd::review::down(&cli.global, &args))
        }
        Command::Review(ReviewCommand::Gc(args)) => block_on(cmd::review::gc(&cli.global, &args)),
        Command::Review(ReviewCommand::Ls(args)) => block_on(cmd::review::ls(&cli.global, &args)),
        Command::Import(args) => block_on(cmd::import::run(&cli.global, &args)),
        Command::Adopt(args) => block_on(cmd::adopt::run(&cli.global, &args)),
        Command::Users(UsersCommand::Audit(args)) => {
            block_on(cmd::users::audit(&cli.global, &args))
        }
        Command::Users(UsersCommand::Verify(args)) => {
            block_on(cmd::users::verify(&cli.global, &args))
        }
        Command::Users(UsersCommand::Create(args)) => {
            block_on(cmd::users::create(&cli.global, &args))
        }
        Command::Explain(args) => block_on(cmd::explain::run(&cli.global, &args)),
        Command::Trigger(TriggerCommand::Export(args)) => cmd::trigger::export(&args),
        Command::Completions(args) => cmd::shell::completions(&args),
        Command::Man => cmd::shell::man(),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => ui::report(failure),
    }
}

fn block_on<F: std::future::Future<Output = Result<(), Failure>>>(
    future: F,
) -> Result<(), Failure> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(future),
        Err(e) => Err(Failure::error(anyhow::anyhow!(
            "cannot start the async runtime: {e}"
        ))),
    }
}

/// Diagnostics go to stderr, filtered by `POOLCTL_LOG` (e.g. `POOLCTL_LOG=debug`); results go
/// to stdout so that `--output json` stays machine-readable.
// The log's writer is stderr itself: logs are not printed lines of `ui`.
#[allow(clippy::disallowed_methods)]
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("POOLCTL_LOG")
        // Without IMDS (a laptop, a CI runner) the SDK warns on every region lookup before
        // poolctl reports the missing region itself, in words that say what to set.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,aws_config::imds=error"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}

/// `poolctl ... | head`: once the reader goes away, `println!` panics on the broken pipe (Rust
/// ignores SIGPIPE). End quietly instead, with the status a shell gives a process killed by
/// SIGPIPE (128 + 13), as other command-line tools do; every other panic is reported as usual.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
