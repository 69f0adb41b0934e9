//! The pipeline: load → validate → site model → outputs, written atomically.
//!
//! [`check`] runs the stages that find problems (loading, validation, the site model, the
//! theme); [`build`] then hands the model to [`crate::outputs`] (the pages with the search
//! index, then every output of [`crate::outputs::REGISTRY`]), all written into a
//! [`Staging`] folder that replaces the output only when everything succeeded.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::render::Theme;
use crate::site::{self, BuildOptions, Site};

/// The result of the checking stages: the site model, if there were no errors, and every
/// diagnostic found.
pub struct Checked {
    pub site: Option<Site>,
    pub theme: Option<Theme>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a successful build wrote.
pub struct Built {
    pub departments: usize,
    pub files: usize,
    pub seconds: f64,
}

/// Runs every stage that validates: loading, cross-field checks, the site model, and theme
/// compilation. Writes nothing.
pub fn check(root: &Path, drafts: bool) -> Checked {
    let diags = Diagnostics::new();
    let t = Instant::now();
    let project = crate::load::load_project(root, &diags);
    crate::timing::timing("  load", t);
    let today = project
        .config
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let opts = BuildOptions { drafts, today };
    let t = Instant::now();
    let config_lines = project.config_lines.clone();
    let site = site::build(project, &opts, &diags);
    crate::timing::timing("  validate+model", t);
    let theme = match Theme::load(root, &site.config.theme) {
        Ok(t) => Some(t),
        Err(e) => {
            let line = config_lines.line("theme");
            diags.extend(e.into_iter().map(|d| {
                if d.field.as_deref() == Some("theme") {
                    d.at_line(line)
                } else {
                    d
                }
            }));
            None
        }
    };
    let ok = !diags.has_errors();
    Checked {
        site: ok.then_some(site),
        theme: if ok { theme } else { None },
        diagnostics: diags.into_sorted(),
    }
}

/// Builds the whole project into `out`. On any error the previous output stays as it was.
pub fn build(root: &Path, out: &Path, drafts: bool) -> (Result<Built, ()>, Vec<Diagnostic>) {
    let started = Instant::now();
    let checked = check(root, drafts);
    crate::timing::timing("load+validate+model", started);
    let mut diagnostics = checked.diagnostics;
    let (Some(site), Some(theme)) = (checked.site, checked.theme) else {
        return (Err(()), diagnostics);
    };
    let staging = match Staging::create(out) {
        Ok(s) => s,
        Err(e) => {
            diagnostics.push(Diagnostic::error(display_out(root, out), e.message).hint(e.hint));
            return (Err(()), diagnostics);
        }
    };
    let ctx = crate::outputs::Ctx::new(&site, &theme);
    let files = match crate::outputs::write_all(&ctx, &staging) {
        Ok(n) => n,
        Err(e) => {
            diagnostics.extend(e);
            return (Err(()), diagnostics);
        }
    };
    crate::timing::timing("render+index", started);
    if let Err(e) = staging.commit() {
        diagnostics.push(Diagnostic::error(display_out(root, out), e.message).hint(e.hint));
        return (Err(()), diagnostics);
    }
    let built = Built {
        departments: site.departments.len(),
        files,
        seconds: started.elapsed().as_secs_f64(),
    };
    (Ok(built), diagnostics)
}

fn display_out(root: &Path, out: &Path) -> PathBuf {
    out.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| out.to_path_buf())
}
