//! Stack → user pool: the one place the pool of a poolctl stack is looked up.

use aws_sdk_cloudformation::types::Stack;

use crate::error::{AwsError, Error};
use crate::Aws;

impl Aws {
    /// DescribeStacks for one stack; `None` when it does not exist. The one reading of a
    /// stack by name, for the deploy driver and for [`Aws::user_pool_id`].
    pub async fn find_stack(&self, stack: &str) -> Result<Option<Stack>, AwsError> {
        match self
            .cloudformation
            .describe_stacks()
            .stack_name(stack)
            .send()
            .await
        {
            Ok(answer) => Ok(answer.stacks.unwrap_or_default().into_iter().next()),
            Err(error) => {
                let error = AwsError::from_sdk("cloudformation:DescribeStacks", &error);
                if error.is_missing_stack() {
                    Ok(None)
                } else {
                    Err(error)
                }
            }
        }
    }

    /// The id of the pool `stack` deployed: its `UserPoolId` output
    /// ([`template::OUTPUT_USER_POOL_ID`]).
    pub async fn user_pool_id(&self, stack: &str) -> Result<String, Error> {
        let found = self
            .find_stack(stack)
            .await?
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
