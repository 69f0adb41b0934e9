//! The files of each department's `files/` folder, copied as they are.

use super::{Content, Ctx, File, Output};
use crate::diagnostics::Diagnostic;

pub struct Attachments;

impl Output for Attachments {
    fn name(&self) -> &'static str {
        "вложения"
    }

    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic> {
        let site = ctx.site;
        Ok(site
            .departments
            .iter()
            .flat_map(|d| {
                d.files.iter().map(move |f| File {
                    path: format!("{}/{}", d.site.slug, f),
                    content: Content::Copy(site.root.join(&d.dir).join(f)),
                })
            })
            .collect())
    }
}
