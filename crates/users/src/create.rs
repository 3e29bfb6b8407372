//! `users create`: the seeds' AdminCreateUser path for agents and migrations. Rows are
//! validated before any call; creation runs at the UserCreation quota with a journal.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, DeliveryMediumType, MessageActionType,
};
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::cognito::Cognito;
use crate::journal::Journal;
use crate::pool::Pool;
use crate::workers::{run_all, NOT_STARTED};
use crate::UsersError;

/// Columns a row may have besides `username` and `email` (`custom:*` is also accepted).
pub const OPTIONAL_ATTRIBUTES: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "phone_number",
    "locale",
    "zoneinfo",
];

/// One user to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    /// The line of the input it came from (1-based; the CSV header is line 1).
    pub line: u64,
    /// `None`: the email is the username (pools with `UsernameAttributes: email`).
    pub username: Option<String>,
    pub email: String,
    pub attributes: Vec<(String, String)>,
}

/// The journal of a create run from `from`: `chosen`, or by default `<from>.journal` beside
/// the input, so that rerunning the same command resumes the same run.
pub fn journal_path(from: &Path, chosen: Option<PathBuf>) -> PathBuf {
    chosen.unwrap_or_else(|| {
        let mut name = from.as_os_str().to_owned();
        name.push(".journal");
        PathBuf::from(name)
    })
}

/// Opens (or resumes) a create run's journal for `pool_id`.
pub fn open_journal(path: &Path, pool_id: &str) -> Result<Journal, UsersError> {
    Journal::open(path, "create", pool_id)
}

/// Reads `path` (`.csv` with a header row, or JSON Lines with one object per line) and
/// checks every row on its own and against the others. All problems are reported at once.
pub fn read_rows(path: &Path) -> Result<Vec<NewUser>, UsersError> {
    let text = std::fs::read_to_string(path).map_err(|e| UsersError::file(path, e))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (rows, mut problems) = if is_csv {
        parse_csv(&text)
    } else {
        parse_jsonl(&text)
    };
    problems.extend(cross_check(&rows));
    if rows.is_empty() && problems.is_empty() {
        problems.push("no rows".to_owned());
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(UsersError::InvalidRows {
            path: path.to_owned(),
            problems,
        })
    }
}

/// Checks the rows against the pool: who the username is depends on its sign-in settings.
pub fn check_against_pool(
    path: &Path,
    rows: &mut [NewUser],
    pool: &Pool,
) -> Result<(), UsersError> {
    let mut problems = Vec::new();
    for row in rows.iter_mut() {
        match (&row.username, pool.email_is_username) {
            (Some(name), true) if !name.eq_ignore_ascii_case(&row.email) => problems.push(format!(
                "line {}: this pool signs in by email, so the username is the email; drop the \
                 username column or make it equal to the email",
                row.line
            )),
            (Some(name), false) if pool.email_is_sign_in && name.contains('@') => {
                problems.push(format!(
                    "line {}: username {name:?} looks like an email, which Cognito refuses when \
                     email is an alias; use another username",
                    row.line
                ));
            }
            (None, false) => problems.push(format!(
                "line {}: a username is required: this pool does not use email as the username",
                row.line
            )),
            _ => {}
        }
        if pool.email_is_username {
            row.username = None;
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(UsersError::InvalidRows {
            path: path.to_owned(),
            problems,
        })
    }
}

fn parse_csv(text: &str) -> (Vec<NewUser>, Vec<String>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => return (rows, vec![format!("line 1: {e}")]),
    };
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, csv::Position::line);
                let fields = headers
                    .iter()
                    .zip(record.iter())
                    .filter(|(_, value)| !value.is_empty())
                    .map(|(key, value)| (key.to_owned(), value.to_owned()));
                match row(line, fields) {
                    Ok(row) => rows.push(row),
                    Err(problem) => problems.push(problem),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                problems.push(format!("line {line}: {e}"));
            }
        }
    }
    (rows, problems)
}

fn parse_jsonl(text: &str) -> (Vec<NewUser>, Vec<String>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, text) in text.lines().enumerate() {
        let line = index as u64 + 1;
        if text.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
        {
            Ok(object) => object,
            Err(e) => {
                problems.push(format!("line {line}: not a JSON object ({e})"));
                continue;
            }
        };
        let mut fields = Vec::new();
        for (key, value) in object {
            match value {
                serde_json::Value::String(s) => fields.push((key, s)),
                serde_json::Value::Null => {}
                other => problems.push(format!("line {line}: {key} must be a string, not {other}")),
            }
        }
        match row(line, fields.into_iter()) {
            Ok(row) => rows.push(row),
            Err(problem) => problems.push(problem),
        }
    }
    (rows, problems)
}

/// One row from its fields: known columns only, a plausible email, an E.164 phone number.
fn row(line: u64, fields: impl Iterator<Item = (String, String)>) -> Result<NewUser, String> {
    let mut username = None;
    let mut email = None;
    let mut attributes = Vec::new();
    for (key, value) in fields {
        match key.as_str() {
            "username" => username = Some(value),
            "email" => email = Some(value),
            "email_verified" => {
                return Err(format!(
                    "line {line}: email_verified is not a column; pass --verified-email to \
                     create users with a verified email"
                ))
            }
            "phone_number" if !is_e164(&value) => {
                return Err(format!(
                    "line {line}: phone_number {value:?} is not in E.164 form (+15555550100)"
                ))
            }
            key if OPTIONAL_ATTRIBUTES.contains(&key) || key.starts_with("custom:") => {
                attributes.push((key.to_owned(), value));
            }
            other => {
                return Err(format!(
                    "line {line}: unknown column {other:?} (username, email, {}, custom:*)",
                    OPTIONAL_ATTRIBUTES.join(", ")
                ))
            }
        }
    }
    let email = email.ok_or_else(|| format!("line {line}: email is required"))?;
    if !is_email(&email) {
        return Err(format!("line {line}: {email:?} is not an email address"));
    }
    if let Some(name) = &username {
        if name.chars().any(char::is_whitespace) || name.chars().count() > 128 {
            return Err(format!(
                "line {line}: username {name:?} must have no spaces and at most 128 characters"
            ));
        }
    }
    Ok(NewUser {
        line,
        username,
        email,
        attributes,
    })
}

/// Two rows with one address would create the alias trap on purpose; two with one username
/// would fail late.
fn cross_check(rows: &[NewUser]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut emails: HashMap<String, u64> = HashMap::new();
    let mut usernames: HashMap<&str, u64> = HashMap::new();
    for row in rows {
        if let Some(first) = emails.insert(row.email.to_lowercase(), row.line) {
            problems.push(format!(
                "line {}: email {} is also on line {first}",
                row.line, row.email
            ));
        }
        if let Some(name) = &row.username {
            if let Some(first) = usernames.insert(name, row.line) {
                problems.push(format!(
                    "line {}: username {name} is also on line {first}",
                    row.line
                ));
            }
        }
    }
    problems
}

fn is_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(|c| c.is_whitespace() || c == '"')
        }
        None => false,
    }
}

fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    })
}

/// How new users are told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invitation {
    /// Cognito emails the invitation with a temporary password.
    Email,
    /// No message (`MessageAction: SUPPRESS`): the migration tells users itself.
    Suppress,
}

#[derive(Clone, Copy, Debug)]
pub struct CreateOptions {
    pub verified_email: bool,
    pub invitation: Invitation,
}

/// What happened to one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CreateOutcome {
    Created,
    /// An earlier run of this journal created the user.
    DoneEarlier,
    /// An earlier run was stopped after sending; the user exists.
    Recovered,
    /// The username was taken before this run.
    Exists,
    /// The address is another user's alias (`AliasExistsException`).
    AliasTaken,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateReport {
    pub rows: u64,
    pub counts: BTreeMap<&'static str, u64>,
    /// Rows not created, with their line and why.
    pub not_created: Vec<(u64, String, CreateOutcome)>,
    /// Rows the run never reached: it was stopped first (also in `counts`).
    pub not_started: u64,
    /// The most rows handled at once (grown with the measured latency to reach the quota).
    pub workers: usize,
}

impl CreateOutcome {
    pub fn name(&self) -> &'static str {
        match self {
            CreateOutcome::Created => "created",
            CreateOutcome::DoneEarlier => "done_earlier",
            CreateOutcome::Recovered => "recovered",
            CreateOutcome::Exists => "exists",
            CreateOutcome::AliasTaken => "alias_taken",
        }
    }
}

/// Creates `rows` in `pool`, journaled. Cancelling `stop` ends the run early: rows already
/// started finish and are journaled, the rest are counted in [`CreateReport::not_started`].
pub async fn create(
    cognito: &Arc<Cognito>,
    pool: &Pool,
    rows: Vec<NewUser>,
    journal: Arc<Journal>,
    options: CreateOptions,
    stop: &CancellationToken,
) -> Result<CreateReport, UsersError> {
    let total = rows.len() as u64;
    let worked = run_all(rows, cognito.create.ceiling(), &cognito.counters, stop, {
        let cognito = Arc::clone(cognito);
        let pool = pool.clone();
        let journal = Arc::clone(&journal);
        move |row: NewUser| {
            let (cognito, pool, journal) =
                (Arc::clone(&cognito), pool.clone(), Arc::clone(&journal));
            async move {
                let outcome = create_one(&cognito, &pool, &row, &journal, options).await?;
                cognito.counters.users.fetch_add(1, Ordering::Relaxed);
                Ok((row.line, username_of(&row).to_owned(), outcome))
            }
        }
    })
    .await;
    journal.sync()?;
    let worked = worked?;
    let mut results = worked.done;
    results.sort_by_key(|(line, _, _)| *line);
    let mut counts = BTreeMap::new();
    for (_, _, outcome) in &results {
        *counts.entry(outcome.name()).or_default() += 1;
    }
    if worked.not_started > 0 {
        counts.insert(NOT_STARTED, worked.not_started);
    }
    Ok(CreateReport {
        rows: total,
        counts,
        not_started: worked.not_started,
        workers: worked.peak_workers,
        not_created: results
            .into_iter()
            .filter(|(_, _, o)| matches!(o, CreateOutcome::Exists | CreateOutcome::AliasTaken))
            .collect(),
    })
}

fn username_of(row: &NewUser) -> &str {
    row.username.as_deref().unwrap_or(&row.email)
}

async fn create_one(
    cognito: &Cognito,
    pool: &Pool,
    row: &NewUser,
    journal: &Journal,
    options: CreateOptions,
) -> Result<CreateOutcome, UsersError> {
    let username = username_of(row);
    if journal.finished(username).is_some() {
        return Ok(CreateOutcome::DoneEarlier);
    }
    if journal.was_started(username) {
        // Stopped after sending: the user may exist already.
        let exists = cognito
            .call("cognito-idp:AdminGetUser", &cognito.read, || {
                cognito
                    .client
                    .admin_get_user()
                    .user_pool_id(&pool.id)
                    .username(username)
                    .send()
            })
            .await;
        match exists {
            Ok(_) => {
                journal.finish(username, "recovered")?;
                return Ok(CreateOutcome::Recovered);
            }
            Err(error) if error.is_code("UserNotFoundException") => {}
            Err(error) => return Err(error),
        }
    }
    let mut attributes = vec![attribute("email", &row.email)];
    if options.verified_email {
        attributes.push(attribute("email_verified", "true"));
    }
    attributes.extend(row.attributes.iter().map(|(k, v)| attribute(k, v)));
    journal.start(username)?;
    let answer = cognito
        .call("cognito-idp:AdminCreateUser", &cognito.create, || {
            let request = cognito
                .client
                .admin_create_user()
                .user_pool_id(&pool.id)
                .username(username)
                .set_user_attributes(Some(attributes.clone()));
            match options.invitation {
                Invitation::Suppress => request.message_action(MessageActionType::Suppress),
                Invitation::Email => request.desired_delivery_mediums(DeliveryMediumType::Email),
            }
            .send()
        })
        .await;
    let outcome = match answer {
        Ok(_) => CreateOutcome::Created,
        Err(error) if error.is_code("UsernameExistsException") => CreateOutcome::Exists,
        Err(error) if error.is_code("AliasExistsException") => CreateOutcome::AliasTaken,
        Err(error) => return Err(error),
    };
    journal.finish(username, outcome.name())?;
    Ok(outcome)
}

fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("name is set")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("poolctl-create-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_create_journal_sits_beside_its_input_unless_chosen() {
        assert_eq!(
            journal_path(Path::new("seed/users.csv"), None),
            PathBuf::from("seed/users.csv.journal")
        );
        assert_eq!(
            journal_path(Path::new("users.csv"), Some(PathBuf::from("j"))),
            PathBuf::from("j")
        );
    }

    fn problems(path: &Path) -> Vec<String> {
        match read_rows(path) {
            Err(UsersError::InvalidRows { problems, .. }) => problems,
            other => panic!("expected invalid rows, got {other:?}"),
        }
    }

    #[test]
    fn csv_rows_are_read_with_their_lines() {
        let path = write(
            "good.csv",
            "username,email,given_name\nann,ann@example.com,Ann\nbo,bo@example.com,\n",
        );
        let rows = read_rows(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            rows[0].attributes,
            vec![("given_name".into(), "Ann".into())]
        );
        assert_eq!(rows[1].line, 3);
        assert!(rows[1].attributes.is_empty());
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let path = write(
            "bad.csv",
            "username,email,phone_number\n\
             ann,ann@example.com,\n\
             bo,not-an-email,\n\
             cy,cy@example.com,5550100\n\
             ann,ANN@example.com,\n",
        );
        let found = problems(&path);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found[0].starts_with("line 3: \"not-an-email\""),
            "{found:#?}"
        );
        assert!(found[1].starts_with("line 4: phone_number"), "{found:#?}");
        assert!(found
            .iter()
            .any(|p| p.starts_with("line 5: email ANN@example.com is also on line 2")));
        assert!(found
            .iter()
            .any(|p| p.starts_with("line 5: username ann is also on line 2")));
    }

    #[test]
    fn jsonl_rows_refuse_unknown_columns_and_email_verified() {
        let path = write(
            "bad.jsonl",
            "{\"email\":\"a@example.com\",\"shoe_size\":\"9\"}\n\n{\"email\":\"b@example.com\",\"email_verified\":\"true\"}\nnot json\n",
        );
        let found = problems(&path);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with("line 1: unknown column \"shoe_size\""));
        assert!(found[1].starts_with("line 3: email_verified is not a column"));
        assert!(found[2].starts_with("line 4: not a JSON object"));
    }

    #[test]
    fn usernames_follow_the_pool_sign_in_settings() {
        let path = write("pool.jsonl", "{\"email\":\"a@example.com\"}\n");
        let mut pool = Pool {
            id: "p".into(),
            email_is_sign_in: true,
            email_is_username: true,
            temp_password_days: 7,
            estimated_users: 0,
        };
        let mut rows = read_rows(&path).unwrap();
        check_against_pool(&path, &mut rows, &pool).unwrap();
        assert_eq!(username_of(&rows[0]), "a@example.com");

        pool.email_is_username = false;
        let error = check_against_pool(&path, &mut rows, &pool).unwrap_err();
        assert!(
            error.to_string().contains("line 1: a username is required"),
            "{error}"
        );

        rows[0].username = Some("x@example.com".into());
        let error = check_against_pool(&path, &mut rows, &pool).unwrap_err();
        assert!(error.to_string().contains("looks like an email"), "{error}");
    }
}
