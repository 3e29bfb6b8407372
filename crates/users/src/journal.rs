//! The journal of a run that changes users (`verify`, `create`): one JSON line per event,
//! appended before and after each change, so that a run stopped at any point (SIGKILL
//! included) and started again does nothing twice and misses no one.
//!
//! Every line is written with a single `write` on a file opened for appending: a killed
//! process leaves at most its last line torn, and the kernel keeps what was written (an
//! fsync at the end covers power loss for finished runs); the torn line is dropped when the
//! journal is opened again. A user whose change was started
//! but not recorded as finished is re-read before anything is sent again.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::UsersError;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Line {
    /// The first line: which command on which pool.
    Run { command: String, pool: String },
    /// About to send the change for this user.
    Started { user: String },
    /// The change is done (or was found done); `outcome` says how.
    Finished { user: String, outcome: String },
}

/// An open journal and what earlier runs recorded in it.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    started: HashSet<String>,
    finished: HashMap<String, String>,
}

impl Journal {
    /// Opens (or creates) the journal for `command` on `pool`, and reads what it holds. A
    /// journal of another command or pool is refused.
    pub fn open(path: &Path, command: &str, pool: &str) -> Result<Journal, UsersError> {
        let mut text = String::new();
        if path.exists() {
            File::open(path)
                .and_then(|mut f| f.read_to_string(&mut text))
                .map_err(|e| UsersError::file(path, e))?;
        }
        let mut started = HashSet::new();
        let mut finished = HashMap::new();
        let mut header = None;
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let parsed = match serde_json::from_str::<Line>(line) {
                Ok(parsed) => parsed,
                // A kill in the middle of the last write: that event did not happen.
                Err(_) if index + 1 == lines.len() && !text.ends_with('\n') => break,
                Err(e) => {
                    return Err(UsersError::file(
                        path,
                        format!("line {}: not a journal line ({e})", index + 1),
                    ))
                }
            };
            match parsed {
                Line::Run { command, pool } => header = Some((command, pool)),
                Line::Started { user } => {
                    started.insert(user);
                }
                Line::Finished { user, outcome } => {
                    finished.insert(user, outcome);
                }
            }
        }
        let expected = format!("{command} on {pool}");
        if let Some((found_command, found_pool)) = &header {
            if found_command != command || found_pool != pool {
                return Err(UsersError::JournalMismatch {
                    path: path.to_owned(),
                    found: format!("{found_command} on {found_pool}"),
                    expected,
                });
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| UsersError::file(path, e))?;
        if !text.ends_with('\n') {
            // Drop the torn line, so that the next event starts on a line of its own.
            let whole_lines = text.rfind('\n').map_or(0, |end| end + 1);
            file.set_len(whole_lines as u64)
                .map_err(|e| UsersError::file(path, e))?;
        }
        let journal = Journal {
            path: path.to_owned(),
            file: Mutex::new(file),
            started,
            finished,
        };
        if header.is_none() {
            journal.append(&Line::Run {
                command: command.to_owned(),
                pool: pool.to_owned(),
            })?;
        }
        Ok(journal)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How an earlier run finished this user, if it did.
    pub fn finished(&self, user: &str) -> Option<&str> {
        self.finished.get(user).map(String::as_str)
    }

    /// True when an earlier run started a change for this user without recording its end.
    pub fn was_started(&self, user: &str) -> bool {
        self.started.contains(user) && !self.finished.contains_key(user)
    }

    /// Users an earlier run finished.
    pub fn finished_count(&self) -> usize {
        self.finished.len()
    }

    pub fn start(&self, user: &str) -> Result<(), UsersError> {
        self.append(&Line::Started {
            user: user.to_owned(),
        })
    }

    pub fn finish(&self, user: &str, outcome: &str) -> Result<(), UsersError> {
        self.append(&Line::Finished {
            user: user.to_owned(),
            outcome: outcome.to_owned(),
        })
    }

    /// Flushes to disk: the end of a run.
    pub fn sync(&self) -> Result<(), UsersError> {
        let file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.sync_all().map_err(|e| UsersError::file(&self.path, e))
    }

    fn append(&self, line: &Line) -> Result<(), UsersError> {
        let mut bytes = serde_json::to_vec(line).map_err(|e| UsersError::file(&self.path, e))?;
        bytes.push(b'\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(&bytes)
            .map_err(|e| UsersError::file(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_journal(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("poolctl-journal-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("run.journal");
        let _ = std::fs::remove_file(&path);
        path
    }

    #[test]
    fn a_reopened_journal_knows_what_was_finished_and_what_was_in_flight() {
        let path = temp_journal("reopen");
        {
            let journal = Journal::open(&path, "verify", "pool-1").unwrap();
            journal.start("alice").unwrap();
            journal.finish("alice", "verified").unwrap();
            journal.start("bob").unwrap();
        }
        let journal = Journal::open(&path, "verify", "pool-1").unwrap();
        assert_eq!(journal.finished("alice"), Some("verified"));
        assert!(!journal.was_started("alice"));
        assert!(journal.was_started("bob"));
        assert_eq!(journal.finished("bob"), None);
        assert_eq!(journal.finished_count(), 1);
    }

    #[test]
    fn a_torn_last_line_is_dropped() {
        let path = temp_journal("torn");
        {
            let journal = Journal::open(&path, "verify", "pool-1").unwrap();
            journal.start("alice").unwrap();
        }
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"event":"finished","user":"ali"#)
            .unwrap();
        drop(file);
        let journal = Journal::open(&path, "verify", "pool-1").unwrap();
        assert!(journal.was_started("alice"));
        journal.finish("alice", "verified").unwrap();
        drop(journal);
        let journal = Journal::open(&path, "verify", "pool-1").unwrap();
        assert_eq!(journal.finished("alice"), Some("verified"));
    }

    #[test]
    fn a_journal_of_another_pool_or_command_is_refused() {
        let path = temp_journal("mismatch");
        Journal::open(&path, "verify", "pool-1").unwrap();
        let error = Journal::open(&path, "verify", "pool-2").unwrap_err();
        assert!(error.to_string().contains("verify on pool-1"), "{error}");
        assert!(Journal::open(&path, "create", "pool-1").is_err());
    }
}
