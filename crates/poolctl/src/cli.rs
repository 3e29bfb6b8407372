//! The command line: every command, flag and its help text. Parsing only.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use template::Architecture;

/// Amazon Cognito user pools as code, with email verification done right.
#[derive(Debug, Parser)]
#[command(name = "poolctl", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts. AWS_ENDPOINT_URL is honoured for local emulators.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// AWS region (default: the standard chain, AWS_REGION or the profile's region).
    #[arg(long, global = true, env = "AWS_REGION")]
    pub region: Option<String>,

    /// AWS shared-config profile.
    #[arg(long, global = true, env = "AWS_PROFILE")]
    pub profile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate pool specs; print warnings for email_verified pitfalls. Exit 1 on any error.
    Check(CheckArgs),
    /// Render pool specs to CloudFormation templates.
    Render(RenderArgs),
    /// Print the JSON Schema of the pool spec.
    Schema,
    /// Deploy a pool spec through a change set.
    Deploy(DeployArgs),
    /// Show what a deploy would change, without changing anything.
    Diff(DiffArgs),
    /// Delete a pool's stack.
    Destroy(DestroyArgs),
    /// Print a deployed stack's outputs.
    Outputs(OutputsArgs),
    /// Short-lived review pools, one per pull request.
    #[command(subcommand)]
    Review(ReviewCommand),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Pool spec files.
    #[arg(required = true)]
    pub specs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Yaml,
    Json,
    Both,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Pool spec files.
    #[arg(required = true)]
    pub specs: Vec<PathBuf>,
    /// Directory for `<pool>.yaml` / `<pool>.json`.
    #[arg(long, default_value = "templates")]
    pub out_dir: PathBuf,
    /// Which formats to write.
    #[arg(long, value_enum, default_value_t = TemplateFormat::Both)]
    pub format: TemplateFormat,
    /// Print to stdout instead of writing files (YAML unless --format json).
    #[arg(long)]
    pub stdout: bool,
}

/// `--arch`: Lambda's names, from the one list of supported architectures.
fn architecture() -> impl TypedValueParser<Value = Architecture> {
    PossibleValuesParser::new(Architecture::ALL.map(Architecture::as_str))
        .try_map(|name| name.parse::<Architecture>())
}

/// `--param KEY=VALUE`.
fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("{text:?}: expected KEY=VALUE")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// What deploy-like commands share.
#[derive(Debug, Args)]
pub struct StackArgs {
    /// Stack name (default: poolctl-<pool name>).
    #[arg(long)]
    pub stack: Option<String>,
    /// Template parameter override, KEY=VALUE (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = key_value)]
    pub params: Vec<(String, String)>,
    #[command(flatten)]
    pub artifact: ArtifactArgs,
}

/// Where the PreSignUp trigger's zip comes from and goes to.
#[derive(Debug, Args)]
pub struct ArtifactArgs {
    /// S3 bucket for the trigger artifact (default: poolctl-artifacts-<account>-<region>,
    /// created on first use).
    #[arg(long)]
    pub artifact_bucket: Option<String>,
    /// The trigger zip, needed when the spec has the PreSignUp trigger (build it with
    /// `cargo xtask trigger ARCH` or `just trigger ARCH`).
    #[arg(long)]
    pub trigger_zip: Option<PathBuf>,
    /// Architecture of the trigger function: arm64 (Graviton, the default on AWS) or x86_64
    /// (local emulators on x86_64 machines).
    #[arg(long, default_value_t = Architecture::DEFAULT, value_parser = architecture())]
    pub arch: Architecture,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The pool spec.
    pub spec: PathBuf,
    #[command(flatten)]
    pub stack: StackArgs,
    /// Allow a change that replaces or removes the user pool (every user in it is lost), or
    /// that drops its deletion protection or retain policy.
    #[arg(long)]
    pub allow_pool_replacement: bool,
    /// Do not ask for confirmation (for CI).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Result format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Write the stack outputs as JSON to this file.
    #[arg(long)]
    pub outputs_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The pool spec.
    pub spec: PathBuf,
    #[command(flatten)]
    pub stack: StackArgs,
    /// Exit 1 when there are changes.
    #[arg(long)]
    pub fail: bool,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// Stack name.
    #[arg(long)]
    pub stack: String,
    /// Do not ask for confirmation (for CI).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct OutputsArgs {
    /// Stack name.
    #[arg(long)]
    pub stack: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Deploy SPEC as the review pool for ID (a pull request number or branch).
    Up(ReviewUpArgs),
    /// Delete the review pool for ID; absent is success.
    Down(ReviewDownArgs),
    /// Delete review pools past their expiry.
    Gc(ReviewGcArgs),
    /// List review pools.
    Ls(ReviewLsArgs),
}

#[derive(Debug, Args)]
pub struct ReviewUpArgs {
    /// The pool spec.
    pub spec: PathBuf,
    /// Review id, e.g. the pull request number.
    #[arg(long)]
    pub id: String,
    /// Time to live, e.g. 72h, 3d, 30m.
    #[arg(long, default_value = "3d")]
    pub ttl: String,
    #[command(flatten)]
    pub artifact: ArtifactArgs,
    /// Result format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Write the outputs as JSON to this file.
    #[arg(long)]
    pub outputs_file: Option<PathBuf>,
    /// The current time for expiry, RFC 3339 (for tests and rehearsals; default: the clock).
    #[arg(long, env = "POOLCTL_NOW", hide = true)]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReviewDownArgs {
    /// Review id.
    #[arg(long)]
    pub id: String,
    /// Pool name (spec `name`) the review pool was made from.
    #[arg(long)]
    pub pool: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReviewGcArgs {
    /// Only report what would be deleted.
    #[arg(long)]
    pub dry_run: bool,
    /// How many deletions run at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,
    /// The current time for expiry, RFC 3339 (for tests and rehearsals; default: the clock).
    #[arg(long, env = "POOLCTL_NOW", hide = true)]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReviewLsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// The current time for expiry, RFC 3339 (for tests and rehearsals; default: the clock).
    #[arg(long, env = "POOLCTL_NOW", hide = true)]
    pub now: Option<String>,
}
