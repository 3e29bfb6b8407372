//! One module per command. Each turns parsed arguments into calls on the library crates and
//! hands the results to `ui`; none holds logic of its own, and none imports another.

pub mod adopt;
pub mod check;
pub mod deploy;
pub mod deploy_several;
pub mod destroy;
pub mod destroy_several;
pub mod diff;
pub mod diff_several;
pub mod explain;
pub mod explain_several;
pub mod import;
pub mod outputs;
pub mod outputs_several;
pub mod render;
pub mod review;
pub mod schema;
pub mod shell;
pub mod trigger;
pub mod users;
pub mod users_audit_several;
