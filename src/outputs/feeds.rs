//! Each department's feeds: Atom of new practices and of contests, and the practice bank as
//! JSON for other districts (`feeds/practices.json`, see [`crate::feeds`]).

use super::{Ctx, File, Output};
use crate::diagnostics::Diagnostic;
use crate::export::{atom, feed};

pub struct Feeds;

impl Output for Feeds {
    fn name(&self) -> &'static str {
        "ленты"
    }

    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic> {
        let stamp = ctx.env.stamp.as_str();
        let mut out = Vec::new();
        for d in &ctx.site.departments {
            let slug = &d.site.slug;
            out.push(File::stream(
                format!("{slug}/feeds/practices.xml"),
                move |w| w.write_all(atom::practices(d, stamp).as_bytes()),
            ));
            out.push(File::stream(
                format!("{slug}/feeds/contests.xml"),
                move |w| w.write_all(atom::contests(d, stamp).as_bytes()),
            ));
            out.push(File::stream(
                format!("{slug}/feeds/practices.json"),
                move |w| feed::write_feed(d, stamp, w),
            ));
        }
        Ok(out)
    }
}
