//! Figures about one generation, for people (a table) and machines (JSON).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ir::Api;
use crate::render::GeneratedFile;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub operations_in_spec: usize,
    pub operations_generated: usize,
    pub schemas_in_spec: usize,
    pub types_generated: usize,
    pub untyped_fallbacks: usize,
    pub free_form_values: usize,
    pub generated_files: usize,
    pub generated_lines: usize,
    pub modules: usize,
    pub multi_status_operations: usize,
    pub paginated_operations: usize,
    pub typed_error_bodies: usize,
    /// Examples in the document that the round-trip test checks.
    pub examples: usize,
    pub renames: Vec<RenameRow>,
    pub fallbacks: Vec<String>,
    pub free_form: Vec<String>,
    pub constructs: BTreeMap<String, usize>,
    /// The format the document was written in.
    pub format: String,
    /// What the front end approximated or did not use: one line each,
    /// with the rule, how often and the first places.
    pub front_end: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenameRow {
    pub pointer: String,
    pub wanted: String,
    pub given: String,
}

impl Stats {
    pub fn of(api: &Api, files: &[GeneratedFile]) -> Stats {
        let operations: Vec<_> = api.modules.iter().flat_map(|m| &m.operations).collect();
        Stats {
            operations_in_spec: api.report.operations_in_spec,
            operations_generated: operations.len(),
            schemas_in_spec: api.report.schemas_in_spec,
            types_generated: api.types.len(),
            untyped_fallbacks: api.report.fallbacks.len(),
            free_form_values: api.report.free_form.len(),
            generated_files: files.len(),
            generated_lines: files.iter().map(|f| line_count(&f.contents)).sum(),
            modules: api.modules.len(),
            multi_status_operations: operations
                .iter()
                .filter(|o| o.success_enum.is_some())
                .count(),
            paginated_operations: operations.iter().filter(|o| o.pagination.is_some()).count(),
            typed_error_bodies: api.error_bodies.len(),
            examples: crate::render::example_count(api),
            renames: api
                .report
                .renames
                .iter()
                .map(|r| RenameRow {
                    pointer: r.pointer.clone(),
                    wanted: r.wanted.clone(),
                    given: r.given.clone(),
                })
                .collect(),
            fallbacks: api.report.fallbacks.clone(),
            free_form: api.report.free_form.clone(),
            constructs: api
                .report
                .constructs
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            format: api.report.format.to_string(),
            front_end: api
                .report
                .front_end
                .iter()
                .map(|n| {
                    format!(
                        "{} ({}×, e.g. #{}): {}",
                        n.rule,
                        n.count,
                        n.at.join(", #"),
                        n.message
                    )
                })
                .collect(),
        }
    }

    /// A one-screen summary.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let rows = [
            ("format", self.format.clone()),
            (
                "operations",
                format!(
                    "{} generated of {} in the document",
                    self.operations_generated, self.operations_in_spec
                ),
            ),
            (
                "schemas",
                format!("{} in the document", self.schemas_in_spec),
            ),
            ("types", format!("{} generated", self.types_generated)),
            ("untyped fallbacks", self.untyped_fallbacks.to_string()),
            ("free-form values", self.free_form_values.to_string()),
            ("modules", self.modules.to_string()),
            (
                "multi-status operations",
                self.multi_status_operations.to_string(),
            ),
            (
                "paginated operations",
                self.paginated_operations.to_string(),
            ),
            ("typed error bodies", self.typed_error_bodies.to_string()),
            ("examples", self.examples.to_string()),
            ("files", self.generated_files.to_string()),
            ("lines", self.generated_lines.to_string()),
            ("renames", self.renames.len().to_string()),
        ];
        for (k, v) in rows {
            out.push_str(&format!("{k:<26}{v}\n"));
        }
        if !self.constructs.is_empty() {
            out.push_str("constructs:\n");
            for (k, v) in &self.constructs {
                out.push_str(&format!("  {k:<50}{v:>5}\n"));
            }
        }
        if !self.front_end.is_empty() {
            out.push_str("front end (read, approximated or not used on the way to OpenAPI 3.0):\n");
            for line in &self.front_end {
                out.push_str(&format!("  {line}\n"));
            }
        }
        if !self.renames.is_empty() {
            out.push_str("renames (collisions after case conversion):\n");
            for r in &self.renames {
                out.push_str(&format!("  {} -> {}  ({})\n", r.wanted, r.given, r.pointer));
            }
        }
        if !self.fallbacks.is_empty() {
            out.push_str("untyped fallbacks (serde_json::Value where the schema had a shape):\n");
            for f in &self.fallbacks {
                out.push_str(&format!("  #{f}\n"));
            }
        }
        if !self.free_form.is_empty() {
            out.push_str(
                "free-form values (serde_json::Value where the schema allows anything):\n",
            );
            for f in &self.free_form {
                out.push_str(&format!("  #{f}\n"));
            }
        }
        out
    }
}

/// The number of lines in `text`, as `str::lines` counts them, counted by
/// line breaks.
fn line_count(text: &str) -> usize {
    let breaks = text.bytes().filter(|&b| b == b'\n').count();
    breaks + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

#[cfg(test)]
mod tests {
    use super::line_count;

    #[test]
    fn lines_are_counted_as_str_lines_counts_them() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "a\n\nb\n",
            "é\n",
        ] {
            assert_eq!(line_count(text), text.lines().count(), "{text:?}");
        }
    }
}
