//! The pool spec: the typed model of `infra/pools/<pool>.yaml`, loading with errors located at
//! a line and column, validation of everything CloudFormation or Cognito would reject later or
//! that would strand users with `email_verified = false`, and the JSON Schema for editors.
//!
//! ```no_run
//! let loaded = spec::load(std::path::Path::new("infra/pools/demo.yaml"))?;
//! for warning in &loaded.warnings {
//!     eprintln!("{warning}");
//! }
//! println!("{}", loaded.spec.name);
//! # Ok::<(), spec::SpecError>(())
//! ```

mod diagnostic;
pub mod environment;
mod load;
pub mod locate;
pub mod model;
mod schema;
mod schema_check;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, SpecError};
pub use environment::{is_several, NamedEnvironment, SelectError, Selected};
pub use load::{load, load_bytes, load_str, Loaded};
pub use model::*;
pub use schema::{json_schema, json_schema_pretty, reference_markdown};
pub use validate::{domain_prefix_problem, MAX_DOMAIN_PREFIX, RESERVED_DOMAIN_WORDS};
