//! Stage 4: turning the site model into HTML pages with Tera templates.
//!
//! The theme comes from `themes/<name>/` of the project if it exists, else from the default
//! theme built into the binary; any file of the project's `templates/` overrides the theme's
//! template of the same name. Every kind of page is one row of [`KINDS`]: which instances a
//! department has, each one's URL, and its template and context. `build` renders them all into
//! the output (see `crate::outputs::pages`), `serve` renders one on request ([`page_refs`],
//! [`render_page`]); neither keeps a list of its own.

pub mod structured;
pub mod theme;

use serde_json::{json, Map, Value};

use crate::diagnostics::Diagnostic;
use crate::site::{root_for, Department, Link, Site};
pub use theme::Theme;

/// Which instance of a page kind: indexes into the department's lists, their meaning given by
/// the kind (a roadmap's index; a list's page number; taxonomy, term and page number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At(pub usize, pub usize, pub usize);

/// What every page kind may depend on besides its department.
pub struct Env {
    /// Items per list page.
    pub page_size: usize,
    /// Whether the site has search.
    pub search: bool,
    /// The build date, ISO 8601 (the open data sets' version).
    pub stamp: String,
}

impl Env {
    pub fn of(site: &Site) -> Env {
        Env {
            page_size: site.config.page_size.max(1),
            search: site.config.search,
            stamp: site.today.to_string(),
        }
    }
}

/// What a page shows, besides what every page gets (site, root, dates).
pub struct Spec {
    pub title: String,
    pub crumbs: Vec<Link>,
    /// Date the page's content last changed (else the build date).
    pub updated: Option<String>,
    /// The kind's own template variables.
    pub extra: Map<String, Value>,
}

/// One kind of department page: a row of [`KINDS`].
pub struct PageKind {
    /// `page.kind` in the templates.
    pub name: &'static str,
    /// The Tera template that renders it.
    pub template: &'static str,
    /// The instances a department has, in the order of the sitemap. `parent` is the instance
    /// of the row this one is a [`sub`](Self::sub)-kind of (a taxonomy for its terms' pages).
    instances: fn(&Department, &Env, Option<At>) -> Vec<At>,
    /// URL relative to the department root; `None` for the 404 page, which is served at any
    /// depth and has no place in the sitemap.
    url: fn(&Department, At, &Env) -> Option<String>,
    /// The page's title, breadcrumbs, date and variables.
    spec: fn(&Department, At, &Env) -> Spec,
    /// A kind whose instances follow each instance of this one (the terms after their taxonomy).
    sub: Option<&'static PageKind>,
}

/// Every kind of department page, in the order the sitemap lists them. A new kind of page is
/// one more row (and its template in the theme).
pub(crate) static KINDS: [&PageKind; 16] = [
    &HOME,
    &NOT_FOUND,
    &ABOUT,
    &OPEN_DATA,
    &TERRITORIES,
    &SEARCH,
    &ROADMAP_LIST,
    &ROADMAP,
    &PRACTICE_LIST,
    &PRACTICE,
    &TAXONOMY_LIST,
    &CONTEST_LIST,
    &CONTEST,
    &MENTORING_LIST,
    &MENTORING,
    &PAGE,
];

/// One page of a department: its kind and instance.
#[derive(Debug, Clone, Copy)]
pub struct DeptPage {
    pub kind: &'static PageKind,
    pub at: At,
}

impl std::fmt::Debug for PageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl DeptPage {
    /// URL relative to the department root (`None` for the 404 page).
    pub fn url(&self, d: &Department, env: &Env) -> Option<String> {
        (self.kind.url)(d, self.at, env)
    }

    /// Output file relative to the department folder: `practices/x/` → `practices/x/index.html`.
    pub fn file(&self, d: &Department, env: &Env) -> String {
        match self.url(d, env) {
            Some(url) => file_of(&url),
            None => "404.html".to_string(),
        }
    }

    pub fn is(&self, kind: &PageKind) -> bool {
        std::ptr::eq(self.kind, kind)
    }
}

/// Every page of department `d`, in the order of the sitemap.
pub(crate) fn pages_of(d: &Department, env: &Env) -> Vec<DeptPage> {
    fn add(
        kind: &'static PageKind,
        d: &Department,
        env: &Env,
        parent: Option<At>,
        out: &mut Vec<DeptPage>,
    ) {
        for at in (kind.instances)(d, env, parent) {
            out.push(DeptPage { kind, at });
            if let Some(sub) = kind.sub {
                add(sub, d, env, Some(at), out);
            }
        }
    }
    let mut out = Vec::new();
    for kind in KINDS {
        add(kind, d, env, None, &mut out);
    }
    out
}

fn one(_: &Department, _: &Env, _: Option<At>) -> Vec<At> {
    vec![At(0, 0, 0)]
}

fn one_if(yes: bool) -> Vec<At> {
    if yes {
        vec![At(0, 0, 0)]
    } else {
        vec![]
    }
}

fn each(n: usize) -> Vec<At> {
    (0..n).map(|i| At(i, 0, 0)).collect()
}

/// A page with no variables of its own.
fn plain(title: &str, crumbs: Vec<Link>, extra: Map<String, Value>) -> Spec {
    Spec {
        title: title.to_string(),
        crumbs,
        updated: None,
        extra,
    }
}

fn home() -> Link {
    link("Главная", "")
}

fn pages_count(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

static HOME: PageKind = PageKind {
    name: "home",
    template: "index.html",
    instances: one,
    url: |_, _, _| Some(String::new()),
    spec: |d, _, _| {
        let mut extra = Map::new();
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
        plain(&d.site.name, vec![], extra)
    },
    sub: None,
};

static NOT_FOUND: PageKind = PageKind {
    name: "not_found",
    template: "404.html",
    instances: one,
    url: |_, _, _| None,
    spec: |_, _, _| plain("Страница не найдена", vec![home()], Map::new()),
    sub: None,
};

static ABOUT: PageKind = PageKind {
    name: "about",
    template: "about.html",
    instances: one,
    url: |_, _, _| Some("about/".into()),
    spec: |_, _, _| {
        let mut extra = Map::new();
        extra.insert("opendata_url".into(), json!("opendata/"));
        plain("Сведения об органе", vec![home()], extra)
    },
    sub: None,
};

static OPEN_DATA: PageKind = PageKind {
    name: "opendata",
    template: "opendata.html",
    instances: one,
    url: |_, _, _| Some("opendata/".into()),
    spec: |d, _, env| {
        let sets = crate::export::opendata::datasets(d, &env.stamp);
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
        let mut extra = Map::new();
        extra.insert("datasets".into(), Value::Array(passports));
        extra.insert("registry_url".into(), json!("opendata/list.csv"));
        extra.insert("feeds".into(), json!({"practices_json": "feeds/practices.json", "practices_atom": "feeds/practices.xml", "contests_atom": "feeds/contests.xml"}));
        plain("Открытые данные", vec![home()], extra)
    },
    sub: None,
};

static TERRITORIES: PageKind = PageKind {
    name: "territories",
    template: "territories.html",
    instances: |d, _, _| one_if(!d.foreign.is_empty()),
    url: |_, _, _| Some("territories/".into()),
    spec: |d, _, _| {
        let mut extra = Map::new();
        extra.insert("practices".into(), to_value(&d.foreign));
        let mut sources: Vec<&str> = d.foreign.iter().map(|p| p.source.as_str()).collect();
        sources.sort();
        sources.dedup();
        extra.insert("sources".into(), json!(sources));
        plain("Практики других территорий", vec![home()], extra)
    },
    sub: None,
};

static SEARCH: PageKind = PageKind {
    name: "search",
    template: "search.html",
    instances: |_, env, _| one_if(env.search),
    url: |_, _, _| Some("search/".into()),
    spec: |_, _, _| {
        let mut extra = Map::new();
        extra.insert("search_data".into(), json!("search/"));
        plain("Поиск", vec![home()], extra)
    },
    sub: None,
};

static ROADMAP_LIST: PageKind = PageKind {
    name: "roadmap_list",
    template: "roadmap_list.html",
    instances: |d, _, _| one_if(!d.roadmaps.is_empty()),
    url: |_, _, _| Some("roadmaps/".into()),
    spec: |d, _, _| {
        let mut extra = Map::new();
        extra.insert(
            "roadmaps".into(),
            to_value(&d.roadmaps.iter().map(roadmap_summary).collect::<Vec<_>>()),
        );
        plain("Дорожные карты", vec![home()], extra)
    },
    sub: None,
};

static ROADMAP: PageKind = PageKind {
    name: "roadmap",
    template: "roadmap.html",
    instances: |d, _, _| each(d.roadmaps.len()),
    url: |d, at, _| Some(d.roadmaps[at.0].url.clone()),
    spec: |d, at, _| {
        let r = &d.roadmaps[at.0];
        let mut extra = Map::new();
        extra.insert("roadmap".into(), to_value(r));
        extra.insert(
            "jsonld".into(),
            json!(structured::to_script(&structured::roadmap(d, r))),
        );
        let executors: Vec<Value> = crate::export::ics::executors(r)
            .into_iter()
            .map(|(name, file)| json!({"name": name, "url": format!("{}ics/{file}.ics", r.url)}))
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
        Spec {
            title: r.title.clone(),
            crumbs: vec![home(), link("Дорожные карты", "roadmaps/")],
            updated: r.updated.clone(),
            extra,
        }
    },
    sub: None,
};

static PRACTICE_LIST: PageKind = PageKind {
    name: "practice_list",
    template: "practice_list.html",
    instances: |d, env, _| {
        if d.practices.is_empty() {
            return vec![];
        }
        (1..=pages_count(d.practices.len(), env.page_size))
            .map(|p| At(p, 0, 0))
            .collect()
    },
    url: |_, at, _| Some(paged_url("practices/", at.0)),
    spec: |d, at, env| {
        let (p, page_size) = (at.0, env.page_size);
        let total = pages_count(d.practices.len(), page_size);
        let items: Vec<Value> = d
            .practices
            .iter()
            .skip((p - 1) * page_size)
            .take(page_size)
            .map(|p| practice_card(p))
            .collect();
        let mut extra = Map::new();
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
        Spec {
            title,
            crumbs,
            updated: None,
            extra,
        }
    },
    sub: None,
};

/// A practice's page. Its body is not in the model: [`render_dept_page`] reads it again.
pub static PRACTICE: PageKind = PageKind {
    name: "practice",
    template: "practice.html",
    instances: |d, _, _| each(d.practices.len()),
    url: |d, at, _| Some(d.practices[at.0].url.clone()),
    spec: |d, at, _| {
        let p = &d.practices[at.0];
        let mut extra = Map::new();
        extra.insert("practice".into(), to_value(&**p));
        extra.insert(
            "jsonld".into(),
            json!(structured::to_script(&structured::practice(d, p))),
        );
        Spec {
            title: p.title.clone(),
            crumbs: vec![home(), link("Банк практик", "practices/")],
            updated: p.updated.clone(),
            extra,
        }
    },
    sub: None,
};

static TAXONOMY_LIST: PageKind = PageKind {
    name: "taxonomy_list",
    template: "taxonomy_list.html",
    instances: |d, _, _| {
        (0..d.taxonomies.len())
            .filter(|&ti| !d.taxonomies[ti].terms.is_empty())
            .map(|ti| At(ti, 0, 0))
            .collect()
    },
    url: |d, at, _| Some(format!("{}/", d.taxonomies[at.0].key)),
    spec: |d, at, _| {
        let t = &d.taxonomies[at.0];
        let terms: Vec<Value> = t.terms.iter().map(|x| json!({"name": x.name, "url": x.url, "count": x.practices.len() + x.mentoring.len()})).collect();
        let mut extra = Map::new();
        extra.insert(
            "taxonomy".into(),
            json!({"title": t.title, "key": t.key, "terms": terms}),
        );
        plain(
            t.title,
            vec![home(), link("Банк практик", "practices/")],
            extra,
        )
    },
    sub: Some(&TAXONOMY_TERM),
};

/// The pages of one term of a taxonomy: `At(taxonomy, term, page number)`.
static TAXONOMY_TERM: PageKind = PageKind {
    name: "taxonomy_term",
    template: "taxonomy_term.html",
    instances: |d, env, parent| {
        let Some(At(ti, _, _)) = parent else {
            return vec![];
        };
        let mut out = Vec::new();
        for (k, term) in d.taxonomies[ti].terms.iter().enumerate() {
            for p in 1..=pages_count(term.practices.len(), env.page_size) {
                out.push(At(ti, k, p));
            }
        }
        out
    },
    url: |d, at, _| Some(paged_url(&d.taxonomies[at.0].terms[at.1].url, at.2)),
    spec: |d, At(ti, k, p), env| {
        let page_size = env.page_size;
        let t = &d.taxonomies[ti];
        let term = &t.terms[k];
        let total = pages_count(term.practices.len(), page_size);
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
        let mut extra = Map::new();
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
        Spec {
            title,
            crumbs: vec![
                home(),
                link("Банк практик", "practices/"),
                link(t.title, &format!("{}/", t.key)),
            ],
            updated: None,
            extra,
        }
    },
    sub: None,
};

static CONTEST_LIST: PageKind = PageKind {
    name: "contest_list",
    template: "contest_list.html",
    instances: |d, _, _| one_if(!d.contests.is_empty()),
    url: |_, _, _| Some("contests/".into()),
    spec: |d, _, _| {
        let mut extra = Map::new();
        extra.insert("contests".into(), to_value(&d.contests));
        plain("Конкурсы профессионального мастерства", vec![home()], extra)
    },
    sub: None,
};

static CONTEST: PageKind = PageKind {
    name: "contest",
    template: "contest.html",
    instances: |d, _, _| each(d.contests.len()),
    url: |d, at, _| Some(d.contests[at.0].url.clone()),
    spec: |d, at, _| {
        let c = &d.contests[at.0];
        let mut extra = Map::new();
        extra.insert("contest".into(), to_value(c));
        extra.insert(
            "jsonld".into(),
            json!(structured::to_script(&structured::contest(d, c))),
        );
        Spec {
            title: c.title.clone(),
            crumbs: vec![home(), link("Конкурсы", "contests/")],
            updated: c.updated.clone(),
            extra,
        }
    },
    sub: None,
};

static MENTORING_LIST: PageKind = PageKind {
    name: "mentoring_list",
    template: "mentoring_list.html",
    instances: |d, _, _| one_if(!d.mentoring.is_empty()),
    url: |_, _, _| Some("mentoring/".into()),
    spec: |d, _, _| {
        let mut extra = Map::new();
        extra.insert("cases".into(), to_value(&d.mentoring));
        plain("Наставничество", vec![home()], extra)
    },
    sub: None,
};

static MENTORING: PageKind = PageKind {
    name: "mentoring",
    template: "mentoring.html",
    instances: |d, _, _| each(d.mentoring.len()),
    url: |d, at, _| Some(d.mentoring[at.0].url.clone()),
    spec: |d, at, _| {
        let m = &d.mentoring[at.0];
        let mut extra = Map::new();
        extra.insert("case".into(), to_value(m));
        Spec {
            title: m.title.clone(),
            crumbs: vec![home(), link("Наставничество", "mentoring/")],
            updated: m.updated.clone(),
            extra,
        }
    },
    sub: None,
};

static PAGE: PageKind = PageKind {
    name: "page",
    template: "page.html",
    instances: |d, _, _| each(d.pages.len()),
    url: |d, at, _| Some(d.pages[at.0].url.clone()),
    spec: |d, at, _| {
        let p = &d.pages[at.0];
        let mut extra = Map::new();
        extra.insert("content".into(), to_value(p));
        Spec {
            title: p.title.clone(),
            crumbs: vec![home()],
            updated: p.updated.clone(),
            extra,
        }
    },
    sub: None,
};

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

/// The 404 page is served at any depth, so it cannot use relative links: it uses the
/// department's `base_url` path when known, else the department root as if at the top level.
fn not_found_root(d: &Department) -> String {
    match d.site.base_url.as_deref() {
        Some(b) if b.starts_with("http://") || b.starts_with("https://") => {
            if b.ends_with('/') {
                b.to_string()
            } else {
                format!("{b}/")
            }
        }
        _ => "./".to_string(),
    }
}

/// The dates every page shows.
#[derive(Debug, Clone)]
pub struct Dates {
    /// `04.12.2026`
    pub build_date: String,
    /// `2026-12-04`
    pub build_date_iso: String,
}

impl Dates {
    pub fn of(site: &Site) -> Dates {
        Dates {
            build_date: crate::text::ru_date(site.today),
            build_date_iso: site.today.to_string(),
        }
    }
}

/// One rendered department page.
pub struct Rendered {
    /// Output file relative to the department folder.
    pub file: String,
    pub html: String,
    /// Plain text of a practice's body, when asked for (for its search document).
    pub text: Option<String>,
}

/// Renders `page` of department `di`; with `want_text`, also the plain text of a practice
/// page's body. `site_value` is the department's `site` variable (serialized once per build).
///
/// A practice's body is not kept in the model (bounded memory): it is read from its file and
/// rendered again here, the one place where rendering reaches back into loading.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_dept_page(
    site: &Site,
    theme: &Theme,
    env: &Env,
    di: usize,
    page: DeptPage,
    site_value: &Value,
    dates: &Dates,
    want_text: bool,
) -> Result<Rendered, Diagnostic> {
    let d = &site.departments[di];
    let url = page.url(d, env);
    let spec = (page.kind.spec)(d, page.at, env);
    let root = match &url {
        None => not_found_root(d),
        Some(url) => root_for(url),
    };
    let mut ctx = spec.extra;
    let mut text = None;
    if page.is(&PRACTICE) {
        let body = crate::site::practice_body_html(d, &d.practices[page.at.0])?;
        if want_text {
            text = Some(crate::text::html_to_text(&body));
        }
        if let Some(Value::Object(p)) = ctx.get_mut("practice") {
            p.insert("body_html".into(), Value::String(body.into_owned()));
        }
    }
    let url = url.unwrap_or_else(|| "404.html".to_string());
    ctx.insert("static".into(), json!(format!("{root}static/")));
    ctx.insert("root".into(), json!(root));
    ctx.insert("build_date".into(), json!(dates.build_date));
    ctx.insert("search_enabled".into(), json!(site.config.search));
    ctx.insert("build_date_iso".into(), json!(dates.build_date_iso));
    ctx.insert("site".into(), site_value.clone());
    ctx.insert(
        "page".into(),
        json!({"title": spec.title, "url": url, "kind": page.kind.name, "updated": spec.updated.unwrap_or_else(|| dates.build_date.clone()), "breadcrumbs": spec.crumbs}),
    );
    let html = theme.render(page.kind.template, Value::Object(ctx))?;
    Ok(Rendered {
        file: file_of(&url),
        html,
        text,
    })
}

/// Most practices listed on the portal's page (the newest); all of them are in the
/// departments' banks and in the search.
const PORTAL_PRACTICES: usize = 100;

fn portal_context(site: &Site, dates: &Dates) -> Value {
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
        "root": "./", "static": "static/", "build_date": dates.build_date, "build_date_iso": dates.build_date_iso,
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

/// One HTML page of the site, for rendering on demand (`metodist serve`).
#[derive(Debug, Clone, Copy)]
pub enum PageRef {
    /// A page of department `.0`.
    Department(usize, DeptPage),
    /// The portal's list of departments (`index.html`).
    Portal,
    /// The portal's search over every department (`search/index.html`).
    PortalSearch,
}

impl PageRef {
    /// Index of the page's department (`None` for the portal's pages).
    pub fn department(&self) -> Option<usize> {
        match self {
            PageRef::Department(di, _) => Some(*di),
            _ => None,
        }
    }
}

/// Every HTML page of the site, by output file (`vidyaevo/practices/x/index.html`).
pub(crate) fn page_refs(site: &Site) -> Vec<(String, PageRef)> {
    let env = Env::of(site);
    let mut out = vec![("index.html".to_string(), PageRef::Portal)];
    if site.config.search {
        out.push(("search/index.html".to_string(), PageRef::PortalSearch));
    }
    for (di, d) in site.departments.iter().enumerate() {
        for page in pages_of(d, &env) {
            out.push((
                format!("{}/{}", d.site.slug, page.file(d, &env)),
                PageRef::Department(di, page),
            ));
        }
    }
    out
}

/// Renders one page as `build` writes it.
pub(crate) fn render_page(
    site: &Site,
    theme: &Theme,
    page: PageRef,
    build_date: &str,
    build_date_iso: &str,
) -> Result<String, Diagnostic> {
    let dates = Dates {
        build_date: build_date.to_string(),
        build_date_iso: build_date_iso.to_string(),
    };
    match page {
        PageRef::Department(di, page) => {
            let value = to_value(&site.departments[di].site);
            render_dept_page(site, theme, &Env::of(site), di, page, &value, &dates, false)
                .map(|page| page.html)
        }
        PageRef::Portal => theme.render("portal.html", portal_context(site, &dates)),
        PageRef::PortalSearch => theme.render(
            "search.html",
            portal_search_context(portal_context(site, &dates)),
        ),
    }
}

/// The portal's pages as `(output file, html)`: its list of departments, and its search.
pub(crate) fn render_portal(
    site: &Site,
    theme: &Theme,
    dates: &Dates,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let ctx = portal_context(site, dates);
    let mut out = vec![(
        "index.html".to_string(),
        theme.render("portal.html", ctx.clone())?,
    )];
    if site.config.search {
        out.push((
            "search/index.html".to_string(),
            theme.render("search.html", portal_search_context(ctx))?,
        ));
    }
    Ok(out)
}

/// The department's `site` template variable.
pub(crate) fn site_value(d: &Department) -> Value {
    to_value(&d.site)
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
