//! The search index: one tantivy index per department and one for the region (in
//! `.search-index/`, read by `metodist search`), and their exports for the browser
//! (`<slug>/search/` and `search/`, see [`crate::search::export`]).

use rayon::prelude::*;

use super::{io_diag, Ctx};
use crate::diagnostics::Diagnostic;
use crate::output::Sink;

/// The tantivy indexes (in `.search-index/`, not published) and their browser exports
/// (`<slug>/search/` per department, `search/` for the region). With `practice_texts` (one
/// receiver per department), the text of the practices' bodies comes from there, in bank
/// order, block by block (see [`super::pages`]); otherwise the bodies are rendered here.
pub fn write(
    ctx: &Ctx,
    sink: &dyn Sink,
    practice_texts: Option<Vec<std::sync::mpsc::Receiver<Vec<String>>>>,
) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    use crate::search::{export, index};
    let err = |e: tantivy::TantivyError| {
        Diagnostic::error(
            "public",
            format!("не удалось построить поисковый индекс: {e}"),
        )
        .hint("это ошибка metodist; сообщите разработчикам")
    };
    let t = std::time::Instant::now();
    let Some(folder) = sink.folder() else {
        return Err(Diagnostic::error(
            "public",
            "поисковый индекс пишется только в папку на диске",
        )
        .hint("это ошибка metodist; сообщите разработчикам"));
    };
    let index_dir = folder.join(index::INDEX_DIR);
    // Each department's documents stream into tantivy; the fragment of each is written as
    // soon as it is indexed, and only what the facets need is kept. The region index merges
    // the departments' (no second tokenization), so its documents are the departments'
    // documents in the same order.
    let build_one = |d: &crate::site::Department,
                     texts: Option<std::sync::mpsc::Receiver<Vec<String>>>|
     -> Result<(tantivy::Index, Vec<index::SearchDoc>), Diagnostic> {
        let mut block = Vec::new().into_iter();
        let mut body_text = |p: &crate::site::PracticeView| match &texts {
            None => index::practice_text(d, p),
            Some(rx) => loop {
                if let Some(text) = block.next() {
                    break text;
                }
                match rx.recv() {
                    Ok(next) => block = next.into_iter(),
                    Err(_) => break String::new(),
                }
            },
        };
        let mut failed = None;
        let mut n = 0;
        let (idx, docs) = index::write_department_index(
            &index_dir.join(&d.site.slug),
            d,
            &mut body_text,
            |mut doc| {
                if failed.is_none() {
                    if let Err(e) = sink.write(
                        &format!("{}/search/d/{n}.json", d.site.slug),
                        &export::fragment(&doc),
                    ) {
                        failed = Some(e);
                    }
                }
                n += 1;
                doc.title = String::new();
                doc.text = String::new();
                doc.url = String::new();
                doc
            },
        )
        .map_err(err)?;
        match failed {
            Some(e) => Err(io_diag(e)),
            None => Ok((idx, docs)),
        }
    };
    let built: Vec<(tantivy::Index, Vec<index::SearchDoc>)> = match practice_texts {
        // In department order, as the pages send the texts.
        Some(texts) => site
            .departments
            .iter()
            .zip(texts)
            .map(|(d, rx)| build_one(d, Some(rx)))
            .collect::<Result<_, _>>()?,
        None => site
            .departments
            .par_iter()
            .map(|d| build_one(d, None))
            .collect::<Result<_, _>>()?,
    };
    let (dept_indexes, docs): (Vec<tantivy::Index>, Vec<Vec<index::SearchDoc>>) =
        built.into_iter().unzip();
    let fragments: usize = docs.iter().map(Vec::len).sum();
    let per_dept: Vec<(&str, Vec<index::SearchDoc>)> = site
        .departments
        .iter()
        .map(|d| d.site.slug.as_str())
        .zip(docs)
        .collect();
    crate::timing::timing("  department indexes", t);
    let region_dir = index_dir.join(index::REGION);
    let region_index = match dept_indexes.as_slice() {
        // A region of one department: its index is that department's, file for file.
        [_] => index::copy_index(&index_dir.join(&site.departments[0].site.slug), &region_dir),
        _ => index::merge_indexes(&dept_indexes, &region_dir),
    }
    .map_err(err)?;
    // A practice one department shows from another's feed is found in the region at its
    // original: the copies are deleted from the region's index (the ids of the rest stay, so
    // the fragments of the departments' exports still serve it).
    if site
        .departments
        .iter()
        .any(|d| d.foreign.iter().any(|p| p.in_region))
    {
        index::delete_region_copies(&region_index).map_err(err)?;
    }
    crate::timing::timing("  region index", t);
    let region_docs: Vec<&index::SearchDoc> = per_dept.iter().flat_map(|(_, d)| d.iter()).collect();
    // The region export reads each document's fragment from its department's export.
    let mut first = 0;
    let sources: Vec<export::FragmentSource> = per_dept
        .iter()
        .map(|(slug, docs)| {
            let s = export::FragmentSource {
                path: format!("../{slug}/search/"),
                first,
                url_prefix: format!("{slug}/"),
            };
            first += docs.len();
            s
        })
        .collect();
    let exports: Vec<Result<(usize, export::Chunks), Diagnostic>> = per_dept
        .par_iter()
        .zip(&dept_indexes)
        .map(|((slug, docs), idx)| {
            // The fragments are written already, here.
            let here = vec![export::FragmentSource {
                path: String::new(),
                first: 0,
                url_prefix: String::new(),
            }];
            export::export(
                idx,
                &docs.iter().collect::<Vec<_>>(),
                sink,
                &format!("{slug}/search"),
                Some(here),
                None,
            )
            .map_err(io_diag)
        })
        .collect();
    let mut files = fragments;
    let mut dept_chunks = Vec::new();
    for r in exports {
        let (n, chunks) = r?;
        files += n;
        dept_chunks.push(chunks);
    }
    // With one department, the region's terms and scores are the department's: reuse its chunks.
    let region_chunks = match (per_dept.as_slice(), dept_chunks.pop()) {
        ([(slug, _)], Some(c)) => Some(export::Chunks {
            path: format!("../{slug}/search/"),
            first_terms: c.first_terms,
        }),
        _ => None,
    };
    let (n, _) = export::export(
        &region_index,
        &region_docs,
        sink,
        "search",
        Some(sources),
        region_chunks,
    )
    .map_err(io_diag)?;
    Ok(files + n)
}
