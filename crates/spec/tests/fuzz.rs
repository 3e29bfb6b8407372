//! A mutation fuzzer over the example specs: byte flips, deleted, duplicated and swapped lines,
//! keys and values swapped, values of the wrong type, stray YAML syntax and truncation.
//!
//! For every mutant: loading never panics; every error is located (a line and column inside
//! the file, or line 0 for a whole-file problem such as UTF-16 text) with a help line; and a
//! mutant that loads renders to a template without panicking.
//!
//! Deterministic: a fixed seed (`POOLCTL_FUZZ_SEED`) and case count (`POOLCTL_FUZZ_CASES`,
//! 3,000 by default, so `cargo test` stays quick). `just fuzz` runs millions in release.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use spec::{Diagnostic, SpecError};

/// xorshift64*: small, fast and good enough to pick mutations; the same seed gives the same
/// cases on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a number")),
        Err(_) => default,
    }
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut seeds = Vec::new();
    for dir in ["infra/pools", "crates/template/tests/specs"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|entry| entry.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
            seeds.push((name, std::fs::read(&path).unwrap()));
        }
    }
    assert!(seeds.len() >= 6, "expected the example specs: {seeds:?}");
    seeds
}

/// Values of the wrong type, at the edges of ranges, or that YAML reads as something else.
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1.5",
    "99999999999999999999999",
    "4294967296",
    "65536",
    "256",
    "1e3",
    "0x10",
    ".inf",
    "~",
    "null",
    "true",
    "yes",
    "\"\"",
    "''",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "[[], {}]",
    "- x",
    "\"a: b\"",
    "a: b",
    "*missing",
    "&anchor x",
    "!tag x",
    "!!binary aGk=",
    "\"\\u0000\"",
    "\"\\x07\"",
    "'it''s'",
    "|\n  block",
    ">-",
    "@home",
    "`tick`",
    "%x",
    "\"unterminated",
    "[unterminated",
    "{unterminated",
    "https://example.com/x#y",
    "xn--bcher-kva.example",
    "*.example.com",
    "COGNITO",
    "email",
    "Google",
];

/// Lines that change the document's structure.
const LINES: &[&str] = &[
    "---",
    "...",
    "%YAML 1.2",
    "<<: *base",
    "base: &base {name: x}",
    "? complex",
    "? [a, b]\n: c",
    "\t",
    "  - item",
    "key without value:",
    "name: demo",
    "tags: {a: b, a: c}",
    "description: ",
    "# comment",
    "\u{feff}name: x",
    "\r",
];

fn lines_of(text: &[u8]) -> Vec<Vec<u8>> {
    text.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// The position of a line's value (after `: `), if it has one.
fn value_start(line: &[u8]) -> Option<usize> {
    line.windows(2).position(|w| w == b": ").map(|i| i + 2)
}

fn mutate(rng: &mut Rng, text: &mut Vec<u8>) {
    let mut lines = lines_of(text);
    if lines.is_empty() {
        lines.push(Vec::new());
    }
    let i = rng.below(lines.len());
    match rng.below(12) {
        // Byte flips: one bit, or a byte YAML cares about.
        0 => {
            if !text.is_empty() {
                let at = rng.below(text.len());
                text[at] ^= 1 << rng.below(8);
            }
            return;
        }
        1 => {
            if !text.is_empty() {
                let at = rng.below(text.len());
                text[at] = *rng.pick(b":-#[]{}\"'\t\n\r &*!|>%@`?,\0\xff\xc3\x80");
            }
            return;
        }
        // Truncation.
        2 => {
            let at = rng.below(text.len() + 1);
            text.truncate(at);
            return;
        }
        3 => {
            lines.remove(i);
        }
        4 => {
            let copy = lines[i].clone();
            let to = rng.below(lines.len() + 1);
            lines.insert(to, copy);
        }
        5 => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
        }
        // Key and value swapped.
        6 => {
            if let Some(start) = value_start(&lines[i]) {
                let line = &lines[i];
                let indent = line.iter().take_while(|&&b| b == b' ').count();
                let key = line[indent..start - 2].to_vec();
                let value: Vec<u8> = line[start..]
                    .iter()
                    .copied()
                    .filter(|&b| b != b'\n')
                    .collect();
                let mut swapped = line[..indent].to_vec();
                swapped.extend(value);
                swapped.extend(b": ");
                swapped.extend(key);
                swapped.push(b'\n');
                lines[i] = swapped;
            }
        }
        // A value of the wrong type.
        7 | 8 => {
            if let Some(start) = value_start(&lines[i]) {
                let mut line = lines[i][..start].to_vec();
                line.extend(rng.pick(VALUES).as_bytes());
                line.push(b'\n');
                lines[i] = line;
            } else {
                // A list item or a bare key: replace what follows the indentation.
                let indent = lines[i].iter().take_while(|&&b| b == b' ').count();
                let mut line = lines[i][..indent].to_vec();
                line.extend(rng.pick(VALUES).as_bytes());
                line.push(b'\n');
                lines[i] = line;
            }
        }
        // Indentation off by one or two.
        9 => {
            if rng.below(2) == 0 {
                let mut line = b" ".repeat(1 + rng.below(2));
                line.extend(&lines[i]);
                lines[i] = line;
            } else if lines[i].starts_with(b" ") {
                lines[i].remove(0);
            }
        }
        // A structural line.
        10 => {
            let indent = lines[i].iter().take_while(|&&b| b == b' ').count();
            let mut line = lines[i][..indent].to_vec();
            line.extend(rng.pick(LINES).as_bytes());
            line.push(b'\n');
            lines.insert(i, line);
        }
        // A very long value.
        _ => {
            if let Some(start) = value_start(&lines[i]) {
                let mut line = lines[i][..start].to_vec();
                line.extend("x".repeat(1 + rng.below(3000)).as_bytes());
                line.push(b'\n');
                lines[i] = line;
            }
        }
    }
    *text = lines.concat();
}

/// Line and column bounds of `text`: the number of lines (counting every break any YAML
/// version knows) and the longest line in characters.
fn bounds(text: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(text);
    let lines = 1 + text
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
                || (c == '\r' && text.as_bytes().get(i + 1) != Some(&b'\n'))
        })
        .count();
    let longest = text
        .split('\n')
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    (lines, longest)
}

/// What is wrong with a diagnostic, if anything.
fn unlocated(d: &Diagnostic, file: &str, bounds: (usize, usize)) -> Option<String> {
    let (lines, longest) = bounds;
    if d.file != file {
        return Some(format!("names file {:?}", d.file));
    }
    if d.help.trim().is_empty() {
        return Some("has no help".into());
    }
    if d.line == 0 {
        // Whole-file problems only: the file's encoding.
        return (!d.message.contains("UTF-16")).then(|| "has no line".into());
    }
    if d.line > lines || d.column == 0 || d.column > longest + 1 {
        return Some(format!(
            "is outside the file ({lines} lines, longest {longest})"
        ));
    }
    None
}

#[derive(Debug, Default)]
struct Figures {
    cases: u64,
    loaded: u64,
    refused: u64,
    panics: u64,
    unlocated: u64,
    render_panics: u64,
    examples: Vec<String>,
    /// Errors whose help only points at the spec reference, by message.
    generic_help: std::collections::BTreeMap<String, u64>,
}

fn run(cases: u64, seed: u64) -> Figures {
    let seeds = seeds();
    let mut rng = Rng(seed | 1);
    let mut figures = Figures::default();
    let note = |figures: &mut Figures, what: String| {
        if figures.examples.len() < 10 {
            figures.examples.push(what);
        }
    };
    for case in 0..cases {
        let (name, original) = rng.pick(&seeds);
        let mut text = original.clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut text);
        }
        figures.cases += 1;
        let outcome = catch_unwind(|| spec::load_bytes(name, &text));
        let show = || String::from_utf8_lossy(&text).into_owned();
        match outcome {
            Err(_) => {
                figures.panics += 1;
                note(
                    &mut figures,
                    format!("case {case}: load panicked on:\n{}", show()),
                );
            }
            Ok(Err(SpecError { diagnostics })) => {
                figures.refused += 1;
                let limits = bounds(&text);
                if !diagnostics.iter().any(Diagnostic::is_error) {
                    figures.unlocated += 1;
                    note(
                        &mut figures,
                        format!("case {case}: refused without an error"),
                    );
                }
                for d in diagnostics.iter().filter(|d| d.is_error()) {
                    if d.help.starts_with("see the pool spec reference") {
                        let first_line = d.message.lines().next().unwrap_or_default().to_owned();
                        *figures.generic_help.entry(first_line).or_default() += 1;
                    }
                    if let Some(why) = unlocated(d, name, limits) {
                        figures.unlocated += 1;
                        note(
                            &mut figures,
                            format!("case {case}: `{d}` {why}; text:\n{}", show()),
                        );
                        break;
                    }
                }
            }
            Ok(Ok(loaded)) => {
                figures.loaded += 1;
                let rendered = catch_unwind(AssertUnwindSafe(|| {
                    let template =
                        template::render(&loaded.spec, &template::RenderOptions::default());
                    (template.to_yaml(), template.to_json())
                }));
                if rendered.is_err() {
                    figures.render_panics += 1;
                    note(
                        &mut figures,
                        format!("case {case}: render panicked on:\n{}", show()),
                    );
                }
            }
        }
    }
    figures
}

#[test]
fn mutated_specs_never_panic_and_every_error_is_located() {
    let cases = env_number("POOLCTL_FUZZ_CASES", 3_000);
    let seed = env_number("POOLCTL_FUZZ_SEED", 0x5EED_5BEC);
    // Panics are counted, not printed: the default hook would print each one.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let figures = run(cases, seed);
    std::panic::set_hook(hook);
    println!(
        "spec fuzz: {} cases (seed {seed:#x}): {} loaded and rendered, {} refused; {} panics, {} unlocated errors, {} render panics, {} errors with only the generic help",
        figures.cases,
        figures.loaded,
        figures.refused,
        figures.panics,
        figures.unlocated,
        figures.render_panics,
        figures.generic_help.values().sum::<u64>()
    );
    assert!(
        figures.panics == 0 && figures.unlocated == 0 && figures.render_panics == 0,
        "{figures:#?}"
    );
    // The mutations must exercise both paths, or the fuzzer tests nothing.
    assert!(
        figures.loaded > 0 && figures.refused > figures.cases / 4,
        "{figures:#?}"
    );
}

#[test]
fn the_mutations_are_deterministic() {
    let mut a = Rng(7);
    let mut b = Rng(7);
    let (mut x, mut y) = (
        b"name: demo\nsign_in:\n  username: email\n".to_vec(),
        Vec::new(),
    );
    y.clone_from(&x);
    for _ in 0..50 {
        mutate(&mut a, &mut x);
        mutate(&mut b, &mut y);
    }
    assert_eq!(x, y);
}
