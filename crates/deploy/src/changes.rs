//! What a change set will do: each resource added, modified or removed, the properties that
//! cause each modification, and replacements.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::types::{
    Change, ChangeAction, Replacement, RequiresRecreation, ResourceAttribute,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Add,
    Modify,
    Remove,
    Import,
    Other,
}

/// Whether a modification replaces the resource (a new physical resource, the old one deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaces {
    /// In place (or not a modification).
    No,
    /// Depends on a value only known while updating.
    Conditional,
    Yes,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChange {
    pub action: Action,
    pub logical_id: String,
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

/// Whether executing these changes needs someone's consent: anything beyond adding new
/// resources touches what is already deployed.
pub fn needs_confirmation(changes: &[ResourceChange]) -> bool {
    changes.iter().any(|c| c.action != Action::Add)
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
                    Some(RequiresRecreation::Always | RequiresRecreation::Conditionally)
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

/// One resource whose change is not the same in every change set compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference<'a> {
    pub logical_id: String,
    pub resource_type: String,
    /// Its change in each change set, in the order given; `None` where it does not change.
    pub changes: Vec<Option<&'a ResourceChange>>,
}

/// The resources whose change differs between `change_sets` (by action, replacement or the
/// properties that cause it), sorted by logical ID. A resource that changes alike in each
/// is left out.
pub fn differences<'a>(change_sets: &[&'a [ResourceChange]]) -> Vec<Difference<'a>> {
    let mut by_resource: BTreeMap<&str, Vec<Option<&'a ResourceChange>>> = BTreeMap::new();
    for (position, changes) in change_sets.iter().enumerate() {
        for change in *changes {
            by_resource
                .entry(change.logical_id.as_str())
                .or_insert_with(|| vec![None; change_sets.len()])[position] = Some(change);
        }
    }
    let alike = |a: Option<&ResourceChange>, b: Option<&ResourceChange>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let properties = |c: &ResourceChange| {
                let mut names = c.properties.clone();
                names.sort();
                names
            };
            a.action == b.action && a.replacement == b.replacement && properties(a) == properties(b)
        }
        _ => false,
    };
    by_resource
        .into_iter()
        .filter(|(_, changes)| changes.windows(2).any(|pair| !alike(pair[0], pair[1])))
        .map(|(logical_id, changes)| Difference {
            logical_id: logical_id.to_owned(),
            resource_type: changes
                .iter()
                .flatten()
                .next()
                .map(|c| c.resource_type.clone())
                .unwrap_or_default(),
            changes,
        })
        .collect()
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
    fn only_additions_go_ahead_without_consent() {
        let summary = summarise(&recorded());
        assert!(needs_confirmation(&summary));
        let additions: Vec<ResourceChange> = summary
            .into_iter()
            .filter(|c| c.action == Action::Add)
            .collect();
        assert!(!additions.is_empty());
        assert!(!needs_confirmation(&additions));
    }

    #[test]
    fn differences_keep_only_resources_that_change_unalike() {
        let summary = summarise(&recorded());
        // The second change set: the pool changes alike, the function in place, no client.
        let mut function = summary[3].clone();
        function.replacement = Replaces::No;
        function.properties = vec!["Code".to_owned()];
        let other = vec![summary[0].clone(), function];
        let found = differences(&[&summary, &other]);
        let ids: Vec<&str> = found.iter().map(|d| d.logical_id.as_str()).collect();
        assert_eq!(ids, ["ClientMobile", "ClientOld", "PreSignUpFunction"]);
        assert_eq!(found[0].resource_type, "AWS::Cognito::UserPoolClient");
        assert_eq!(found[0].changes, [Some(&summary[1]), None]);
        assert_eq!(
            found[2].changes[1].map(|c| c.replacement),
            Some(Replaces::No)
        );
        // The same change set twice differs nowhere.
        assert!(differences(&[&summary, &summary]).is_empty());
    }
}
