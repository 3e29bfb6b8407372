//! The CPU architectures the PreSignUp trigger is built for, spelled as Lambda's
//! `Architectures` values. The one list: the template's `TriggerArchitecture` parameter, the
//! command line's `--arch` and the build task all read it.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Architecture {
    /// Graviton: the default on AWS, cheaper per invocation.
    Arm64,
    /// For local emulators, which run the bootstrap on an x86_64 machine.
    X86_64,
}

impl Architecture {
    /// Every supported architecture, default first.
    pub const ALL: [Architecture; 2] = [Architecture::Arm64, Architecture::X86_64];

    /// The template parameter's default.
    pub const DEFAULT: Architecture = Architecture::Arm64;

    /// Lambda's name: `arm64` or `x86_64`.
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::Arm64 => "arm64",
            Architecture::X86_64 => "x86_64",
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An architecture name that is not one of [`Architecture::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownArchitecture(pub String);

impl fmt::Display for UnknownArchitecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown architecture {:?}: use arm64 or x86_64 (Lambda's names)",
            self.0
        )
    }
}

impl std::error::Error for UnknownArchitecture {}

impl FromStr for Architecture {
    type Err = UnknownArchitecture;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Architecture::ALL
            .into_iter()
            .find(|arch| arch.as_str() == s)
            .ok_or_else(|| UnknownArchitecture(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for arch in Architecture::ALL {
            assert_eq!(arch.as_str().parse::<Architecture>(), Ok(arch));
        }
        let error = "x86-64".parse::<Architecture>().unwrap_err();
        assert!(error.to_string().contains("use arm64 or x86_64"), "{error}");
    }
}
