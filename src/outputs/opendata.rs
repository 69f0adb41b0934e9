//! Open data of each department (`opendata/`): the data sets as CSV and JSON, their structures
//! and passports, and the registry `list.csv` (see [`crate::export::opendata`]).

use super::{Ctx, File, Output};
use crate::diagnostics::Diagnostic;
use crate::export::opendata;

pub struct OpenData;

impl Output for OpenData {
    fn name(&self) -> &'static str {
        "открытые данные"
    }

    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic> {
        let mut out = Vec::new();
        for d in &ctx.site.departments {
            let slug = &d.site.slug;
            let sets = opendata::datasets(d, &ctx.env.stamp);
            for f in opendata::data_files(d, &sets) {
                out.push(File::stream(format!("{slug}/{}", f.path), f.write));
            }
            for f in opendata::files(d, &sets) {
                out.push(File::bytes(format!("{slug}/{}", f.path), f.bytes));
            }
        }
        Ok(out)
    }
}
