//! The command line: every command, flag and its help text. Parsing only.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use template::Architecture;

/// Amazon Cognito user pools as code, with email verification done right.
#[derive(Debug, Parser)]
#[command(name = "poolctl", about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts. AWS_ENDPOINT_URL is honoured for local emulators.
#[derive(Debug, Clone, Args)]
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
    /// Write the spec of an existing pool. Exit 3 when the pool has settings the spec cannot
    /// express (the file is still written, listing them), unless --allow-partial.
    Import(ImportArgs),
    /// Bring an existing pool under a new stack with an IMPORT change set; no user is touched.
    Adopt(AdoptArgs),
    /// Stuck users: find users with email_verified false, verify them, create users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// What each way into the pool does to email_verified; --prove checks it on the deployed
    /// stack (exit 6 on a mismatch).
    Explain(ExplainArgs),
    /// The PreSignUp trigger zips built into this poolctl.
    #[command(subcommand)]
    Trigger(TriggerCommand),
    /// Print a shell completion script (e.g. `poolctl completions bash > /etc/bash_completion.d/poolctl`).
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `poolctl man > poolctl.1`.
    Man,
}

#[derive(Debug, Subcommand)]
pub enum TriggerCommand {
    /// Write the embedded trigger zip for an architecture to a file and print its sha256 (the
    /// digest that names it in the artifact bucket).
    Export(TriggerExportArgs),
}

#[derive(Debug, Args)]
pub struct TriggerExportArgs {
    /// Architecture of the zip.
    #[arg(long, value_parser = architecture())]
    pub arch: Architecture,
    /// The file to write.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The user pool id, e.g. us-east-1_AbCdEf123.
    #[arg(long)]
    pub user_pool_id: String,
    /// Where to write the spec (default: infra/pools/<name>.yaml). An existing file is never
    /// overwritten.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Exit 0 even when some live settings cannot be expressed in the spec (they are listed).
    #[arg(long)]
    pub allow_partial: bool,
}

#[derive(Debug, Args)]
pub struct AdoptArgs {
    /// The pool spec the stack will hold (usually `poolctl import`'s output, edited).
    pub spec: PathBuf,
    /// The user pool id, e.g. us-east-1_AbCdEf123.
    #[arg(long)]
    pub user_pool_id: String,
    /// Stack name (default: poolctl-<pool name>). It must not exist yet.
    #[arg(long)]
    pub stack: Option<String>,
    /// Adopt even when some live settings cannot be expressed in the spec; the first deploy
    /// then changes or resets them.
    #[arg(long)]
    pub allow_partial: bool,
    /// Do not ask before executing the import (for CI).
    #[arg(long, short = 'y')]
    pub yes: bool,
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
    /// Render this spec environment (its overrides over the base) to `<pool>-<env>.*`.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
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

/// The result of a command that also has a markdown summary (the one it appends to
/// GITHUB_STEP_SUMMARY), for CI systems without that file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
}

/// As [`ReportFormat`], for commands with no JSON result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Markdown,
}

/// What deploy-like commands share.
#[derive(Debug, Clone, Args)]
pub struct StackArgs {
    /// The spec environment to work in (required when the spec declares environments): its
    /// account, region, role and overrides. `deploy` and `diff` also take several: `all`,
    /// `dev,stage` or a glob such as `eu-*`.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Stack name (default: poolctl-<pool name>, or poolctl-<pool name>-<env>).
    #[arg(long)]
    pub stack: Option<String>,
    /// Template parameter override, KEY=VALUE (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = key_value)]
    pub params: Vec<(String, String)>,
    #[command(flatten)]
    pub artifact: ArtifactArgs,
}

/// Where the PreSignUp trigger's zip comes from and goes to.
#[derive(Debug, Clone, Args)]
pub struct ArtifactArgs {
    /// S3 bucket for the trigger artifact (default: poolctl-artifacts-<account>-<region>,
    /// created on first use).
    #[arg(long)]
    pub artifact_bucket: Option<String>,
    /// The trigger zip, instead of the one built into poolctl for --arch (a development build
    /// has none: build it with `just trigger ARCH` or `cargo xtask trigger ARCH`).
    #[arg(long)]
    pub trigger_zip: Option<PathBuf>,
    /// Architecture of the trigger function: arm64 (Graviton, the default on AWS) or x86_64
    /// (local emulators on x86_64 machines).
    #[arg(long, default_value_t = Architecture::DEFAULT, value_parser = architecture())]
    pub arch: Architecture,
}

#[derive(Debug, Clone, Args)]
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
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
    /// Write the stack outputs as JSON to this file.
    #[arg(long)]
    pub outputs_file: Option<PathBuf>,
    #[command(flatten)]
    pub several: SeveralArgs,
}

/// How a command runs over several environments (`--env all|dev,stage|eu-*`).
#[derive(Debug, Clone, Args)]
pub struct SeveralArgs {
    /// With several environments: how many run at once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_parallel: u16,
    /// With several environments: how many may fail before the ones not yet started are
    /// skipped.
    #[arg(long, default_value_t = 0)]
    pub failure_tolerance: u16,
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The pool spec.
    pub spec: PathBuf,
    #[command(flatten)]
    pub stack: StackArgs,
    /// Exit 1 when there are changes.
    #[arg(long)]
    pub fail: bool,
    /// Result format (json: the changes, and with several environments where they differ).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
    #[command(flatten)]
    pub several: SeveralArgs,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub target: StackTarget,
    /// Do not ask for confirmation (for CI; required with several environments).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Result format (with several environments).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
    #[command(flatten)]
    pub several: SeveralArgs,
}

#[derive(Debug, Args)]
pub struct OutputsArgs {
    #[command(flatten)]
    pub target: StackTarget,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    #[command(flatten)]
    pub several: SeveralArgs,
}

/// A deployed stack: named, or the default stack of a spec (in an environment).
#[derive(Debug, Args)]
pub struct StackTarget {
    /// Stack name.
    #[arg(long, required_unless_present = "spec")]
    pub stack: Option<String>,
    /// The pool spec whose stack this is (default stack poolctl-<pool name>[-<env>]); a spec
    /// that declares environments needs --env, and the account guard applies.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The spec environment (with --spec), or several: `all`, `dev,stage`, `eu-*`.
    #[arg(long, value_name = "NAME", requires = "spec")]
    pub env: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The pool spec. Without it, `--stack`'s pool is explained as deployed: the live pool
    /// and, from the stack's template, poolctl's PreSignUp policy.
    pub spec: Option<PathBuf>,
    /// The spec environment (required with --stack or --prove when the spec declares
    /// environments). With --prove also several: `all`, `dev,stage` or a glob such as `eu-*`.
    #[arg(long, value_name = "NAME", requires = "spec")]
    pub env: Option<String>,
    /// The stack the pool is deployed as (default with SPEC and --prove: poolctl-<pool name>).
    #[arg(long)]
    pub stack: Option<String>,
    /// Explain a live pool that no poolctl stack holds, as it is (its own PreSignUp function,
    /// if any, is opaque to explain).
    #[arg(long, conflicts_with_all = ["spec", "stack", "prove"])]
    pub user_pool_id: Option<String>,
    /// Perform the scenarios the pool can be driven through (sign-ups, AdminCreateUser, SAML
    /// sign-in on a local emulator) against the stack, compare email_verified with the
    /// prediction, and delete the users made. Exit 6 on any mismatch.
    #[arg(long)]
    pub prove: bool,
    /// Result format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
    #[command(flatten)]
    pub several: SeveralArgs,
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
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
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
    /// Result format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub output: SummaryFormat,
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

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Scan every user of a pool and classify them. Exit 5 when users are stranded (stuck,
    /// duplicate_email or federated_unverified).
    Audit(UsersAuditArgs),
    /// Set email_verified=true for chosen users, each re-checked just before, journaled.
    Verify(UsersVerifyArgs),
    /// Create users from a CSV or JSON Lines file (AdminCreateUser), journaled.
    Create(UsersCreateArgs),
}

/// Which pool, and in which spec environment.
#[derive(Debug, Args)]
pub struct PoolArgs {
    #[command(flatten)]
    pub source: PoolSource,
    /// The spec environment (with --spec). `users audit` also takes several: `all`,
    /// `dev,stage` or a glob such as `eu-*`.
    #[arg(long, value_name = "NAME", requires = "spec")]
    pub env: Option<String>,
}

/// Which pool: a poolctl stack, a spec's default stack, or a pool id.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PoolSource {
    /// The poolctl stack whose pool to use (its UserPoolId output).
    #[arg(long)]
    pub stack: Option<String>,
    /// The pool spec whose default stack holds the pool (poolctl-<pool name>[-<env>]); a spec
    /// that declares environments needs --env, and the account guard applies.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The user pool id, e.g. us-east-1_AbCdEf123.
    #[arg(long)]
    pub user_pool_id: Option<String>,
}

/// `--rate`: requests a second, 0 for no limit.
fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate >= 0.0 && rate.is_finite() => Ok(rate),
        _ => Err(format!(
            "{text:?}: expected requests a second (0 = no limit)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct UsersAuditArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// ListUsers requests a second (Cognito's UserList quota is 30, shared by the account
    /// and region); 0 = no client-side limit.
    #[arg(long, default_value_t = users::cognito::quota::USER_LIST, value_parser = rate)]
    pub rate: f64,
    /// Unconfirmed sign-ups older than this many days are reported.
    #[arg(long, default_value_t = 7)]
    pub unconfirmed_days: u32,
    /// Scans at once, instead of measuring: 16 (by the first hex digit of `sub`; what a
    /// distant service needs to reach the quota) or 1 (one unfiltered scan; faster where a
    /// page is cheap but a filtered page is not, as on the local emulator). Left out, the
    /// audit times the first pages and picks.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["1", "16"]).map(|v| v.parse::<u8>().unwrap_or(16)))]
    pub partitions: Option<u8>,
    /// Write every user that is not ok as JSON Lines to this file (the input of `users
    /// verify --from`); with several environments one file each, the environment's name
    /// inserted before the extension (audit.jsonl: audit-dev.jsonl).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Result format on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    #[command(flatten)]
    pub several: SeveralArgs,
}

#[derive(Debug, Args)]
pub struct UsersVerifyArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// The users to verify: an audit's JSON Lines (`users audit --out`).
    #[arg(long, conflicts_with = "class")]
    pub from: Option<PathBuf>,
    /// Or audit the pool now and verify the users of this class (stuck or duplicate_email).
    #[arg(long, required_unless_present = "from")]
    pub class: Option<users::Class>,
    /// Only users whose email is at this domain (repeatable).
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<String>,
    /// Only users created before this time (RFC 3339, e.g. 2026-01-31T00:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub created_before: Option<String>,
    /// Verify users whose address another user holds verified: the alias moves to them and
    /// the other user becomes unverified.
    #[arg(long)]
    pub move_alias: bool,
    /// Check every user and report what would be done, changing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (for CI).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The journal that makes a stopped run resumable (default: poolctl-verify-<pool id>.journal).
    #[arg(long)]
    pub journal: Option<PathBuf>,
    /// AdminUpdateUserAttributes requests a second (the UserUpdate quota is 25); 0 = no limit.
    #[arg(long, default_value_t = users::cognito::quota::USER_UPDATE, value_parser = rate)]
    pub rate: f64,
    /// Result format on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Args)]
pub struct UsersCreateArgs {
    #[command(flatten)]
    pub pool: PoolArgs,
    /// The users: a .csv file with a header row, or JSON Lines (columns: username, email and
    /// optional standard attributes).
    #[arg(long)]
    pub from: PathBuf,
    /// Create the users with email_verified=true (the address is known to be theirs).
    #[arg(long)]
    pub verified_email: bool,
    /// Email each user an invitation with a temporary password (the default).
    #[arg(long, conflicts_with = "suppress")]
    pub invite: bool,
    /// Send no invitation (MessageAction SUPPRESS).
    #[arg(long)]
    pub suppress: bool,
    /// The journal that makes a stopped run resumable (default: <file>.journal).
    #[arg(long)]
    pub journal: Option<PathBuf>,
    /// AdminCreateUser requests a second (the UserCreation quota is 50); 0 = no limit.
    #[arg(long, default_value_t = users::cognito::quota::USER_CREATION, value_parser = rate)]
    pub rate: f64,
    /// Result format on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}
