//! Stack names: CloudFormation's rules, and the tighter bound a stack with a PreSignUp trigger
//! needs because its function is named after the stack.

use crate::DeployError;

/// The longest stack name CloudFormation accepts.
pub const MAX_STACK_NAME: usize = 128;

/// The longest name of a stack with a trigger: the template names the function
/// `${AWS::StackName}-pre-sign-up`, and Lambda allows 64 characters.
pub const MAX_STACK_NAME_WITH_TRIGGER: usize = 64 - 1 - template::PRE_SIGN_UP_FUNCTION_SUFFIX.len();

/// Checks a stack name before any API call, so that a bad one fails at once rather than
/// minutes into a deploy when Lambda refuses the function name.
pub fn check_stack_name(name: &str, with_trigger: bool) -> Result<(), DeployError> {
    let bad = |why: String| Err(DeployError::StackName(format!("stack name `{name}` {why}")));
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return bad("must start with a letter".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return bad(format!(
            "contains {c:?}: use only letters, digits and hyphens"
        ));
    }
    let limit = if with_trigger {
        MAX_STACK_NAME_WITH_TRIGGER
    } else {
        MAX_STACK_NAME
    };
    if name.len() > limit {
        let because = if with_trigger {
            format!(
                " (the PreSignUp function is named `<stack>-{}` and Lambda allows 64 characters)",
                template::PRE_SIGN_UP_FUNCTION_SUFFIX
            )
        } else {
            String::new()
        };
        return bad(format!(
            "has {} characters; at most {limit} are allowed here{because}: pass a shorter --stack",
            name.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trigger_bound_leaves_room_for_the_function_suffix() {
        assert_eq!(MAX_STACK_NAME_WITH_TRIGGER, 52);
        let longest = "a".repeat(MAX_STACK_NAME_WITH_TRIGGER);
        assert!(format!("{longest}-{}", template::PRE_SIGN_UP_FUNCTION_SUFFIX).len() == 64);
        assert!(check_stack_name(&longest, true).is_ok());
    }

    #[test]
    fn bad_names_say_what_is_wrong() {
        for (name, trigger, expected) in [
            ("1pool", false, "must start with a letter"),
            ("", false, "must start with a letter"),
            ("pool_users", false, "contains '_'"),
            ("pool.users", true, "contains '.'"),
            (&"a".repeat(53), true, "has 53 characters; at most 52"),
            (&"a".repeat(129), false, "has 129 characters; at most 128"),
        ] {
            let error = check_stack_name(name, trigger).unwrap_err().to_string();
            assert!(error.contains(expected), "{name:?}: {error}");
        }
        assert!(check_stack_name(&"a".repeat(53), false).is_ok());
        assert!(check_stack_name("poolctl-acme-users", true).is_ok());
    }
}
