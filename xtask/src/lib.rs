//! Build tasks for the poolctl workspace (the library behind `cargo xtask`): the PreSignUp
//! trigger's deterministic zip (`trigger`) and the release archives (`dist`). A library so
//! that tests use the same names and packing as the releases (`tests/install.rs`).

pub mod dist;
pub mod trigger;
