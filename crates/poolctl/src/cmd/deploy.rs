//! `poolctl deploy SPEC`: render, upload the trigger, change set, guard, confirm, execute,
//! watch, outputs. Human progress goes to stderr; results (outputs, `--output json`) to stdout.
//! The helpers here are shared by `diff` and `destroy`.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use deploy::artifact;
use deploy::{
    ApplyOutcome, Aws, AwsOptions, DeployError, DeployReport, DeployRequest, Deployer, Prepared,
    Progress, ResourceChange, StackEvent, Watch,
};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{Architecture, DeployArgs, GlobalArgs, OutputFormat, StackArgs};
use crate::exit::Failure;

/// The prefix of trigger artifacts in the bucket.
pub(crate) const ARTIFACT_PREFIX: &str = "pre-sign-up";

/// Exit code after Ctrl-C (128 + SIGINT), as shells report it.
const INTERRUPTED: u8 = 130;

pub async fn run(global: &GlobalArgs, args: &DeployArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let spec = load_spec(&args.spec)?;
    let stack_name = stack_name(&args.stack, &spec)?;
    let aws = load_aws(global).await?;
    let deployer = Deployer::new(aws);
    let json = args.output == OutputFormat::Json;

    let request = build_request(
        &deployer,
        &args.stack,
        spec,
        &stack_name,
        args.allow_pool_replacement,
        true,
    )
    .await?;
    let printer = EventPrinter::new();
    let resume = format!(
        "poolctl deploy {} --stack {stack_name}",
        args.spec.display()
    );

    let mut progress = |p: Progress| printer.progress(p);
    let prepared = tokio::select! {
        prepared = deployer.prepare(&request, &mut progress) => prepared,
        _ = tokio::signal::ctrl_c() => return Err(interrupted(&printer, &resume)),
    };
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            printer.finish();
            return Err(report_error(json, &stack_name, &[], error));
        }
    };
    let (changes, watch) = match prepared {
        Prepared::Done(outcome) => {
            printer.finish();
            return finish_ok(args, &outcome, &[], started);
        }
        Prepared::Plan(plan) => {
            printer.suspend(|| {
                eprintln!(
                    "Change set for stack {} ({}):",
                    plan.stack_name, plan.change_set_type
                );
                eprint!("{}", deploy::changes::render_text(&plan.changes));
            });
            let changes = plan.changes.clone();
            let touches_existing = changes
                .iter()
                .any(|c| c.action != deploy::changes::Action::Add);
            if touches_existing && !args.yes {
                let decision = printer.suspend(|| ask("Execute this change set?"));
                match decision {
                    Ok(true) => {}
                    Ok(false) | Err(_) => {
                        plan.discard()
                            .await
                            .map_err(|e| Failure::error(anyhow!(e)))?;
                        printer.finish();
                        let reason = match decision {
                            Ok(_) => {
                                "not confirmed; the change set was deleted and nothing changed"
                                    .to_owned()
                            }
                            Err(e) => {
                                format!("{e}; the change set was deleted and nothing changed")
                            }
                        };
                        return Err(Failure::error(anyhow!(reason)));
                    }
                }
            }
            let watch = plan
                .execute()
                .await
                .map_err(|e| report_error(json, &stack_name, &changes, e))?;
            (changes, watch)
        }
    };
    match follow(watch, &printer, &resume).await? {
        Ok(outcome) => finish_ok(args, &outcome, &changes, started),
        Err(error) => Err(report_error(json, &stack_name, &changes, error)),
    }
}

/// Streams a watch's events until it ends; Ctrl-C stops watching (exit 130), never the
/// operation.
pub(crate) async fn follow<T>(
    mut watch: Watch<T>,
    printer: &EventPrinter,
    resume: &str,
) -> Result<Result<T, DeployError>, Failure> {
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            event = watch.next_event() => match event {
                Some(event) => printer.event(&event),
                None => break,
            },
            _ = &mut ctrl_c => return Err(interrupted(printer, resume)),
        }
    }
    printer.finish();
    Ok(watch.finish().await)
}

fn interrupted(printer: &EventPrinter, resume: &str) -> Failure {
    printer.finish();
    eprintln!(
        "Stopped watching; the stack operation continues in CloudFormation. Resume with: {resume} \
         (it waits for the operation in progress)"
    );
    Failure::silent(INTERRUPTED)
}

fn finish_ok(
    args: &DeployArgs,
    outcome: &ApplyOutcome,
    changes: &[ResourceChange],
    started: Instant,
) -> Result<(), Failure> {
    let stack = outcome.stack();
    if let Some(path) = &args.outputs_file {
        write_outputs_file(path, &stack.outputs)?;
    }
    if args.output == OutputFormat::Json {
        let report = DeployReport {
            stack: &stack.stack_name,
            status: Some(&stack.status),
            action: outcome.action(),
            changes,
            outputs: stack.outputs.clone(),
            failure: None,
            resource_errors: &stack.resource_errors,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| Failure::error(anyhow!(e)))?
        );
        return Ok(());
    }
    let elapsed = seconds(started.elapsed());
    let line = match outcome {
        ApplyOutcome::Created(_) => format!("Stack {} created ({}) in {elapsed}.", stack.stack_name, stack.status),
        ApplyOutcome::Updated(_) => format!("Stack {} updated ({}) in {elapsed}.", stack.stack_name, stack.status),
        ApplyOutcome::NoChanges(_) => format!(
            "Stack {} unchanged: CloudFormation found no changes to make ({elapsed}).",
            stack.stack_name
        ),
        ApplyOutcome::Skipped(_) => format!(
            "Stack {} unchanged: template, parameters, tags and trigger artifact match the deployed \
             stack; no change set created ({elapsed}).",
            stack.stack_name
        ),
    };
    eprintln!("{line}");
    if !stack.resource_errors.is_empty() {
        eprintln!("warning: the stack succeeded, but these resources reported errors (clean them up by hand):");
        for error in &stack.resource_errors {
            eprintln!("  {error}");
        }
    }
    print_outputs(&stack.outputs);
    Ok(())
}

/// Outputs as aligned `Key  Value` lines on stdout.
pub(crate) fn print_outputs(outputs: &BTreeMap<String, String>) {
    let width = outputs.keys().map(String::len).max().unwrap_or(0);
    for (key, value) in outputs {
        println!("{key:<width$}  {value}");
    }
}

pub(crate) fn write_outputs_file(
    path: &Path,
    outputs: &BTreeMap<String, String>,
) -> Result<(), Failure> {
    let text =
        serde_json::to_string_pretty(outputs).map_err(|e| Failure::error(anyhow!(e)))? + "\n";
    std::fs::write(path, text)
        .with_context(|| format!("cannot write the outputs file {}", path.display()))
        .map_err(Failure::error)
}

/// The exit code for a driver error, and in JSON mode the machine-readable report.
pub(crate) fn report_error(
    json: bool,
    stack: &str,
    changes: &[ResourceChange],
    error: DeployError,
) -> Failure {
    if json {
        let (action, status, failure) = match &error {
            DeployError::Refused(refusal) => ("refused", None, serde_json::to_value(refusal).ok()),
            DeployError::StackFailed(failed) => (
                "failed",
                Some(failed.status.as_str()),
                Some(match &failed.cause {
                    Some(cause) => serde_json::to_value(cause).unwrap_or_default(),
                    None => {
                        serde_json::json!({ "logical_id": null, "type": null, "status": failed.status, "reason": null })
                    }
                }),
            ),
            other => (
                "failed",
                None,
                Some(serde_json::json!({ "reason": other.to_string() })),
            ),
        };
        let report = DeployReport {
            stack,
            status,
            action,
            changes,
            outputs: BTreeMap::new(),
            failure,
            resource_errors: &[],
        };
        if let Ok(text) = serde_json::to_string_pretty(&report) {
            println!("{text}");
        }
    }
    to_failure(error)
}

pub(crate) fn to_failure(error: DeployError) -> Failure {
    match error {
        DeployError::Refused(_) => Failure::refused(error),
        DeployError::StackFailed(_) => Failure::stack_failed(error),
        other => Failure::error(other),
    }
}

pub(crate) fn load_spec(path: &Path) -> Result<spec::PoolSpec, Failure> {
    match spec::load(path) {
        Ok(loaded) => {
            for warning in &loaded.warnings {
                eprintln!("{warning}");
            }
            Ok(loaded.spec)
        }
        Err(error) => {
            for diagnostic in &error.diagnostics {
                eprintln!("{diagnostic}");
            }
            Err(Failure::silent(1))
        }
    }
}

/// `--stack`, or `poolctl-<pool name>`; checked before any API call.
pub(crate) fn stack_name(args: &StackArgs, spec: &spec::PoolSpec) -> Result<String, Failure> {
    let name = args
        .stack
        .clone()
        .unwrap_or_else(|| format!("poolctl-{}", spec.name));
    deploy::check_stack_name(&name, spec.triggers.pre_sign_up.is_some())
        .map_err(|e| Failure::error(anyhow!(e)))?;
    Ok(name)
}

pub(crate) async fn load_aws(global: &GlobalArgs) -> Result<Aws, Failure> {
    let options = AwsOptions {
        profile: global.profile.clone(),
        region: global.region.clone(),
    };
    Aws::load(&options)
        .await
        .map_err(|e| Failure::error(anyhow!(e)))
}

pub(crate) fn arch(architecture: Architecture) -> template::Architecture {
    match architecture {
        Architecture::Arm64 => template::Architecture::Arm64,
        Architecture::X86_64 => template::Architecture::X86_64,
    }
}

/// `--param K=V` pairs.
fn parse_params(params: &[String]) -> Result<BTreeMap<String, String>, Failure> {
    params
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
            _ => Err(Failure::error(anyhow!(
                "--param {pair:?}: expected KEY=VALUE"
            ))),
        })
        .collect()
}

/// The request for `deploy` and `diff`: template, parameters, tags and (when the template has
/// a trigger) the artifact, uploaded when `upload` is set.
pub(crate) async fn build_request(
    deployer: &Deployer,
    args: &StackArgs,
    spec: spec::PoolSpec,
    stack_name: &str,
    allow_pool_replacement: bool,
    upload: bool,
) -> Result<DeployRequest, Failure> {
    let parameters = parse_params(&args.params)?;
    let mut tags: BTreeMap<String, String> = spec.tags.clone().into_iter().collect();
    tags.insert("poolctl:pool".into(), spec.name.clone());
    let renderer = deploy::spec_template(spec);
    let needs_artifact = renderer
        .render(None)
        .get("Parameters")
        .and_then(|p| p.get(template::PARAM_ARTIFACT_KEY))
        .is_some();
    let mut auto_parameters = BTreeMap::new();
    let arch = arch(args.artifact.arch);
    auto_parameters.insert(
        template::PARAM_TRIGGER_ARCHITECTURE.to_owned(),
        arch.as_str().to_owned(),
    );
    if needs_artifact {
        let bytes = trigger_zip(args.artifact.trigger_zip.as_deref(), arch)?;
        let key = artifact::object_key(ARTIFACT_PREFIX, &artifact::sha256_hex(&bytes));
        let bucket = args.artifact.artifact_bucket.as_deref();
        let location = if upload {
            deployer.aws.upload_artifact(bytes, &key, bucket).await
        } else {
            deployer.aws.artifact_location(&key, bucket).await
        }
        .map_err(|e| Failure::error(anyhow!(e)))?;
        if location.uploaded {
            eprintln!(
                "Uploaded the trigger to s3://{}/{}",
                location.bucket, location.key
            );
        }
        auto_parameters.insert(template::PARAM_ARTIFACT_BUCKET.to_owned(), location.bucket);
        auto_parameters.insert(template::PARAM_ARTIFACT_KEY.to_owned(), location.key);
    }
    Ok(DeployRequest {
        stack_name: stack_name.to_owned(),
        template: renderer,
        auto_parameters,
        parameters,
        tags,
        allow_pool_replacement,
    })
}

/// The trigger zip given by `--trigger-zip` (building it is a build task, not poolctl's).
pub(crate) fn trigger_zip(
    path: Option<&Path>,
    arch: template::Architecture,
) -> Result<Vec<u8>, Failure> {
    let path = path.ok_or_else(|| {
        Failure::error(anyhow!(
            "no trigger zip: pass --trigger-zip PATH (build one with `cargo xtask trigger {arch}` \
             or `just trigger {arch}`)"
        ))
    })?;
    std::fs::read(path)
        .with_context(|| format!("cannot read the trigger zip {}", path.display()))
        .map_err(Failure::error)
}

/// Asks a yes/no question on the terminal; an error when there is no terminal to ask on.
pub(crate) fn ask(question: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(anyhow!(
            "confirmation needed but there is no terminal to ask on; pass --yes"
        ));
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

pub(crate) fn seconds(elapsed: Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64())
}

/// Stack events for people: a spinner with the latest event above the printed lines on a
/// terminal, plain timestamped lines otherwise (CI logs).
pub(crate) struct EventPrinter {
    bar: Option<ProgressBar>,
}

impl EventPrinter {
    pub(crate) fn new() -> EventPrinter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar.set_message("working");
            bar
        });
        EventPrinter { bar }
    }

    pub(crate) fn progress(&self, progress: Progress) {
        match progress {
            Progress::Notice(text) => self.line(format!("note: {text}")),
            Progress::Event(event) => self.event(&event),
        }
    }

    pub(crate) fn event(&self, event: &StackEvent) {
        let mut line = format!(
            "{}  {:<30} {:<36} {}",
            event.timestamp, event.status, event.resource_type, event.logical_id
        );
        if let Some(reason) = &event.reason {
            line.push_str("  ");
            line.push_str(reason);
        }
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{} {}", event.logical_id, event.status));
        }
        self.line(line);
    }

    fn line(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Runs `f` with the spinner hidden (for prompts and summaries).
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
