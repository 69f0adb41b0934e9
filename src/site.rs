//! Stage 3: the site model — every page of every department, with URLs, statuses, taxonomies
//! and rendered Markdown, as plain serializable data that the templates print.
//!
//! The views here are exactly the template context documented in `themes/default/CONTEXT.md`.
//! Building them also runs the checks that need the whole department: duplicate URLs, links
//! between items, attachments and deadlines.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::deadline::{self, Span};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{DepartmentSource, Doc, Project};
use crate::markdown::{self, Body, LinkTargets};
use crate::model;
use crate::slug::slugify;
use crate::validate;

/// URL names taken by the site's own sections; a free page may not use them.
const RESERVED: [&str; 15] = [
    "roadmaps",
    "practices",
    "contests",
    "mentoring",
    "tags",
    "levels",
    "organizations",
    "static",
    "files",
    "search",
    "opendata",
    "page",
    "feeds",
    "about",
    "territories",
];

/// Options of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub drafts: bool,
    pub today: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub title: String,
    pub url: String,
    pub ext: String,
    pub size: Option<String>,
    /// Date of publication: «01.09.2023» and ISO.
    pub published: Option<String>,
    pub published_iso: Option<String>,
}

/// A normative document of the department (page «Сведения об органе»).
#[derive(Debug, Clone, Serialize)]
pub struct NormativeDocView {
    pub title: String,
    pub kind: Option<String>,
    pub number: Option<String>,
    pub date: Option<String>,
    pub date_iso: Option<String>,
    /// A file of `files/` (relative) or an external `https://` address.
    pub url: Option<String>,
    pub external: bool,
    pub ext: Option<String>,
    pub size: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub roadmaps: usize,
    pub practices: usize,
    pub contests: usize,
    pub mentoring: usize,
    pub pages: usize,
}

/// The `site` variable: the department.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub slug: String,
    pub name: String,
    pub full_name: Option<String>,
    pub region: Option<String>,
    pub municipality: Option<String>,
    pub address: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub working_hours: Option<String>,
    pub head: Option<model::Person>,
    pub logo_url: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub menu: Vec<Link>,
    pub counts: Counts,
    pub divisions: Vec<model::Division>,
    pub documents: Vec<NormativeDocView>,
    /// Open data passport settings (null when department.yaml has none).
    pub opendata: Option<model::OpenData>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub no: Option<String>,
    pub anchor: String,
    pub title: String,
    pub executors: Vec<String>,
    pub deadline: Option<String>,
    pub deadline_norm: Option<String>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub result: Option<String>,
    pub report: Option<String>,
    pub done_date: Option<String>,
    /// Normalized interval, for exports (ISO dates).
    pub from_iso: Option<String>,
    pub to_iso: Option<String>,
    /// Date of completion, ISO.
    pub done_iso: Option<String>,
    /// The deadline recurs (ежегодно, ежеквартально …) within `from_iso`–`to_iso`.
    pub recurring: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub no: Option<String>,
    pub title: String,
    pub anchor: String,
    pub events: Vec<EventView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub year: i32,
    pub target: String,
    pub actual: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub name: String,
    pub unit: Option<String>,
    pub baseline: Option<model::Baseline>,
    pub baseline_text: Option<String>,
    pub rows: Vec<IndicatorRow>,
    pub chart_svg: String,
    pub anchor: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusCounts {
    pub planned: usize,
    pub in_progress: usize,
    pub done: usize,
    pub overdue: usize,
    pub unknown: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// The sentence about the approval: «Утверждена приказом от 21.06.2023 № 146 (…)».
    pub approval: String,
    /// The act in a few words: «приказ от 21.06.2023 № 146».
    pub reference: String,
    pub kind: &'static str,
    pub number: String,
    pub date: String,
    pub date_iso: String,
    pub issued_by: Option<String>,
    pub signed_by: Option<String>,
    pub title: Option<String>,
    pub file_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoadmapView {
    pub title: String,
    pub url: String,
    /// URL name (last part of `url`), used for export file names.
    pub slug: String,
    pub document: DocumentView,
    pub period: String,
    pub coordinator: Option<String>,
    pub sections: Vec<SectionView>,
    pub indicators: Vec<IndicatorView>,
    pub status_counts: StatusCounts,
    pub attachments: Vec<AttachmentView>,
    pub body_html: String,
    pub updated: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeView {
    pub title: String,
    pub url: String,
    pub organization: String,
    pub organization_url: String,
    pub authors: Vec<String>,
    pub date: String,
    pub date_iso: String,
    pub level: Option<String>,
    pub level_url: Option<String>,
    pub tags: Vec<TermLink>,
    pub summary: Option<String>,
    pub results: Vec<String>,
    pub attachments: Vec<AttachmentView>,
    /// The rendered body, kept only by `metodist serve` (see [`build_cached`]); a build renders
    /// it when it writes the page ([`practice_body_html`]). Templates get it as `body_html`.
    #[serde(skip)]
    pub body_html: Option<String>,
    /// Where the body is, to render it again.
    #[serde(skip)]
    pub body: BodySource,
    pub updated: Option<String>,
}

/// Where a practice's Markdown body is and how it renders: enough to render it again, exactly
/// as it was checked, without keeping it in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodySource {
    /// Project-relative path of the file.
    pub source: std::path::PathBuf,
    /// Department-local path of the file (`practices/x.md`), for its links.
    pub local: String,
    /// Line of the file where the body starts.
    pub first_line: usize,
    /// Hash of the file's text when it was checked ([`crate::load::Doc::stamp`]).
    pub stamp: u64,
    /// Heading shift found by [`markdown::check`].
    pub shift: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContestResultView {
    pub participant: String,
    pub organization: Option<String>,
    pub nomination: Option<String>,
    pub status: &'static str,
    pub status_label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContestView {
    pub title: String,
    pub url: String,
    pub year: i32,
    pub level: &'static str,
    pub nominations: Vec<String>,
    pub results: Vec<ContestResultView>,
    pub winners: usize,
    pub attachments: Vec<AttachmentView>,
    pub body_html: String,
    pub updated: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MentoringView {
    pub title: String,
    pub url: String,
    pub form: String,
    pub mentor: model::Person,
    pub mentee: model::Person,
    pub organization: Option<String>,
    pub period: Option<String>,
    pub period_from_iso: Option<String>,
    pub period_to_iso: Option<String>,
    pub goals: Vec<String>,
    pub results: Vec<String>,
    pub tags: Vec<TermLink>,
    pub body_html: String,
    pub updated: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    pub url: String,
    pub menu: Option<i32>,
    pub attachments: Vec<AttachmentView>,
    pub body_html: String,
    pub updated: Option<String>,
}

/// One taxonomy (tags, levels or organizations): its terms and the practices of each.
#[derive(Debug, Clone, Serialize)]
pub struct Taxonomy {
    /// URL folder: `tags`, `levels`, `organizations`.
    pub key: &'static str,
    pub title: &'static str,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Indexes into `Department::practices`.
    #[serde(skip)]
    pub practices: Vec<usize>,
    /// Indexes into `Department::mentoring`.
    #[serde(skip)]
    pub mentoring: Vec<usize>,
}

/// A department, ready to render.
#[derive(Debug, Clone)]
pub struct Department {
    pub site: SiteView,
    /// Project root (practice bodies are read again from `root/<source>`).
    pub root: std::path::PathBuf,
    /// Department folder relative to the project root (`content/vidyaevo`).
    pub dir: std::path::PathBuf,
    /// Files of `files/` (department-local paths).
    pub files: Vec<String>,
    pub roadmaps: Vec<RoadmapView>,
    /// Newest first.
    pub practices: Vec<Arc<PracticeView>>,
    /// Newest first.
    pub contests: Vec<ContestView>,
    pub mentoring: Vec<MentoringView>,
    pub pages: Vec<PageView>,
    pub taxonomies: Vec<Taxonomy>,
    /// Practices of other districts from the feeds of `department.yaml`, newest first.
    pub foreign: Vec<crate::feeds::ForeignPractice>,
    /// What links in the department's bodies may point to (to render practice bodies again).
    pub targets: Arc<LinkTargets>,
}

/// Everything the renderer needs.
#[derive(Debug, Clone)]
pub struct Site {
    /// Project root (content files are read from here).
    pub root: std::path::PathBuf,
    pub config: model::Config,
    pub departments: Vec<Department>,
    pub today: NaiveDate,
}

/// The HTML of practice `p`'s body (of department `d`): the one kept in the view, or its file
/// read and rendered again. Problems of the body were reported when the model was built; a
/// file changed since then is an error.
pub(crate) fn practice_body_html<'a>(
    d: &Department,
    p: &'a PracticeView,
) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
    if let Some(html) = &p.body_html {
        return Ok(std::borrow::Cow::Borrowed(html));
    }
    let b = &p.body;
    let text = crate::load::read_body(&d.root, &b.source, b.stamp)?;
    let root_rel = root_for(&p.url);
    let body = Body {
        text: &text,
        local: &b.local,
        source: &b.source,
        first_line: b.first_line,
        root: &root_rel,
    };
    Ok(std::borrow::Cow::Owned(markdown::render_shifted(
        &body,
        &d.targets,
        b.shift,
        &mut Vec::new(),
    )))
}

/// A hash of every link target of a department (independent of the maps' order).
fn targets_fingerprint(t: &LinkTargets) -> u64 {
    let one = |x: &dyn Fn(&mut rustc_hash::FxHasher)| {
        let mut h = rustc_hash::FxHasher::default();
        x(&mut h);
        h.finish()
    };
    let mut acc = 0u64;
    for (k, v) in &t.pages {
        acc = acc.wrapping_add(one(&|h| (0u8, k, v).hash(h)));
    }
    for (url, set) in &t.anchors {
        for a in set {
            acc = acc.wrapping_add(one(&|h| (1u8, url, a).hash(h)));
        }
    }
    for f in &t.files {
        acc = acc.wrapping_add(one(&|h| (2u8, f).hash(h)));
    }
    acc
}

use crate::text::ru_date;

/// Relative path from a page URL (`practices/x/`) to the department root (`../../`).
pub(crate) fn root_for(url: &str) -> String {
    let depth = url.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Marks the practices of other districts whose original is published by a department of
/// this site (`in_region`).
pub(crate) fn mark_copies_in_region(departments: &mut [Department]) {
    let ids: HashSet<String> = departments
        .iter()
        .flat_map(|d| {
            d.practices
                .iter()
                .map(|p| crate::slug::practice_id(&d.site.slug, &p.url))
        })
        .collect();
    for d in departments {
        for p in &mut d.foreign {
            p.in_region = ids.contains(&p.id);
        }
    }
}

/// Builds the site model of every department. Problems go to `diags`. The project's practices
/// are consumed: each document is dropped once its view is made, so that a large bank is
/// never held twice (documents and views) in memory.
pub fn build(mut project: Project, opts: &BuildOptions, diags: &Diagnostics) -> Site {
    let practices: Vec<Vec<Doc<model::Practice>>> = project
        .departments
        .iter_mut()
        .map(|d| std::mem::take(&mut d.practices))
        .collect();
    build_departments(&project, opts, diags, None, Some(practices))
}

/// A practice's view and diagnostics, with the key of what they were computed from.
type CachedPractice = (u64, Arc<PracticeView>, Vec<Diagnostic>);

/// Practice views of the previous model, for `metodist serve`: a practice whose file, URL and
/// link targets (every page URL, anchor and attachment of its department) are unchanged is
/// not rendered and checked again. A bank of 10 000 practices then rebuilds its model in tens
/// of milliseconds instead of a second.
#[derive(Default)]
pub struct ModelCache {
    practices: HashMap<std::path::PathBuf, HashMap<std::path::PathBuf, CachedPractice>>,
}

impl ModelCache {
    /// Forgets the department in `dir` (its attachments changed: their sizes are in the views).
    pub(crate) fn forget_department(&mut self, dir: &Path) {
        self.practices.remove(dir);
    }
}

/// [`build`], reusing and refilling `cache` when given. With a cache (`metodist serve`, which
/// keeps the model between edits and indexes it again after each one) the practice views keep
/// their rendered bodies; without (`build`, `check`) the bodies are only checked here, and
/// rendered again when their pages are written, so that memory does not grow with the bank.
pub(crate) fn build_cached(
    project: &Project,
    opts: &BuildOptions,
    diags: &Diagnostics,
    cache: Option<&mut ModelCache>,
) -> Site {
    build_departments(project, opts, diags, cache, None)
}

/// [`build_cached`]; with `owned`, the practices of each department are these (taken out of
/// the project) rather than the project's.
fn build_departments(
    project: &Project,
    opts: &BuildOptions,
    diags: &Diagnostics,
    mut cache: Option<&mut ModelCache>,
    owned: Option<Vec<Vec<Doc<model::Practice>>>>,
) -> Site {
    let mut owned = owned.map(Vec::into_iter);
    let mut departments: Vec<Department> = project
        .departments
        .iter()
        .map(|d| {
            let mut out = Vec::new();
            let practices = cache
                .as_deref_mut()
                .map(|c| c.practices.entry(d.dir.clone()).or_default());
            let own = owned.as_mut().map(|o| o.next().unwrap_or_default());
            let dept = build_department(&project.root, d, own, opts, &mut out, practices);
            diags.extend(out);
            dept
        })
        .collect();
    if let Some(c) = cache {
        c.practices
            .retain(|dir, _| project.departments.iter().any(|d| &d.dir == dir));
    }
    mark_copies_in_region(&mut departments);
    Site {
        root: project.root.clone(),
        config: project.config.clone(),
        departments,
        today: opts.today,
    }
}

fn keep<T>(doc: &Doc<T>, draft: bool, opts: &BuildOptions) -> bool {
    let _ = doc;
    opts.drafts || !draft
}

/// Assigns unique URL slugs to items of one section, reporting collisions.
fn assign_slugs<T>(
    docs: &[&Doc<T>],
    explicit: impl Fn(&T) -> Option<&str>,
    prefix: &str,
    taken: &mut HashMap<String, std::path::PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> Vec<String> {
    docs.iter()
        .map(|doc| {
            let given = explicit(&doc.meta);
            validate::check_slug(given, "slug", &doc.source, &doc.lines, out);
            let slug = match given {
                Some(s) if crate::slug::is_valid_slug(s) => s.to_string(),
                _ => slugify(&doc.stem),
            };
            if given.is_none() && crate::slug::is_windows_reserved(&slug) {
                out.push(
                    Diagnostic::error(&doc.source, format!("имя файла «{}» зарезервировано в Windows", doc.stem))
                        .hint("такую страницу нельзя создать или загрузить с компьютера на Windows; переименуйте файл или задайте адрес в поле slug"),
                );
            }
            let url = format!("{prefix}{slug}/");
            if let Some(prev) = taken.get(&url) {
                let mut d = Diagnostic::error(&doc.source, format!("адрес «{url}» уже занят файлом {}", crate::diagnostics::display_path(prev)));
                d = if given.is_some() {
                    d.at_line(doc.lines.line("slug")).field("slug").hint("укажите в поле slug другой адрес")
                } else {
                    d.at_line(Some(2)).hint("переименуйте файл или задайте свой адрес в поле slug")
                };
                out.push(d);
            } else {
                taken.insert(url.clone(), doc.source.clone());
            }
            url
        })
        .collect()
}

fn attachments(
    list: &[model::Attachment],
    field: &str,
    dept: &DepartmentSource,
    root: &Path,
    doc_source: &Path,
    lines: &crate::load::yaml::LineIndex,
    out: &mut Vec<Diagnostic>,
) -> Vec<AttachmentView> {
    validate::check_attachments(list, field, dept, doc_source, lines, out);
    list.iter()
        .filter(|a| {
            dept.files
                .iter()
                .any(|f| f == a.file.trim().trim_start_matches("./"))
        })
        .map(|a| {
            let mut v =
                attachment_view(&a.title, a.file.trim().trim_start_matches("./"), dept, root);
            v.published = a.published.map(ru_date);
            v.published_iso = a.published.map(|d| d.to_string());
            v
        })
        .collect()
}

fn attachment_view(
    title: &str,
    file: &str,
    dept: &DepartmentSource,
    root: &Path,
) -> AttachmentView {
    let ext = Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().to_uppercase())
        .unwrap_or_default();
    let size = std::fs::metadata(root.join(&dept.dir).join(file))
        .ok()
        .map(|m| human_size(m.len()));
    AttachmentView {
        title: title.to_string(),
        url: crate::text::encode_path(file),
        ext,
        size,
        published: None,
        published_iso: None,
    }
}

/// «120 КБ», «1,4 МБ»
fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} Б")
    } else if bytes < 1024 * 1024 {
        format!("{} КБ", bytes.div_ceil(1024))
    } else {
        format!("{:.1} МБ", bytes as f64 / 1048576.0).replace('.', ",")
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}").replace('.', ",")
    }
}

/// The model of department `d`. `owned`: its practices, taken out of `d` (they are dropped as
/// their views are made); otherwise `d`'s are used.
fn build_department(
    root: &Path,
    d: &DepartmentSource,
    owned: Option<Vec<Doc<model::Practice>>>,
    opts: &BuildOptions,
    out: &mut Vec<Diagnostic>,
    cache: Option<&mut HashMap<std::path::PathBuf, CachedPractice>>,
) -> Department {
    let t = std::time::Instant::now();
    let info_rel = d.dir.join("department.yaml");
    validate::check_mixed_scripts(&d.info, &d.info_lines, None, &info_rel, out);
    if d.info.base_url.is_none() {
        out.push(
            Diagnostic::warning(&info_rel, "не задан base_url: в sitemap.xml будут относительные адреса, и поисковые системы их не примут")
                .at_line(Some(1))
                .field("base_url")
                .hint("укажите адрес, по которому сайт будет опубликован: base_url: \"https://uo.example.ru/\""),
        );
    } else if let Some(b) = d
        .info
        .base_url
        .as_deref()
        .filter(|b| !(b.starts_with("https://") || b.starts_with("http://")))
    {
        out.push(
            Diagnostic::error(&info_rel, format!("base_url «{b}» — не адрес сайта"))
                .at_line(d.info_lines.line("base_url"))
                .field("base_url")
                .hint("адрес начинается с https://, например https://uo.example.ru/"),
        );
    }
    if let Some(logo) = &d.info.logo {
        validate::check_file_ref(logo, "logo", d, &info_rel, &d.info_lines, out);
    }

    let roadmaps: Vec<&Doc<model::Roadmap>> = d
        .roadmaps
        .iter()
        .filter(|x| keep(x, x.meta.draft, opts))
        .collect();
    let owned: Option<Vec<Doc<model::Practice>>> = owned.map(|v| {
        v.into_iter()
            .filter(|x| keep(x, x.meta.draft, opts))
            .collect()
    });
    let practices: Vec<&Doc<model::Practice>> = match &owned {
        Some(v) => v.iter().collect(),
        None => d
            .practices
            .iter()
            .filter(|x| keep(x, x.meta.draft, opts))
            .collect(),
    };
    let contests: Vec<&Doc<model::Contest>> = d
        .contests
        .iter()
        .filter(|x| keep(x, x.meta.draft, opts))
        .collect();
    let mentoring: Vec<&Doc<model::Mentoring>> = d
        .mentoring
        .iter()
        .filter(|x| keep(x, x.meta.draft, opts))
        .collect();
    let pages: Vec<&Doc<model::Page>> = d
        .pages
        .iter()
        .filter(|x| keep(x, x.meta.draft, opts))
        .collect();

    // URLs first: links between items need all of them.
    let mut taken = HashMap::new();
    let roadmap_urls = assign_slugs(
        &roadmaps,
        |m| m.slug.as_deref(),
        "roadmaps/",
        &mut taken,
        out,
    );
    let practice_urls = assign_slugs(
        &practices,
        |m| m.slug.as_deref(),
        "practices/",
        &mut taken,
        out,
    );
    let contest_urls = assign_slugs(
        &contests,
        |m| m.slug.as_deref(),
        "contests/",
        &mut taken,
        out,
    );
    let mentoring_urls = assign_slugs(
        &mentoring,
        |m| m.slug.as_deref(),
        "mentoring/",
        &mut taken,
        out,
    );
    let page_urls = assign_slugs(&pages, |m| m.slug.as_deref(), "", &mut taken, out);
    for (doc, url) in pages.iter().zip(&page_urls) {
        let name = url.trim_end_matches('/');
        if RESERVED.contains(&name) || name == "index" || name == "404" {
            let d = Diagnostic::error(
                &doc.source,
                format!("адрес страницы «{name}» занят разделом сайта"),
            );
            out.push(if doc.meta.slug.is_some() {
                d.at_line(doc.lines.line("slug"))
                    .field("slug")
                    .hint("укажите в поле slug другой адрес")
            } else {
                d.at_line(Some(1))
                    .hint("переименуйте файл или задайте свой адрес в поле slug")
            });
        }
    }

    crate::timing::timing("  model: slugs", t);
    let mut targets = LinkTargets {
        files: d.files.iter().cloned().collect(),
        ..Default::default()
    };
    let mut add = |local: &str, url: &str| {
        targets.pages.insert(local.to_string(), url.to_string());
    };
    for (doc, url) in roadmaps.iter().zip(&roadmap_urls) {
        add(&doc.local, url);
    }
    for (doc, url) in practices.iter().zip(&practice_urls) {
        add(&doc.local, url);
    }
    for (doc, url) in contests.iter().zip(&contest_urls) {
        add(&doc.local, url);
    }
    for (doc, url) in mentoring.iter().zip(&mentoring_urls) {
        add(&doc.local, url);
    }
    for (doc, url) in pages.iter().zip(&page_urls) {
        add(&doc.local, url);
    }
    // Anchors of roadmap events, sections and indicators.
    let roadmap_anchors: Vec<(Vec<Vec<String>>, Vec<String>)> =
        roadmaps.iter().map(|r| event_anchors(&r.meta)).collect();
    for ((url, (events, sections)), r) in roadmap_urls.iter().zip(&roadmap_anchors).zip(&roadmaps) {
        let mut set: HashSet<String> = events.iter().flatten().cloned().collect();
        set.extend(sections.iter().cloned());
        set.extend((1..=r.meta.indicators.len()).map(|i| format!("indicator-{i}")));
        targets.anchors.insert(url.clone(), set);
    }

    crate::timing::timing("  model: link targets", t);
    let targets = Arc::new(targets);
    let render_body = |text: &str,
                       local: &str,
                       source: &Path,
                       first_line: usize,
                       url: &str,
                       out: &mut Vec<Diagnostic>| {
        let root_rel = root_for(url);
        markdown::render(
            &Body {
                text,
                local,
                source,
                first_line,
                root: &root_rel,
            },
            &targets,
            out,
        )
    };

    // Roadmaps.
    let mut roadmap_views = Vec::new();
    for ((doc, url), (anchors, section_anchors)) in
        roadmaps.iter().zip(&roadmap_urls).zip(roadmap_anchors)
    {
        validate::check_roadmap(doc, out);
        validate::check_mixed_scripts(
            &doc.meta,
            &doc.lines,
            Some((body_text(doc), doc.body_line)),
            &doc.source,
            out,
        );
        roadmap_views.push(roadmap_view(
            root,
            d,
            doc,
            url,
            anchors,
            section_anchors,
            opts,
            out,
            &render_body,
        ));
    }

    crate::timing::timing("  model: roadmaps", t);
    // Practices (parallel: a bank may hold thousands), reusing cached views when given.
    let targets_key = cache
        .as_ref()
        .map(|_| targets_fingerprint(&targets))
        .unwrap_or(0);
    let key_of = |doc: &Doc<model::Practice>, url: &str| {
        let mut h = rustc_hash::FxHasher::default();
        (doc.stamp, url, targets_key, &doc.source).hash(&mut h);
        h.finish()
    };
    let cached = cache.as_deref();
    let keep_bodies = cached.is_some();
    let make_view = |doc: &Doc<model::Practice>, url: &String| {
        let mut o = Vec::new();
        let (body_html, shift) = match (&doc.scanned, keep_bodies) {
            // Checked from what was found when the file was read: the body is not read again.
            (Some(scanned), false) => {
                validate::check_mixed_scripts(&doc.meta, &doc.lines, None, &doc.source, &mut o);
                o.extend(scanned.problems.iter().cloned());
                markdown::check_scanned(scanned, &doc.local, &doc.source, &targets, &mut o);
                (None, scanned.shift)
            }
            _ => {
                let text = crate::load::body_of(root, doc).unwrap_or_else(|e| {
                    o.push(e);
                    std::borrow::Cow::Borrowed("")
                });
                validate::check_mixed_scripts(
                    &doc.meta,
                    &doc.lines,
                    Some((&text, doc.body_line)),
                    &doc.source,
                    &mut o,
                );
                let root_rel = root_for(url);
                let body = Body {
                    text: &text,
                    local: &doc.local,
                    source: &doc.source,
                    first_line: doc.body_line,
                    root: &root_rel,
                };
                if keep_bodies {
                    (Some(markdown::render(&body, &targets, &mut o)), 0)
                } else {
                    (None, markdown::check(&body, &targets, &mut o))
                }
            }
        };
        let m = &doc.meta;
        let body = BodySource {
            source: doc.source.clone(),
            local: doc.local.clone(),
            first_line: doc.body_line,
            stamp: doc.stamp,
            shift,
        };
        let v = PracticeView {
            title: m.title.clone(),
            url: url.clone(),
            organization: m.organization.clone(),
            organization_url: format!("organizations/{}/", slugify(&m.organization)),
            authors: m.authors.clone(),
            date: ru_date(m.date),
            date_iso: m.date.to_string(),
            level: m.level.clone(),
            level_url: m.level.as_ref().map(|l| format!("levels/{}/", slugify(l))),
            tags: m
                .tags
                .iter()
                .map(|t| TermLink {
                    name: t.clone(),
                    url: format!("tags/{}/", slugify(t)),
                })
                .collect(),
            summary: m.summary.clone(),
            results: m.results.clone(),
            attachments: attachments(
                &m.attachments,
                "attachments",
                d,
                root,
                &doc.source,
                &doc.lines,
                &mut o,
            ),
            body_html,
            body,
            updated: m.updated.map(ru_date),
        };
        (Arc::new(v), o)
    };
    drop(practices);
    let practices: Vec<&Doc<model::Practice>>;
    let practice_results: Vec<(u64, Arc<PracticeView>, Vec<Diagnostic>)> = match owned {
        // Each document is dropped as soon as its view is made.
        Some(docs) => {
            practices = Vec::new();
            docs.into_par_iter()
                .zip(practice_urls.par_iter())
                .map(|(doc, url)| {
                    let (v, o) = make_view(&doc, url);
                    (0, v, o)
                })
                .collect()
        }
        None => {
            practices = d
                .practices
                .iter()
                .filter(|x| keep(x, x.meta.draft, opts))
                .collect();
            practices
                .par_iter()
                .zip(practice_urls.par_iter())
                .map(|(doc, url)| {
                    let key = if cached.is_some() {
                        key_of(doc, url)
                    } else {
                        0
                    };
                    if let Some((k, v, o)) = cached.and_then(|c| c.get(&doc.source)) {
                        if *k == key {
                            return (key, v.clone(), o.clone());
                        }
                    }
                    let (v, o) = make_view(doc, url);
                    (key, v, o)
                })
                .collect()
        }
    };
    let mut practice_views = Vec::with_capacity(practice_results.len());
    match cache {
        Some(cache) => {
            // Updated in place: an edit of one practice changes one entry.
            for ((key, v, o), doc) in practice_results.into_iter().zip(&practices) {
                out.extend(o.iter().cloned());
                match cache.get_mut(&doc.source) {
                    Some(e) if e.0 == key => {}
                    Some(e) => *e = (key, v.clone(), o),
                    None => {
                        cache.insert(doc.source.clone(), (key, v.clone(), o));
                    }
                }
                practice_views.push(v);
            }
            if cache.len() != practices.len() {
                let current: HashSet<&Path> =
                    practices.iter().map(|d| d.source.as_path()).collect();
                cache.retain(|k, _| current.contains(k.as_path()));
            }
        }
        None => {
            for (_, v, o) in practice_results {
                out.extend(o);
                practice_views.push(v);
            }
        }
    }
    practice_views.sort_by(|a, b| {
        b.date_iso
            .cmp(&a.date_iso)
            .then_with(|| a.title.cmp(&b.title))
    });

    crate::timing::timing("  model: practices", t);
    // Contests.
    let mut contest_views: Vec<ContestView> = contests
        .iter()
        .zip(&contest_urls)
        .map(|(doc, url)| {
            validate::check_mixed_scripts(
                &doc.meta,
                &doc.lines,
                Some((body_text(doc), doc.body_line)),
                &doc.source,
                out,
            );
            let m = &doc.meta;
            for (i, r) in m.results.iter().enumerate() {
                if let Some(n) = &r.nomination {
                    if !m.nominations.is_empty() && !m.nominations.contains(n) {
                        out.push(
                            Diagnostic::warning(
                                &doc.source,
                                format!("номинации «{n}» нет в списке nominations"),
                            )
                            .at_line(doc.lines.line(&format!("results[{i}].nomination")))
                            .field(format!("results[{i}].nomination"))
                            .hint(
                                match crate::spelling::did_you_mean(
                                    n,
                                    m.nominations.iter().map(String::as_str),
                                ) {
                                    Some(s) => format!("возможно, имелось в виду «{s}»"),
                                    None => {
                                        "добавьте её в nominations или исправьте название".into()
                                    }
                                },
                            ),
                        );
                    }
                }
            }
            let mut results: Vec<ContestResultView> = m
                .results
                .iter()
                .map(|r| ContestResultView {
                    participant: r.participant.clone(),
                    organization: r.organization.clone(),
                    nomination: r.nomination.clone(),
                    status: match r.status {
                        model::ResultStatus::Winner => "winner",
                        model::ResultStatus::Prizewinner => "prizewinner",
                        model::ResultStatus::Laureate => "laureate",
                        model::ResultStatus::Participant => "participant",
                    },
                    status_label: r.status.label(),
                })
                .collect();
            results.sort_by_key(|r| match r.status {
                "winner" => 0,
                "prizewinner" => 1,
                "laureate" => 2,
                _ => 3,
            });
            ContestView {
                title: m.title.clone(),
                url: url.clone(),
                year: m.year,
                level: m.level.label(),
                nominations: m.nominations.clone(),
                winners: m
                    .results
                    .iter()
                    .filter(|r| r.status == model::ResultStatus::Winner)
                    .count(),
                results,
                attachments: attachments(
                    &m.attachments,
                    "attachments",
                    d,
                    root,
                    &doc.source,
                    &doc.lines,
                    out,
                ),
                body_html: render_body(
                    body_text(doc),
                    &doc.local,
                    &doc.source,
                    doc.body_line,
                    url,
                    out,
                ),
                updated: m.updated.map(ru_date),
            }
        })
        .collect();
    contest_views.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.title.cmp(&b.title)));

    // Mentoring.
    let mentoring_views: Vec<MentoringView> = mentoring
        .iter()
        .zip(&mentoring_urls)
        .map(|(doc, url)| {
            validate::check_mixed_scripts(
                &doc.meta,
                &doc.lines,
                Some((body_text(doc), doc.body_line)),
                &doc.source,
                out,
            );
            let m = &doc.meta;
            MentoringView {
                title: m.title.clone(),
                url: url.clone(),
                form: m.form.clone(),
                mentor: m.mentor.clone(),
                mentee: m.mentee.clone(),
                organization: m.organization.clone(),
                period: m.period.map(|p| {
                    format!(
                        "{} – {}",
                        ru_date(p.from.first_day()),
                        ru_date(p.to.last_day())
                    )
                }),
                period_from_iso: m.period.map(|p| p.from.first_day().to_string()),
                period_to_iso: m.period.map(|p| p.to.last_day().to_string()),
                goals: m.goals.clone(),
                results: m.results.clone(),
                tags: m
                    .tags
                    .iter()
                    .map(|t| TermLink {
                        name: t.clone(),
                        url: format!("tags/{}/", slugify(t)),
                    })
                    .collect(),
                body_html: render_body(
                    body_text(doc),
                    &doc.local,
                    &doc.source,
                    doc.body_line,
                    url,
                    out,
                ),
                updated: m.updated.map(ru_date),
            }
        })
        .collect();

    // Free pages.
    let mut page_views: Vec<PageView> = pages
        .iter()
        .zip(&page_urls)
        .map(|(doc, url)| {
            validate::check_mixed_scripts(
                &doc.meta,
                &doc.lines,
                Some((body_text(doc), doc.body_line)),
                &doc.source,
                out,
            );
            let m = &doc.meta;
            PageView {
                title: m.title.clone(),
                url: url.clone(),
                menu: m.menu,
                attachments: attachments(
                    &m.attachments,
                    "attachments",
                    d,
                    root,
                    &doc.source,
                    &doc.lines,
                    out,
                ),
                body_html: render_body(
                    body_text(doc),
                    &doc.local,
                    &doc.source,
                    doc.body_line,
                    url,
                    out,
                ),
                updated: m.updated.map(ru_date),
            }
        })
        .collect();
    page_views.sort_by(|a, b| {
        a.menu
            .unwrap_or(i32::MAX)
            .cmp(&b.menu.unwrap_or(i32::MAX))
            .then_with(|| a.title.cmp(&b.title))
    });

    crate::timing::timing("  model: contests, mentoring, pages", t);
    let taxonomies = build_taxonomies(&practice_views, &mentoring_views);
    let own_ids: HashSet<String> = practice_views
        .iter()
        .map(|p| crate::slug::practice_id(&d.slug, &p.url))
        .collect();
    let foreign = crate::feeds::load(
        root,
        &d.dir,
        &d.slug,
        &own_ids,
        &d.info.feeds,
        &d.info_lines,
        out,
    );

    crate::timing::timing("  model: taxonomies", t);
    let counts = Counts {
        roadmaps: roadmap_views.len(),
        practices: practice_views.len(),
        contests: contest_views.len(),
        mentoring: mentoring_views.len(),
        pages: page_views.len(),
    };
    let mut menu = Vec::new();
    for (n, title, url) in [
        (counts.roadmaps, "Дорожные карты", "roadmaps/"),
        (counts.practices, "Банк практик", "practices/"),
        (counts.contests, "Конкурсы", "contests/"),
        (counts.mentoring, "Наставничество", "mentoring/"),
    ] {
        if n > 0 {
            menu.push(Link {
                title: title.into(),
                url: url.into(),
            });
        }
    }
    if !foreign.is_empty() {
        menu.push(Link {
            title: "Практики других территорий".into(),
            url: "territories/".into(),
        });
    }
    for p in page_views.iter().filter(|p| p.menu.is_some()) {
        menu.push(Link {
            title: p.title.clone(),
            url: p.url.clone(),
        });
    }
    menu.push(Link {
        title: "Сведения об органе".into(),
        url: "about/".into(),
    });

    let i = &d.info;
    let documents = normative_documents(root, d, &info_rel, out);
    let site = SiteView {
        slug: d.slug.clone(),
        name: i.name.clone(),
        full_name: i.full_name.clone(),
        region: i.region.clone(),
        municipality: i.municipality.clone(),
        address: i.address.clone(),
        phones: i.phones.clone(),
        email: i.email.clone(),
        working_hours: i.working_hours.clone(),
        head: i.head.clone(),
        logo_url: i
            .logo
            .as_ref()
            .map(|l| crate::text::encode_path(l.trim().trim_start_matches("./"))),
        description: i.description.clone(),
        base_url: i.base_url.clone(),
        menu,
        counts,
        divisions: i.divisions.clone(),
        documents,
        opendata: i.opendata.clone(),
    };
    Department {
        site,
        root: root.to_path_buf(),
        dir: d.dir.clone(),
        files: d.files.clone(),
        roadmaps: roadmap_views,
        practices: practice_views,
        contests: contest_views,
        mentoring: mentoring_views,
        pages: page_views,
        taxonomies,
        foreign,
        targets,
    }
}

/// The kept body of a document that keeps it (every kind but practices).
fn body_text<T>(doc: &Doc<T>) -> &str {
    doc.body.as_deref().unwrap_or_default()
}

/// Normative documents of `department.yaml`, each with a checked file or an external link.
fn normative_documents(
    root: &Path,
    d: &DepartmentSource,
    info_rel: &Path,
    out: &mut Vec<Diagnostic>,
) -> Vec<NormativeDocView> {
    d.info
        .documents
        .iter()
        .enumerate()
        .map(|(k, doc)| {
            let field = format!("documents[{k}]");
            let mut v = NormativeDocView {
                title: doc.title.clone(),
                kind: doc.kind.clone(),
                number: doc.number.clone(),
                date: doc.date.map(ru_date),
                date_iso: doc.date.map(|x| x.to_string()),
                url: None,
                external: false,
                ext: None,
                size: None,
            };
            if let Some(f) = &doc.file {
                validate::check_file_ref(f, &format!("{field}.file"), d, info_rel, &d.info_lines, out);
                let f = f.trim().trim_start_matches("./");
                if d.files.iter().any(|x| x == f) {
                    let a = attachment_view(&doc.title, f, d, root);
                    v.url = Some(a.url);
                    v.ext = Some(a.ext);
                    v.size = a.size;
                }
            } else if let Some(u) = &doc.url {
                if u.starts_with("https://") || u.starts_with("http://") {
                    v.url = Some(u.clone());
                    v.external = true;
                } else {
                    out.push(
                        Diagnostic::error(info_rel, format!("«{u}» — не адрес в интернете"))
                            .at_line(d.info_lines.line(&format!("{field}.url")))
                            .field(format!("{field}.url"))
                            .hint("укажите адрес, начинающийся с https://, или файл из files/ в поле `file`"),
                    );
                }
            }
            v
        })
        .collect()
}

/// Event anchors (per section) and section anchors of a roadmap: an event's own `id`, else
/// `s<section>-e<position>` (1-based), which stays the same when printed numbers repeat.
fn event_anchors(r: &model::Roadmap) -> (Vec<Vec<String>>, Vec<String>) {
    let events = r
        .sections
        .iter()
        .enumerate()
        .map(|(si, s)| {
            s.events
                .iter()
                .enumerate()
                .map(|(ei, e)| match &e.id {
                    Some(id) if crate::slug::is_valid_slug(id) => id.clone(),
                    _ => format!("s{}-e{}", si + 1, ei + 1),
                })
                .collect()
        })
        .collect();
    let sections = (1..=r.sections.len()).map(|i| format!("s{i}")).collect();
    (events, sections)
}

/// Renders one Markdown text of a roadmap (field path, text, file, line, anchor prefix) into HTML,
/// pushing its problems.
type RenderBody<'a> = dyn Fn(&str, &str, &Path, usize, &str, &mut Vec<Diagnostic>) -> String + 'a;

#[allow(clippy::too_many_arguments)]
fn roadmap_view(
    root: &Path,
    d: &DepartmentSource,
    doc: &Doc<model::Roadmap>,
    url: &str,
    anchors: Vec<Vec<String>>,
    section_anchors: Vec<String>,
    opts: &BuildOptions,
    out: &mut Vec<Diagnostic>,
    render_body: &RenderBody<'_>,
) -> RoadmapView {
    let m = &doc.meta;
    let span = Span {
        from: m.period.from.first_day(),
        to: m.period.to.last_day(),
    };
    let mut counts = StatusCounts::default();
    let mut sections = Vec::new();
    for ((si, s), (ids, sec_anchor)) in m
        .sections
        .iter()
        .enumerate()
        .zip(anchors.into_iter().zip(section_anchors))
    {
        let mut events = Vec::new();
        for ((ei, e), anchor) in s.events.iter().enumerate().zip(ids) {
            let path = format!("sections[{si}].events[{ei}].deadline");
            let parsed = e.deadline.as_deref().map(|t| deadline::parse(t, span));
            if let Some(p) = &parsed {
                match p.kind {
                    deadline::DeadlineKind::Unparsed => out.push(
                        Diagnostic::warning(&doc.source, format!("срок «{}» не распознан; он будет показан как есть", p.text))
                            .at_line(doc.lines.line(&path))
                            .field(path.clone())
                            .hint("статус мероприятия не вычисляется; распознаются, например, «ноябрь 2021 года», «2021–2022 годы», «до 01.09.2024», «ежеквартально»"),
                    ),
                    _ if p.outside(span) => out.push(
                        Diagnostic::warning(&doc.source, format!("срок «{}» выходит за период дорожной карты ({}–{})", p.text, span.from.format("%Y"), span.to.format("%Y")))
                            .at_line(doc.lines.line(&path))
                            .field(path.clone())
                            .hint("проверьте год срока или поле period"),
                    ),
                    _ => {}
                }
            }
            let done = e.done.map(model::Done::is_done).unwrap_or(false);
            let status = match &parsed {
                Some(p) => deadline::status(p, done, opts.today, span),
                None if done => deadline::Status::Done,
                None => deadline::Status::Unknown,
            };
            match status {
                deadline::Status::Planned => counts.planned += 1,
                deadline::Status::InProgress => counts.in_progress += 1,
                deadline::Status::Done => counts.done += 1,
                deadline::Status::Overdue => counts.overdue += 1,
                deadline::Status::Unknown => counts.unknown += 1,
            }
            counts.total += 1;
            let (from_iso, to_iso) = match parsed.as_ref().map(|p| &p.kind) {
                Some(deadline::DeadlineKind::Interval { from, to, .. }) => {
                    (Some(from.to_string()), Some(to.to_string()))
                }
                _ => (None, None),
            };
            events.push(EventView {
                no: e.no.clone(),
                anchor,
                title: e.title.clone(),
                executors: e.executors.clone(),
                deadline: e.deadline.clone(),
                deadline_norm: parsed.as_ref().and_then(|p| p.normalized_label()),
                status: status.key(),
                status_label: status.label(),
                result: e.result.clone(),
                report: e.report.clone(),
                done_date: match e.done {
                    Some(model::Done::On(date)) => Some(ru_date(date)),
                    _ => None,
                },
                from_iso,
                to_iso,
                done_iso: match e.done {
                    Some(model::Done::On(date)) => Some(date.to_string()),
                    _ => None,
                },
                recurring: matches!(parsed.as_ref().map(|p| &p.kind), Some(deadline::DeadlineKind::Interval { recurrence, .. }) if !matches!(recurrence, deadline::Recurrence::Once | deadline::Recurrence::Continuous)),
            });
        }
        sections.push(SectionView {
            no: s.no.clone(),
            title: s.title.clone(),
            anchor: sec_anchor,
            events,
        });
    }
    let indicators = m
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let years: std::collections::BTreeSet<i32> = ind
                .targets
                .keys()
                .chain(ind.actual.keys())
                .copied()
                .collect();
            let rows = years
                .iter()
                .map(|y| IndicatorRow {
                    year: *y,
                    target: ind
                        .targets
                        .get(y)
                        .map(|v| fmt_num(*v))
                        .unwrap_or_else(|| "—".into()),
                    actual: ind
                        .actual
                        .get(y)
                        .map(|v| fmt_num(*v))
                        .unwrap_or_else(|| "—".into()),
                })
                .collect();
            IndicatorView {
                name: ind.name.clone(),
                unit: ind.unit.clone(),
                baseline: ind.baseline,
                baseline_text: ind
                    .baseline
                    .map(|b| format!("{} ({} г.)", fmt_num(b.value), b.year)),
                rows,
                chart_svg: crate::chart::indicator_svg(ind, i + 1),
                anchor: format!("indicator-{}", i + 1),
            }
        })
        .collect();
    if let Some(f) = &m.document.file {
        validate::check_file_ref(f, "document.file", d, &doc.source, &doc.lines, out);
    }
    let document = DocumentView {
        kind: m.document.kind.map(|k| k.label()).unwrap_or(""),
        number: m.document.number.clone().unwrap_or_default(),
        date: m.document.date.map(ru_date).unwrap_or_default(),
        date_iso: m.document.date.map(|d| d.to_string()).unwrap_or_default(),
        approval: m.document.sentence(),
        reference: m.document.reference(),
        issued_by: m.document.issued_by.clone(),
        signed_by: m.document.signed_by.clone(),
        title: m.document.title.clone(),
        file_url: m
            .document
            .file
            .as_ref()
            .map(|f| f.trim().trim_start_matches("./").to_string())
            .filter(|f| d.files.contains(f))
            .map(|f| crate::text::encode_path(&f)),
    };
    let (from, to) = (
        span.from.format("%Y").to_string(),
        span.to.format("%Y").to_string(),
    );
    RoadmapView {
        title: m.title.clone(),
        url: url.to_string(),
        slug: url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
        document,
        period: if from == to {
            from
        } else {
            format!("{from}–{to}")
        },
        coordinator: m.coordinator.clone(),
        sections,
        indicators,
        status_counts: counts,
        attachments: attachments(
            &m.attachments,
            "attachments",
            d,
            root,
            &doc.source,
            &doc.lines,
            out,
        ),
        body_html: render_body(
            body_text(doc),
            &doc.local,
            &doc.source,
            doc.body_line,
            url,
            out,
        ),
        updated: m.updated.map(ru_date),
    }
}

fn build_taxonomies(practices: &[Arc<PracticeView>], mentoring: &[MentoringView]) -> Vec<Taxonomy> {
    let mut tags = TermsAcc::default();
    let mut levels = TermsAcc::default();
    let mut orgs = TermsAcc::default();
    for (i, p) in practices.iter().enumerate() {
        for t in &p.tags {
            tags.term(&t.name).2.push(i);
        }
        if let Some(l) = &p.level {
            levels.term(l).2.push(i);
        }
        orgs.term(&p.organization).2.push(i);
    }
    for (i, m) in mentoring.iter().enumerate() {
        for t in &m.tags {
            tags.term(&t.name).3.push(i);
        }
    }
    let make = |key: &'static str, title: &'static str, acc: TermsAcc| {
        let mut terms = acc.terms;
        // By slug first (the order of a map by slug), then by name; both sorts are stable.
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut terms: Vec<Term> = terms
            .into_iter()
            .map(|(slug, name, practices, mentoring)| Term {
                url: format!("{key}/{slug}/"),
                name,
                slug,
                practices,
                mentoring,
            })
            .collect();
        terms.sort_by_cached_key(|t| t.name.to_lowercase());
        Taxonomy { key, title, terms }
    };
    vec![
        make("tags", "Теги", tags),
        make("levels", "Уровни образования", levels),
        make("organizations", "Организации", orgs),
    ]
}

/// Terms of one taxonomy being collected: (slug, first-seen name, practices, mentoring). A
/// bank repeats a few hundred names thousands of times: each name is slugified once.
#[derive(Default)]
struct TermsAcc<'a> {
    by_name: HashMap<&'a str, usize>,
    by_slug: HashMap<String, usize>,
    terms: Vec<(String, String, Vec<usize>, Vec<usize>)>,
}

impl<'a> TermsAcc<'a> {
    fn term(&mut self, name: &'a str) -> &mut (String, String, Vec<usize>, Vec<usize>) {
        let i = match self.by_name.get(name) {
            Some(&i) => i,
            None => {
                let slug = slugify(name);
                let i = match self.by_slug.get(&slug) {
                    Some(&i) => i,
                    None => {
                        self.terms
                            .push((slug.clone(), name.to_string(), vec![], vec![]));
                        self.by_slug.insert(slug, self.terms.len() - 1);
                        self.terms.len() - 1
                    }
                };
                self.by_name.insert(name, i);
                i
            }
        };
        &mut self.terms[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the demo content in a temporary folder (its files are changed by the tests).
    fn demo_copy() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .filter_map(Result::ok)
        {
            let to = tmp.path().join(entry.path().strip_prefix(root).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        if root.join("metodist.yaml").exists() {
            std::fs::copy(root.join("metodist.yaml"), tmp.path().join("metodist.yaml")).unwrap();
        }
        tmp
    }

    /// Bounded memory: neither the loaded project nor the model of a build holds the practices'
    /// bodies (a bank of 100 000 practices is a gigabyte of Markdown and more of HTML); a
    /// practice's body is read again and rendered when its page is written.
    #[test]
    fn the_model_of_a_build_holds_no_practice_bodies() {
        let tmp = demo_copy();
        let diags = Diagnostics::new();
        let project = crate::load::load_project(tmp.path(), &diags);
        let docs: Vec<&Doc<model::Practice>> = project
            .departments
            .iter()
            .flat_map(|d| &d.practices)
            .collect();
        assert!(docs.len() >= 3);
        assert!(
            docs.iter().all(|d| d.body.is_none() && d.scanned.is_some()),
            "the project keeps no practice bodies, only what checking them needs"
        );
        assert!(
            project
                .departments
                .iter()
                .flat_map(|d| &d.roadmaps)
                .all(|d| d.body.is_some()),
            "the other kinds keep theirs"
        );

        let site = crate::build::check(tmp.path(), false)
            .site
            .expect("the demo builds");
        let d = site
            .departments
            .iter()
            .find(|d| !d.practices.is_empty())
            .unwrap();
        assert!(
            site.departments
                .iter()
                .flat_map(|d| &d.practices)
                .all(|p| p.body_html.is_none()),
            "the model keeps no practice bodies"
        );
        let p = &d.practices[0];
        let html = practice_body_html(d, p).unwrap();
        assert!(html.contains("<p>"), "{html}");
        // The page shows the body, rendered as `serve` (which keeps the bodies) renders it.
        let project = crate::load::load_project(tmp.path(), &diags);
        let today = site.today;
        let served = build_cached(
            &project,
            &BuildOptions {
                drafts: false,
                today,
            },
            &diags,
            Some(&mut ModelCache::default()),
        );
        let sd = served
            .departments
            .iter()
            .find(|x| x.site.slug == d.site.slug)
            .unwrap();
        let sp = sd.practices.iter().find(|x| x.url == p.url).unwrap();
        assert_eq!(
            sp.body_html.as_deref(),
            Some(&*html),
            "serve keeps the same HTML"
        );

        // A file changed after it was checked is an error, not a page of unchecked text.
        let file = tmp.path().join(&p.body.source);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{text}\nНовый абзац.\n")).unwrap();
        let err = practice_body_html(d, p).unwrap_err();
        assert!(err.message.contains("изменился во время сборки"), "{err}");
        assert_eq!(err.file, p.body.source);
    }
}
