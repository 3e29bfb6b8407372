//! Groups and resource servers.

use std::collections::BTreeMap;

use crate::locate::child_path;

use super::Checker;

impl Checker<'_> {
    pub(super) fn groups(&mut self) {
        let mut ids: BTreeMap<String, &str> = BTreeMap::new();
        let mut precedences: BTreeMap<u32, &str> = BTreeMap::new();
        for (name, group) in &self.spec.groups {
            let base = child_path("groups", name);
            let valid = (1..=128).contains(&name.chars().count())
                && !name.chars().any(|c| c.is_whitespace() || c.is_control());
            if !valid {
                self.error_at_key(
                    &base,
                    format!("group name {name:?} is not valid"),
                    "use 1 to 128 characters without spaces, e.g. `admins`",
                );
            }
            // Logical IDs are `Group<PascalName>`: `a-b` and `aB` would collide.
            let id: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(other) = ids.insert(id, name) {
                self.error_at_key(
                    &base,
                    format!("groups `{other}` and `{name}` differ only in case or punctuation and would get the same CloudFormation logical ID"),
                    "give each group a distinct name",
                );
            }
            if let Some(description) = &group.description {
                if description.chars().count() > 2048 {
                    self.error(
                        format!("{base}.description"),
                        "a group description has at most 2048 characters",
                        "shorten it",
                    );
                }
            }
            if let Some(precedence) = group.precedence {
                if group.role_arn.is_some() {
                    if let Some(other) = precedences.insert(precedence, name) {
                        self.warning(
                            format!("{base}.precedence"),
                            format!("groups `{other}` and `{name}` have roles and the same precedence {precedence}: which role a member of both gets is undefined"),
                            "give each group with a role its own precedence",
                        );
                    }
                }
            }
            if let Some(arn) = &group.role_arn {
                if arn.is_empty() {
                    self.error(
                        format!("{base}.role_arn"),
                        "`role_arn` is empty; CloudFormation would pass \"\" to Cognito, which refuses it",
                        "remove `role_arn` for a group without a role, or write `arn:aws:iam::<account>:role/<name>`",
                    );
                } else if !is_iam_role_arn(arn) {
                    self.error(
                        format!("{base}.role_arn"),
                        format!("{arn:?} is not the ARN of an IAM role"),
                        "write `arn:aws:iam::<account>:role/<name>`",
                    );
                }
            }
        }
    }

    pub(super) fn resource_servers(&mut self) {
        let mut identifiers: BTreeMap<&str, usize> = BTreeMap::new();
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        for (i, server) in self.spec.resource_servers.iter().enumerate() {
            let base = format!("resource_servers[{i}]");
            let identifier = server.identifier.as_str();
            let valid = (1..=256).contains(&identifier.len())
                && identifier
                    .chars()
                    .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\');
            if !valid {
                self.error(
                    format!("{base}.identifier"),
                    format!("{identifier:?} is not a valid resource server identifier"),
                    "use 1 to 256 printable ASCII characters without spaces, quotes or backslashes, e.g. `https://api.acme.example`",
                );
            }
            if let Some(first) = identifiers.insert(identifier, i) {
                self.error(
                    format!("{base}.identifier"),
                    format!(
                        "identifier `{identifier}` is already used by resource_servers[{first}]"
                    ),
                    "give each resource server its own identifier",
                );
            }
            let name_ok = (1..=256).contains(&server.name.len())
                && server.name.chars().all(|c| {
                    c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c)
                });
            if !name_ok {
                self.error(
                    format!("{base}.name"),
                    format!("{:?} is not a valid resource server name", server.name),
                    "use 1 to 256 letters, digits, spaces and `_+=,.@-`",
                );
            }
            let id: String = server
                .name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(first) = ids.insert(id, i) {
                self.error(
                    format!("{base}.name"),
                    format!("the names of resource_servers[{first}] and resource_servers[{i}] differ only in case or punctuation and would get the same CloudFormation logical ID"),
                    "give each resource server a distinct name",
                );
            }
            if server.scopes.len() > 100 {
                self.error(
                    format!("{base}.scopes"),
                    "a resource server has at most 100 scopes",
                    "split it",
                );
            }
            let mut names = BTreeMap::new();
            for (j, scope) in server.scopes.iter().enumerate() {
                let path = format!("{base}.scopes[{j}]");
                let valid = (1..=256).contains(&scope.name.len())
                    && scope
                        .name
                        .chars()
                        .all(|c| c.is_ascii_graphic() && !"\"/\\".contains(c));
                if !valid {
                    self.error(
                        format!("{path}.name"),
                        format!("{:?} is not a valid scope name", scope.name),
                        "use 1 to 256 printable ASCII characters without spaces, `/`, quotes or backslashes, e.g. `orders.read`",
                    );
                }
                if let Some(first) = names.insert(scope.name.as_str(), j) {
                    self.error(
                        format!("{path}.name"),
                        format!(
                            "scope `{}` is already defined at scopes[{first}]",
                            scope.name
                        ),
                        "remove the duplicate",
                    );
                }
                if !(1..=256).contains(&scope.description.chars().count()) {
                    self.error(
                        format!("{path}.description"),
                        "a scope description has 1 to 256 characters",
                        "say in a few words what the scope grants",
                    );
                }
            }
        }
    }
}

/// `arn:<partition>:iam::<account>:role/<path and name>`.
/// `arn:<partition>:iam::<account>:role/[<path>/]<name>`, in the characters IAM allows.
pub(super) fn is_iam_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5].strip_prefix("role/").is_some_and(|name| {
            !name.is_empty()
                && name.len() <= 512
                && !name.ends_with('/')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+=,.@/-".contains(c))
        })
}
