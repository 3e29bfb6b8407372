//! A small, deterministic YAML emitter for CloudFormation documents.
//!
//! Block style, two-space indentation, keys in document order. Intrinsic functions, held in
//! the document in their JSON long form (`{"Fn::Sub": ...}`), come out in short form (`!Sub`).
//! CloudFormation reads YAML 1.1, where `yes`, `off`, `2010-09-09`, `12:30` or `1_000` are not
//! strings; every string that YAML 1.1 or 1.2 could read as anything but that same string is
//! quoted, so the YAML and the JSON rendering always say the same thing.

use serde_json::{Map, Value};

/// Intrinsic functions that have a YAML short form: long-form key and tag.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "!Ref"),
    ("Fn::And", "!And"),
    ("Fn::Base64", "!Base64"),
    ("Fn::Cidr", "!Cidr"),
    ("Fn::Equals", "!Equals"),
    ("Fn::FindInMap", "!FindInMap"),
    ("Fn::GetAZs", "!GetAZs"),
    ("Fn::GetAtt", "!GetAtt"),
    ("Fn::If", "!If"),
    ("Fn::ImportValue", "!ImportValue"),
    ("Fn::Join", "!Join"),
    ("Fn::Not", "!Not"),
    ("Fn::Or", "!Or"),
    ("Fn::Select", "!Select"),
    ("Fn::Split", "!Split"),
    ("Fn::Sub", "!Sub"),
];

/// The document as YAML, ending with a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map_entries(&mut out, map, 0, false),
        Value::Array(items) if !items.is_empty() => write_seq_items(&mut out, items, 0, false),
        other => {
            write_inline(&mut out, other);
            out.push('\n');
        }
    }
    out
}

/// The short-form tag and argument when `map` is a single intrinsic function call.
fn intrinsic(map: &Map<String, Value>) -> Option<(&'static str, &Value)> {
    if map.len() != 1 {
        return None;
    }
    let (key, arg) = map.iter().next()?;
    SHORT_FORMS
        .iter()
        .find(|(long, _)| long == key)
        .map(|(_, tag)| (*tag, arg))
}

/// Writes `key: value` lines of a mapping at `indent`. With `first_inline`, the first line
/// continues the current line (after `- `) instead of starting a new indented one.
fn write_map_entries(
    out: &mut String,
    map: &Map<String, Value>,
    indent: usize,
    first_inline: bool,
) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !first_inline {
            push_indent(out, indent);
        }
        write_string(out, key);
        out.push(':');
        write_value_after_indicator(out, value, indent);
    }
}

/// Writes `- item` lines of a sequence at `indent`.
fn write_seq_items(out: &mut String, items: &[Value], indent: usize, first_inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !first_inline {
            push_indent(out, indent);
        }
        out.push('-');
        write_seq_item(out, item, indent);
    }
}

/// Writes a sequence item's value after its `-`.
fn write_seq_item(out: &mut String, item: &Value, indent: usize) {
    match item {
        Value::Object(map) if !map.is_empty() && intrinsic(map).is_none() => {
            out.push(' ');
            write_map_entries(out, map, indent + 2, true);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push(' ');
            write_seq_items(out, items, indent + 2, true);
        }
        _ => write_value_after_indicator(out, item, indent),
    }
}

/// Writes a value that follows `key:` or `-` on the same line, ending the line; nested blocks
/// go on the following lines, indented by two from `indent`.
fn write_value_after_indicator(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            if let Some((tag, arg)) = intrinsic(map) {
                out.push(' ');
                out.push_str(tag);
                write_tagged(out, tag, arg, indent);
            } else {
                out.push('\n');
                write_map_entries(out, map, indent + 2, false);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq_items(out, items, indent + 2, false);
        }
        scalar => {
            out.push(' ');
            write_inline(out, scalar);
            out.push('\n');
        }
    }
}

/// Writes the argument of a short-form tag already written on the current line.
fn write_tagged(out: &mut String, tag: &str, arg: &Value, indent: usize) {
    // `!GetAtt Resource.Attribute` when both parts are plain names.
    if tag == "!GetAtt" {
        if let Value::Array(parts) = arg {
            if let [Value::String(resource), Value::String(attribute)] = parts.as_slice() {
                let dotted = format!("{resource}.{attribute}");
                if !resource.contains('.') && !needs_quotes(&dotted) {
                    out.push(' ');
                    out.push_str(&dotted);
                    out.push('\n');
                    return;
                }
            }
        }
    }
    match arg {
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq_items(out, items, indent + 2, false);
        }
        Value::Object(map) if !map.is_empty() => {
            // A node carries one tag only: an intrinsic nested directly inside another is
            // written as its long-form mapping (`!Base64` + `Fn::Sub: ...`).
            out.push('\n');
            write_map_entries(out, map, indent + 2, false);
        }
        scalar => {
            out.push(' ');
            write_inline(out, scalar);
            out.push('\n');
        }
    }
}

fn write_inline(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Writes a string scalar: plain when that is unambiguous, otherwise quoted.
fn write_string(out: &mut String, s: &str) {
    if !needs_quotes(s) {
        out.push_str(s);
    } else if single_quotable(s) && (s.contains('"') || s.contains('\\')) {
        // Readability: JSON text and backslashes read better without escapes.
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        write_double_quoted(out, s);
    }
}

/// Single quotes represent `s` exactly only when it is one line of printable characters.
fn single_quotable(s: &str) -> bool {
    s.chars().all(|c| !is_escaped_char(c))
}

fn is_escaped_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{85}')
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_escaped_char(c) => {
                let code = c as u32;
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether a string must be quoted to be read back as this same string by a YAML 1.1 reader
/// (CloudFormation, PyYAML) and a YAML 1.2 reader alike. Deliberately conservative: quoting a
/// string that did not need it costs two characters, missing one changes the template.
pub fn needs_quotes(s: &str) -> bool {
    let Some(&first) = s.as_bytes().first() else {
        return true;
    };
    // Plain scalars here use a small, unambiguous alphabet.
    if !s.bytes().all(|b| in_table(&PLAIN, b)) {
        return true;
    }
    // Indicators that start another kind of node (or a comment, alias, anchor, tag, ...).
    if b"-?:,[]{}#&*!|>'\"%@`.=<~ ".contains(&first) {
        return true;
    }
    if s.ends_with(' ') || s.ends_with(':') || s.contains(": ") || s.contains(" #") {
        return true;
    }
    resolves_to_non_string(s)
}

/// ASCII letters and digits plus `extra`, as a lookup table (this runs for every string).
const fn ascii_table(extra: &[u8]) -> [bool; 128] {
    let mut table = [false; 128];
    let mut c = 0;
    while c < 128 {
        table[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

const PLAIN: [bool; 128] = ascii_table(b" _./-:@${}()+,=;*?!%'<>[]~^&|#");

fn in_table(table: &[bool; 128], b: u8) -> bool {
    b < 128 && table[b as usize]
}

/// Whether YAML 1.1 or 1.2 would resolve this plain scalar to a null, boolean, number or date.
fn resolves_to_non_string(s: &str) -> bool {
    // Null and the YAML 1.1 booleans (any capitalisation, which is more than YAML asks), and
    // infinity and not-a-number with an optional sign: all at most six characters.
    if s.len() <= 6 {
        let lower = s.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "null" | "~" | "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false"
        ) {
            return true;
        }
        if matches!(lower.trim_start_matches(['+', '-']), ".inf" | ".nan") {
            return true;
        }
    }
    // Every number form of YAML 1.1 and 1.2 (decimal, octal `017`/`0o17`, hex, binary,
    // underscores `1_000`, sexagesimal `12:30`, floats with exponents) and every date
    // (`2010-09-09`) is made of hex digits and `xXoObB_.:+-` only, and starts, after an
    // optional sign, with a digit or a dot.
    let numeric_char = |b: u8| b.is_ascii_hexdigit() || b"xXoObB_.:+-".contains(&b);
    let unsigned = s.trim_start_matches(['+', '-']);
    let starts_numeric = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if starts_numeric && s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().all(numeric_char) {
        return true;
    }
    // Timestamps with a time part: `2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43`.
    let bytes = s.as_bytes();
    bytes.len() >= 5 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_1_1_typed_strings_are_quoted() {
        for s in [
            "",
            "yes",
            "Yes",
            "NO",
            "on",
            "Off",
            "y",
            "N",
            "true",
            "False",
            "null",
            "~",
            "0",
            "12",
            "-3",
            "+7",
            "017",
            "0o17",
            "0x1F",
            "0b101",
            "1_000",
            "12:30",
            "190:20:30",
            "1.5",
            ".5",
            "1e3",
            "6.8523015e+5",
            ".inf",
            "-.INF",
            ".NaN",
            "2010-09-09",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43",
            "=",
            "<<",
            " leading",
            "trailing ",
            "a: b",
            "a #b",
            "ends:",
            "-",
            "- x",
            "? x",
            "!tag",
            "&anchor",
            "*alias",
            "{{resolve:ssm:x}}",
            "[a]",
            "#c",
            "@x",
            "`x",
            "%x",
            "|",
            ">",
            "'q'",
            "\"q\"",
            "multi\nline",
            "tab\there",
            "é",
            "...",
            "---",
        ] {
            assert!(needs_quotes(s), "{s:?} must be quoted");
        }
    }

    #[test]
    fn ordinary_strings_stay_plain() {
        for s in [
            "UserPool",
            "AWS::Cognito::UserPool",
            "arn:aws:ses:eu-west-1:123456789012:identity/acme.example",
            "https://app.example.com/cb",
            "${AWS::StackName}-pre-sign-up",
            "Your verification code is {####}",
            "provided.al2023",
            "lambda:InvokeFunction",
            "cognito-idp.amazonaws.com",
            "email",
            "x86_64",
            "arm64",
            "Fn::Sub",
        ] {
            assert!(!needs_quotes(s), "{s:?} should be plain");
        }
    }

    #[test]
    fn intrinsics_come_out_in_short_form() {
        let doc = json!({
            "A": {"Ref": "UserPool"},
            "B": {"Fn::GetAtt": ["UserPool", "Arn"]},
            "C": {"Fn::Sub": "arn:${AWS::Partition}:x"},
            "D": {"Fn::Join": ["", ["a", {"Ref": "X"}]]},
            "E": [{"Ref": "Z"}, {"Fn::GetAtt": ["F", "Arn"]}],
            "F": {"Fn::Base64": {"Fn::Sub": "x${Y}"}},
            "G": [{"Fn::Join": ["", ["a", {"Ref": "X"}]]}, {"Fn::Sub": ["x${A}", {"A": "b"}]}],
        });
        let yaml = to_yaml(&doc);
        assert_eq!(
            yaml,
            "A: !Ref UserPool\n\
             B: !GetAtt UserPool.Arn\n\
             C: !Sub arn:${AWS::Partition}:x\n\
             D: !Join\n  - \"\"\n  - - a\n    - !Ref X\n\
             E:\n  - !Ref Z\n  - !GetAtt F.Arn\n\
             F: !Base64\n  Fn::Sub: x${Y}\n\
             G:\n  - !Join\n    - \"\"\n    - - a\n      - !Ref X\n  - !Sub\n    - x${A}\n    - A: b\n"
        );
    }

    #[test]
    fn nested_blocks_and_empty_collections() {
        let doc = json!({
            "Statement": [{"Effect": "Allow", "Action": ["a", "b"], "Principal": {"Service": "s"}}],
            "Empty": [],
            "None": {},
            "Bools": [true, false, null, 5],
            "Nested": [["x", "w"], []],
        });
        let yaml = to_yaml(&doc);
        assert_eq!(
            yaml,
            "Statement:\n  - Effect: Allow\n    Action:\n      - a\n      - b\n    Principal:\n      Service: s\n\
             Empty: []\n\
             None: {}\n\
             Bools:\n  - true\n  - false\n  - null\n  - 5\n\
             Nested:\n  - - x\n    - w\n  - []\n"
        );
    }

    #[test]
    fn quoting_styles() {
        let doc = json!({
            "json": "{\"a\":[\"b\"]}",
            "date": "2010-09-09",
            "quote": "it's \"x\"",
            "newline": "a\nb\t\u{1}",
        });
        assert_eq!(
            to_yaml(&doc),
            "json: '{\"a\":[\"b\"]}'\n\
             date: \"2010-09-09\"\n\
             quote: 'it''s \"x\"'\n\
             newline: \"a\\nb\\t\\x01\"\n"
        );
    }

    #[test]
    fn yaml_reads_back_as_the_same_document_in_yaml_1_2() {
        let doc = json!({
            "Strings": ["yes", "no", "on", "2010-09-09", "12:30", "1_000", "=", "<<", "", " x ", "a: b", "l1\nl2", "0x1F", "it's", "{\"k\":1}"],
            "Numbers": [1, -2, 3.5],
            "Map": {"on": "off", "2010-09-09": "date key"},
            "Deep": [{"a": [{"b": "c"}]}],
        });
        let parsed: Value = serde_norway::from_str(&to_yaml(&doc)).expect("emitted YAML parses");
        assert_eq!(parsed, doc);
    }
}
