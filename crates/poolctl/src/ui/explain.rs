//! `explain` for people: the rows as a table with risky rows marked and their fix under them,
//! and `--prove`'s predicted-against-observed table.

use explain::{Check, Explanation, Observed, Proof, Row};
use import::Gap;

use super::columns;

/// What the tables are of, printed above them.
pub struct Heading<'a> {
    /// Where the pool's settings were read from.
    pub source: &'a str,
    /// A live pool explained as it is (`--user-pool-id`): the source is its own line.
    pub live_pool: bool,
    /// The stack, and its pool's id when known.
    pub stack: Option<(&'a str, Option<&'a str>)>,
}

/// The heading, the rows and, with `--prove`, the proof, on stdout.
pub fn print_explanation(heading: &Heading<'_>, explanation: &Explanation, proof: Option<&Proof>) {
    if heading.live_pool {
        println!("{}", heading.source);
    }
    if let Some((stack, pool)) = heading.stack {
        println!(
            "Stack {stack} (pool {}), {}.",
            pool.unwrap_or("?"),
            heading.source
        );
    }
    print!("{}", render_rows(explanation));
    if let Some(proof) = proof {
        println!();
        print!("{}", render_proof(explanation, proof));
    }
}

/// Live settings the imported spec cannot hold: no row accounts for them.
pub fn print_gap_notes(gaps: &[Gap]) {
    for gap in gaps {
        eprintln!(
            "note: the live pool's {} is outside the spec, so no row accounts for it",
            gap.setting
        );
    }
}

/// Test users `--prove` made and could not delete.
pub fn print_leftovers(proof: &Proof) {
    for (user, error) in &proof.leftovers {
        eprintln!("warning: could not delete test user {user}: {error}");
    }
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "n/a",
    }
}

/// The rows; a risky row starts with `!` and is followed by its problem and fix.
pub fn render_rows(explanation: &Explanation) -> String {
    let header = ["", "SCENARIO", "EMAIL_VERIFIED", "RESET", "EMAIL", "WHY"];
    let mut lines = vec![header.map(str::to_owned).to_vec()];
    lines.extend(explanation.rows.iter().map(|row| {
        vec![
            if row.is_risky() { "!" } else { "" }.to_owned(),
            row.scenario.title(),
            row.email_verified.as_str().to_owned(),
            yes_no(row.can_reset_password).to_owned(),
            yes_no(Some(row.can_receive_email)).to_owned(),
            row.why.clone(),
        ]
    }));
    let mut out = format!(
        "Pool {}: what each way in does to email_verified (sample address {}{})\n\n",
        explanation.pool,
        explanation.sample_email,
        if explanation.has_trigger {
            ""
        } else {
            "; no PreSignUp trigger"
        }
    );
    let rendered = columns(&lines);
    for (line, row) in rendered
        .iter()
        .zip(std::iter::once(None).chain(explanation.rows.iter().map(Some)))
    {
        out.push_str(line);
        out.push('\n');
        if let Some(risk) = row.and_then(|r: &Row| r.risk.as_ref()) {
            out.push_str(&format!("     problem: {}\n", risk.problem));
            match &risk.fix.path {
                Some(path) => out.push_str(&format!("     fix: {path}: {}\n", risk.fix.change)),
                None => out.push_str(&format!("     fix: {}\n", risk.fix.change)),
            }
        }
    }
    let risky = explanation.risky().count();
    out.push_str(&format!(
        "\n{risky} risky row{} of {} (marked !). RESET: can reset a forgotten password; EMAIL: gets codes by email.\n",
        if risky == 1 { "" } else { "s" },
        explanation.rows.len()
    ));
    out
}

/// One check's result word and detail.
pub fn result(check: &Check) -> (&'static str, String) {
    match (&check.observed, check.agrees()) {
        (Observed::Verdict(_), Some(true)) => ("ok", String::new()),
        (Observed::Verdict(_), _) => ("MISMATCH", String::new()),
        (Observed::Failed(why), _) => ("FAILED", why.clone()),
        (Observed::NotPerformed(why), _) => ("-", why.clone()),
    }
}

/// Predicted against observed, one row a line; mismatches say MISMATCH.
pub fn render_proof(explanation: &Explanation, proof: &Proof) -> String {
    let header = ["SCENARIO", "PREDICTED", "OBSERVED", "RESULT", "USER / NOTE"];
    let mut lines = vec![header.map(str::to_owned).to_vec()];
    for check in &proof.checks {
        let title = explanation
            .rows
            .get(check.row)
            .map(|row| row.scenario.title())
            .unwrap_or_default();
        let observed = match &check.observed {
            Observed::Verdict(verdict) => verdict.as_str(),
            Observed::Failed(_) | Observed::NotPerformed(_) => "",
        };
        let (word, detail) = result(check);
        let mut note = check.user.clone().unwrap_or_default();
        for extra in [
            check.note.map(str::to_owned),
            (!detail.is_empty()).then_some(detail),
        ]
        .into_iter()
        .flatten()
        {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(&extra);
        }
        lines.push(vec![
            title,
            check.predicted.as_str().to_owned(),
            observed.to_owned(),
            word.to_owned(),
            note,
        ]);
    }
    let mut out = format!(
        "Proved on stack {} (pool {}):\n\n",
        proof.stack, proof.pool_id
    );
    for line in columns(&lines) {
        out.push_str(&line);
        out.push('\n');
    }
    let mismatches = proof.mismatches().count();
    out.push_str(&format!(
        "\n{} performed, {mismatches} mismatch{}, {} not performed; the users made were deleted{}.\n",
        proof.performed(),
        if mismatches == 1 { "" } else { "es" },
        proof.checks.len() - proof.performed(),
        if proof.leftovers.is_empty() {
            ""
        } else {
            " (except those warned about)"
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::json;

    fn explanation(extra: &str) -> Explanation {
        let yaml = format!(
            "name: t\nsign_in: {{ username: email }}\nclients:\n  - {{ name: agent, generate_secret: true }}\n{extra}"
        );
        let spec = spec::load_str("t.yaml", &yaml).unwrap().spec;
        explain::explain(&spec).unwrap()
    }

    #[test]
    fn risky_rows_are_marked_and_followed_by_their_fix() {
        let text = render_rows(&explanation(""));
        let agent = text
            .lines()
            .position(|l| l.contains("agent sign-up via agent"))
            .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[agent].starts_with("!  "), "{text}");
        assert!(
            lines[agent + 1].trim_start().starts_with("problem: "),
            "{text}"
        );
        assert!(
            lines[agent + 2].contains(
                "fix: triggers.pre_sign_up: add `pre_sign_up: { trusted_clients: [agent] }`"
            ),
            "{text}"
        );
        let verified = lines
            .iter()
            .find(|l| l.contains("AdminCreateUser with email_verified=true"))
            .unwrap();
        assert!(verified.starts_with("   "), "{text}");
        assert!(text.contains("no PreSignUp trigger"), "{text}");
        assert!(text.contains("2 risky rows of 5"), "{text}");
    }

    #[test]
    fn json_rows_carry_the_trigger_call_and_the_fix() {
        let explained = explanation("triggers: { pre_sign_up: { deny_domains: [example.com] } }\n");
        let value = json::explain(&explained, None, None);
        assert_eq!(value["sample_email"], "new.user@example.org");
        assert!(value["proof"].is_null());
        let agent = &value["rows"][0];
        assert_eq!(agent["scenario"], "agent_sign_up");
        assert_eq!(agent["client"], "agent");
        assert_eq!(agent["email_verified"], "false");
        assert_eq!(agent["trigger"]["source"], "PreSignUp_SignUp");
        assert_eq!(agent["trigger"]["reason"], "self_service");
        assert_eq!(
            agent["risk"]["fix"]["path"],
            "triggers.pre_sign_up.trusted_clients"
        );
        let admin = value["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["scenario"] == "admin_create_user")
            .unwrap();
        assert!(admin["risk"]["fix"]["path"].is_null());
        assert_eq!(value["risky"], 2);
    }
}
