//! Environments: names that fit a stack name, real account IDs and regions, a role in the
//! environment's own account, and overrides that are part of a spec.

use crate::locate::child_path;

use super::Checker;

/// The longest environment name: `poolctl-<pool>-<env>` must stay a valid stack name.
pub const MAX_ENVIRONMENT_NAME: usize = 32;

impl Checker<'_> {
    pub(super) fn environments(&mut self) {
        for (name, environment) in &self.spec.environments {
            let path = child_path("environments", name);
            // `all` selects every environment (`--env all`).
            let name_ok = name != "all"
                && !name.is_empty()
                && name.len() <= MAX_ENVIRONMENT_NAME
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !name_ok {
                self.error_at_key(
                    &path,
                    format!("environment name {name:?} is not valid"),
                    format!("use 1 to {MAX_ENVIRONMENT_NAME} lowercase letters, digits and hyphens, starting with a letter (it ends the stack name)"),
                );
            }
            if !is_account_id(&environment.account) {
                self.error(
                    child_path(&path, "account"),
                    format!("{:?} is not an AWS account ID", environment.account),
                    "write the 12-digit account ID in quotes, e.g. \"111111111111\"",
                );
            }
            if !is_region(&environment.region) {
                self.error(
                    child_path(&path, "region"),
                    format!("{:?} is not an AWS region", environment.region),
                    "write a region code such as us-east-1 or eu-west-1",
                );
            }
            if let Some(role_arn) = &environment.role_arn {
                match role_account(role_arn) {
                    None => self.error(
                        child_path(&path, "role_arn"),
                        format!("{role_arn:?} is not an IAM role ARN"),
                        "write arn:aws:iam::<account>:role/<name>",
                    ),
                    Some(account) if account != environment.account => self.error(
                        child_path(&path, "role_arn"),
                        format!(
                            "the role is in account {account}, and the environment is account {}",
                            environment.account
                        ),
                        "use the deploy role of the environment's own account",
                    ),
                    Some(_) => {}
                }
            } else if environment.external_id.is_some() || environment.session_name.is_some() {
                self.error(
                    &path,
                    "external_id and session_name apply to an assumed role, and there is no role_arn",
                    "add role_arn, or remove external_id and session_name",
                );
            }
            if let Some(external_id) = &environment.external_id {
                let length = external_id.chars().count();
                let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@:/-_".contains(c);
                if !(2..=1224).contains(&length) || !external_id.chars().all(allowed) {
                    self.error(
                        child_path(&path, "external_id"),
                        "STS takes an external ID of 2 to 1224 characters: letters, digits and +=,.@:/-_",
                        "use the external ID the role's trust policy names",
                    );
                }
            }
            if let Some(session_name) = &environment.session_name {
                let allowed = |c: char| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c);
                if !(2..=64).contains(&session_name.len()) || !session_name.chars().all(allowed) {
                    self.error(
                        child_path(&path, "session_name"),
                        "STS takes a session name of 2 to 64 characters: letters, digits and +=,.@-_",
                        "shorten the name or remove the other characters",
                    );
                }
            }
            match &environment.overrides {
                None | Some(serde_norway::Value::Mapping(_)) => {}
                Some(_) => self.error(
                    child_path(&path, "overrides"),
                    "overrides is part of a spec: a mapping",
                    "write the keys that differ in this environment, e.g. `overrides: { tags: { env: prod } }`",
                ),
            }
            if let Some(serde_norway::Value::Mapping(overrides)) = &environment.overrides {
                if overrides.contains_key("environments") {
                    self.error_at_key(
                        child_path(&child_path(&path, "overrides"), "environments"),
                        "an environment cannot declare environments",
                        "remove `environments` from the overrides",
                    );
                }
            }
        }
    }
}

/// Twelve ASCII digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A region code: `us-east-1`, `ap-southeast-2`, `us-gov-west-1`.
fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[0].len() == 2
        && parts[parts.len() - 1]
            .parse::<u8>()
            .is_ok_and(|n| n > 0 && !parts[parts.len() - 1].starts_with('0'))
}

/// The account of an IAM role ARN (`arn:<partition>:iam::<account>:role/<path/name>`).
fn role_account(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !partition.starts_with("aws") {
        return None;
    }
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let name = resource.strip_prefix("role/")?;
    (is_account_id(account) && !name.is_empty() && !name.ends_with('/')).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_role_arns() {
        assert!(is_region("us-east-1") && is_region("us-gov-west-1") && is_region("eu-west-3"));
        assert!(!is_region("us-east") && !is_region("US-EAST-1") && !is_region("us-east-01"));
        assert_eq!(
            role_account("arn:aws:iam::222222222222:role/poolctl-deploy"),
            Some("222222222222")
        );
        assert_eq!(
            role_account("arn:aws-cn:iam::222222222222:role/ci/deploy"),
            Some("222222222222")
        );
        assert_eq!(role_account("arn:aws:iam::22222222222:role/x"), None);
        assert_eq!(role_account("arn:aws:iam::222222222222:user/x"), None);
    }
}
