//! Loading a spec: YAML -> typed [`PoolSpec`] -> validation, every finding located in the file.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity, SpecError};
use crate::locate::{child_path, PositionIndex};
use crate::model::PoolSpec;
use crate::validate::{self, Finding};

/// A spec that passed validation, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: PoolSpec,
    pub warnings: Vec<Diagnostic>,
}

/// Read, parse and validate the spec at `path`. Diagnostics name the file as `path` is written.
pub fn load(path: &Path) -> Result<Loaded, SpecError> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(&file, &text),
        Err(error) => Err(SpecError {
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                file,
                line: 0,
                column: 0,
                path: String::new(),
                message: format!("cannot read the spec: {error}"),
                help: "check the path; pool specs live in infra/pools/<pool>.yaml".to_owned(),
            }],
        }),
    }
}

/// Parse and validate spec text; `file_name` is used in diagnostics only.
pub fn load_str(file_name: &str, text: &str) -> Result<Loaded, SpecError> {
    let deserializer = serde_norway::Deserializer::from_str(text);
    let spec: PoolSpec = match serde_path_to_error::deserialize(deserializer) {
        Ok(spec) => spec,
        Err(error) => {
            return Err(SpecError {
                diagnostics: vec![deserialization_diagnostic(file_name, text, &error)],
            });
        }
    };
    let index = PositionIndex::build(text).unwrap_or_default();
    let mut diagnostics: Vec<Diagnostic> = validate::validate(&spec)
        .into_iter()
        .map(|finding| locate(file_name, &index, finding))
        .collect();
    // Stable: findings on one spot keep the order in which validation found them.
    diagnostics.sort_by_key(|d| (d.line, d.column));
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(SpecError { diagnostics })
    } else {
        Ok(Loaded {
            spec,
            warnings: diagnostics,
        })
    }
}

fn locate(file_name: &str, index: &PositionIndex, finding: Finding) -> Diagnostic {
    let position = if finding.at_key {
        index.locate_key(&finding.path)
    } else {
        index.locate(&finding.path)
    };
    Diagnostic {
        severity: finding.severity,
        file: file_name.to_owned(),
        line: position.line,
        column: position.column,
        path: finding.path,
        message: finding.message,
        help: finding.help,
    }
}

/// A syntax or type error from deserialization, as a located diagnostic with a fix.
fn deserialization_diagnostic(
    file_name: &str,
    text: &str,
    error: &serde_path_to_error::Error<serde_norway::Error>,
) -> Diagnostic {
    let mut path = String::new();
    for segment in error.path() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => path = child_path(&path, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    let inner = error.inner();
    let message = bare_message(inner);
    let index = PositionIndex::build(text);

    // serde_norway knows where it was when the error arose, except inside values that serde
    // buffers before deserializing (identity providers, selected by `kind`): there its
    // position is past the buffered mapping, so the positioned index is asked instead.
    let buffered = path.starts_with("identity_providers[") && !path.contains('.');
    let field = backticked(&message);
    let type_error = message.starts_with("invalid type") || message.starts_with("invalid value");
    let from_index = index.as_ref().and_then(|index| {
        if message.starts_with("unknown field") {
            let key_path = child_path(&path, field.as_deref()?);
            index
                .contains(&key_path)
                .then(|| index.locate_key(&key_path))
        } else if message.starts_with("unknown variant") && buffered {
            Some(index.locate(&child_path(&path, "kind")))
        } else if buffered && type_error {
            // The message quotes the offending scalar (`string "openid"`): find it.
            let offending = quoted(&message);
            match offending.and_then(|text| index.find_scalar(&path, &text)) {
                Some((value_path, position)) => {
                    path = value_path;
                    Some(position)
                }
                None => Some(index.locate(&path)),
            }
        } else if message.starts_with("missing field") {
            Some(index.locate(&path))
        } else if message.starts_with("duplicate field") {
            index.duplicate(&child_path(&path, field.as_deref()?))
        } else {
            None
        }
    });
    let (line, column) = match (from_index, inner.location()) {
        (Some(position), _) => (position.line, position.column),
        (None, Some(location)) if !buffered => (location.line(), location.column()),
        (None, _) => match &index {
            Some(index) => {
                let position = index.locate(&path);
                (position.line, position.column)
            }
            None => (0, 0),
        },
    };

    let empty = text
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
    let help = if empty {
        "start from a copy of infra/pools/demo.yaml".to_owned()
    } else if message.starts_with("unknown field") {
        "remove the key or correct its spelling (the keys allowed here are listed above)".to_owned()
    } else if message.starts_with("missing field") {
        format!("add `{}` here", field.unwrap_or_default())
    } else if message.starts_with("duplicate field") {
        format!(
            "keep one `{}` key and remove the other",
            field.unwrap_or_default()
        )
    } else if message.starts_with("unknown variant") || message.contains("expected `") {
        "use one of the values listed above".to_owned()
    } else if message.contains("expected a sequence") {
        "write a list: `[a, b]`, or one `- item` per line".to_owned()
    } else if message.contains("expected u") || message.contains("expected i") {
        "write a whole number in the range given in the spec reference".to_owned()
    } else if message.contains("expected a boolean") {
        "write `true` or `false`".to_owned()
    } else if message.contains("expected a string") {
        "quote the value, e.g. \"4711\" or \"yes\", so that it stays a string".to_owned()
    } else if message.contains("while parsing") || message.contains("while scanning") {
        "fix the YAML syntax at the position shown".to_owned()
    } else {
        "see the pool spec reference in the README, or `poolctl schema`".to_owned()
    };
    let message = if empty {
        "the spec is empty".to_owned()
    } else if path.is_empty() {
        message
    } else {
        format!("{path}: {message}")
    };
    Diagnostic {
        severity: Severity::Error,
        file: file_name.to_owned(),
        line,
        column,
        path,
        message,
        help,
    }
}

/// serde_norway's message without the position and path it appends (we print both our way).
fn bare_message(error: &serde_norway::Error) -> String {
    let mut message = error.to_string();
    if let Some(location) = error.location() {
        let suffix = format!(" at line {} column {}", location.line(), location.column());
        if let Some(start) = message.find(&suffix) {
            message.replace_range(start..start + suffix.len(), "");
        }
    }
    // A path prefix such as `clients[0]: ` ahead of the serde message.
    if let Some((prefix, rest)) = message.split_once(": ") {
        let looks_like_path = !prefix.contains(' ') && !prefix.is_empty();
        if looks_like_path {
            message = rest.to_owned();
        }
    }
    message
}

/// The first double-quoted text in a serde message (`invalid type: string "x"`).
fn quoted(message: &str) -> Option<String> {
    let start = message.find('"')? + 1;
    let end = start + message[start..].find('"')?;
    Some(message[start..end].to_owned())
}

/// The first `quoted` name in a serde message (`unknown field `x``, `missing field `y``).
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}
