//! What `render` shows: the templates themselves with `--stdout`, else one line per file.

use std::path::Path;

use crate::cli::TemplateFormat;

/// The templates on stdout: JSON documents one after another, or one YAML stream of
/// documents (`---` between them).
pub fn write_templates<'a>(
    templates: impl IntoIterator<Item = &'a template::Template>,
    format: TemplateFormat,
) -> anyhow::Result<()> {
    let mut out = String::new();
    for (i, template) in templates.into_iter().enumerate() {
        match format {
            TemplateFormat::Json => out.push_str(&template.to_json()),
            TemplateFormat::Yaml | TemplateFormat::Both => {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&template.to_yaml());
            }
        }
    }
    super::write_stdout(&out)
}

/// `wrote PATH`, or `unchanged PATH` when the file already held the template.
pub fn print_written(path: &Path, changed: bool) {
    let verb = if changed { "wrote" } else { "unchanged" };
    println!("{verb} {}", path.display());
}
