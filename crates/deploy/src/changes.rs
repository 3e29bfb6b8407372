//! What a change set will do, summarised for a person (and for `--output json`): each resource
//! added, modified or removed, the properties that cause each modification, and replacements.

use std::fmt::Write as _;

use aws_sdk_cloudformation::types::{
    Change, ChangeAction, Replacement, RequiresRecreation, ResourceAttribute,
};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Add,
    Modify,
    Remove,
    Import,
    Other,
}

/// Whether a modification replaces the resource (a new physical resource, the old one deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Replaces {
    /// In place (or not a modification).
    No,
    /// Depends on a value only known while updating.
    Conditional,
    Yes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceChange {
    pub action: Action,
    pub logical_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub replacement: Replaces,
    /// The properties (and `Tags`, `Metadata`...) whose change causes this one; those that
    /// force a replacement are listed in `replacing_properties` too.
    pub properties: Vec<String>,
    pub replacing_properties: Vec<String>,
}

impl ResourceChange {
    /// Removed, or replaced (the old physical resource goes).
    pub fn destroys_existing(&self) -> bool {
        self.action == Action::Remove
            || (self.action == Action::Modify && self.replacement != Replaces::No)
    }
}

/// The resource changes of a DescribeChangeSet answer (all pages concatenated).
pub fn summarise(changes: &[Change]) -> Vec<ResourceChange> {
    changes
        .iter()
        .filter_map(|change| change.resource_change())
        .map(|rc| {
            let action = match rc.action() {
                Some(ChangeAction::Add) => Action::Add,
                Some(ChangeAction::Modify) => Action::Modify,
                Some(ChangeAction::Remove) => Action::Remove,
                Some(ChangeAction::Import) => Action::Import,
                _ => Action::Other,
            };
            let replacement = match rc.replacement() {
                Some(Replacement::True) => Replaces::Yes,
                Some(Replacement::Conditional) => Replaces::Conditional,
                _ => Replaces::No,
            };
            let mut properties = Vec::new();
            let mut replacing_properties = Vec::new();
            for detail in rc.details() {
                let Some(target) = detail.target() else {
                    continue;
                };
                let name = match target.attribute() {
                    Some(ResourceAttribute::Properties) => {
                        target.name().unwrap_or("(unnamed property)").to_owned()
                    }
                    Some(other) => other.as_str().to_owned(),
                    None => continue,
                };
                let recreates = matches!(
                    target.requires_recreation(),
                    Some(RequiresRecreation::Always) | Some(RequiresRecreation::Conditionally)
                );
                if recreates && !replacing_properties.contains(&name) {
                    replacing_properties.push(name.clone());
                }
                if !properties.contains(&name) {
                    properties.push(name);
                }
            }
            ResourceChange {
                action,
                logical_id: rc.logical_resource_id().unwrap_or_default().to_owned(),
                resource_type: rc.resource_type().unwrap_or_default().to_owned(),
                replacement,
                properties,
                replacing_properties,
            }
        })
        .collect()
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
        let (mark, verb) = match (change.action, change.replacement) {
            (Action::Add, _) => ("+", "add"),
            (Action::Modify, Replaces::Yes) => ("!", "REPLACE"),
            (Action::Modify, Replaces::Conditional) => ("!", "REPLACE?"),
            (Action::Modify, Replaces::No) => ("~", "modify"),
            (Action::Remove, _) => ("-", "remove"),
            (Action::Import, _) => ("<", "import"),
            (Action::Other, _) => ("?", "change"),
        };
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
mod tests {
    use super::*;
    use aws_sdk_cloudformation::types::{
        ChangeSource, ChangeType, EvaluationType, ResourceChange as SdkResourceChange,
        ResourceChangeDetail, ResourceTargetDefinition,
    };

    fn detail(name: &str, recreation: RequiresRecreation) -> ResourceChangeDetail {
        ResourceChangeDetail::builder()
            .target(
                ResourceTargetDefinition::builder()
                    .attribute(ResourceAttribute::Properties)
                    .name(name)
                    .requires_recreation(recreation)
                    .build(),
            )
            .evaluation(EvaluationType::Static)
            .change_source(ChangeSource::DirectModification)
            .build()
    }

    fn change(
        action: ChangeAction,
        id: &str,
        kind: &str,
        replacement: Option<Replacement>,
        details: Vec<ResourceChangeDetail>,
    ) -> Change {
        let mut rc = SdkResourceChange::builder()
            .action(action)
            .logical_resource_id(id)
            .resource_type(kind)
            .set_details(Some(details));
        if let Some(r) = replacement {
            rc = rc.replacement(r);
        }
        Change::builder()
            .r#type(ChangeType::Resource)
            .resource_change(rc.build())
            .build()
    }

    /// The shape of a recorded DescribeChangeSet for "subject changed, function code changed,
    /// a client added, a client renamed (remove + add), the function's name changed".
    fn recorded() -> Vec<Change> {
        vec![
            change(
                ChangeAction::Modify,
                "UserPool",
                "AWS::Cognito::UserPool",
                Some(Replacement::False),
                vec![
                    detail("VerificationMessageTemplate", RequiresRecreation::Never),
                    detail("EmailVerificationSubject", RequiresRecreation::Never),
                    detail("VerificationMessageTemplate", RequiresRecreation::Never),
                ],
            ),
            change(
                ChangeAction::Add,
                "ClientMobile",
                "AWS::Cognito::UserPoolClient",
                None,
                vec![],
            ),
            change(
                ChangeAction::Remove,
                "ClientOld",
                "AWS::Cognito::UserPoolClient",
                None,
                vec![],
            ),
            change(
                ChangeAction::Modify,
                "PreSignUpFunction",
                "AWS::Lambda::Function",
                Some(Replacement::True),
                vec![
                    detail("FunctionName", RequiresRecreation::Always),
                    detail("Code", RequiresRecreation::Never),
                ],
            ),
        ]
    }

    #[test]
    fn summary_lists_actions_properties_and_replacements() {
        let summary = summarise(&recorded());
        assert_eq!(summary.len(), 4);
        assert_eq!(summary[0].action, Action::Modify);
        assert_eq!(summary[0].replacement, Replaces::No);
        assert_eq!(
            summary[0].properties,
            ["VerificationMessageTemplate", "EmailVerificationSubject"]
        );
        assert!(!summary[0].destroys_existing());
        assert_eq!(summary[1].action, Action::Add);
        assert!(summary[2].destroys_existing());
        assert_eq!(summary[3].replacement, Replaces::Yes);
        assert_eq!(summary[3].replacing_properties, ["FunctionName"]);
        assert!(summary[3].destroys_existing());
    }

    #[test]
    fn text_summary_marks_each_kind_and_counts() {
        let text = render_text(&summarise(&recorded()));
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
        let mut changes = summarise(&recorded());
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

    #[test]
    fn json_keys_are_stable() {
        let value = serde_json::to_value(&summarise(&recorded())[3]).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "action": "modify", "logical_id": "PreSignUpFunction", "type": "AWS::Lambda::Function",
                "replacement": "yes", "properties": ["FunctionName", "Code"],
                "replacing_properties": ["FunctionName"]
            })
        );
    }
}
