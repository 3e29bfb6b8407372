//! Protection: a pool Cognito refuses to delete is also kept by CloudFormation, and a
//! production pool has both (the rules of guard/pool_protection.guard, at the same level).

use crate::model::DeletionProtection;

use super::Checker;

impl Checker<'_> {
    pub(super) fn protection(&mut self) {
        let protection = &self.spec.protection;
        let active = protection.deletion == DeletionProtection::Active;
        if self.spec.is_production() {
            if !active {
                self.error(
                    "protection.deletion",
                    "the pool is tagged `environment: production`, and a production pool has deletion protection",
                    "set `deletion: active` (the default), or tag the pool with another environment",
                );
            }
            if !protection.retain_on_delete {
                self.error(
                    "protection.retain_on_delete",
                    "the pool is tagged `environment: production`, and a production pool is kept when the stack is deleted or replaces it",
                    "set `retain_on_delete: true` (the default), or tag the pool with another environment",
                );
            }
        } else if active && !protection.retain_on_delete {
            self.error(
                "protection.retain_on_delete",
                "deletion protection is active but the stack does not keep the pool: deleting the stack, or a change that replaces the pool, fails when CloudFormation tries to delete it",
                "set `retain_on_delete: true` (the default), or `deletion: inactive` for a pool that may be deleted",
            );
        }
    }
}
