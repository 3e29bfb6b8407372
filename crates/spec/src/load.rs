//! Loading a spec: YAML -> typed [`PoolSpec`] -> validation, every finding located in the file.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity, SpecError};
use crate::environment::{self, Merged, SelectError, Selected};
use crate::locate::{child_path, DuplicateKey, PositionIndex};
use crate::model::PoolSpec;
use crate::schema_check::SchemaCheck;
use crate::validate::{self, Finding};

/// A spec that passed validation, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: PoolSpec,
    pub warnings: Vec<Diagnostic>,
    /// Each environment's merged spec, every one validated, by environment name.
    pub environment_specs: BTreeMap<String, PoolSpec>,
}

impl Loaded {
    /// The spec to render: the base, or with `environment` that environment's spec.
    pub fn select(self, environment: Option<&str>) -> Result<Selected, SelectError> {
        environment::select(self.spec, self.environment_specs, environment, false)
    }

    /// The environments `--env SELECTOR` names (`all`, `dev,prod`, `eu-*`), each with its
    /// merged spec, in the order written.
    pub fn select_several(&self, selector: &str) -> Result<Vec<Selected>, SelectError> {
        environment::select_several(&self.spec, &self.environment_specs, selector)
    }

    /// The spec for a command that calls AWS: a spec that declares environments must be given
    /// one, so that no command reaches an account the operator did not name.
    pub fn select_for_aws(self, environment: Option<&str>) -> Result<Selected, SelectError> {
        environment::select(self.spec, self.environment_specs, environment, true)
    }
}

/// Read, parse and validate the spec at `path`. Diagnostics name the file as `path` is written.
pub fn load(path: &Path) -> Result<Loaded, SpecError> {
    let file = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => load_bytes(&file, &bytes),
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

/// Parse and validate spec file contents, which must be UTF-8; `file_name` is used in
/// diagnostics only.
pub fn load_bytes(file_name: &str, bytes: &[u8]) -> Result<Loaded, SpecError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(file_name, text),
        Err(error) => Err(SpecError {
            diagnostics: vec![encoding_diagnostic(file_name, bytes, &error)],
        }),
    }
}

/// Parse and validate spec text; `file_name` is used in diagnostics only.
pub fn load_str(file_name: &str, text: &str) -> Result<Loaded, SpecError> {
    if let Some(diagnostic) = unusable_character(file_name, text) {
        return Err(SpecError {
            diagnostics: vec![diagnostic],
        });
    }
    let index = PositionIndex::build(text);
    // A key written twice is an error wherever it is: YAML would keep the last value silently
    // (in a map such as `attributes.standard`, an `email` entry that makes email immutable).
    let mut diagnostics: Vec<Diagnostic> = index
        .iter()
        .flat_map(PositionIndex::duplicate_keys)
        .map(|duplicate| duplicate_key_diagnostic(file_name, duplicate))
        .collect();
    let deserializer = serde_norway::Deserializer::from_str(text);
    let parsed: Result<PoolSpec, _> = serde_path_to_error::deserialize(deserializer);
    let spec = match parsed {
        Ok(spec) => spec,
        Err(error) => {
            // Asked where serde cannot say; built once, only on this error path.
            let check = SchemaCheck::new(text);
            let diagnostic =
                deserialization_diagnostic(file_name, text, index.as_ref(), check.as_ref(), &error);
            // serde's own `duplicate field` is the same finding as one of the above.
            if diagnostics.is_empty() || !error.inner().to_string().contains("duplicate field") {
                diagnostics.push(diagnostic);
            }
            // serde stops at the first unknown key; the others are found by the schema, so
            // that three misspelt keys take one run to fix, not three.
            if let (Some(index), Some(check)) = (&index, &check) {
                for unknown in check.unknown_keys() {
                    let at = index.locate_key(&unknown.path);
                    if !diagnostics
                        .iter()
                        .any(|d| (d.line, d.column) == (at.line, at.column))
                    {
                        diagnostics.push(Diagnostic {
                            severity: Severity::Error,
                            file: file_name.to_owned(),
                            line: at.line,
                            column: at.column,
                            path: unknown.path,
                            message: unknown.message,
                            help: UNKNOWN_KEY_HELP.to_owned(),
                        });
                    }
                }
            }
            diagnostics.sort_by_key(|d| (d.line, d.column));
            return Err(SpecError { diagnostics });
        }
    };
    if !diagnostics.is_empty() {
        return Err(SpecError { diagnostics });
    }
    let index = index.unwrap_or_default();
    let mut spec = spec;
    let findings = validate::validate(&spec)
        .into_iter()
        .chain(read_branding_settings(file_name, &mut spec));
    let mut diagnostics: Vec<Diagnostic> = findings
        .map(|finding| locate(file_name, &index, finding))
        .collect();
    let mut environment_specs = BTreeMap::new();
    if !diagnostics.iter().any(Diagnostic::is_error) && !spec.environments.is_empty() {
        match serde_norway::from_str::<serde_norway::Value>(text) {
            Ok(document) => {
                for (name, declared) in &spec.environments {
                    let empty = serde_norway::Value::Mapping(serde_norway::Mapping::new());
                    let overrides = declared.overrides.as_ref().unwrap_or(&empty);
                    let merged = environment::merge(&document, name, overrides);
                    match load_environment(file_name, &index, name, &merged) {
                        Ok((merged_spec, found)) => {
                            diagnostics.extend(found);
                            environment_specs.insert(name.clone(), merged_spec);
                        }
                        Err(found) => diagnostics.extend(found),
                    }
                }
            }
            Err(error) => diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: file_name.to_owned(),
                line: 0,
                column: 0,
                path: "environments".to_owned(),
                message: format!("cannot read the spec for its environments: {error}"),
                help: "write the spec without YAML merge keys (`<<`)".to_owned(),
            }),
        }
    }
    // Stable: findings on one spot keep the order in which validation found them.
    diagnostics.sort_by_key(|d| (d.line, d.column));
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(SpecError { diagnostics })
    } else {
        Ok(Loaded {
            spec,
            warnings: diagnostics,
            environment_specs,
        })
    }
}

/// Deserializes and validates environment `name`'s merged spec. Findings in what the override
/// wrote point at the override; the base's own warnings were reported with the base, so only
/// errors (which the base did not have) are reported at the base's lines. Every message names
/// the environment.
fn load_environment(
    file_name: &str,
    index: &PositionIndex,
    name: &str,
    merged: &Merged,
) -> Result<(PoolSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let located = |finding: Finding| {
        let from_override = merged.origin(&finding.path);
        let in_file = Finding {
            path: from_override.clone().unwrap_or(finding.path.clone()),
            message: format!("in environment `{name}`: {}", finding.message),
            ..finding
        };
        let keep = from_override.is_some() || in_file.severity == Severity::Error;
        keep.then(|| locate(file_name, index, in_file))
    };
    let parsed: Result<PoolSpec, _> = serde_path_to_error::deserialize(merged.value.clone());
    let mut spec = match parsed {
        Ok(spec) => spec,
        Err(error) => {
            // The merged value has no text of its own: its YAML stands in for the help's tests.
            let text = serde_norway::to_string(&merged.value).unwrap_or_default();
            let diagnostic = deserialization_diagnostic(file_name, &text, None, None, &error);
            let finding = Finding {
                severity: Severity::Error,
                at_key: diagnostic.message.contains("unknown field"),
                path: error_path(&error),
                message: diagnostic.message,
                help: diagnostic.help,
            };
            let finding = match (finding.at_key, backticked(&finding.message)) {
                (true, Some(key)) => Finding {
                    path: child_path(&finding.path, &key),
                    ..finding
                },
                _ => finding,
            };
            return Err(located(finding).into_iter().collect());
        }
    };
    let findings: Vec<Finding> = validate::validate(&spec)
        .into_iter()
        .chain(read_branding_settings(file_name, &mut spec))
        .collect();
    let diagnostics: Vec<Diagnostic> = findings.into_iter().filter_map(located).collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok((spec, diagnostics))
    }
}

/// The spec path of a deserialization error, as validation writes paths.
fn error_path<E>(error: &serde_path_to_error::Error<E>) -> String {
    let mut path = String::new();
    for segment in error.path() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => path = child_path(&path, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    path
}

const UNKNOWN_KEY_HELP: &str =
    "remove the key or correct its spelling (the keys allowed here are listed above)";

/// Reads each client's managed login branding `settings_file`, relative to the spec file, into
/// the client's `settings`; a file that cannot be read or is not a JSON object is a finding.
fn read_branding_settings(file_name: &str, spec: &mut PoolSpec) -> Vec<Finding> {
    let dir = Path::new(file_name).parent().unwrap_or(Path::new(""));
    let mut findings = Vec::new();
    for (i, client) in spec.clients.iter_mut().enumerate() {
        let Some(branding) = client.branding.as_mut() else {
            continue;
        };
        let Some(relative) = branding.settings_file.as_deref() else {
            continue;
        };
        let path = format!("clients[{i}].branding.settings_file");
        let problem = match std::fs::read_to_string(dir.join(relative)) {
            Err(error) => Some((
                format!("cannot read the branding settings {relative:?}: {error}"),
                "give the path of a JSON file relative to the spec file",
            )),
            Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(value @ serde_json::Value::Object(_)) => {
                    branding.settings = Some(value.to_string());
                    None
                }
                Ok(_) => Some((
                    format!("the branding settings {relative:?} are not a JSON object"),
                    "export the settings from the managed login branding editor (a JSON object)",
                )),
                Err(error) => Some((
                    format!("the branding settings {relative:?} are not valid JSON: {error}"),
                    "export the settings from the managed login branding editor (a JSON object)",
                )),
            },
        };
        if let Some((message, help)) = problem {
            findings.push(Finding {
                severity: Severity::Error,
                path,
                message,
                help: help.to_owned(),
                at_key: false,
            });
        }
    }
    findings
}

fn duplicate_key_diagnostic(file_name: &str, duplicate: DuplicateKey) -> Diagnostic {
    let DuplicateKey {
        path,
        key,
        first,
        second,
    } = duplicate;
    Diagnostic {
        severity: Severity::Error,
        file: file_name.to_owned(),
        line: second.line,
        column: second.column,
        message: format!(
            "duplicate key `{key}` (first at {}:{})",
            first.line, first.column
        ),
        help: format!(
            "keep one `{key}` key and remove the other: YAML would silently keep only the last one"
        ),
        path,
    }
}

/// Where a text position is: the line and column (1-based, in characters) of byte `offset`,
/// counting `\n`, `\r\n` and a lone `\r` as line breaks, as the YAML parser does.
fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let mut line = 1;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if breaks {
            line += 1;
            line_start = i + 1;
        }
    }
    (line, before[line_start..].chars().count() + 1)
}

/// The first character YAML does not allow in a document (NUL and other control characters),
/// as a located error. YAML allows tab, line breaks and printable Unicode only.
fn unusable_character(file_name: &str, text: &str) -> Option<Diagnostic> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}')
            || ('\u{A0}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    let (offset, c) = text.char_indices().find(|&(_, c)| !allowed(c))?;
    let (line, column) = position_of(text, offset);
    let (message, help) = if c == '\0' {
        (
            "the spec contains a NUL byte; a spec is UTF-8 text".to_owned(),
            "remove it; if the file is full of them it was saved as UTF-16: save it as UTF-8"
                .to_owned(),
        )
    } else {
        (
            format!(
                "control character U+{:04X} is not allowed in YAML",
                u32::from(c)
            ),
            "remove it (inside double quotes a control character can be written as an escape, e.g. \"\\t\")"
                .to_owned(),
        )
    };
    Some(Diagnostic {
        severity: Severity::Error,
        file: file_name.to_owned(),
        line,
        column,
        path: String::new(),
        message,
        help,
    })
}

/// Bytes that are not UTF-8: where the first bad byte is, and how to save the file.
fn encoding_diagnostic(file_name: &str, bytes: &[u8], error: &std::str::Utf8Error) -> Diagnostic {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let (line, column, message, help) = if utf16 {
        (
            0,
            0,
            "the spec is UTF-16 text; poolctl reads UTF-8".to_owned(),
            "save the file as UTF-8 (an editor's \"Save with encoding\", or `iconv -f utf-16 -t utf-8`)",
        )
    } else {
        let valid = error.valid_up_to();
        // Safe to slice: everything before `valid` is UTF-8.
        let text = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = position_of(text, text.len());
        (
            line,
            column,
            format!("the spec is not valid UTF-8: byte 0x{:02X} here", bytes[valid]),
            "save the file as UTF-8 (an editor's \"Save with encoding\"; `iconv -f latin1 -t utf-8` converts Latin-1 text)",
        )
    };
    Diagnostic {
        severity: Severity::Error,
        file: file_name.to_owned(),
        line,
        column,
        path: String::new(),
        message,
        help: help.to_owned(),
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
    index: Option<&PositionIndex>,
    check: Option<&SchemaCheck>,
    error: &serde_path_to_error::Error<serde_norway::Error>,
) -> Diagnostic {
    let mut path = error_path(error);
    let inner = error.inner();
    let message = bare_message(inner);

    // serde_norway knows where it was when the error arose, except inside values that serde
    // buffers before deserializing (identity providers, selected by `kind`): there its
    // position is past the buffered mapping, so the positioned index is asked instead.
    let buffered = path.starts_with("identity_providers[") && !path.contains('.');
    let field = backticked(&message);
    let type_error = message.starts_with("invalid type") || message.starts_with("invalid value");
    let from_index = index.and_then(|index| {
        if message.starts_with("unknown field") {
            let key_path = child_path(&path, field.as_deref()?);
            index
                .contains(&key_path)
                .then(|| index.locate_key(&key_path))
        } else if message.starts_with("unknown variant") && buffered {
            Some(index.locate(&child_path(&path, "kind")))
        } else if buffered && type_error {
            // The schema of the provider's kind names the mistyped value; failing that, the
            // message may quote the offending scalar (`string "openid"`).
            let found = check
                .and_then(|check| check.mistyped_provider_value(index, &path))
                .or_else(|| {
                    let offending = quoted(&message)?;
                    index.find_scalar(&path, &offending).map(|(path, _)| path)
                });
            match found {
                Some(value_path) => {
                    path = value_path;
                    Some(index.locate(&path))
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
    let from_index = from_index.or_else(|| {
        message
            .contains("more than one document")
            .then(|| index.and_then(PositionIndex::second_document))
            .flatten()
    });
    // Inside a buffered value serde's position is past it, which is wrong for a type error
    // but right for a syntax error (the parser's own position).
    let semantic = SEMANTIC.iter().any(|start| message.starts_with(start));
    let (line, column) = match (from_index, inner.location(), index) {
        (Some(position), _, _) => (position.line, position.column),
        (None, Some(_), Some(index)) if buffered && semantic => {
            let position = index.locate(&path);
            (position.line, position.column)
        }
        (None, Some(location), _) => (location.line(), location.column()),
        (None, None, Some(index)) => {
            let position = index.locate(&path);
            (position.line, position.column)
        }
        (None, None, None) => second_document_line(text)
            .filter(|_| message.contains("more than one document"))
            .unwrap_or((1, 1)),
    };
    // The parser may point one line past a file without a final line break: the end it is.
    let end = position_of(text, text.len());
    let (line, column) = if (line, column) > end {
        end
    } else {
        (line, column)
    };

    let empty = text
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
    let whole_number = message.contains("expected u") || message.contains("expected i");
    let help = if empty {
        "start from a copy of infra/pools/demo.yaml".to_owned()
    } else if message.starts_with("unknown field") {
        UNKNOWN_KEY_HELP.to_owned()
    } else if message.starts_with("missing field") {
        format!("add `{}` here", field.as_deref().unwrap_or_default())
    } else if message.starts_with("duplicate field") {
        format!(
            "keep one `{}` key and remove the other",
            field.as_deref().unwrap_or_default()
        )
    } else if message.starts_with("unknown variant") || message.contains("expected `") {
        "use one of the values listed above".to_owned()
    } else if message.contains("expected a sequence") {
        "write a list: `[a, b]`, or one `- item` per line".to_owned()
    } else if whole_number {
        format!("write a whole number, {}", integer_range(&path))
    } else if message.contains("expected a boolean") {
        "write `true` or `false`".to_owned()
    } else if message.contains("expected a string")
        && (message.contains("type: sequence") || message.contains("type: map"))
    {
        "write one value here, not a list or mapping".to_owned()
    } else if message.contains("expected a string") {
        "quote the value, e.g. \"4711\" or \"yes\", so that it stays a string".to_owned()
    } else if message.contains("expected struct") || message.contains("expected a map") {
        "write a mapping here: `key: value` lines indented under this key, or `{ key: value }`"
            .to_owned()
    } else if message.contains("more than one document") {
        "a spec is one YAML document: remove the `---` line and what follows it, or move the second pool to its own file in infra/pools".to_owned()
    } else if inner
        .location()
        .is_some_and(|at| tab_indented(text, at.line()))
    {
        "indent with spaces, never tabs".to_owned()
    } else if let Some(help) = syntax_help(&message) {
        help.to_owned()
    } else if message.contains("expected field identifier") {
        "write keys as plain names (`key: value`); a list, mapping or `? ` complex key cannot be a key in a spec".to_owned()
    } else if message.contains("expected a YAML tag")
        || message.contains("expected variant identifier")
    {
        "write one plain value here (e.g. `email`), not a list or mapping; the spec reference lists the values this key takes".to_owned()
    } else if message.contains("as u128") {
        "the number is too large to read: quote it if it is text, or write a value in range"
            .to_owned()
    } else if message.contains("do not support enum input") {
        "remove the YAML tag (`!name`) in front of the value: a spec uses plain values".to_owned()
    } else if message.starts_with("invalid type") {
        format!(
            "write a value of the type the spec reference gives for `{}`",
            field_name(&path)
        )
    } else {
        "see the pool spec reference in docs/spec-reference.md, or `poolctl schema`".to_owned()
    };
    let message = if empty {
        "the spec is empty".to_owned()
    } else if message.contains("more than one document") {
        "a second YAML document starts here; a spec is one document".to_owned()
    } else if message.contains("expected a YAML tag starting with '!'") {
        format!(
            "{path}: {}",
            message.replace("a YAML tag starting with '!'", "a single value")
        )
    } else if whole_number {
        let name = field_name(&path);
        let value = backticked(&message).unwrap_or_default();
        let why = if message.contains("floating point") {
            "is not a whole number"
        } else {
            "is out of range"
        };
        format!(
            "{path}: `{value}` {why}: `{name}` takes {}",
            integer_range(&path)
        )
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

/// How serde's messages about a value of the wrong shape start (the rest are YAML syntax).
const SEMANTIC: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "missing field",
    "unknown field",
    "unknown variant",
    "duplicate field",
];

/// The line and column of a second document's `---` (or of the content after a `...`), found
/// by reading lines, for when the text could not be indexed.
fn second_document_line(text: &str) -> Option<(usize, usize)> {
    let mut content = false;
    let mut ended = false;
    for (i, line) in text.lines().enumerate() {
        let marker = |m: &str| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        };
        if marker("---") {
            if content || ended {
                return Some((i + 1, 1));
            }
            content = true;
        } else if marker("...") {
            ended = true;
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            if ended {
                return Some((i + 1, 1));
            }
            content = true;
        }
    }
    None
}

/// Whether line `line` (1-based) is indented with a tab.
fn tab_indented(text: &str, line: usize) -> bool {
    text.lines().nth(line.wrapping_sub(1)).is_some_and(|line| {
        line.chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    })
}

/// The last key of `path` (`clients[0].tokens.id_minutes` gives `id_minutes`).
fn field_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit());
    let trimmed = trimmed.strip_suffix('[').unwrap_or(trimmed);
    trimmed.rsplit('.').next().unwrap_or(trimmed)
}

/// The values a whole-number field takes, as the spec reference states them.
fn integer_range(path: &str) -> String {
    let name = field_name(path);
    let range = match name {
        "min_length" if path.starts_with("password.") => "6 to 99",
        "temporary_password_validity_days" => "0 to 365",
        "access_minutes" | "id_minutes" => "5 to 1440",
        "refresh_days" => "1 to 3650",
        "refresh_hours" => "1 to 87600",
        "min_length" | "max_length" => "0 to 2048",
        "min_value" | "max_value" => "-9223372036854775808 to 9223372036854775807",
        "log_retention_days" => {
            return format!(
                "one of CloudWatch Logs' retention periods: {}",
                validate::LOG_RETENTION_DAYS
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        _ => "in the range the spec reference gives",
    };
    range.to_owned()
}

/// What to do about a YAML syntax error, by the parser's description of it.
fn syntax_help(message: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("tab character", "indent with spaces, never tabs"),
        ("did not find expected key", "check the indentation: the keys of one mapping start in the same column, and a value that starts with `@`, `` ` ``, `%`, `*`, `&`, `!`, `|` or `>` must be quoted"),
        ("mapping values are not allowed", "quote a value that contains `: ` (e.g. description: \"a: b\"), or indent the nested keys under their own key"),
        ("block sequence entries are not allowed", "start a `- item` list on the line after its key, indented the same for every item"),
        ("did not find expected '-' indicator", "indent every `- item` of a list in the same column"),
        ("did not find expected ',' or ']'", "close the list with `]` and separate its items with commas; quote items that contain `,` `[` `]` `{` `}` or `: `"),
        ("did not find expected ',' or '}'", "close the mapping with `}` and separate its entries with commas; quote values that contain `,` `[` `]` `{` `}` or `: `"),
        ("could not find expected ':'", "put `: ` after every key; a key must fit on one line"),
        ("found character that cannot start any token", "quote the value: it starts with a character YAML reserves (`@` or `` ` ``), or a tab indents the line"),
        ("found unknown escape character", "inside double quotes use only YAML escapes (\\n, \\t, \\\\, \\\", \\uXXXX), or use single quotes, where backslashes are literal"),
        ("found unexpected end of stream", "close the quoted string or the `[`/`{` that is still open at the end of the file"),
        ("found unexpected document indicator", "a line that starts with `---` or `...` ends the document; indent it or quote the text"),
        ("did not find expected node content", "give the key a value, and quote values that start with a special character"),
        ("did not find expected comment or line break", "put a line break after the closing quote or bracket, and write comments as ` # comment`"),
        ("found undefined tag handle", "remove the `!` tag (or quote the value that starts with `!`)"),
        ("did not find expected whitespace", "put a space after `-`, `:` and `!tag`"),
        ("unknown anchor", "define the anchor with `&name` before using it as `*name`, or quote the value that starts with `*`"),
        ("anchor", "quote the value that starts with `&` or `*`"),
        ("while scanning a block scalar", "after `|` or `>` put only an indentation digit or `-`/`+`, then the text on the following lines, indented"),
        ("while scanning a quoted scalar", "close the quoted string, and write a quote inside it as `\\\"` (double quotes) or `''` (single quotes)"),
        ("mapping keys are not allowed", "a `?` starts a complex key, which a spec never has: remove it, or quote the value that starts with `?`"),
        ("directive", "remove the `%` line, or quote the value that starts with `%`"),
        ("<document start>", "remove the `%` line at the top (a directive needs a `---` line after it), or quote the value that starts with `%`"),
        ("recursion limit exceeded", "nesting is too deep: a spec is a few levels deep at most"),
        ("repetition limit exceeded", "aliases expand to too much: write the values out instead of repeating `*alias`"),
        ("while parsing", "check the indentation (spaces only; the keys of one mapping in one column) and quote values that contain `: `, ` #` or start with a special character"),
        ("while scanning", "check the indentation (spaces only; the keys of one mapping in one column) and quote values that contain `: `, ` #` or start with a special character"),
        ("EOF while parsing", "the file ends in the middle of a value: complete it"),
        ("merging", "`<<` merges mappings: give it `*anchor` of a mapping, or remove it"),
        ("merge", "`<<` merges mappings: give it `*anchor` of a mapping, or remove it"),
    ];
    TABLE
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map(|(_, help)| *help)
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
    // A path prefix with spaces in a key (`tags.my key: missing field ...`).
    if let Some(start) = SEMANTIC
        .iter()
        .filter_map(|phrase| message.find(&format!(": {phrase}")))
        .min()
    {
        message.replace_range(..start + 2, "");
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
