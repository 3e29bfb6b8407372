//! The fault-injection proxy by hand: `just emulator-faults` runs it in front of `just
//! emulator`. Prints the endpoint to use, then serves until killed.

// A command-line tool: its output is the point.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use e2e::faultproxy::plan::parse_fault;
use e2e::faultproxy::{FaultPlan, FaultProxy, Quotas, Rule, Settle};

const USAGE: &str = "\
usage: faultproxy --upstream URL [--listen 127.0.0.1:PORT] [--seed N] [--quota] [--log]
                  [--rule SERVICE:OPERATION:FAULT[:PROBABILITY]]...
                  [--throttle P] [--error500 P] [--error503 P] [--reset-before P]
                  [--reset-after P] [--truncate P] [--latency MS]
                  [--settle change-set=MS,stack=MS]

Sits between AWS SDK clients and the emulator at URL, on loopback, and injects faults.
  --rule      e.g. 'cognito-idp:List*:throttle:0.3' or 'cloudformation:*:reset-after';
              FAULT is throttle, 500, 503, reset-before, reset-after, truncate, expired-token
              or latency=MS;
              SERVICE and OPERATION are globs. The first rule that fires decides.
  --throttle P and the other shortcuts: that fault on any call, with probability P.
  --latency MS  delay every call by MS milliseconds.
  --settle    model CloudFormation's timing: a change set is ready MS after CreateChangeSet,
              an executed change set's stack operation ends MS after ExecuteChangeSet.
  --quota     enforce Cognito's default per-category request rates (and CloudFormation
              stand-ins), answering above them with the service's throttling error.
  --seed N    seed for the probability draws (same seed, same requests: same faults).
  --log       one line per request on stderr: what it was and what the proxy did.
Counts: GET /_faultproxy/stats on the proxy.";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("faultproxy: {error}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut upstream = None;
    let mut listen: SocketAddr = "127.0.0.1:0".parse().expect("valid address");
    let mut plan = FaultPlan::none();
    let mut log = false;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => {
                let _ = writeln!(std::io::stdout(), "{USAGE}");
                return Ok(());
            }
            "--upstream" => upstream = Some(value("--upstream")?),
            "--listen" => {
                listen = value("--listen")?
                    .parse()
                    .map_err(|e| format!("--listen: {e}"))?;
            }
            "--seed" => {
                plan.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?;
            }
            "--log" => log = true,
            "--quota" => plan = plan.quotas(Quotas::aws_defaults()),
            "--settle" => plan = plan.settle(Settle::parse(&value("--settle")?)?),
            "--rule" => plan = plan.rule(Rule::parse(&value("--rule")?)?),
            "--latency" => {
                let ms = value("--latency")?;
                plan = plan.rule(Rule::new("*", "*", parse_fault(&format!("latency={ms}"))?));
            }
            shortcut @ ("--throttle" | "--error500" | "--error503" | "--reset-before"
            | "--reset-after" | "--truncate") => {
                let fault = match shortcut {
                    "--throttle" => "throttle",
                    "--error500" => "500",
                    "--error503" => "503",
                    other => other.trim_start_matches("--"),
                };
                let p = value(shortcut)?;
                plan = plan.rule(Rule::parse(&format!("*:*:{fault}:{p}"))?);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let upstream = upstream.ok_or("--upstream is required")?;
    let proxy = FaultProxy::start_on(listen, &upstream, plan).map_err(|e| e.to_string())?;
    proxy.set_logging(log);
    println!(
        "faultproxy in front of {upstream}\nAWS_ENDPOINT_URL={}",
        proxy.endpoint()
    );
    let _ = std::io::stdout().flush();
    proxy.wait();
    Ok(())
}
