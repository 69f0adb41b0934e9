//! The portal's pages: `index.html` (the list of departments) and, with search, `search/`.
//! (`serve` renders them on request through [`crate::render::page_refs`].)

use super::{Ctx, File, Output};
use crate::diagnostics::Diagnostic;

pub struct Portal;

impl Output for Portal {
    fn name(&self) -> &'static str {
        "портал"
    }

    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic> {
        Ok(
            crate::render::render_portal(ctx.site, ctx.theme, &ctx.dates)?
                .into_iter()
                .map(|(file, html)| File::bytes(file, html))
                .collect(),
        )
    }
}
