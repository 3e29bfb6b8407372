//! The imported spec as a file: a header saying where it came from and what it lacks, then
//! the spec.

use crate::to_spec::Imported;

/// The text of the spec file for `imported`, read from pool `pool_id` in `region`. The
/// schema modeline points at `schema_path` (relative to where the file is written).
pub fn spec_file(imported: &Imported, pool_id: &str, region: &str, schema_path: &str) -> String {
    let mut text = format!("# yaml-language-server: $schema={schema_path}\n");
    text.push_str(&format!(
        "# Imported by `poolctl import` from user pool {pool_id} ({region}). It reproduces the\n\
         # pool as it is, mistakes included: run `poolctl check` on it to see them.\n"
    ));
    if imported.gaps.is_empty() {
        text.push_str("# Every live setting is in this spec.\n");
    } else {
        text.push_str(&format!(
            "# {} live setting{} this spec cannot express (a deploy of it would change or reset them):\n",
            imported.gaps.len(),
            if imported.gaps.len() == 1 { "" } else { "s" }
        ));
        for gap in &imported.gaps {
            let line = format!("{} = {}: {}", gap.setting, gap.live_value, gap.why);
            for (i, part) in line.lines().enumerate() {
                let lead = if i == 0 { "#   - " } else { "#     " };
                text.push_str(lead);
                text.push_str(part);
                text.push('\n');
            }
        }
    }
    // Serialising the model cannot fail: every field is a plain value.
    text.push_str(&serde_norway::to_string(&imported.spec).unwrap_or_default());
    text
}
