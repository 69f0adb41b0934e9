//! Stage 4: turning the site model into files with Tera templates.
//!
//! The theme comes from `themes/<name>/` of the project if it exists, else from the default
//! theme built into the binary; any file of the project's `templates/` overrides the theme's
//! template of the same name. Every page is rendered in parallel and written straight into the
//! output staging folder, so memory does not grow with the number of pages.

pub mod chart;
pub mod structured;
pub mod theme;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::site::{root_for, Department, Link, Site};
pub use theme::Theme;

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    RoadmapList,
    Roadmap(usize),
    PracticeList(usize),
    Practice(usize),
    TaxonomyList(usize),
    TaxonomyTerm(usize, usize, usize),
    ContestList,
    Contest(usize),
    MentoringList,
    Mentoring(usize),
    Page(usize),
    Search,
    NotFound,
    About,
    OpenData,
    Territories,
}

/// Where a job's page goes and what it shows.
struct PageSpec {
    url: String,
    template: &'static str,
    title: String,
    kind: &'static str,
    crumbs: Vec<Link>,
    updated: Option<String>,
    extra: Map<String, Value>,
}

fn pages_of(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

fn jobs_of(d: &Department, page_size: usize, search: bool) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound, Job::About, Job::OpenData];
    if !d.foreign.is_empty() {
        jobs.push(Job::Territories);
    }
    if search {
        jobs.push(Job::Search);
    }
    if !d.roadmaps.is_empty() {
        jobs.push(Job::RoadmapList);
    }
    jobs.extend((0..d.roadmaps.len()).map(Job::Roadmap));
    if !d.practices.is_empty() {
        jobs.extend((1..=pages_of(d.practices.len(), page_size)).map(Job::PracticeList));
    }
    jobs.extend((0..d.practices.len()).map(Job::Practice));
    for (ti, t) in d.taxonomies.iter().enumerate() {
        if t.terms.is_empty() {
            continue;
        }
        jobs.push(Job::TaxonomyList(ti));
        for (k, term) in t.terms.iter().enumerate() {
            for p in 1..=pages_of(term.practices.len(), page_size) {
                jobs.push(Job::TaxonomyTerm(ti, k, p));
            }
        }
    }
    if !d.contests.is_empty() {
        jobs.push(Job::ContestList);
    }
    jobs.extend((0..d.contests.len()).map(Job::Contest));
    if !d.mentoring.is_empty() {
        jobs.push(Job::MentoringList);
    }
    jobs.extend((0..d.mentoring.len()).map(Job::Mentoring));
    jobs.extend((0..d.pages.len()).map(Job::Page));
    jobs
}

fn link(title: &str, url: &str) -> Link {
    Link {
        title: title.to_string(),
        url: url.to_string(),
    }
}

fn paged_url(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Page numbers to link from page `current` of `total`: the first, the last and two on each
/// side of the current one, with `None` for the gaps (a bank of 100 000 practices has 5 000
/// list pages; linking them all from every page would make the lists quadratic).
fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        let near = n + 2 >= current && n <= current + 2;
        if n == 1 || n == total || near {
            if n > last + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last = n;
        }
    }
    out
}

fn paginator(base: &str, current: usize, total: usize) -> Value {
    json!({
        "current": current,
        "total": total,
        "prev_url": if current > 1 { Some(paged_url(base, current - 1)) } else { None },
        "next_url": if current < total { Some(paged_url(base, current + 1)) } else { None },
        "pages": page_window(current, total)
            .into_iter()
            .map(|n| match n {
                Some(n) => json!({"number": n, "url": paged_url(base, n), "current": n == current}),
                None => json!({"gap": true}),
            })
            .collect::<Vec<_>>(),
    })
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn spec(d: &Department, job: Job, page_size: usize, stamp: &str) -> PageSpec {
    let home = || link("Главная", "");
    let mut extra = Map::new();
    let s = |url: String, template, title: String, kind, crumbs, updated, extra| PageSpec {
        url,
        template,
        title,
        kind,
        crumbs,
        updated,
        extra,
    };
    match job {
        Job::Home => {
            extra.insert(
                "roadmaps".into(),
                to_value(&d.roadmaps.iter().map(roadmap_summary).collect::<Vec<_>>()),
            );
            extra.insert(
                "latest_practices".into(),
                Value::Array(
                    d.practices
                        .iter()
                        .take(6)
                        .map(|p| practice_card(p))
                        .collect(),
                ),
            );
            extra.insert(
                "latest_contests".into(),
                to_value(&d.contests.iter().take(3).collect::<Vec<_>>()),
            );
            extra.insert(
                "mentoring".into(),
                to_value(&d.mentoring.iter().take(3).collect::<Vec<_>>()),
            );
            s(
                String::new(),
                "index.html",
                d.site.name.clone(),
                "home",
                vec![],
                None,
                extra,
            )
        }
        Job::Search => {
            extra.insert("search_data".into(), json!("search/"));
            s(
                "search/".into(),
                "search.html",
                "Поиск".into(),
                "search",
                vec![home()],
                None,
                extra,
            )
        }
        Job::About => {
            extra.insert("opendata_url".into(), json!("opendata/"));
            s(
                "about/".into(),
                "about.html",
                "Сведения об органе".into(),
                "about",
                vec![home()],
                None,
                extra,
            )
        }
        Job::OpenData => {
            let sets = crate::export::opendata::datasets(d, stamp);
            let passports: Vec<Value> = sets
                .iter()
                .map(|x| {
                    let mut v = to_value(x);
                    v["passport"] = Value::Array(
                        crate::export::opendata::passport(d, x)
                            .into_iter()
                            .map(|(k, val)| json!({"property": k, "value": val}))
                            .collect(),
                    );
                    v
                })
                .collect();
            extra.insert("datasets".into(), Value::Array(passports));
            extra.insert("registry_url".into(), json!("opendata/list.csv"));
            extra.insert("feeds".into(), json!({"practices_json": "feeds/practices.json", "practices_atom": "feeds/practices.xml", "contests_atom": "feeds/contests.xml"}));
            s(
                "opendata/".into(),
                "opendata.html",
                "Открытые данные".into(),
                "opendata",
                vec![home()],
                None,
                extra,
            )
        }
        Job::Territories => {
            extra.insert("practices".into(), to_value(&d.foreign));
            let mut sources: Vec<&str> = d.foreign.iter().map(|p| p.source.as_str()).collect();
            sources.sort();
            sources.dedup();
            extra.insert("sources".into(), json!(sources));
            s(
                "territories/".into(),
                "territories.html",
                "Практики других территорий".into(),
                "territories",
                vec![home()],
                None,
                extra,
            )
        }
        Job::NotFound => s(
            "404.html".into(),
            "404.html",
            "Страница не найдена".into(),
            "not_found",
            vec![home()],
            None,
            extra,
        ),
        Job::RoadmapList => {
            extra.insert(
                "roadmaps".into(),
                to_value(&d.roadmaps.iter().map(roadmap_summary).collect::<Vec<_>>()),
            );
            s(
                "roadmaps/".into(),
                "roadmap_list.html",
                "Дорожные карты".into(),
                "roadmap_list",
                vec![home()],
                None,
                extra,
            )
        }
        Job::Roadmap(i) => {
            let r = &d.roadmaps[i];
            extra.insert("roadmap".into(), to_value(r));
            extra.insert(
                "jsonld".into(),
                json!(structured::to_script(&structured::roadmap(d, r))),
            );
            let executors: Vec<Value> = crate::export::ics::executors(r)
                .into_iter()
                .map(
                    |(name, file)| json!({"name": name, "url": format!("{}ics/{file}.ics", r.url)}),
                )
                .collect();
            extra.insert(
                "exports".into(),
                json!({
                    "xlsx": format!("{}{}.xlsx", r.url, r.slug),
                    "ics": format!("{}{}.ics", r.url, r.slug),
                    "ics_events": crate::export::ics::datable(r).count(),
                    "executors": executors,
                }),
            );
            let updated = r.updated.clone();
            s(
                r.url.clone(),
                "roadmap.html",
                r.title.clone(),
                "roadmap",
                vec![home(), link("Дорожные карты", "roadmaps/")],
                updated,
                extra,
            )
        }
        Job::PracticeList(p) => {
            let total = pages_of(d.practices.len(), page_size);
            let items: Vec<Value> = d
                .practices
                .iter()
                .skip((p - 1) * page_size)
                .take(page_size)
                .map(|p| practice_card(p))
                .collect();
            extra.insert("practices".into(), Value::Array(items));
            extra.insert("paginator".into(), paginator("practices/", p, total));
            let facets: Map<String, Value> = d
                .taxonomies
                .iter()
                .map(|t| {
                    let terms: Vec<Value> = t
                        .terms
                        .iter()
                        .map(|x| json!({"name": x.name, "url": x.url, "count": x.practices.len()}))
                        .filter(|v| v["count"] != 0)
                        .collect();
                    (t.key.to_string(), Value::Array(terms))
                })
                .collect();
            extra.insert("facets".into(), Value::Object(facets));
            let title = if p == 1 {
                "Банк практик".to_string()
            } else {
                format!("Банк практик — страница {p}")
            };
            let crumbs = if p == 1 {
                vec![home()]
            } else {
                vec![home(), link("Банк практик", "practices/")]
            };
            s(
                paged_url("practices/", p),
                "practice_list.html",
                title,
                "practice_list",
                crumbs,
                None,
                extra,
            )
        }
        Job::Practice(i) => {
            let p = &d.practices[i];
            extra.insert("practice".into(), to_value(&**p));
            extra.insert(
                "jsonld".into(),
                json!(structured::to_script(&structured::practice(d, p))),
            );
            s(
                p.url.clone(),
                "practice.html",
                p.title.clone(),
                "practice",
                vec![home(), link("Банк практик", "practices/")],
                p.updated.clone(),
                extra,
            )
        }
        Job::TaxonomyList(ti) => {
            let t = &d.taxonomies[ti];
            let terms: Vec<Value> = t.terms.iter().map(|x| json!({"name": x.name, "url": x.url, "count": x.practices.len() + x.mentoring.len()})).collect();
            extra.insert(
                "taxonomy".into(),
                json!({"title": t.title, "key": t.key, "terms": terms}),
            );
            s(
                format!("{}/", t.key),
                "taxonomy_list.html",
                t.title.to_string(),
                "taxonomy_list",
                vec![home(), link("Банк практик", "practices/")],
                None,
                extra,
            )
        }
        Job::TaxonomyTerm(ti, k, p) => {
            let t = &d.taxonomies[ti];
            let term = &t.terms[k];
            let total = pages_of(term.practices.len(), page_size);
            let items: Vec<Value> = term
                .practices
                .iter()
                .skip((p - 1) * page_size)
                .take(page_size)
                .map(|&i| practice_card(&d.practices[i]))
                .collect();
            let cases: Vec<_> = if p == 1 {
                term.mentoring.iter().map(|&i| &d.mentoring[i]).collect()
            } else {
                vec![]
            };
            extra.insert("taxonomy_title".into(), json!(t.title));
            extra.insert("term".into(), json!({"name": term.name, "url": term.url}));
            extra.insert("practices".into(), to_value(&items));
            extra.insert("mentoring".into(), to_value(&cases));
            extra.insert("paginator".into(), paginator(&term.url, p, total));
            let title = if p == 1 {
                format!("{}: {}", t.title, term.name)
            } else {
                format!("{}: {} — страница {p}", t.title, term.name)
            };
            let crumbs = vec![
                home(),
                link("Банк практик", "practices/"),
                link(t.title, &format!("{}/", t.key)),
            ];
            s(
                paged_url(&term.url, p),
                "taxonomy_term.html",
                title,
                "taxonomy_term",
                crumbs,
                None,
                extra,
            )
        }
        Job::ContestList => {
            extra.insert("contests".into(), to_value(&d.contests));
            s(
                "contests/".into(),
                "contest_list.html",
                "Конкурсы профессионального мастерства".into(),
                "contest_list",
                vec![home()],
                None,
                extra,
            )
        }
        Job::Contest(i) => {
            let c = &d.contests[i];
            extra.insert("contest".into(), to_value(c));
            extra.insert(
                "jsonld".into(),
                json!(structured::to_script(&structured::contest(d, c))),
            );
            s(
                c.url.clone(),
                "contest.html",
                c.title.clone(),
                "contest",
                vec![home(), link("Конкурсы", "contests/")],
                c.updated.clone(),
                extra,
            )
        }
        Job::MentoringList => {
            extra.insert("cases".into(), to_value(&d.mentoring));
            s(
                "mentoring/".into(),
                "mentoring_list.html",
                "Наставничество".into(),
                "mentoring_list",
                vec![home()],
                None,
                extra,
            )
        }
        Job::Mentoring(i) => {
            let m = &d.mentoring[i];
            extra.insert("case".into(), to_value(m));
            s(
                m.url.clone(),
                "mentoring.html",
                m.title.clone(),
                "mentoring",
                vec![home(), link("Наставничество", "mentoring/")],
                m.updated.clone(),
                extra,
            )
        }
        Job::Page(i) => {
            let p = &d.pages[i];
            extra.insert("content".into(), to_value(p));
            s(
                p.url.clone(),
                "page.html",
                p.title.clone(),
                "page",
                vec![home()],
                p.updated.clone(),
                extra,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn pagination_links_a_window_of_pages() {
        assert_eq!(page_window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(50, 5000),
            vec![
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(5000)
            ]
        );
        assert_eq!(
            page_window(1, 10),
            vec![Some(1), Some(2), Some(3), None, Some(10)]
        );
        assert_eq!(
            page_window(4, 10),
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                None,
                Some(10)
            ]
        );
    }
}

/// URL of a job's page (None for the 404 page), without building its context.
fn url_of(d: &Department, job: Job) -> Option<String> {
    Some(match job {
        Job::Home => String::new(),
        Job::NotFound => return None,
        Job::About => "about/".into(),
        Job::OpenData => "opendata/".into(),
        Job::Territories => "territories/".into(),
        Job::Search => "search/".into(),
        Job::RoadmapList => "roadmaps/".into(),
        Job::Roadmap(i) => d.roadmaps[i].url.clone(),
        Job::PracticeList(p) => paged_url("practices/", p),
        Job::Practice(i) => d.practices[i].url.clone(),
        Job::TaxonomyList(t) => format!("{}/", d.taxonomies[t].key),
        Job::TaxonomyTerm(t, k, p) => paged_url(&d.taxonomies[t].terms[k].url, p),
        Job::ContestList => "contests/".into(),
        Job::Contest(i) => d.contests[i].url.clone(),
        Job::MentoringList => "mentoring/".into(),
        Job::Mentoring(i) => d.mentoring[i].url.clone(),
        Job::Page(i) => d.pages[i].url.clone(),
    })
}

/// A practice without its body, for lists (a bank's list pages would otherwise carry every
/// body through the template engine).
fn practice_card(p: &crate::site::PracticeView) -> Value {
    json!({
        "title": p.title, "url": p.url, "organization": p.organization, "organization_url": p.organization_url,
        "authors": p.authors, "date": p.date, "date_iso": p.date_iso, "level": p.level, "level_url": p.level_url,
        "tags": p.tags, "summary": p.summary, "results": p.results, "attachments": p.attachments, "updated": p.updated,
    })
}

/// A roadmap without its heavy parts, for lists.
fn roadmap_summary(r: &crate::site::RoadmapView) -> Value {
    json!({
        "title": r.title, "url": r.url, "document": r.document, "period": r.period,
        "coordinator": r.coordinator, "status_counts": r.status_counts,
    })
}

/// Output file of a page URL: `practices/x/` → `practices/x/index.html`.
fn file_of(url: &str) -> String {
    if url.is_empty() {
        "index.html".into()
    } else if url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// Practice pages rendered at a time, in order (see [`render_site`]).
const PRACTICE_BLOCK: usize = 256;
/// Other pages rendered at a time while the search indexer catches up with the practices.
const OTHERS_CHUNK: usize = 64;

/// Renders every department and the portal into `staging`. Template errors are returned as
/// diagnostics naming the template.
///
/// The model holds no practice bodies: each practice page reads its body again and renders
/// it, and the plain text of that body goes on to the search index, which is built at the
/// same time on its own thread. The indexer takes the practices in the order of the bank (so
/// that document numbers, hence the exports, are the same from build to build), so the
/// practice pages are rendered in blocks in that order, and at most a few blocks of text wait
/// for the indexer; while it is behind, the other pages are rendered, and the rest of them after
/// the practices, while the search export is written.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    build_date: &str,
    build_date_iso: &str,
) -> Result<usize, Vec<Diagnostic>> {
    let page_size = site.config.page_size.max(1);
    let all: Vec<(usize, Job)> = site
        .departments
        .iter()
        .enumerate()
        .flat_map(|(di, d)| {
            jobs_of(d, page_size, site.config.search)
                .into_iter()
                .map(move |j| (di, j))
        })
        .collect();
    let others: Vec<(usize, Job)> = all
        .iter()
        .copied()
        .filter(|(_, j)| !matches!(j, Job::Practice(_)))
        .collect();
    let sites: Vec<Value> = site.departments.iter().map(|d| to_value(&d.site)).collect();
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
    // The search index is built while the pages render, on its own thread (tantivy's writer
    // uses one more), so the other cores keep rendering.
    let search_on = site.config.search;
    let (senders, receivers): (Vec<_>, Vec<_>) = site
        .departments
        .iter()
        .map(|_| std::sync::mpsc::sync_channel::<Vec<String>>(2))
        .unzip();
    let (errors, search) = std::thread::scope(|scope| {
        let search = search_on.then(|| {
            scope.spawn(move || {
                let t = std::time::Instant::now();
                let r = write_search(site, staging, Some(receivers));
                crate::build::timing("search index+export", t);
                r
            })
        });
        let mut errors = Vec::new();
        let mut others_left: &[(usize, Job)] = &others;
        for ((di, d), tx) in site.departments.iter().enumerate().zip(senders) {
            let indexes: Vec<usize> = (0..d.practices.len()).collect();
            for block in indexes.chunks(PRACTICE_BLOCK) {
                let done: Vec<(Option<Diagnostic>, String)> = block
                    .par_iter()
                    .map(|&i| {
                        let r = render_job(
                            site,
                            theme,
                            di,
                            Job::Practice(i),
                            &sites[di],
                            build_date,
                            build_date_iso,
                            page_size,
                            search_on,
                        );
                        let (text, error) = match r
                            .and_then(|page| write_page(staging, d, &page).map(|_| page.text))
                        {
                            Ok(text) => (text.unwrap_or_default(), None),
                            Err(e) => (String::new(), Some(e)),
                        };
                        if let Some(pb) = &progress {
                            pb.inc(1);
                        }
                        (error, text)
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
                while let Err(std::sync::mpsc::TrySendError::Full(back)) = tx.try_send(texts) {
                    match others_left.split_at_checked(OTHERS_CHUNK) {
                        Some((now, rest)) if !now.is_empty() => {
                            errors.extend(render_pages(
                                site,
                                theme,
                                staging,
                                now,
                                &sites,
                                progress.as_ref(),
                                build_date,
                                build_date_iso,
                                page_size,
                            ));
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
        errors.extend(render_pages(
            site,
            theme,
            staging,
            others_left,
            &sites,
            progress.as_ref(),
            build_date,
            build_date_iso,
            page_size,
        ));
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
    let mut count = all.len() + search.unwrap_or(0);
    for d in &site.departments {
        count += write_department_extras(site, d, theme, staging).map_err(|e| vec![e])?;
    }
    count += write_portal(site, theme, staging, build_date, build_date_iso).map_err(|e| vec![e])?;
    Ok(count)
}

#[allow(clippy::too_many_arguments)]
fn render_pages(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    all: &[(usize, Job)],
    sites: &[Value],
    progress: Option<&ProgressBar>,
    build_date: &str,
    build_date_iso: &str,
    page_size: usize,
) -> Vec<Diagnostic> {
    all.par_iter()
        .filter_map(|&(di, job)| {
            let d = &site.departments[di];
            let result = render_job(
                site,
                theme,
                di,
                job,
                &sites[di],
                build_date,
                build_date_iso,
                page_size,
                false,
            )
            .and_then(|page| write_page(staging, d, &page));
            if let Some(pb) = progress {
                pb.inc(1);
            }
            result.err()
        })
        .collect()
}

/// One rendered page.
struct Rendered {
    url: String,
    html: String,
    /// Plain text of a practice's body, when asked for.
    text: Option<String>,
}

fn write_page(staging: &Staging, d: &Department, page: &Rendered) -> Result<(), Diagnostic> {
    staging
        .write(
            &format!("{}/{}", d.site.slug, file_of(&page.url)),
            page.html.as_bytes(),
        )
        .map_err(io_diag)
}

/// Renders one page of department `di`; with `want_text`, also the plain text of a practice
/// page's body (for its search document).
#[allow(clippy::too_many_arguments)]
fn render_job(
    site: &Site,
    theme: &Theme,
    di: usize,
    job: Job,
    site_value: &Value,
    build_date: &str,
    build_date_iso: &str,
    page_size: usize,
    want_text: bool,
) -> Result<Rendered, Diagnostic> {
    let d = &site.departments[di];
    let stamp = site.today.to_string();
    let spec = spec(d, job, page_size, &stamp);
    let root = if matches!(job, Job::NotFound) {
        not_found_root(d)
    } else {
        root_for(&spec.url)
    };
    let mut ctx = spec.extra;
    let mut text = None;
    if let Job::Practice(i) = job {
        let body = crate::site::practice_body_html(d, &d.practices[i])?;
        if want_text {
            text = Some(crate::search::index::html_to_text(&body));
        }
        if let Some(Value::Object(p)) = ctx.get_mut("practice") {
            p.insert("body_html".into(), Value::String(body.into_owned()));
        }
    }
    ctx.insert("static".into(), json!(format!("{root}static/")));
    ctx.insert("root".into(), json!(root));
    ctx.insert("build_date".into(), json!(build_date));
    ctx.insert("search_enabled".into(), json!(site.config.search));
    ctx.insert("build_date_iso".into(), json!(build_date_iso));
    ctx.insert("site".into(), site_value.clone());
    ctx.insert(
        "page".into(),
        json!({"title": spec.title, "url": spec.url, "kind": spec.kind, "updated": spec.updated.unwrap_or_else(|| build_date.to_string()), "breadcrumbs": spec.crumbs}),
    );
    let html = theme.render(spec.template, Value::Object(ctx))?;
    Ok(Rendered {
        url: spec.url,
        html,
        text,
    })
}

/// One HTML page of the site, for rendering on demand (`metodist serve`).
#[derive(Debug, Clone, Copy)]
pub struct PageRef(PageKind);

#[derive(Debug, Clone, Copy)]
enum PageKind {
    Department(usize, Job),
    Portal,
    PortalSearch,
}

impl PageRef {
    /// Index of the page's department (`None` for the portal's pages).
    pub fn department(&self) -> Option<usize> {
        match self.0 {
            PageKind::Department(di, _) => Some(di),
            _ => None,
        }
    }

    /// Whether this is a department's 404 page.
    pub fn is_not_found(&self) -> bool {
        matches!(self.0, PageKind::Department(_, Job::NotFound))
    }
}

/// Every HTML page `render_site` writes, by output file (`vidyaevo/practices/x/index.html`).
pub fn page_refs(site: &Site) -> Vec<(String, PageRef)> {
    let page_size = site.config.page_size.max(1);
    let mut out = vec![("index.html".to_string(), PageRef(PageKind::Portal))];
    if site.config.search {
        out.push((
            "search/index.html".to_string(),
            PageRef(PageKind::PortalSearch),
        ));
    }
    for (di, d) in site.departments.iter().enumerate() {
        for job in jobs_of(d, page_size, site.config.search) {
            let file = match url_of(d, job) {
                Some(url) => file_of(&url),
                None => "404.html".to_string(),
            };
            out.push((
                format!("{}/{file}", d.site.slug),
                PageRef(PageKind::Department(di, job)),
            ));
        }
    }
    out
}

/// Renders one page as `render_site` would write it.
pub fn render_page(
    site: &Site,
    theme: &Theme,
    page: PageRef,
    build_date: &str,
    build_date_iso: &str,
) -> Result<String, Diagnostic> {
    match page.0 {
        PageKind::Department(di, job) => {
            let value = to_value(&site.departments[di].site);
            render_job(
                site,
                theme,
                di,
                job,
                &value,
                build_date,
                build_date_iso,
                site.config.page_size.max(1),
                false,
            )
            .map(|page| page.html)
        }
        PageKind::Portal => {
            let ctx = portal_context(site, build_date, build_date_iso);
            theme.render("portal.html", ctx)
        }
        PageKind::PortalSearch => theme.render(
            "search.html",
            portal_search_context(portal_context(site, build_date, build_date_iso)),
        ),
    }
}

/// The search index and its browser exports, sitemaps, robots.txt, attachments, theme static
/// files and the portal: everything `render_site` writes except the department pages.
pub fn render_support(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    build_date: &str,
    build_date_iso: &str,
) -> Result<usize, Diagnostic> {
    let mut count = if site.config.search {
        write_search(site, staging, None)?
    } else {
        0
    };
    for d in &site.departments {
        count += write_department_extras(site, d, theme, staging)?;
    }
    count += write_portal(site, theme, staging, build_date, build_date_iso)?;
    Ok(count)
}

/// The 404 page is served at any depth, so it cannot use relative links: it uses the
/// department's `base_url` path when known, else the department root as if at the top level.
fn not_found_root(d: &Department) -> String {
    match d.site.base_url.as_deref() {
        Some(b) if b.starts_with("http://") || b.starts_with("https://") => {
            let b = if b.ends_with('/') {
                b.to_string()
            } else {
                format!("{b}/")
            };
            b
        }
        _ => "./".to_string(),
    }
}

fn io_diag(e: crate::output::OutputError) -> Diagnostic {
    Diagnostic::error("public", e.message).hint(e.hint)
}

/// Theme static files, attachments, sitemap.xml and robots.txt of one department.
fn write_department_extras(
    site: &Site,
    d: &Department,
    theme: &Theme,
    staging: &Staging,
) -> Result<usize, Diagnostic> {
    let mut n = 0;
    for (rel, bytes) in theme.static_files() {
        staging
            .write(&format!("{}/static/{rel}", d.site.slug), bytes)
            .map_err(io_diag)?;
        n += 1;
    }
    for f in &d.files {
        staging
            .copy(
                &site.root.join(&d.dir).join(f),
                &format!("{}/{}", d.site.slug, f),
            )
            .map_err(io_diag)?;
        n += 1;
    }
    let page_size = site.config.page_size.max(1);
    let base = d.site.base_url.as_deref().map(|b| {
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    });
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for job in jobs_of(d, page_size, site.config.search) {
        let Some(url) = url_of(d, job) else { continue };
        let loc = format!("{}{}", base.as_deref().unwrap_or(""), url);
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&loc)));
    }
    xml.push_str("</urlset>\n");
    staging
        .write(&format!("{}/sitemap.xml", d.site.slug), xml.as_bytes())
        .map_err(io_diag)?;
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = &base {
        robots.push_str(&format!("Sitemap: {b}sitemap.xml\n"));
    }
    staging
        .write(&format!("{}/robots.txt", d.site.slug), robots.as_bytes())
        .map_err(io_diag)?;
    Ok(n + 2 + write_exports(site, d, staging)?)
}

/// Open data, roadmap spreadsheets and calendars, Atom and JSON feeds of one department.
fn write_exports(site: &Site, d: &Department, staging: &Staging) -> Result<usize, Diagnostic> {
    use crate::export::{atom, ics, opendata, xlsx};
    let stamp = site.today.to_string();
    let slug = &d.site.slug;
    let sets = opendata::datasets(d, &stamp);
    let mut files = opendata::files(d, &sets);
    let mut streamed = 0;
    for f in opendata::data_files(d, &sets) {
        staging
            .write_with(&format!("{slug}/{}", f.path), |w| (f.write)(w))
            .map_err(io_diag)?;
        streamed += 1;
    }
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
        files.push(crate::export::File {
            path: format!("{}{}.xlsx", r.url, r.slug),
            bytes,
        });
        files.push(crate::export::File {
            path: format!("{}{}.ics", r.url, r.slug),
            bytes: ics::calendar(d, r, None, &stamp).into_bytes(),
        });
        for (name, file) in ics::executors(r) {
            files.push(crate::export::File {
                path: format!("{}ics/{file}.ics", r.url),
                bytes: ics::calendar(d, r, Some(&name), &stamp).into_bytes(),
            });
        }
    }
    files.push(crate::export::File {
        path: "feeds/practices.xml".into(),
        bytes: atom::practices(d, &stamp).into_bytes(),
    });
    files.push(crate::export::File {
        path: "feeds/contests.xml".into(),
        bytes: atom::contests(d, &stamp).into_bytes(),
    });
    staging
        .write_with(&format!("{slug}/feeds/practices.json"), |w| {
            crate::feeds::write_feed(d, &stamp, w)
        })
        .map_err(io_diag)?;
    for f in &files {
        staging
            .write(&format!("{slug}/{}", f.path), &f.bytes)
            .map_err(io_diag)?;
    }
    Ok(files.len() + streamed + 1)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The tantivy indexes (in `.search-index/`, not published) and their browser exports
/// (`<slug>/search/` per department, `search/` for the region). With `practice_texts` (one
/// receiver per department), the text of the practices' bodies comes from there, in bank
/// order, block by block (see [`render_site`]); otherwise the bodies are rendered here.
fn write_search(
    site: &Site,
    staging: &Staging,
    practice_texts: Option<Vec<std::sync::mpsc::Receiver<Vec<String>>>>,
) -> Result<usize, Diagnostic> {
    use crate::search::{export, index};
    let err = |e: tantivy::TantivyError| {
        Diagnostic::error(
            "public",
            format!("не удалось построить поисковый индекс: {e}"),
        )
        .hint("это ошибка metodist; сообщите разработчикам")
    };
    let t = std::time::Instant::now();
    let index_dir = staging.dir().join(index::INDEX_DIR);
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
                    if let Err(e) = staging.write(
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
    crate::build::timing("  department indexes", t);
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
    crate::build::timing("  region index", t);
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
                staging,
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
        staging,
        "search",
        Some(sources),
        region_chunks,
    )
    .map_err(io_diag)?;
    Ok(files + n)
}

/// Most practices listed on the portal's page (the newest); all of them are in the
/// departments' banks and in the search.
pub const PORTAL_PRACTICES: usize = 100;

fn portal_context(site: &Site, build_date: &str, build_date_iso: &str) -> Value {
    let departments: Vec<Value> = site
        .departments
        .iter()
        .map(|d| {
            json!({
                "slug": d.site.slug, "name": d.site.name, "full_name": d.site.full_name, "region": d.site.region,
                "municipality": d.site.municipality, "url": format!("{}/", d.site.slug), "counts": d.site.counts,
            })
        })
        .collect();
    // The newest practices of the region: each department's bank is sorted newest first, so
    // its first PORTAL_PRACTICES are enough.
    let mut newest: Vec<(&Department, &crate::site::PracticeView)> = site
        .departments
        .iter()
        .flat_map(|d| {
            d.practices
                .iter()
                .take(PORTAL_PRACTICES)
                .map(move |p| (d, &**p))
        })
        .collect();
    newest.sort_by(|(_, a), (_, b)| {
        b.date_iso
            .cmp(&a.date_iso)
            .then_with(|| a.title.cmp(&b.title))
    });
    let bank: Vec<Value> = newest
        .into_iter()
        .take(PORTAL_PRACTICES)
        .map(|(d, p)| json!({"title": p.title, "url": format!("{}/{}", d.site.slug, p.url), "organization": p.organization, "date": p.date, "date_iso": p.date_iso, "summary": p.summary, "department": d.site.name, "level": p.level}))
        .collect();
    let total: usize = site.departments.iter().map(|d| d.practices.len()).sum();
    json!({
        "practices": bank,
        "practices_total": total,
        "root": "./", "static": "static/", "build_date": build_date, "build_date_iso": build_date_iso,
        "portal": {"title": site.config.title, "description": site.config.description},
        "search_enabled": site.config.search,
        "departments": departments,
        "page": {"title": site.config.title, "url": "", "kind": "portal", "updated": null, "breadcrumbs": []},
    })
}

fn portal_search_context(ctx: Value) -> Value {
    let mut search_ctx = ctx;
    search_ctx["root"] = json!("../");
    search_ctx["static"] = json!("../static/");
    search_ctx["search_data"] = json!("../search/");
    search_ctx["page"] = json!({"title": "Поиск по всем управлениям", "url": "search/", "kind": "search", "updated": null, "breadcrumbs": [{"title": "Главная", "url": ""}]});
    search_ctx
}

/// `public/index.html`: the list of departments, with the theme's static files beside it.
fn write_portal(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    build_date: &str,
    build_date_iso: &str,
) -> Result<usize, Diagnostic> {
    let ctx = portal_context(site, build_date, build_date_iso);
    let html = theme.render("portal.html", ctx.clone())?;
    staging
        .write("index.html", html.as_bytes())
        .map_err(io_diag)?;
    let mut n = 1;
    if site.config.search {
        let search_ctx = portal_search_context(ctx.clone());
        let html = theme.render("search.html", search_ctx)?;
        staging
            .write("search/index.html", html.as_bytes())
            .map_err(io_diag)?;
        n += 1;
    }
    for (rel, bytes) in theme.static_files() {
        staging
            .write(&format!("static/{rel}"), bytes)
            .map_err(io_diag)?;
        n += 1;
    }
    Ok(n)
}
