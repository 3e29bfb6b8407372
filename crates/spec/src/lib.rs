//! The pool spec: the typed model of `infra/pools/<pool>.yaml`, loading with errors located at
//! a line and column, validation of everything CloudFormation or Cognito would reject later or
//! that would strand users with `email_verified = false`, and the JSON Schema for editors.

pub mod model;

pub use model::*;
