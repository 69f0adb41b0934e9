//! Each roadmap as a spreadsheet (`.xlsx`) and as calendars (`.ics`: the whole roadmap, and
//! one per executor).

use super::{Ctx, File, Output};
use crate::diagnostics::Diagnostic;
use crate::export::{ics, xlsx};

pub struct Roadmaps;

impl Output for Roadmaps {
    fn name(&self) -> &'static str {
        "таблицы и календари дорожных карт"
    }

    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic> {
        let stamp = ctx.env.stamp.as_str();
        let mut out = Vec::new();
        for d in &ctx.site.departments {
            let slug = &d.site.slug;
            for r in &d.roadmaps {
                let bytes = xlsx::roadmap(d, r).map_err(|e| {
                    Diagnostic::error(
                        "public",
                        format!(
                            "не удалось записать таблицу дорожной карты «{}»: {e}",
                            r.title
                        ),
                    )
                    .hint("это ошибка metodist; сообщите разработчикам")
                })?;
                out.push(File::bytes(
                    format!("{slug}/{}{}.xlsx", r.url, r.slug),
                    bytes,
                ));
                out.push(File::stream(
                    format!("{slug}/{}{}.ics", r.url, r.slug),
                    move |w| w.write_all(ics::calendar(d, r, None, stamp).as_bytes()),
                ));
                for (name, file) in ics::executors(r) {
                    out.push(File::stream(
                        format!("{slug}/{}ics/{file}.ics", r.url),
                        move |w| w.write_all(ics::calendar(d, r, Some(&name), stamp).as_bytes()),
                    ));
                }
            }
        }
        Ok(out)
    }
}
