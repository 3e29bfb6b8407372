//! What `trigger export` shows: the digest on stdout (what an auditor compares), the file on
//! stderr.

use std::path::Path;

use template::Architecture;

/// `<sha256>  <file>`, as `sha256sum` prints it, so `sha256sum -c` can check it.
pub fn print_exported(path: &Path, arch: Architecture, sha256: &str) {
    eprintln!("Wrote the embedded {arch} trigger to {}.", path.display());
    println!("{sha256}  {}", path.display());
}
