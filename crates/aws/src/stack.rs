//! Stack → user pool: the one place the pool of a poolctl stack is looked up.

use crate::error::{AwsError, Error};
use crate::Aws;

impl Aws {
    /// The id of the pool `stack` deployed: its `UserPoolId` output
    /// ([`template::OUTPUT_USER_POOL_ID`]).
    pub async fn user_pool_id(&self, stack: &str) -> Result<String, Error> {
        const OPERATION: &str = "cloudformation:DescribeStacks";
        let answer = match self
            .cloudformation
            .describe_stacks()
            .stack_name(stack)
            .send()
            .await
        {
            Ok(answer) => answer,
            Err(error) => {
                let error = AwsError::from_sdk(OPERATION, &error);
                return Err(if error.is_missing_stack() {
                    Error::StackNotFound(stack.to_owned())
                } else {
                    error.into()
                });
            }
        };
        let found = answer
            .stacks()
            .first()
            .ok_or_else(|| Error::StackNotFound(stack.to_owned()))?;
        found
            .outputs()
            .iter()
            .find(|output| output.output_key() == Some(template::OUTPUT_USER_POOL_ID))
            .and_then(|output| output.output_value())
            .map(str::to_owned)
            .ok_or_else(|| Error::NoPoolOutput {
                stack: stack.to_owned(),
                output: template::OUTPUT_USER_POOL_ID,
            })
    }
}
