//! One module per command. Each turns parsed arguments into calls on the library crates and
//! prints the result; none holds logic of its own.

pub mod check;
pub mod deploy;
pub mod destroy;
pub mod diff;
pub mod outputs;
pub mod render;
pub mod review;
pub mod schema;
