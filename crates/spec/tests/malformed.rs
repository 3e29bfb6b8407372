//! Malformed specs a new user writes: each is refused with an error located at the line and
//! column of the mistake, naming the field, with a help line that says what to fix.

use spec::{load_bytes, load_str, Diagnostic, MAX_TEMPLATE_DESCRIPTION};

/// The smallest valid spec; tests append to it. Lines 1-3.
const BASE: &str = "name: demo\nsign_in:\n  username: email\n";

fn spec(extra: &str) -> String {
    format!("{BASE}{extra}")
}

/// The one error `text` gets; fails when it loads or has more than one error.
fn only_error(text: &str) -> Diagnostic {
    let error = load_str("pool.yaml", text).expect_err("the spec must be refused");
    let errors: Vec<&Diagnostic> = error.errors().collect();
    assert_eq!(errors.len(), 1, "{error}");
    let found = errors[0].clone();
    assert!(!found.help.is_empty(), "no help: {found}");
    found
}

fn assert_at(d: &Diagnostic, line: usize, column: usize) {
    assert_eq!(d.file, "pool.yaml", "{d}");
    assert_eq!((d.line, d.column), (line, column), "{d}");
}

// ------------------------------------------------------------------ duplicate keys

#[test]
fn a_second_standard_attribute_entry_is_an_error_not_the_last_one_winning() {
    let text = spec(
        "attributes:\n  standard:\n    email: { required: true }\n    name: { required: false }\n    email: { mutable: false }\n",
    );
    let d = only_error(&text);
    assert_at(&d, 8, 5);
    assert_eq!(d.message, "duplicate key `email` (first at 6:5)");
    assert_eq!(d.path, "attributes.standard.email");
    assert!(d.help.contains("keep one `email` key"), "{d}");
}

#[test]
fn duplicate_tag_custom_attribute_and_mapping_keys_are_errors() {
    let d = only_error(&spec("tags:\n  team: a\n  cost-center: b\n  team: c\n"));
    assert_at(&d, 7, 3);
    assert_eq!(d.message, "duplicate key `team` (first at 5:3)");
    assert_eq!(d.path, "tags.team");

    let d = only_error(&spec(
        "attributes:\n  custom:\n    tier: { type: string }\n    tier: { type: number }\n",
    ));
    assert_at(&d, 7, 5);
    assert_eq!(d.message, "duplicate key `tier` (first at 6:5)");
    assert_eq!(d.path, "attributes.custom.tier");

    let text = spec(concat!(
        "identity_providers:\n",
        "  - name: Google\n",
        "    kind: google\n",
        "    client_id: abc\n",
        "    client_secret: \"{{resolve:secretsmanager:google:SecretString:secret}}\"\n",
        "    attribute_mapping:\n",
        "      name: name\n",
        "      name: given_name\n",
    ));
    let d = only_error(&text);
    assert_at(&d, 11, 7);
    assert_eq!(d.message, "duplicate key `name` (first at 10:7)");
    assert_eq!(d.path, "identity_providers[0].attribute_mapping.name");
}

#[test]
fn duplicate_keys_in_flow_mappings_and_odd_keys_are_errors() {
    let d = only_error(&spec("tags: { a.b: x, \"a.b\": y }\n"));
    assert_at(&d, 4, 17);
    assert_eq!(d.message, "duplicate key `a.b` (first at 4:9)");
    assert_eq!(d.path, "tags[\"a.b\"]");
}

#[test]
fn every_duplicate_is_reported_in_file_order() {
    let text =
        spec("tags:\n  a: x\n  a: y\nprotection:\n  deletion: active\n  deletion: inactive\n");
    let error = load_str("pool.yaml", &text).unwrap_err();
    let found: Vec<(usize, usize, &str)> = error
        .errors()
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (6, 3, "duplicate key `a` (first at 5:3)"),
            (9, 3, "duplicate key `deletion` (first at 8:3)"),
        ]
    );
}

#[test]
fn a_spec_with_a_duplicate_key_never_reaches_rendering() {
    // With the last value winning, this spec would render email as immutable: permanent.
    let text = spec("attributes:\n  standard:\n    email: {}\n    email: { mutable: false }\n");
    assert!(load_str("pool.yaml", &text).is_err());
    let without = spec("attributes:\n  standard:\n    email: { mutable: false }\n");
    let loaded = load_str("pool.yaml", &without).unwrap();
    let rendered = template::render(&loaded.spec, &template::RenderOptions::default()).to_json();
    assert!(rendered.contains("\"Mutable\": false"), "{rendered}");
}

#[test]
fn the_longest_description_that_loads_renders_within_cloudformations_limit() {
    let room = MAX_TEMPLATE_DESCRIPTION - "Cognito user pool demo:  (poolctl)".len();
    let loaded = load_str("pool.yaml", &description_of(room)).unwrap();
    let rendered = template::render(&loaded.spec, &template::RenderOptions::default());
    let document: serde_json::Value = serde_json::from_str(&rendered.to_json()).unwrap();
    let description = document["Description"].as_str().unwrap();
    assert_eq!(description.len(), MAX_TEMPLATE_DESCRIPTION);
    assert_eq!(description, loaded.spec.template_description());
}

// ------------------------------------------------------------------ description

fn description_of(len: usize) -> String {
    spec(&format!("description: {}\n", "d".repeat(len)))
}

#[test]
fn a_description_too_long_for_the_template_is_a_located_error() {
    // `Cognito user pool demo: ` + description + ` (poolctl)`.
    let room = MAX_TEMPLATE_DESCRIPTION - "Cognito user pool demo:  (poolctl)".len();
    let fits = load_str("pool.yaml", &description_of(room)).unwrap();
    assert_eq!(
        fits.spec.template_description().len(),
        MAX_TEMPLATE_DESCRIPTION
    );

    let d = only_error(&description_of(room + 1));
    assert_at(&d, 4, 14);
    assert_eq!(d.path, "description");
    assert!(
        d.message.contains(&format!(
            "the description is {} bytes; with the text poolctl puts around it the template's Description would be 1025 bytes, over CloudFormation's limit of 1024",
            room + 1
        )),
        "{d}"
    );
    assert_eq!(
        d.help,
        format!("shorten the description to at most {room} bytes (UTF-8)")
    );
}

#[test]
fn the_description_limit_counts_bytes_not_characters() {
    let room = MAX_TEMPLATE_DESCRIPTION - "Cognito user pool demo:  (poolctl)".len();
    // `é` is two bytes in UTF-8.
    let text = spec(&format!("description: {}\n", "é".repeat(room / 2 + 1)));
    let d = only_error(&text);
    assert_eq!(d.path, "description");
}

// ------------------------------------------------------------------ whole-text problems

#[test]
fn a_second_document_points_at_its_start() {
    let d = only_error(&spec("---\nname: other\n"));
    assert_at(&d, 4, 1);
    assert_eq!(
        d.message,
        "a second YAML document starts here; a spec is one document"
    );
    assert!(d.help.contains("remove the `---` line"), "{d}");

    // A document end marker followed by content starts a second document too.
    let d = only_error(&spec("...\nname: other\n"));
    assert_at(&d, 5, 1);
}

#[test]
fn a_nul_byte_points_at_its_line_and_column() {
    let d = only_error("name: demo\nsign_in:\n  username: em\0ail\n");
    assert_at(&d, 3, 15);
    assert!(d.message.contains("NUL byte"), "{d}");
    assert!(d.help.contains("UTF-16"), "{d}");
}

#[test]
fn control_characters_point_at_their_line_and_column() {
    let d = only_error("name: demo\r\nsign_in:\r\n  username: email\r\ndescription: a\u{7}b\r\n");
    assert_at(&d, 4, 15);
    assert_eq!(d.message, "control character U+0007 is not allowed in YAML");
    assert!(d.help.contains("escape"), "{d}");
}

#[test]
fn invalid_utf8_points_at_the_first_bad_byte() {
    let bytes = b"name: demo\nsign_in:\n  username: email\ndescription: caf\xe9s\n";
    let error = load_bytes("pool.yaml", bytes).unwrap_err();
    let d = &error.diagnostics[0];
    assert_at(d, 4, 17);
    assert_eq!(d.message, "the spec is not valid UTF-8: byte 0xE9 here");
    assert!(d.help.contains("save the file as UTF-8"), "{d}");
    assert!(d.help.contains("latin1"), "{d}");
}

#[test]
fn utf16_is_a_whole_file_error_that_says_so() {
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("name: demo\n".bytes().flat_map(|b| [b, 0]))
        .collect();
    let error = load_bytes("pool.yaml", &bytes).unwrap_err();
    let d = &error.diagnostics[0];
    assert_eq!((d.line, d.column), (0, 0), "{d}");
    assert!(d.message.contains("UTF-16"), "{d}");
    assert!(d.help.contains("utf-16"), "{d}");
    assert!(d.to_string().starts_with("pool.yaml: error: "), "{d}");
}

#[test]
fn an_unreadable_file_is_a_whole_file_error() {
    let error = spec::load(std::path::Path::new("no/such/pool.yaml")).unwrap_err();
    let d = &error.diagnostics[0];
    assert_eq!((d.line, d.column), (0, 0));
    assert!(d.message.starts_with("cannot read the spec"), "{d}");
}

// ------------------------------------------------------------------ numbers

#[test]
fn token_lifetime_errors_name_the_field() {
    let text = spec("clients:\n  - name: web\n    tokens: { id_minutes: 99999999999 }\n");
    let d = only_error(&text);
    assert_at(&d, 6, 27);
    assert_eq!(d.path, "clients[0].tokens.id_minutes");
    assert_eq!(
        d.message,
        "clients[0].tokens.id_minutes: `99999999999` is out of range: `id_minutes` takes 5 to 1440"
    );
    assert_eq!(d.help, "write a whole number, 5 to 1440");

    let text = spec("clients:\n  - name: web\n    tokens: { refresh_days: 0 }\n");
    let d = only_error(&text);
    assert_at(&d, 6, 29);
    assert_eq!(d.path, "clients[0].tokens.refresh_days");
    assert!(d.message.starts_with("refresh_days: 0 days"), "{d}");

    let text = spec("clients:\n  - name: web\n    tokens: { id_minutes: 1441 }\n");
    let d = only_error(&text);
    assert_eq!(d.path, "clients[0].tokens.id_minutes");
    assert!(d.message.starts_with("id_minutes: 1441 minutes"), "{d}");
}

#[test]
fn fractions_and_negative_numbers_name_the_field_and_its_range() {
    let d = only_error(&spec("password:\n  min_length: 12.5\n"));
    assert_at(&d, 5, 15);
    assert_eq!(
        d.message,
        "password.min_length: `12.5` is not a whole number: `min_length` takes 6 to 99"
    );
    let d = only_error(&spec("triggers:\n  log_retention_days: -1\n"));
    assert_at(&d, 5, 23);
    assert!(
        d.message
            .starts_with("triggers.log_retention_days: `-1` is out of range: `log_retention_days` takes one of CloudWatch Logs' retention periods: 1, 3, 5"),
        "{d}"
    );
}

#[test]
fn a_custom_attribute_minimum_length_over_cognitos_limit_is_an_error() {
    let d = only_error(&spec(
        "attributes:\n  custom:\n    tier: { type: string, min_length: 5000 }\n",
    ));
    assert_at(&d, 6, 39);
    assert_eq!(d.path, "attributes.custom.tier.min_length");
    assert!(d.message.contains("2048"), "{d}");
}

// ------------------------------------------------------------------ YAML syntax

#[test]
fn every_syntax_error_says_what_to_fix() {
    const GENERIC: &str = "see the pool spec reference";
    for (text, line, column, help) in [
        // A key indented one space too far.
        (
            "name: demo\nsign_in:\n  username: email\n bad: x\n",
            4,
            2,
            "indentation",
        ),
        // An unquoted `: ` inside a value.
        (
            "name: demo\ndescription: a: b\n",
            2,
            15,
            "quote a value that contains `: `",
        ),
        (
            "name: demo\nsign_in:\n\tusername: email\n",
            3,
            1,
            "spaces, never tabs",
        ),
        (
            "name: demo\nsign_in:\n  username: username\n  aliases: [email, phone\n",
            5,
            1,
            "close the list with `]`",
        ),
        (
            "name: demo\ndescription: \"open\n",
            3,
            1,
            "close the quoted string",
        ),
        (
            "name: demo\ndescription: \"a\\qb\"\n",
            2,
            16,
            "YAML escapes",
        ),
        ("name: demo\ndescription: @home\n", 2, 14, "quote the value"),
        ("name: demo\ndescription: *nothing\n", 2, 14, "anchor"),
        (
            "name: demo\nsign_in:\n  username: email\n  - x\n",
            4,
            3,
            "indentation",
        ),
    ] {
        let error = load_str("pool.yaml", text).expect_err(text);
        let d = &error.diagnostics[0];
        assert_eq!((d.line, d.column), (line, column), "{text:?}: {d}");
        assert!(d.help.contains(help), "{text:?}: {d}");
        assert!(!d.help.contains(GENERIC), "{text:?}: {d}");
    }
}
