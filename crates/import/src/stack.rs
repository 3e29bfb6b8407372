//! The spec of a live pool, for explaining it as it is: any pool by id, or a pool deployed by
//! poolctl by its stack, where the PreSignUp policy comes from the stack's template (poolctl's
//! trigger keeps it there; the live pool only names the function).

use aws::Aws;
use deploy::Deployer;
use spec::{EmailVerifiedPolicy, PoolSpec, PreSignUpPolicy};

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
        with_own_trigger(&mut imported.spec, policy);
    }
    Ok(imported)
}

/// A live pool's spec once its PreSignUp ARN is known to be the stack's own function, whose
/// policy is `policy`: the policy instead of the ARN; the same function as the inbound
/// federation trigger is `inbound_federation: true`, and then a provider whose
/// `email_verified` is mapped from the attribute that function writes is `trigger`.
fn with_own_trigger(spec: &mut PoolSpec, policy: PreSignUpPolicy) {
    let own_function = spec.triggers.pre_sign_up_arn.take();
    spec.triggers.pre_sign_up = Some(policy);
    if own_function.is_none() || spec.triggers.inbound_federation_arn != own_function {
        return;
    }
    spec.triggers.inbound_federation_arn = None;
    spec.triggers.inbound_federation = true;
    let decided =
        EmailVerifiedPolicy::ClaimNamed(policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE.to_owned());
    for provider in &mut spec.identity_providers {
        if provider.email_verified.as_ref() == Some(&decided) {
            provider.email_verified = Some(EmailVerifiedPolicy::Trigger);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUNCTION: &str = "arn:aws:lambda:eu-west-1:123456789012:function:poolctl-t-pre-sign-up";

    fn live(inbound_arn: &str) -> PoolSpec {
        let yaml = format!(
            "name: t
sign_in: {{ username: email }}
identity_providers:
  - {{ name: Corp, kind: saml, metadata_url: \"https://idp.corp.example/m\", email_attribute: mail, email_verified: {{ claim: poolctl_email_verified }} }}
triggers:
  pre_sign_up_arn: {FUNCTION}
  inbound_federation_arn: {inbound_arn}
"
        );
        spec::load_str("live.yaml", &yaml).unwrap().spec
    }

    fn vouching() -> PreSignUpPolicy {
        PreSignUpPolicy {
            vouched_providers: vec!["Corp".to_owned()],
            ..PreSignUpPolicy::default()
        }
    }

    #[test]
    fn the_stacks_own_function_as_inbound_federation_reads_back_as_the_spec_wrote_it() {
        let mut spec = live(FUNCTION);
        with_own_trigger(&mut spec, vouching());
        assert_eq!(spec.triggers.pre_sign_up, Some(vouching()));
        assert_eq!(spec.triggers.pre_sign_up_arn, None);
        assert!(spec.triggers.inbound_federation);
        assert_eq!(spec.triggers.inbound_federation_arn, None);
        let provider = &spec.identity_providers[0];
        assert_eq!(provider.email_verified, Some(EmailVerifiedPolicy::Trigger));
        // The spec renders the mapping the live pool has.
        assert_eq!(
            spec.attribute_mapping(provider)["email_verified"],
            policy::DECIDED_EMAIL_VERIFIED_ATTRIBUTE
        );
        assert!(spec::validate::validate(&spec)
            .iter()
            .all(|f| f.severity != spec::Severity::Error));
    }

    #[test]
    fn another_inbound_federation_function_stays_by_arn() {
        let other = "arn:aws:lambda:eu-west-1:123456789012:function:other";
        let mut spec = live(other);
        with_own_trigger(&mut spec, vouching());
        assert!(!spec.triggers.inbound_federation);
        assert_eq!(spec.triggers.inbound_federation_arn.as_deref(), Some(other));
        assert!(matches!(
            spec.identity_providers[0].email_verified,
            Some(EmailVerifiedPolicy::ClaimNamed(_))
        ));
    }
}
