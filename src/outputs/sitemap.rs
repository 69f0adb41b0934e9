//! `sitemap.xml` (every page of the table of page kinds but the 404 page) and `robots.txt` of
//! each department.

use super::{Ctx, File, Output};
use crate::diagnostics::Diagnostic;
use crate::render::pages_of;

pub struct Sitemap;

impl Output for Sitemap {
    fn name(&self) -> &'static str {
        "карта сайта"
    }

    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic> {
        let mut files = Vec::new();
        for d in &ctx.site.departments {
            let base = crate::export::base_of(d);
            let env = &ctx.env;
            let prefix = base.clone().unwrap_or_default();
            files.push(File::stream(
                format!("{}/sitemap.xml", d.site.slug),
                move |w| {
                    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
                    for page in pages_of(d, env) {
                        let Some(url) = page.url(d, env) else { continue };
                        let loc = format!("{prefix}{url}");
                        xml.push_str(&format!(
                            "  <url><loc>{}</loc></url>\n",
                            crate::text::escape_text(&loc)
                        ));
                    }
                    xml.push_str("</urlset>\n");
                    w.write_all(xml.as_bytes())
                },
            ));
            let mut robots = String::from("User-agent: *\nAllow: /\n");
            if let Some(b) = &base {
                robots.push_str(&format!("Sitemap: {b}sitemap.xml\n"));
            }
            files.push(File::bytes(format!("{}/robots.txt", d.site.slug), robots));
        }
        Ok(files)
    }
}
