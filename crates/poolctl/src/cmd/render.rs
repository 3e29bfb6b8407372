//! `poolctl render SPEC...`: write `<out-dir>/<pool>.yaml` and `<pool>.json` for each spec,
//! where `<pool>` is the spec's file stem (`infra/pools/production.yaml` ->
//! `templates/production.{yaml,json}`). A file is rewritten only when its content changed, so
//! timestamps (and `make`-style tools) see real changes only. Spec diagnostics go to stderr in
//! compiler style; any spec error means exit 1 and nothing written for that spec.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};

use crate::cli::{RenderArgs, TemplateFormat};
use crate::exit::Failure;
use crate::ui::render::{print_written, write_templates};
use crate::ui::spec::{print_load_error, print_warnings};

pub fn run(args: &RenderArgs) -> Result<(), Failure> {
    let mut failed = false;
    let mut rendered: Vec<(String, template::Template)> = Vec::new();
    let mut stems: BTreeMap<String, &Path> = BTreeMap::new();
    for path in &args.specs {
        let stem = match path.file_stem().and_then(|s| s.to_str()) {
            Some(stem) if !stem.is_empty() => stem.to_owned(),
            _ => {
                return Err(Failure::error(anyhow!(
                    "{}: cannot name a template after this file",
                    path.display()
                )))
            }
        };
        if let Some(other) = stems.insert(stem.clone(), path) {
            return Err(Failure::error(anyhow!(
                "{} and {} would both render to {stem}.*: rename one of them",
                other.display(),
                path.display()
            )));
        }
        match spec::load(path) {
            Ok(loaded) => {
                print_warnings(&loaded.warnings);
                let selected = loaded.select(args.env.as_deref()).map_err(Failure::error)?;
                let stem = match &selected.environment {
                    Some(named) => format!("{stem}-{}", named.name),
                    None => stem,
                };
                rendered.push((
                    stem,
                    template::render(&selected.spec, &template::RenderOptions::default()),
                ));
            }
            Err(error) => {
                failed = true;
                print_load_error(&error);
            }
        }
    }

    if args.stdout {
        write_templates(rendered.iter().map(|(_, template)| template), args.format)?;
    } else {
        if !rendered.is_empty() {
            std::fs::create_dir_all(&args.out_dir)
                .with_context(|| format!("creating {}", args.out_dir.display()))?;
        }
        for (stem, template) in &rendered {
            if matches!(args.format, TemplateFormat::Yaml | TemplateFormat::Both) {
                write_if_changed(
                    &args.out_dir.join(format!("{stem}.yaml")),
                    &template.to_yaml(),
                )?;
            }
            if matches!(args.format, TemplateFormat::Json | TemplateFormat::Both) {
                write_if_changed(
                    &args.out_dir.join(format!("{stem}.json")),
                    &template.to_json(),
                )?;
            }
        }
    }
    if failed {
        return Err(Failure::silent(1));
    }
    Ok(())
}

/// Writes `text` to `path` unless the file already holds exactly that; says which on stdout.
fn write_if_changed(path: &PathBuf, text: &str) -> anyhow::Result<()> {
    let changed = !std::fs::read(path).is_ok_and(|current| current == text.as_bytes());
    if changed {
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    print_written(path, changed);
    Ok(())
}
