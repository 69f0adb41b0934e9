//! Stage 5: everything `build` writes besides the pages' HTML, as a list of outputs.
//!
//! An [`Output`] plans its files from the site model ([`File`]: a path and its content, made
//! when written), and [`write`] puts them into a [`Sink`]: the atomic staging folder for `build`,
//! the support folder for `serve`, memory in tests. A new output is one module here and one
//! line in [`REGISTRY`].
//!
//! The department pages and the search index are the two outputs that are not in the list:
//! [`pages`] renders the pages from the table of page kinds ([`crate::render::KINDS`]) and
//! feeds each practice body's text to [`search`], which indexes it on its own thread (an
//! explicit observer: the body is read once, for the page, and never kept).

pub mod attachments;
pub mod feeds;
pub mod opendata;
pub mod pages;
pub mod portal;
pub mod roadmaps;
pub mod search;
pub mod sitemap;
pub mod statics;

use std::io;
use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::output::{OutputError, Sink};
use crate::render::{Dates, Env, Theme};
use crate::site::Site;

/// What every output reads: the site model, the theme, and what follows from them.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub env: Env,
    pub dates: Dates,
}

impl<'a> Ctx<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Ctx<'a> {
        Ctx {
            site,
            theme,
            env: Env::of(site),
            dates: Dates::of(site),
        }
    }
}

/// Makes a large file piece by piece.
pub type WriteFn<'a> = Box<dyn Fn(&mut dyn io::Write) -> io::Result<()> + Send + Sync + 'a>;

/// What a planned file holds.
pub enum Content<'a> {
    Bytes(Vec<u8>),
    /// Bytes that live as long as the build (the theme's static files).
    Borrowed(&'a [u8]),
    /// Made when written, straight into the sink (the data files of a bank of 100 000
    /// practices are tens of megabytes each).
    Stream(WriteFn<'a>),
    /// A copy of a file of the project (an attachment).
    Copy(PathBuf),
}

/// One file an output writes: its path relative to the output folder, and its content.
pub struct File<'a> {
    pub path: String,
    pub content: Content<'a>,
}

impl<'a> File<'a> {
    pub fn bytes(path: String, bytes: impl Into<Vec<u8>>) -> File<'a> {
        File {
            path,
            content: Content::Bytes(bytes.into()),
        }
    }

    pub fn stream(
        path: String,
        write: impl Fn(&mut dyn io::Write) -> io::Result<()> + Send + Sync + 'a,
    ) -> File<'a> {
        File {
            path,
            content: Content::Stream(Box::new(write)),
        }
    }
}

/// A kind of file the site publishes (or a family of them).
pub trait Output: Sync {
    /// What it is, in Russian, for messages.
    fn name(&self) -> &'static str;
    /// Every file it writes for this site. Large contents are [`Content::Stream`]s, made only
    /// when written, so a plan costs little memory.
    fn plan<'a>(&self, ctx: &'a Ctx<'a>) -> Result<Vec<File<'a>>, Diagnostic>;
}

/// Every output written next to the pages, in the order they are written.
pub(crate) static REGISTRY: &[&dyn Output] = &[
    &statics::Statics,
    &attachments::Attachments,
    &sitemap::Sitemap,
    &opendata::OpenData,
    &roadmaps::Roadmaps,
    &feeds::Feeds,
    &portal::Portal,
];

pub(crate) fn io_diag(e: OutputError) -> Diagnostic {
    Diagnostic::error("public", e.message).hint(e.hint)
}

/// Writes `files` into `sink`; returns how many.
pub fn write_files(files: Vec<File<'_>>, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    let n = files.len();
    for f in files {
        match f.content {
            Content::Bytes(b) => sink.write(&f.path, &b),
            Content::Borrowed(b) => sink.write(&f.path, b),
            Content::Stream(w) => sink.write_with(&f.path, &mut |out| w(out)),
            Content::Copy(src) => sink.copy(&src, &f.path),
        }
        .map_err(io_diag)?;
    }
    Ok(n)
}

/// Writes every output of `outputs` into `sink`; returns how many files.
pub fn write(ctx: &Ctx, outputs: &[&dyn Output], sink: &dyn Sink) -> Result<usize, Diagnostic> {
    let mut n = 0;
    for o in outputs {
        n += write_files(o.plan(ctx)?, sink)?;
    }
    Ok(n)
}

/// Everything `build` writes except the department pages: the search index and its exports,
/// and every output of [`REGISTRY`]. `serve` renders the pages on request and keeps these in
/// a folder of its own.
pub(crate) fn support(ctx: &Ctx, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    let mut n = if ctx.site.config.search {
        search::write(ctx, sink, None)?
    } else {
        0
    };
    n += write(ctx, REGISTRY, sink)?;
    Ok(n)
}

/// Everything `build` writes: the pages with the search index built alongside, then every
/// output of [`REGISTRY`].
pub fn write_all(ctx: &Ctx, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
    let mut n = pages::write(ctx, sink)?;
    n += write(ctx, REGISTRY, sink).map_err(|e| vec![e])?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Memory;

    /// Every output writes exactly the files it plans, and no two outputs (or an output and a
    /// page) write the same file.
    #[test]
    fn outputs_write_what_they_plan_and_never_the_same_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::build::check(root, false);
        let (site, theme) = (checked.site.unwrap(), checked.theme.unwrap());
        let ctx = Ctx::new(&site, &theme);
        let mut seen: std::collections::BTreeMap<String, &str> = crate::render::page_refs(&site)
            .into_iter()
            .map(|(f, _)| (f, "страницы"))
            .collect();
        for o in REGISTRY {
            let sink = Memory::default();
            let planned: Vec<String> = o.plan(&ctx).unwrap().into_iter().map(|f| f.path).collect();
            assert!(!planned.is_empty(), "{}", o.name());
            let n = write(&ctx, &[*o], &sink).unwrap();
            assert_eq!(n, planned.len());
            let written: Vec<String> = sink.into_files().into_keys().collect();
            let mut sorted = planned.clone();
            sorted.sort();
            assert_eq!(written, sorted, "{}", o.name());
            for f in planned {
                if let Some(other) = seen.insert(f.clone(), o.name()) {
                    // The portal's pages are both pages (for serve) and an output (for build).
                    assert!(
                        other == "страницы" && o.name() == "портал",
                        "{f}: {other} and {}",
                        o.name()
                    );
                }
            }
        }
    }
}
