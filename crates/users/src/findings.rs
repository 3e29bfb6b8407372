//! The audit's findings file (`users audit --out`, read back by `users verify --from`): JSON
//! Lines, one finding per line, each naming the pool it is from, so that a file from one pool
//! can never drive changes to another pool's usernames.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::audit::AuditReport;
use crate::classify::Finding;

/// One line of the file: the finding and the pool it is from.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    pool: String,
    #[serde(flatten)]
    finding: Finding,
}

/// Why a findings file could not be written or used.
#[derive(Debug, thiserror::Error)]
pub enum FindingsError {
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `line` counts from 1.
    #[error("{}:{line}: not a line of `poolctl users audit --out`", path.display())]
    NotAFinding {
        path: PathBuf,
        line: usize,
        #[source]
        source: serde_json::Error,
    },

    /// The file is an audit of another pool: acting on it would touch the wrong users.
    #[error("{}:{line}: this audit is of pool {found}, not {expected}", path.display())]
    OtherPool {
        path: PathBuf,
        line: usize,
        found: String,
        expected: String,
    },
}

/// The report's findings as the file's bytes: one JSON object per line, each ending in `\n`.
pub fn to_lines(report: &AuditReport) -> Vec<u8> {
    let mut out = Vec::new();
    for finding in &report.findings {
        let line = Line {
            pool: report.pool_id.clone(),
            finding: finding.clone(),
        };
        // A finding is plain strings and numbers: serialising it into memory cannot fail.
        if serde_json::to_writer(&mut out, &line).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

/// Writes the report's findings to `path` (replacing it).
pub fn write(path: &Path, report: &AuditReport) -> Result<(), FindingsError> {
    let failed = |source| FindingsError::Write {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::create(path).map_err(failed)?;
    file.write_all(&to_lines(report)).map_err(failed)?;
    file.flush().map_err(failed)
}

/// The findings file of `environment` when one audit covers several (one pool per file): its
/// name inserted before the extension, so `audit.jsonl` becomes `audit-dev.jsonl`.
pub fn environment_path(path: &Path, environment: &str) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(extension) => format!("{stem}-{environment}.{}", extension.to_string_lossy()),
        None => format!("{stem}-{environment}"),
    };
    path.with_file_name(name)
}

/// Reads the findings in `path`, refusing the file if any line is from a pool other than
/// `pool_id`.
pub fn read(path: &Path, pool_id: &str) -> Result<Vec<Finding>, FindingsError> {
    let text = std::fs::read_to_string(path).map_err(|source| FindingsError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, path, pool_id)
}

/// The findings in `text`, the content of `path` (named in errors). Blank lines are skipped.
pub fn parse(text: &str, path: &Path, pool_id: &str) -> Result<Vec<Finding>, FindingsError> {
    let mut findings = Vec::new();
    for (index, text) in text.lines().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        let line: Line =
            serde_json::from_str(text).map_err(|source| FindingsError::NotAFinding {
                path: path.to_owned(),
                line: index + 1,
                source,
            })?;
        if line.pool != pool_id {
            return Err(FindingsError::OtherPool {
                path: path.to_owned(),
                line: index + 1,
                found: line.pool,
                expected: pool_id.to_owned(),
            });
        }
        findings.push(line.finding);
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::classify::Class;
    use crate::record::UserRecord;

    #[test]
    fn each_environment_gets_a_file_of_its_own_beside_the_one_named() {
        assert_eq!(
            environment_path(Path::new("out/audit.jsonl"), "dev"),
            Path::new("out/audit-dev.jsonl")
        );
        assert_eq!(
            environment_path(Path::new("findings"), "eu-1"),
            Path::new("findings-eu-1")
        );
    }

    fn finding(username: &str, class: Class, holder: Option<&str>) -> Finding {
        Finding {
            class,
            user: UserRecord {
                username: username.to_owned(),
                sub: None,
                status: "CONFIRMED".into(),
                enabled: true,
                email: Some(format!("{username}@example.com")),
                email_verified: Some(false),
                created: 10,
                modified: 20,
                provider: None,
            },
            holder: holder.map(str::to_owned),
        }
    }

    fn report(pool: &str, findings: Vec<Finding>) -> AuditReport {
        AuditReport {
            pool_id: pool.to_owned(),
            scanned: findings.len() as u64,
            counts: BTreeMap::new(),
            findings,
            scan: crate::ScanPlan {
                partitioning: crate::Partitioning::One,
                page_latency: None,
                partitioned_rate: None,
            },
        }
    }

    #[test]
    fn findings_read_back_as_written() {
        let written = vec![
            finding("ana", Class::Stuck, None),
            finding("ben", Class::DuplicateEmail, Some("ana")),
        ];
        let bytes = to_lines(&report("eu-west-1_A", written.clone()));
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with('\n'));
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["pool"], "eu-west-1_A");
        assert_eq!(first["class"], "stuck");
        assert_eq!(first["username"], "ana");
        let read = parse(&text, Path::new("audit.jsonl"), "eu-west-1_A").unwrap();
        assert_eq!(read, written);
    }

    #[test]
    fn a_line_from_another_pool_refuses_the_whole_file() {
        let text = String::from_utf8(to_lines(&report(
            "eu-west-1_B",
            vec![finding("ana", Class::Stuck, None)],
        )))
        .unwrap();
        let error = parse(
            &format!("\n{text}"),
            Path::new("audit.jsonl"),
            "eu-west-1_A",
        )
        .unwrap_err();
        assert!(matches!(
            &error,
            FindingsError::OtherPool { line: 2, found, expected, .. }
                if found == "eu-west-1_B" && expected == "eu-west-1_A"
        ));
        assert_eq!(
            error.to_string(),
            "audit.jsonl:2: this audit is of pool eu-west-1_B, not eu-west-1_A"
        );
    }

    #[test]
    fn a_line_that_is_not_a_finding_is_named_by_its_number() {
        let text = "\n  \n{\"pool\":\"eu-west-1_A\"}\n";
        let error = parse(text, Path::new("audit.jsonl"), "eu-west-1_A").unwrap_err();
        assert!(matches!(error, FindingsError::NotAFinding { line: 3, .. }));
        assert_eq!(
            error.to_string(),
            "audit.jsonl:3: not a line of `poolctl users audit --out`"
        );
        // The cause is kept as the source, for a report that prints the chain.
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn blank_lines_and_an_empty_file_hold_no_findings() {
        assert!(parse("", Path::new("a"), "p").unwrap().is_empty());
        assert!(parse("\n\n", Path::new("a"), "p").unwrap().is_empty());
    }

    #[test]
    fn a_missing_file_is_a_read_error_naming_it() {
        let error = read(Path::new("/nonexistent/audit.jsonl"), "p").unwrap_err();
        assert!(matches!(error, FindingsError::Read { .. }));
        assert_eq!(error.to_string(), "cannot read /nonexistent/audit.jsonl");
    }
}
