//! The tantivy index: one per department and one for the whole region, written with the site.
//!
//! Every roadmap event is its own search document linking to its anchor; so are indicators,
//! roadmaps, practices, contests (with participants and organizations), mentoring cases and
//! free pages. This index is the single source of truth for `metodist search`, `serve` and the
//! browser export, so their rankings agree.

use std::path::Path;

use serde::Serialize;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, DocSet, Index, IndexWriter, TantivyDocument, TERMINATED};

use super::analyzer;
use crate::site::{Department, PracticeView};

/// Boost of the title field at query time.
pub(crate) const TITLE_BOOST: f32 = 3.0;

/// A thing a reader can find.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchDoc {
    /// `event`, `indicator`, `roadmap`, `practice`, `contest`, `mentoring`, `page`.
    pub kind: &'static str,
    pub department: String,
    pub department_name: String,
    pub title: String,
    pub text: String,
    pub organization: Vec<String>,
    pub tags: Vec<String>,
    pub year: Option<u64>,
    /// URL relative to the department root, with `#anchor` where relevant.
    pub url: String,
    /// A practice of another district whose original is in this build too: the region's
    /// search leaves it out (the original is found).
    pub region_copy: bool,
}

/// Russian label of a document kind.
pub(crate) fn kind_label(kind: &str) -> &'static str {
    match kind {
        "event" => "Мероприятие",
        "indicator" => "Показатель",
        "roadmap" => "Дорожная карта",
        "practice" => "Практика",
        "contest" => "Конкурс",
        "mentoring" => "Наставничество",
        "page" => "Страница",
        _ => "Материал",
    }
}

/// The fields of the schema.
#[derive(Clone, Copy)]
pub struct Fields {
    pub title: Field,
    pub text: Field,
    pub kind: Field,
    pub department: Field,
    pub department_name: Field,
    pub organization: Field,
    pub tags: Field,
    pub year: Field,
    pub url: Field,
    /// «1» on the documents that are [`SearchDoc::region_copy`].
    pub region_copy: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer::NAME)
        .set_index_option(IndexRecordOption::WithFreqs);
    let text = TextOptions::default()
        .set_indexing_options(indexing)
        .set_stored();
    let fields = Fields {
        title: b.add_text_field("title", text.clone()),
        text: b.add_text_field("text", text.clone()),
        kind: b.add_text_field("type", STRING | STORED),
        department: b.add_text_field("department", STRING | STORED),
        department_name: b.add_text_field("department_name", STORED),
        organization: b.add_text_field("organization", text.clone()),
        tags: b.add_text_field("tags", text),
        year: b.add_u64_field("year", INDEXED | STORED | FAST),
        url: b.add_text_field("url", STORED),
        region_copy: b.add_text_field("region_copy", STRING),
    };
    (b.build(), fields)
}

/// Fields searched by a free-text query.
pub(crate) fn default_fields(f: &Fields) -> Vec<Field> {
    vec![f.title, f.text, f.organization, f.tags]
}

fn year_of(iso: &str) -> Option<u64> {
    iso.get(..4).and_then(|y| y.parse().ok())
}

/// Search documents of one department.
pub fn documents(d: &Department) -> Vec<SearchDoc> {
    let mut v = Vec::new();
    documents_each(d, &mut |doc| v.push(doc));
    v
}

/// Plain text of a practice's body, for its search document.
pub(crate) fn practice_text(d: &Department, p: &PracticeView) -> String {
    crate::site::practice_body_html(d, p)
        .map(|html| crate::text::html_to_text(&html))
        .unwrap_or_default()
}

/// Search documents of one department, handed to `emit` one at a time (so that a large bank
/// is never held twice in memory).
fn documents_each(d: &Department, emit: &mut dyn FnMut(SearchDoc)) {
    documents_each_with(d, &mut |p| practice_text(d, p), emit)
}

/// [`documents_each`], with the plain text of each practice's body given by `body_text`, which
/// is asked for the practices in their order in `d.practices` (a build passes the text of the
/// body it has just rendered for the practice's page).
fn documents_each_with(
    d: &Department,
    body_text: &mut dyn FnMut(&PracticeView) -> String,
    emit: &mut dyn FnMut(SearchDoc),
) {
    let dept = d.site.slug.clone();
    let dname = d.site.name.clone();
    let mk = |kind,
              title: &str,
              text: String,
              organization: Vec<String>,
              tags: Vec<String>,
              year: Option<u64>,
              url: String| SearchDoc {
        kind,
        department: dept.clone(),
        department_name: dname.clone(),
        title: title.to_string(),
        text,
        organization,
        tags,
        year,
        url,
        region_copy: false,
    };
    for r in &d.roadmaps {
        let ryear = year_of(&r.document.date_iso);
        emit(mk(
            "roadmap",
            &r.title,
            format!(
                "{}. {} {} {}",
                r.document.reference,
                r.document.title.as_deref().unwrap_or(""),
                r.coordinator.as_deref().unwrap_or(""),
                crate::text::html_to_text(&r.body_html)
            ),
            r.document.issued_by.iter().cloned().collect(),
            vec![],
            ryear,
            r.url.clone(),
        ));
        for s in &r.sections {
            for e in &s.events {
                let text = [
                    e.executors.join(", "),
                    e.deadline.clone().unwrap_or_default(),
                    e.result.clone().unwrap_or_default(),
                    e.report.clone().unwrap_or_default(),
                    s.title.clone(),
                    r.title.clone(),
                ]
                .into_iter()
                .filter(|x| !x.trim().is_empty())
                .collect::<Vec<_>>()
                .join(". ");
                let year = e.from_iso.as_deref().and_then(year_of).or(ryear);
                emit(mk(
                    "event",
                    &e.title,
                    text,
                    e.executors.clone(),
                    vec![],
                    year,
                    format!("{}#{}", r.url, e.anchor),
                ));
            }
        }
        for ind in &r.indicators {
            let rows: Vec<String> = ind
                .rows
                .iter()
                .map(|x| format!("{}: цель {}, факт {}", x.year, x.target, x.actual))
                .collect();
            let text = format!(
                "{} {} {}. {}",
                ind.unit.as_deref().unwrap_or(""),
                ind.baseline_text.as_deref().unwrap_or(""),
                rows.join("; "),
                r.title
            );
            emit(mk(
                "indicator",
                &ind.name,
                text,
                vec![],
                vec![],
                ryear,
                format!("{}#{}", r.url, ind.anchor),
            ));
        }
    }
    for p in &d.practices {
        let text = [
            p.summary.clone().unwrap_or_default(),
            p.authors.join(", "),
            p.level.clone().unwrap_or_default(),
            p.results.join(". "),
            body_text(p),
        ]
        .into_iter()
        .filter(|x| !x.trim().is_empty())
        .collect::<Vec<_>>()
        .join(". ");
        let tags = p.tags.iter().map(|t| t.name.clone()).collect();
        emit(mk(
            "practice",
            &p.title,
            text,
            vec![p.organization.clone()],
            tags,
            year_of(&p.date_iso),
            p.url.clone(),
        ));
    }
    // Practices of other districts (feeds of department.yaml), found on «Практики других территорий».
    for p in &d.foreign {
        let text = [
            p.summary.clone().unwrap_or_default(),
            p.authors.join(", "),
            p.level.clone().unwrap_or_default(),
            format!("Практика другой территории: {}", p.source),
        ]
        .into_iter()
        .filter(|x| !x.trim().is_empty())
        .collect::<Vec<_>>()
        .join(". ");
        let doc = mk(
            "practice",
            &p.title,
            text,
            vec![p.organization.clone()],
            p.tags.clone(),
            year_of(&p.date_iso),
            format!("territories/#{}", p.anchor),
        );
        emit(SearchDoc {
            region_copy: p.in_region,
            ..doc
        });
    }
    for c in &d.contests {
        let results: Vec<String> = c
            .results
            .iter()
            .map(|r| {
                format!(
                    "{} ({}) — {}, {}",
                    r.participant,
                    r.organization.as_deref().unwrap_or(""),
                    r.nomination.as_deref().unwrap_or(""),
                    r.status_label
                )
            })
            .collect();
        let text = format!(
            "{} уровень. Номинации: {}. Итоги: {}. {}",
            c.level,
            c.nominations.join(", "),
            results.join("; "),
            crate::text::html_to_text(&c.body_html)
        );
        let orgs = c
            .results
            .iter()
            .filter_map(|r| r.organization.clone())
            .collect();
        emit(mk(
            "contest",
            &c.title,
            text,
            orgs,
            vec![],
            Some(c.year as u64),
            c.url.clone(),
        ));
    }
    for m in &d.mentoring {
        let text = format!(
            "Форма: {}. Наставник: {} {}. Наставляемый: {} {}. Цели: {}. Результаты: {}. {}",
            m.form,
            m.mentor.name,
            m.mentor.position.as_deref().unwrap_or(""),
            m.mentee.name,
            m.mentee.position.as_deref().unwrap_or(""),
            m.goals.join("; "),
            m.results.join("; "),
            crate::text::html_to_text(&m.body_html)
        );
        let tags = m.tags.iter().map(|t| t.name.clone()).collect();
        emit(mk(
            "mentoring",
            &m.title,
            text,
            m.organization.iter().cloned().collect(),
            tags,
            None,
            m.url.clone(),
        ));
    }
    for p in &d.pages {
        emit(mk(
            "page",
            &p.title,
            crate::text::html_to_text(&p.body_html),
            vec![],
            vec![],
            None,
            p.url.clone(),
        ));
    }
}

fn tantivy_doc(f: &Fields, d: &SearchDoc) -> TantivyDocument {
    let mut doc = doc!(
        f.title => d.title.as_str(),
        f.text => d.text.as_str(),
        f.kind => d.kind,
        f.department => d.department.as_str(),
        f.department_name => d.department_name.as_str(),
        f.url => d.url.as_str(),
    );
    for o in &d.organization {
        doc.add_text(f.organization, o);
    }
    for t in &d.tags {
        doc.add_text(f.tags, t);
    }
    if let Some(y) = d.year {
        doc.add_u64(f.year, y);
    }
    if d.region_copy {
        doc.add_text(f.region_copy, REGION_COPY);
    }
    doc
}

const REGION_COPY: &str = "1";

/// Removes the [`SearchDoc::region_copy`] documents from a region's index: they are marked
/// deleted (and skipped by every reader of the index), the other documents keep their ids.
pub(crate) fn delete_region_copies(index: &Index) -> tantivy::Result<()> {
    let (_, f) = schema();
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    writer.delete_term(tantivy::Term::from_field_text(f.region_copy, REGION_COPY));
    writer.commit()?;
    writer.wait_merging_threads()
}

/// Global ids of the [`SearchDoc::region_copy`] documents of an index.
fn region_copies(searcher: &tantivy::Searcher) -> tantivy::Result<std::collections::HashSet<u32>> {
    let (_, f) = schema();
    let term = tantivy::Term::from_field_text(f.region_copy, REGION_COPY);
    let mut out = std::collections::HashSet::new();
    let mut base = 0u32;
    for seg in searcher.segment_readers() {
        if let Some(mut postings) = seg
            .inverted_index(f.region_copy)?
            .read_postings(&term, IndexRecordOption::Basic)?
        {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                out.insert(base + doc);
                doc = postings.advance();
            }
        }
        base += seg.max_doc();
    }
    Ok(out)
}

/// The in-memory index of `metodist serve`: the region's documents, plus a `page` field
/// (`slug/url` without the anchor) by which the documents of one page are replaced when its
/// source changes. [`search`] reads it like a built index.
pub struct LiveIndex {
    index: Index,
    reader: tantivy::IndexReader,
    writer: IndexWriter,
    page: Field,
    /// Documents by department slug, then by page, as last indexed. Pages are indexed in the
    /// order of their keys, so equal scores rank the same way after every restart.
    docs: std::collections::HashMap<String, std::collections::BTreeMap<String, Vec<SearchDoc>>>,
}

fn page_of(d: &SearchDoc) -> String {
    format!("{}/{}", d.department, d.url.split('#').next().unwrap_or(""))
}

fn by_page(d: &Department) -> std::collections::BTreeMap<String, Vec<SearchDoc>> {
    let mut m: std::collections::BTreeMap<String, Vec<SearchDoc>> =
        std::collections::BTreeMap::new();
    documents_each(d, &mut |doc| m.entry(page_of(&doc)).or_default().push(doc));
    m
}

impl LiveIndex {
    /// Indexes every department of `site` in memory.
    pub fn create(site: &crate::site::Site) -> tantivy::Result<Self> {
        let (schema, _) = schema();
        let mut b = tantivy::schema::SchemaBuilder::new();
        for (_, entry) in schema.fields() {
            b.add_field(entry.clone());
        }
        let page = b.add_text_field("page", STRING);
        let index = Index::create_in_ram(b.build());
        index
            .tokenizers()
            .register(analyzer::NAME, analyzer::analyzer());
        let writer = index.writer_with_num_threads(1, 32 * 1024 * 1024)?;
        // One reader for every request, reloaded after each commit.
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let mut live = LiveIndex {
            index,
            reader,
            writer,
            page,
            docs: Default::default(),
        };
        for d in &site.departments {
            live.replace_department(&d.site.slug, Some(d))?;
        }
        live.writer.commit()?;
        live.reader.reload()?;
        Ok(live)
    }

    /// Brings the documents of department `slug` up to `new` (`None`: the department is gone),
    /// re-indexing only the pages whose documents changed. Returns how many pages changed.
    pub(crate) fn update(
        &mut self,
        slug: &str,
        new: Option<&Department>,
    ) -> tantivy::Result<usize> {
        let n = self.replace_department(slug, new)?;
        if n > 0 {
            self.writer.commit()?;
            self.reader.reload()?;
        }
        Ok(n)
    }

    fn replace_department(
        &mut self,
        slug: &str,
        new: Option<&Department>,
    ) -> tantivy::Result<usize> {
        let (_, f) = schema();
        let old = self.docs.remove(slug).unwrap_or_default();
        let new = new.map(by_page).unwrap_or_default();
        let mut changed = 0;
        for (page, docs) in &old {
            if new.get(page) != Some(docs) {
                self.writer
                    .delete_term(tantivy::Term::from_field_text(self.page, page));
                changed += 1;
            }
        }
        for (page, docs) in &new {
            if old.get(page) != Some(docs) {
                if !old.contains_key(page) {
                    changed += 1;
                }
                for d in docs {
                    let mut doc = tantivy_doc(&f, d);
                    doc.add_text(self.page, page);
                    self.writer.add_document(doc)?;
                }
            }
        }
        if !new.is_empty() {
            self.docs.insert(slug.to_string(), new);
        }
        Ok(changed)
    }

    /// Runs a query as [`search_counted`] does.
    pub fn search(
        &self,
        query: &str,
        kind: Option<&str>,
        department: Option<&str>,
        limit: usize,
    ) -> tantivy::Result<(Vec<Hit>, usize)> {
        // One index holds every department: a search of the whole region leaves out the copies
        // of practices whose original is here too (as the built region index does).
        search_counted(
            &self.reader.searcher(),
            &self.index,
            query,
            kind,
            department,
            department.is_none(),
            limit,
        )
    }
}

/// Creates an index in `dir` holding `docs`, merged into one segment.
pub fn write_index(dir: &Path, docs: &[&SearchDoc]) -> tantivy::Result<Index> {
    let mut docs = docs.iter();
    let (index, _) = write_index_from(
        dir,
        |emit| docs.by_ref().for_each(|d| emit((*d).clone())),
        |_| (),
    )?;
    Ok(index)
}

/// Creates the index of one department in `dir`, streaming its documents into the index
/// (practice bodies' text from `body_text`, see [`documents_each_with`]). Each document, once
/// indexed, goes to `keep`; returns what it returned, in index order.
pub(crate) fn write_department_index<T>(
    dir: &Path,
    d: &Department,
    body_text: &mut dyn FnMut(&PracticeView) -> String,
    keep: impl FnMut(SearchDoc) -> T,
) -> tantivy::Result<(Index, Vec<T>)> {
    write_index_from(dir, |emit| documents_each_with(d, body_text, emit), keep)
}

fn write_index_from<T>(
    dir: &Path,
    produce: impl FnOnce(&mut dyn FnMut(SearchDoc)),
    mut keep: impl FnMut(SearchDoc) -> T,
) -> tantivy::Result<(Index, Vec<T>)> {
    std::fs::create_dir_all(dir)?;
    let (schema, f) = schema();
    // The stored fields (title, text, URL…) serve only `metodist search`, and the index is not
    // published; the store is compressed (LZ4, cheap) all the same: the final merge into one
    // segment maps every segment's store into memory, and 100 000 practices store 530 MB of
    // text uncompressed, 200 MB compressed.
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Lz4,
        ..Default::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(dir)?;
    index
        .tokenizers()
        .register(analyzer::NAME, analyzer::analyzer());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 24 * 1024 * 1024)?;
    let mut kept = Vec::new();
    let mut error = None;
    produce(&mut |d: SearchDoc| {
        if error.is_some() {
            return;
        }
        let doc = tantivy_doc(&f, &d);
        match writer.add_document(doc) {
            Ok(_) => kept.push(keep(d)),
            Err(e) => error = Some(e),
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    writer.commit()?;
    let ids = index.searchable_segment_ids()?;
    if ids.len() > 1 {
        writer.merge(&ids).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok((index, kept))
}

/// Merges department indexes into one index in `dir`; documents keep their order (the first
/// index's documents first).
pub(crate) fn merge_indexes(indexes: &[Index], dir: &Path) -> tantivy::Result<Index> {
    std::fs::create_dir_all(dir)?;
    let directory = tantivy::directory::MmapDirectory::open(dir)
        .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?;
    let index = tantivy::indexer::merge_indices(indexes, directory)?;
    index
        .tokenizers()
        .register(analyzer::NAME, analyzer::analyzer());
    Ok(index)
}

/// A copy of the index in `from` (hard links where the file system allows) in `dir`.
pub(crate) fn copy_index(from: &Path, dir: &Path) -> tantivy::Result<Index> {
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let to = dir.join(entry.file_name());
            if std::fs::hard_link(entry.path(), &to).is_err() {
                std::fs::copy(entry.path(), &to)?;
            }
        }
    }
    open_index(dir)
}

/// Opens an index written by [`write_index`].
pub(crate) fn open_index(dir: &Path) -> tantivy::Result<Index> {
    let index = Index::open_in_dir(dir)?;
    index
        .tokenizers()
        .register(analyzer::NAME, analyzer::analyzer());
    Ok(index)
}

/// Folder of the tantivy indexes inside the output folder. Department sites are uploaded as
/// `public/<slug>/`, so this folder is not published.
pub(crate) const INDEX_DIR: &str = ".search-index";
/// Name of the region-wide index.
pub(crate) const REGION: &str = "_region";

/// One search hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub score: f32,
    pub doc: u32,
    pub kind: String,
    pub kind_label: &'static str,
    pub department: String,
    pub title: String,
    pub url: String,
    pub year: Option<u64>,
    /// Snippet with matches in `<b>…</b>`.
    pub snippet: String,
}

/// Runs `query` (free text) against an index, optionally restricted to a kind and department.
pub fn search(
    index: &Index,
    query: &str,
    kind: Option<&str>,
    department: Option<&str>,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    let reader = index.reader()?;
    search_counted(
        &reader.searcher(),
        index,
        query,
        kind,
        department,
        false,
        limit,
    )
    .map(|(hits, _)| hits)
}

/// [`search`] with a given searcher; also returns how many documents match (with the filters),
/// while snippets are made only for the first `limit`.
/// What [`SnippetGenerator::create`] makes, but with the plain analysis chain instead of the
/// caching analyzer registered in the index: a snippet analyzes the whole text of its
/// document with a fresh clone of the analyzer, and a clone of the caching one filled a word
/// cache for every document of every request only to drop it (with 200 clients of
/// `/api/search` at once, `metodist serve` grew past 1 GB). The terms are the same.
fn snippet_generator(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    field: Field,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms = std::collections::BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weights = std::collections::BTreeMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_string) else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            weights.insert(text, 1.0 / (1.0 + doc_freq as tantivy::Score));
        }
    }
    static CHAIN: std::sync::OnceLock<tantivy::tokenizer::TextAnalyzer> =
        std::sync::OnceLock::new();
    Ok(SnippetGenerator::new(
        weights,
        CHAIN.get_or_init(analyzer::chain).clone(),
        field,
        200,
    ))
}

/// With `skip_region_copies`, the [`SearchDoc::region_copy`] documents are left out.
fn search_counted(
    searcher: &tantivy::Searcher,
    index: &Index,
    query: &str,
    kind: Option<&str>,
    department: Option<&str>,
    skip_region_copies: bool,
    limit: usize,
) -> tantivy::Result<(Vec<Hit>, usize)> {
    let (_, f) = schema();
    let mut parser = QueryParser::for_index(index, default_fields(&f));
    parser.set_field_boost(f.title, TITLE_BOOST);
    // Query syntax characters are taken as plain words: readers type text, not queries.
    let cleaned: String = query
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let (q, _) = parser.parse_query_lenient(&cleaned);
    // Rank by the quantized contributions the browser export holds (sum over the terms of the
    // query's distinct words, as tantivy's parser dedups identical words; ties by doc id), so
    // that the browser (static/search/engine.js) and the CLI agree exactly.
    let mut keys: std::collections::HashMap<u32, u64> = std::collections::HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for t in cleaned
        .split_whitespace()
        .filter(|w| seen.insert(*w))
        .flat_map(analyzer::terms)
    {
        for (d, s) in crate::search::export::quantized_contributions(searcher, &t)? {
            *keys.entry(d).or_default() += s as u64;
        }
    }
    if skip_region_copies {
        for d in region_copies(searcher)? {
            keys.remove(&d);
        }
    }
    let mut ranked: Vec<(u64, u32)> = keys.into_iter().map(|(d, k)| (k, d)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let bases: Vec<u32> = searcher
        .segment_readers()
        .iter()
        .scan(0u32, |acc, s| {
            let b = *acc;
            *acc += s.max_doc();
            Some(b)
        })
        .collect();
    let top: Vec<(f32, tantivy::DocAddress)> = ranked
        .into_iter()
        .map(|(k, d)| {
            let seg = bases.iter().rposition(|b| *b <= d).unwrap_or(0);
            (
                k as f32 / crate::search::export::SCALE,
                tantivy::DocAddress::new(seg as u32, d - bases[seg]),
            )
        })
        .collect();
    let filtered = kind.is_some() || department.is_some();
    let mut total = if filtered { 0 } else { top.len() };
    let snippets = snippet_generator(searcher, &*q, f.text)?;
    let mut hits = Vec::new();
    for (score, addr) in top {
        if !filtered && hits.len() >= limit {
            break;
        }
        let doc: TantivyDocument = searcher.doc(addr)?;
        let get = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let k = get(f.kind);
        if kind.is_some_and(|want| want != k)
            || department.is_some_and(|want| want != get(f.department))
        {
            continue;
        }
        if filtered {
            total += 1;
            if hits.len() >= limit {
                continue;
            }
        }
        let mut snippet = snippets.snippet_from_doc(&doc).to_html();
        if snippet.trim().is_empty() {
            snippet = crate::text::escape_text(&get(f.text).chars().take(200).collect::<String>());
        }
        hits.push(Hit {
            score,
            doc: bases[addr.segment_ord as usize] + addr.doc_id,
            kind_label: kind_label(&k),
            kind: k,
            department: get(f.department),
            title: get(f.title),
            url: get(f.url),
            year: doc.get_first(f.year).and_then(|v| v.as_u64()),
            snippet,
        });
    }
    Ok((hits, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(kind: &'static str, title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            kind,
            department: "d".into(),
            department_name: "D".into(),
            title: title.into(),
            text: text.into(),
            organization: vec![],
            tags: vec![],
            year: Some(2024),
            url: format!("x/{}", title.len()),
            region_copy: false,
        }
    }

    #[test]
    fn finds_inflected_forms_and_ranks_titles_first() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = [
            doc(
                "event",
                "Школа наставников для молодых педагогов",
                "Школа молодого педагога",
            ),
            doc(
                "practice",
                "Цифровая среда",
                "упоминает наставника один раз",
            ),
            doc("page", "О службе", "ничего общего"),
        ];
        let index = write_index(tmp.path(), &docs.iter().collect::<Vec<_>>()).unwrap();
        let hits = search(&index, "наставника", None, None, 10).unwrap();
        assert_eq!(hits.len(), 2);
        assert_eq!(
            hits[0].title, "Школа наставников для молодых педагогов",
            "title matches rank first"
        );
        let hits = search(&index, "молодых педагогов", Some("event"), None, 10).unwrap();
        assert_eq!(hits.len(), 1);
        let hits = search(&index, "цифровой", None, None, 10).unwrap();
        assert_eq!(hits[0].title, "Цифровая среда");
        assert!(
            search(&index, "AND OR (\"", None, None, 10).is_ok(),
            "query syntax is not an error"
        );
    }
}

#[cfg(test)]
mod live_tests {
    use super::*;

    #[test]
    fn live_index_replaces_the_documents_of_a_changed_page() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::build::check(root, false)
            .site
            .expect("demo content builds");
        let mut live = LiveIndex::create(&site).unwrap();
        let (hits, total) = live.search("наставника", None, None, 3).unwrap();
        assert!(total > 3 && hits.len() == 3, "{total}");
        let (_, events) = live.search("наставника", Some("event"), None, 1).unwrap();
        assert!(events > 0 && events < total);

        let di = site
            .departments
            .iter()
            .position(|d| !d.practices.is_empty())
            .unwrap();
        let mut dept = site.departments[di].clone();
        let old_title = dept.practices[0].title.clone();
        let mut p = (*dept.practices[0]).clone();
        p.title = "Квантовая педагогика".into();
        dept.practices[0] = std::sync::Arc::new(p);
        let changed = live.update(&dept.site.slug, Some(&dept)).unwrap();
        assert_eq!(changed, 1, "only the edited page is re-indexed");
        let (hits, _) = live.search("квантовая", None, None, 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].title, "Квантовая педагогика");
        // (Another department may show the same practice from its feed: look in this one.)
        let (hits, _) = live
            .search(&old_title, None, Some(&dept.site.slug), 50)
            .unwrap();
        assert!(
            hits.iter().all(|h| h.title != old_title),
            "the old document is gone"
        );
        // The department removed: none of its documents are found.
        live.update(&dept.site.slug, None).unwrap();
        let (hits, _) = live.search("квантовая", None, None, 10).unwrap();
        assert!(hits.is_empty());
    }
}
