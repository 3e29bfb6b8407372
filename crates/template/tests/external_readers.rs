//! The rendered templates as CloudFormation's own tooling reads them: PyYAML (a YAML 1.1
//! reader, as CloudFormation is) must read every YAML template as exactly the JSON template,
//! and cfn-lint must report no error and no warning. Both tools come from `just setup`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::*;

/// Reads a YAML template with PyYAML's SafeLoader (YAML 1.1 resolution: `on` is a boolean,
/// `2010-09-09` a date), short-form tags turned into long form, and prints it as JSON. A date
/// or any other non-JSON value makes json.dumps fail, which fails the test.
const PYYAML_TO_JSON: &str = r#"
import json, sys, yaml

class CfnLoader(yaml.SafeLoader):
    pass

def intrinsic(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::" + suffix: value}

CfnLoader.add_multi_constructor("!", intrinsic)
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        document = yaml.load(f, Loader=CfnLoader)
    print(json.dumps(document))
"#;

fn pyyaml_read(paths: &[PathBuf]) -> Vec<Value> {
    let python = venv_tool("python");
    let output = Command::new(python)
        .arg("-c")
        .arg(PYYAML_TO_JSON)
        .args(paths)
        .output()
        .expect("running python");
    assert!(
        output.status.success(),
        "PyYAML could not read the templates:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON from PyYAML"))
        .collect()
}

/// Every spec rendered into a scratch directory: (spec, yaml path, json path, template).
fn render_all(dir: &Path) -> Vec<(PathBuf, PathBuf, PathBuf, template::Template)> {
    all_specs()
        .into_iter()
        .map(|spec| {
            let template = render(&spec);
            let yaml = dir.join(format!("{}.yaml", stem(&spec)));
            let json = dir.join(format!("{}.json", stem(&spec)));
            std::fs::write(&yaml, template.to_yaml()).expect("write yaml");
            std::fs::write(&json, template.to_json()).expect("write json");
            (spec, yaml, json, template)
        })
        .collect()
}

#[test]
fn a_yaml_1_1_reader_sees_the_json_template() {
    let dir = scratch_dir("pyyaml");
    let rendered = render_all(&dir);
    let yaml_paths: Vec<PathBuf> = rendered
        .iter()
        .map(|(_, yaml, _, _)| yaml.clone())
        .collect();
    let documents = pyyaml_read(&yaml_paths);
    assert_eq!(documents.len(), rendered.len());
    for ((spec, _, _, template), read) in rendered.iter().zip(&documents) {
        assert_eq!(
            read,
            template.as_value(),
            "{}: PyYAML reads the YAML template differently",
            spec.display()
        );
    }
}

#[test]
fn strings_yaml_1_1_would_type_survive_as_strings() {
    let dir = scratch_dir("yaml-1-1");
    let spec = coverage_specs()
        .into_iter()
        .find(|p| stem(p) == "yaml-1-1-strings")
        .expect("yaml-1-1-strings.yaml");
    let template = render(&spec);
    let path = dir.join("yaml-1-1-strings.yaml");
    std::fs::write(&path, template.to_yaml()).expect("write");
    let read = pyyaml_read(&[path]).remove(0);
    let tags = &read["Resources"]["UserPool"]["Properties"]["UserPoolTags"];
    for (key, value) in [
        ("yes", "no"),
        ("on", "off"),
        ("date", "2010-09-09"),
        ("time", "12:30"),
        ("underscore", "1_000"),
        ("octal", "0777"),
        ("hex", "0x1F"),
        ("equals", "="),
        ("null", "null"),
        ("float", "1e3"),
        ("empty", ""),
        ("spaced", " padded "),
    ] {
        assert_eq!(tags[key], Value::String(value.into()), "tag {key:?}");
    }
    assert_eq!(read["AWSTemplateFormatVersion"], "2010-09-09");
    let mapping = &read["Resources"]["ProviderGoogle"]["Properties"]["AttributeMapping"];
    assert_eq!(mapping["nickname"], "~");
    assert_eq!(mapping["locale"], "yes");
    assert_eq!(mapping["zoneinfo"], "12:30");
    assert_eq!(mapping["website"], "2010-09-09");
    assert_eq!(
        read["Resources"]["ProviderGoogle"]["Properties"]["ProviderDetails"]["client_id"],
        "0777"
    );
    assert_eq!(
        read["Resources"]["UserPool"]["Properties"]["VerificationMessageTemplate"]["EmailSubject"],
        "<<"
    );
    assert_eq!(
        read["Resources"]["ClientOn"]["Properties"]["ClientName"],
        "on"
    );
    assert_eq!(
        read["Resources"]["UserPoolDomain"]["Properties"]["Domain"],
        "1-000"
    );
}

fn cfn_lint(paths: &[PathBuf]) {
    let output = Command::new(venv_tool("cfn-lint"))
        .args(paths)
        .output()
        .expect("running cfn-lint");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && report.trim().is_empty(),
        "cfn-lint found problems:\n{report}"
    );
}

#[test]
fn committed_templates_pass_cfn_lint() {
    let templates = repo_root().join("templates");
    let paths: Vec<PathBuf> = pool_specs()
        .iter()
        .flat_map(|spec| {
            ["yaml", "json"].map(|ext| templates.join(format!("{}.{ext}", stem(spec))))
        })
        .collect();
    for path in &paths {
        assert!(
            path.exists(),
            "{} is missing: run `just render`",
            path.display()
        );
    }
    cfn_lint(&paths);
}

#[test]
fn every_provider_kind_and_option_passes_cfn_lint() {
    let dir = scratch_dir("cfn-lint");
    let paths: Vec<PathBuf> = render_all(&dir)
        .into_iter()
        .filter(|(spec, _, _, _)| spec.starts_with(Path::new(env!("CARGO_MANIFEST_DIR"))))
        .flat_map(|(_, yaml, json, _)| [yaml, json])
        .collect();
    assert!(!paths.is_empty());
    cfn_lint(&paths);
}
