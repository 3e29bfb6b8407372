//! The feature plan: every configured feature that needs a plan is refused on a lower one, or
//! while the spec states no plan at all.

use super::Checker;

impl Checker<'_> {
    pub(super) fn plan(&mut self) {
        let stated = self.spec.plan;
        for need in self.spec.plan_needs() {
            match stated {
                Some(plan) if plan >= need.plan => {}
                Some(plan) => self.error(
                    need.path,
                    format!(
                        "{} needs the {} plan or above, and this pool's plan is {}",
                        need.feature,
                        need.plan.name(),
                        plan.name()
                    ),
                    format!(
                        "set `plan: {}`, or remove {}",
                        need.plan.name(),
                        need.feature
                    ),
                ),
                None => self.error(
                    need.path,
                    format!(
                        "{} needs the {} plan or above, and the spec states no plan",
                        need.feature,
                        need.plan.name()
                    ),
                    format!(
                        "add `plan: {}` (pools created before November 2024 are on lite until moved)",
                        need.plan.name()
                    ),
                ),
            }
        }
    }
}
