//! `metodist check`

use std::path::Path;
use std::process::ExitCode;

use crate::diagnostics::report;

pub fn run(root: &Path, drafts: bool) -> ExitCode {
    let checked = crate::build::check(root, drafts);
    let errors = report(&checked.diagnostics);
    if errors > 0 {
        return ExitCode::FAILURE;
    }
    if let Some(site) = &checked.site {
        let items: usize = site
            .departments
            .iter()
            .map(|d| {
                d.roadmaps.len()
                    + d.practices.len()
                    + d.contests.len()
                    + d.mentoring.len()
                    + d.pages.len()
            })
            .sum();
        eprintln!(
            "проверено: {} упр., {} материалов; ошибок нет",
            site.departments.len(),
            items
        );
    }
    ExitCode::SUCCESS
}
