//! The spec of a live pool, for explaining it as it is: any pool by id, or a pool deployed by
//! poolctl by its stack, where the PreSignUp policy comes from the stack's template (poolctl's
//! trigger keeps it there; the live pool only names the function).

use aws::Aws;
use deploy::Deployer;

use crate::{live, to_spec, ImportError, Imported};

/// The spec of the live pool `pool_id`. Gaps are listed, not refused: the caller decides what
/// they mean.
pub async fn pool_spec(aws: &Aws, pool_id: &str) -> Result<Imported, ImportError> {
    Ok(to_spec(&live::read(&aws.cognito, pool_id).await?))
}

/// The live spec of `stack`'s pool, with poolctl's PreSignUp policy when the stack has the
/// trigger. Gaps are listed, not refused.
pub async fn stack_spec(aws: &Aws, stack: &str) -> Result<Imported, ImportError> {
    let pool_id = aws.user_pool_id(stack).await?;
    let mut imported = pool_spec(aws, &pool_id).await?;
    let deployed = Deployer::new(aws.clone()).deployed_template(stack).await?;
    if let Some(policy) = deployed
        .as_ref()
        .map(template::pre_sign_up_policy)
        .transpose()?
        .flatten()
    {
        // The live pool's PreSignUp ARN is this stack's own function, whose policy this is.
        imported.spec.triggers.pre_sign_up = Some(policy);
        imported.spec.triggers.pre_sign_up_arn = None;
    }
    Ok(imported)
}
