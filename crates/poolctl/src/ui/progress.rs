//! Live progress on stderr: a spinner with the latest event above the printed lines on a
//! terminal, plain timestamped lines otherwise (CI logs).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use deploy::events::DateTime;
use deploy::{DeployError, Progress, StackEvent, Watch};
use indicatif::{ProgressBar, ProgressStyle};

use crate::exit::Failure;

pub struct EventPrinter {
    bar: Option<ProgressBar>,
}

impl EventPrinter {
    pub fn new() -> EventPrinter {
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

    pub fn progress(&self, progress: Progress) {
        match progress {
            Progress::Event(event) => self.event(&event),
            other => self.line(progress_line(other)),
        }
    }

    pub fn event(&self, event: &StackEvent) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{} {}", event.logical_id, event.status.as_str()));
        }
        self.line(event_line(event));
    }

    fn line(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Runs `f` with the spinner hidden (for prompts and summaries).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// One environment's progress while several run at once: plain lines named by the
/// environment (one spinner cannot show several operations).
pub fn environment_progress(environment: &str, progress: Progress) {
    environment_line(environment, &progress_line(progress));
}

/// A line of one environment's progress, named by the environment.
pub fn environment_line(environment: &str, line: &str) {
    eprintln!("[{environment}] {line}");
}

/// A notice, an upload or a stack event, as one line.
fn progress_line(progress: Progress) -> String {
    match progress {
        Progress::Notice(text) => format!("note: {text}"),
        Progress::Uploaded(location) => format!(
            "Uploaded the trigger to s3://{}/{}",
            location.bucket, location.key
        ),
        Progress::Event(event) => event_line(&event),
    }
}

/// A stack event as one line: time, status, type, logical id and the reason, if any.
fn event_line(event: &StackEvent) -> String {
    let timestamp = event
        .timestamp
        .as_ref()
        .map(rfc3339_millis)
        .unwrap_or_default();
    let mut line = format!(
        "{timestamp}  {:<30} {:<36} {}",
        event.status.as_str(),
        event.resource_type,
        event.logical_id
    );
    if let Some(reason) = &event.reason {
        line.push_str("  ");
        line.push_str(reason);
    }
    line
}

/// Streams a watch's events until it ends; Ctrl-C stops watching (exit 130), never the
/// operation, and says how to pick it up again with `resume`.
pub async fn follow<T>(
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
    let outcome = watch.finish().await;
    if let Err(DeployError::LostTrack { .. }) = &outcome {
        eprintln!("Resume with: {resume} (it waits for the operation in progress)");
    }
    Ok(outcome)
}

/// Resolves on Ctrl-C, but only until `shown` is set (the change set is on the screen): a
/// prompt, and the start of the operation after it, are not interrupted; once the operation
/// runs, [`follow`] listens again.
pub async fn ctrl_c_until(shown: &AtomicBool) {
    let _ = tokio::signal::ctrl_c().await;
    if shown.load(Ordering::SeqCst) {
        std::future::pending::<()>().await;
    }
}

/// The exit after Ctrl-C while a stack operation runs on.
pub fn interrupted(printer: &EventPrinter, resume: &str) -> Failure {
    printer.finish();
    eprintln!(
        "Stopped watching; the stack operation continues in CloudFormation. Resume with: {resume} \
         (it waits for the operation in progress)"
    );
    Failure::interrupted()
}

/// RFC 3339 with exactly three fraction digits, so event lines stay aligned.
fn rfc3339_millis(time: &DateTime) -> String {
    use deploy::events::DateTimeFormat;
    let whole = DateTime::from_secs(time.secs())
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default();
    match whole.strip_suffix('Z') {
        Some(seconds) => format!("{seconds}.{:03}Z", time.subsec_nanos() / 1_000_000),
        None => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_have_three_fraction_digits() {
        assert_eq!(
            rfc3339_millis(&DateTime::from_millis(1_795_000_000_050)),
            "2026-11-18T11:06:40.050Z"
        );
        assert_eq!(
            rfc3339_millis(&DateTime::from_millis(1_795_000_000_000)),
            "2026-11-18T11:06:40.000Z"
        );
    }
}
