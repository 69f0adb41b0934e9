//! The department pages: every instance of every row of [`crate::render::KINDS`], rendered in
//! parallel and written straight into the sink, so memory does not grow with the number of
//! pages. With search on, the search index is built at the same time, fed by the pages.
//!
//! The model holds no practice bodies: each practice page reads its body again and renders
//! it (the deliberate back-flow from rendering to loading), and the plain text of that body
//! goes on to the search index — the pages' one observer — which is built on its own thread
//! ([`super::search::write`]). The indexer takes the practices in the order of the bank (so
//! that document numbers, hence the exports, are the same from build to build), so the
//! practice pages are rendered in blocks in that order, and at most a few blocks of text wait
//! for the indexer; while it is behind, the other pages are rendered, and the rest of them after
//! the practices, while the search export is written.

use std::sync::mpsc::{sync_channel, TrySendError};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::Value;

use super::Ctx;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::render::{pages_of, render_dept_page, site_value, At, DeptPage, PRACTICE};

/// Practice pages rendered at a time, in order.
const PRACTICE_BLOCK: usize = 256;
/// Other pages rendered at a time while the search indexer catches up with the practices.
const OTHERS_CHUNK: usize = 64;

/// Renders every department page into `sink`, and with search on, the search index and its
/// exports. Returns how many files; template errors are diagnostics naming the template.
pub fn write(ctx: &Ctx, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
    let site = ctx.site;
    let all: Vec<(usize, DeptPage)> = site
        .departments
        .iter()
        .enumerate()
        .flat_map(|(di, d)| pages_of(d, &ctx.env).into_iter().map(move |p| (di, p)))
        .collect();
    let others: Vec<(usize, DeptPage)> = all
        .iter()
        .copied()
        .filter(|(_, p)| !p.is(&PRACTICE))
        .collect();
    let sites: Vec<Value> = site.departments.iter().map(site_value).collect();
    let progress = if all.len() > 300 && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let pb = ProgressBar::new(all.len() as u64);
        pb.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} страниц ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let render = |di: usize, page: DeptPage, want_text: bool| {
        let d = &site.departments[di];
        let r = render_dept_page(
            site, ctx.theme, &ctx.env, di, page, &sites[di], &ctx.dates, want_text,
        )
        .and_then(|r| {
            sink.write(&format!("{}/{}", d.site.slug, r.file), r.html.as_bytes())
                .map_err(super::io_diag)
                .map(|_| r.text)
        });
        if let Some(pb) = &progress {
            pb.inc(1);
        }
        r
    };
    let render_many = |pages: &[(usize, DeptPage)]| -> Vec<Diagnostic> {
        pages
            .par_iter()
            .filter_map(|&(di, page)| render(di, page, false).err())
            .collect()
    };
    // The search index is built while the pages render, on its own thread (tantivy's writer
    // uses one more), so the other cores keep rendering.
    let search_on = site.config.search;
    let (senders, receivers): (Vec<_>, Vec<_>) = site
        .departments
        .iter()
        .map(|_| sync_channel::<Vec<String>>(2))
        .unzip();
    let (errors, search) = std::thread::scope(|scope| {
        let search = search_on.then(|| {
            scope.spawn(move || {
                let t = std::time::Instant::now();
                let r = super::search::write(ctx, sink, Some(receivers));
                crate::timing::timing("search index+export", t);
                r
            })
        });
        let mut errors = Vec::new();
        let mut others_left: &[(usize, DeptPage)] = &others;
        for ((di, d), tx) in site.departments.iter().enumerate().zip(senders) {
            let indexes: Vec<usize> = (0..d.practices.len()).collect();
            for block in indexes.chunks(PRACTICE_BLOCK) {
                let done: Vec<(Option<Diagnostic>, String)> = block
                    .par_iter()
                    .map(|&i| {
                        let page = DeptPage {
                            kind: &PRACTICE,
                            at: At(i, 0, 0),
                        };
                        match render(di, page, search_on) {
                            Ok(text) => (None, text.unwrap_or_default()),
                            Err(e) => (Some(e), String::new()),
                        }
                    })
                    .collect();
                let mut texts = Vec::with_capacity(done.len());
                for (error, text) in done {
                    errors.extend(error);
                    texts.push(text);
                }
                if !search_on {
                    continue;
                }
                // While the indexer is behind, the other pages keep the cores busy. (An indexer
                // that stopped on an error has dropped its end: then nothing is sent.)
                while let Err(TrySendError::Full(back)) = tx.try_send(texts) {
                    match others_left.split_at_checked(OTHERS_CHUNK) {
                        Some((now, rest)) if !now.is_empty() => {
                            errors.extend(render_many(now));
                            others_left = rest;
                            texts = back;
                        }
                        _ => {
                            // Nothing else to do: wait.
                            let _ = tx.send(back);
                            break;
                        }
                    }
                }
            }
        }
        errors.extend(render_many(others_left));
        let search = match search {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Ok(0),
        };
        (errors, search)
    });
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    let mut errors = errors;
    if let Err(e) = &search {
        errors.push(e.clone());
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(errors);
    }
    Ok(all.len() + search.unwrap_or(0))
}
