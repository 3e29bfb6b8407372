//! A change set for people, as rain and the CDK CLI show it: one line per resource, marked
//! `+` add, `~` modify, `!` replace, `-` remove, then the totals.

use std::fmt::Write as _;

use deploy::changes::{Action, Replaces, ResourceChange};

/// How one change is marked and named in text.
pub fn mark_and_verb(change: &ResourceChange) -> (&'static str, &'static str) {
    match (change.action, change.replacement) {
        (Action::Add, _) => ("+", "add"),
        (Action::Modify, Replaces::Yes) => ("!", "REPLACE"),
        (Action::Modify, Replaces::Conditional) => ("!", "REPLACE?"),
        (Action::Modify, Replaces::No) => ("~", "modify"),
        (Action::Remove, _) => ("-", "remove"),
        (Action::Import, _) => ("<", "import"),
        (Action::Other, _) => ("?", "change"),
    }
}

/// The summary printed before executing: one line per resource, marked `+` add, `~` modify,
/// `!` replace, `-` remove, then the totals.
pub fn render_text(changes: &[ResourceChange]) -> String {
    let id_width = changes
        .iter()
        .map(|c| c.logical_id.len())
        .max()
        .unwrap_or(0);
    let type_width = changes
        .iter()
        .map(|c| c.resource_type.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for change in changes {
        let (mark, verb) = mark_and_verb(change);
        let _ = write!(
            out,
            "  {mark} {verb:<8} {:<id_width$}  {:<type_width$}",
            change.logical_id, change.resource_type
        );
        if !change.properties.is_empty() {
            let listed: Vec<String> = change
                .properties
                .iter()
                .map(|p| {
                    if change.replacing_properties.contains(p) {
                        format!("{p} (forces replacement)")
                    } else {
                        p.clone()
                    }
                })
                .collect();
            let _ = write!(out, "  {}", listed.join(", "));
        }
        out = out.trim_end().to_owned();
        out.push('\n');
    }
    let count = |a: Action| changes.iter().filter(|c| c.action == a).count();
    let replacing = |r: Replaces| {
        changes
            .iter()
            .filter(|c| c.action == Action::Modify && c.replacement == r)
            .count()
    };
    // CloudFormation says Conditional when it cannot know before executing (e.g. a property
    // that is a GetAtt of a modified resource): counted apart so "replaced" stays a certainty.
    let maybe = match replacing(Replaces::Conditional) {
        0 => String::new(),
        n => format!(", {n} may be replaced"),
    };
    let _ = writeln!(
        out,
        "{} to add, {} to modify ({} replaced{maybe}), {} to remove",
        count(Action::Add),
        count(Action::Modify),
        replacing(Replaces::Yes),
        count(Action::Remove)
    );
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn change(
        action: Action,
        logical_id: &str,
        resource_type: &str,
        replacement: Replaces,
        properties: &[&str],
        replacing_properties: &[&str],
    ) -> ResourceChange {
        ResourceChange {
            action,
            logical_id: logical_id.into(),
            resource_type: resource_type.into(),
            replacement,
            properties: properties.iter().map(ToString::to_string).collect(),
            replacing_properties: replacing_properties
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }

    /// What the driver summarises a recorded change set to: "subject changed, function code
    /// changed, a client added, a client renamed (remove + add), the function's name changed".
    pub(crate) fn recorded() -> Vec<ResourceChange> {
        vec![
            change(
                Action::Modify,
                "UserPool",
                "AWS::Cognito::UserPool",
                Replaces::No,
                &["VerificationMessageTemplate", "EmailVerificationSubject"],
                &[],
            ),
            change(
                Action::Add,
                "ClientMobile",
                "AWS::Cognito::UserPoolClient",
                Replaces::No,
                &[],
                &[],
            ),
            change(
                Action::Remove,
                "ClientOld",
                "AWS::Cognito::UserPoolClient",
                Replaces::No,
                &[],
                &[],
            ),
            change(
                Action::Modify,
                "PreSignUpFunction",
                "AWS::Lambda::Function",
                Replaces::Yes,
                &["FunctionName", "Code"],
                &["FunctionName"],
            ),
        ]
    }

    #[test]
    fn text_summary_marks_each_kind_and_counts() {
        let text = render_text(&recorded());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        assert!(lines[0].starts_with("  ~ modify   UserPool "), "{text}");
        assert!(
            lines[0].ends_with("VerificationMessageTemplate, EmailVerificationSubject"),
            "{text}"
        );
        assert!(lines[1].starts_with("  + add      ClientMobile"), "{text}");
        assert!(lines[2].starts_with("  - remove   ClientOld"), "{text}");
        assert!(
            lines[3].starts_with("  ! REPLACE  PreSignUpFunction"),
            "{text}"
        );
        assert!(
            lines[3].contains("FunctionName (forces replacement), Code"),
            "{text}"
        );
        assert_eq!(lines[4], "1 to add, 2 to modify (1 replaced), 1 to remove");
    }

    #[test]
    fn conditional_replacements_are_counted_apart_from_certain_ones() {
        let mut changes = recorded();
        changes[0].replacement = Replaces::Conditional;
        let text = render_text(&changes);
        assert!(
            text.lines()
                .any(|l| l.starts_with("  ! REPLACE? UserPool ")),
            "{text}"
        );
        assert_eq!(
            text.lines().last(),
            Some("1 to add, 2 to modify (1 replaced, 1 may be replaced), 1 to remove")
        );
    }
}
