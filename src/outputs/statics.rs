//! The theme's static files (style sheets, scripts, the search engine), in every department's
//! `static/` and the portal's.

use super::{Content, Ctx, File, Output};
use crate::diagnostics::Diagnostic;

pub struct Statics;

impl Output for Statics {
    fn name(&self) -> &'static str {
        "статические файлы темы"
    }

    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic> {
        let theme = ctx.theme;
        let prefixes = ctx
            .site
            .departments
            .iter()
            .map(|d| format!("{}/static/", d.site.slug))
            .chain(["static/".to_string()]);
        Ok(prefixes
            .flat_map(|prefix| {
                theme.static_files().map(move |(rel, bytes)| File {
                    path: format!("{prefix}{rel}"),
                    content: Content::Borrowed(bytes),
                })
            })
            .collect())
    }
}
