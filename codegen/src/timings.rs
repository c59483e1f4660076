//! Where one generation's time went: wall time per stage, and the thread
//! time of rendering's two halves, which run on every core.

use std::fmt::Write as _;
use std::time::Duration;

use crate::render::RenderTimes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// Reading the document and the overlays, applying them, checking and
    /// converting the result; absent when the document came loaded.
    pub load: Option<Duration>,
    /// Building the model (the IR).
    pub model: Duration,
    /// Rendering, from the first job started to the last file joined.
    pub render: Duration,
    /// Rendering's thread time, summed over the jobs.
    pub render_threads: RenderTimes,
}

impl Timings {
    /// A table of the stages, in milliseconds.
    pub fn table(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut out = format!("{:<46}{:>10}{:>12}\n", "stage", "wall ms", "thread ms");
        let mut row = |stage: &str, wall: Option<Duration>, threads: Option<Duration>| {
            let wall = wall.map_or_else(|| "-".to_string(), |d| format!("{:.1}", ms(d)));
            let threads = threads.map_or_else(String::new, |d| format!("{:.1}", ms(d)));
            let _ = writeln!(out, "{stage:<46}{wall:>10}{threads:>12}");
        };
        row("load: read, overlays, checks, conversion", self.load, None);
        row("model", Some(self.model), None);
        row("render (wall; thread time beside)", Some(self.render), None);
        row("  tokens (quote)", None, Some(self.render_threads.tokens));
        row(
            "  format (syn, prettyplease)",
            None,
            Some(self.render_threads.format),
        );
        let total = self.load.unwrap_or_default() + self.model + self.render;
        row("total", Some(total), None);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_adds_the_stages_in_wall_time_only() {
        let timings = Timings {
            load: Some(Duration::from_millis(60)),
            model: Duration::from_millis(20),
            render: Duration::from_millis(170),
            render_threads: RenderTimes {
                tokens: Duration::from_millis(75),
                format: Duration::from_millis(250),
            },
        };
        let table = timings.table();
        let total = table.lines().last().unwrap();
        assert!(total.starts_with("total"), "{table}");
        assert!(total.trim_end().ends_with("250.0"), "{table}");
        assert!(table.contains("  format (syn, prettyplease)"), "{table}");
        let absent = Timings {
            load: None,
            ..timings
        }
        .table();
        assert!(
            absent.lines().last().unwrap().trim_end().ends_with("190.0"),
            "{absent}"
        );
    }
}
