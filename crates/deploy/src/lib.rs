//! deploy

pub mod artifact;
