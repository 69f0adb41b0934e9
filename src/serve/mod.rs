//! `metodist serve`: the site over HTTP with live reload and incremental rebuilds.
//!
//! The site is kept in memory: the loaded project ([`incremental::Workspace`]), the site
//! model, and the HTML pages, rendered on first request and cached. A change reloads only the
//! changed files, rebuilds the model reusing the views of unchanged practices
//! ([`crate::site::ModelCache`]) and drops the cached pages of the departments it touched
//! (a template or configuration change drops all). Nothing half-built is ever served: a
//! rebuild makes a new [`Snapshot`] and swaps it in whole, and a failed one keeps the last
//! good snapshot while the browser shows the errors over the page.
//!
//! What is not a page — the search export, sitemap.xml, robots.txt — is written by a
//! background worker into a folder in /dev/shm (or the system's temporary folder) after each good rebuild
//! (see [`crate::outputs::support`]), together with the live tantivy index behind
//! `/api/search`. Theme static files and attachments are served straight from the theme and
//! from `content/`.
//!
//! The HTTP side (axum, tower-http and hyper on tokio) is in [`http`] (limits, deadlines,
//! request checks) and [`app`] (the routes); which page, file or search answer a request
//! gets is decided here, in [`Shared::resolve`] and [`Shared::search_request`].

pub mod app;
pub mod http;
pub mod incremental;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::render::{PageRef, Theme};
use crate::search::index::LiveIndex;
use crate::site::{BuildOptions, ModelCache, Site};
use http::Cached;
use incremental::{Touched, Workspace};

/// Options of `metodist serve`.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// The script every served HTML page gets before `</body>` (never written by `build`).
pub const LIVE_TAG: &str = "<script src=\"/__metodist/live.js\" defer></script>";
const LIVE_JS: &str = include_str!("live.js");
/// Most rendered pages kept in memory (the rest are rendered again on request).
const MAX_CACHED_PAGES: usize = 4096;
const HTML: &str = "text/html; charset=utf-8";

/// One good build: everything needed to answer for its pages.
pub struct Snapshot {
    pub site: Arc<Site>,
    pub theme: Arc<Theme>,
    /// Output file (`vidyaevo/practices/x/index.html`) → page.
    pages: HashMap<String, PageRef>,
    /// Rendered pages, with the live-reload script.
    cache: Mutex<HashMap<String, Cached>>,
    /// The theme's static files (`search/engine.js`), shared by every response.
    statics: HashMap<String, Cached>,
    build_date: String,
    build_date_iso: String,
    pub generation: u64,
}

impl Snapshot {
    fn new(
        site: Arc<Site>,
        theme: Arc<Theme>,
        generation: u64,
        keep: HashMap<String, Cached>,
    ) -> Snapshot {
        let pages = crate::render::page_refs(&site).into_iter().collect();
        let today = site.today;
        let statics = theme
            .static_files()
            .map(|(k, v)| (k.clone(), Cached::new(v.clone())))
            .collect();
        Snapshot {
            statics,
            build_date: crate::text::ru_date(today),
            build_date_iso: today.to_string(),
            site,
            theme,
            pages,
            cache: Mutex::new(keep),
            generation,
        }
    }

    /// The page at output file `file`, rendered (once) with the live-reload script.
    fn page(&self, file: &str) -> Option<Result<Cached, Diagnostic>> {
        let page = *self.pages.get(file)?;
        if let Some(b) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(file)
        {
            return Some(Ok(b.clone()));
        }
        Some(
            crate::render::render_page(
                &self.site,
                &self.theme,
                page,
                &self.build_date,
                &self.build_date_iso,
            )
            .map(|html| {
                let bytes = Cached::new(inject(&html).into_bytes());
                let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                // Bounded memory: a crawler walking a bank of 100 000 practices must not keep them all.
                if cache.len() >= MAX_CACHED_PAGES {
                    cache.clear();
                }
                cache.insert(file.to_string(), bytes.clone());
                bytes
            }),
        )
    }
}

/// `html` with the live-reload script before its last `</body>` (or at the end).
pub fn inject(html: &str) -> String {
    match html.rfind("</body>") {
        Some(i) => format!("{}{LIVE_TAG}{}", &html[..i], &html[i..]),
        None => format!("{html}{LIVE_TAG}"),
    }
}

/// One server-sent event: its name and its data (one line of JSON).
pub type Event = Arc<(String, String)>;

/// Server-sent event clients: every open page holds a receiver.
pub struct Events {
    tx: tokio::sync::broadcast::Sender<Event>,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            tx: tokio::sync::broadcast::channel(64).0,
        }
    }
}

impl Events {
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// Sends `event` with `data` (one line of JSON) to every open page.
    fn send(&self, event: &str, data: &str) {
        let _ = self
            .tx
            .send(Arc::new((event.to_string(), data.to_string())));
    }
}

/// State shared by the server, the rebuild loop and the background worker.
pub struct Shared {
    root: PathBuf,
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    /// JSON of the current build errors (`None` when the last rebuild succeeded).
    error: RwLock<Option<String>>,
    events: Events,
    search: RwLock<Option<LiveIndex>>,
    /// Queries of `/api/search` for the search threads (see [`search_thread`]).
    search_jobs: Sender<SearchJob>,
    /// Folder holding the search export, sitemaps and robots.txt of the latest good build.
    support: RwLock<Option<PathBuf>>,
    /// Generation of the build being served.
    generation: RwLock<u64>,
    /// Places for live-reload streams ([`http::Limits::streams`]).
    streams: Arc<tokio::sync::Semaphore>,
}

impl Shared {
    fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Diagnostics as JSON for the browser overlay.
pub fn errors_json(diags: &[Diagnostic]) -> String {
    let items: Vec<_> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| json!({"file": display_path(&d.file), "line": d.line, "field": d.field, "message": d.message, "hint": d.hint}))
        .collect();
    json!({"errors": items}).to_string()
}

/// What a path of the site is answered with ([`Shared::resolve`]); [`app`] turns it into an
/// HTTP response.
pub enum Answer {
    /// Bytes in memory: a page, a theme file, an error page.
    Memory {
        status: StatusCode,
        content_type: String,
        body: Cached,
    },
    /// A regular file on disk, already checked to lie inside its folder (an attachment, a
    /// file of the search export); sent with `Range` and conditional requests.
    File { path: PathBuf, content_type: String },
    /// A permanent redirect to this (encoded) location.
    Redirect(String),
    /// A short plain-text answer.
    Text(StatusCode, &'static str),
}

fn html_answer(status: StatusCode, body: Cached) -> Answer {
    Answer::Memory {
        status,
        content_type: HTML.to_string(),
        body,
    }
}

// ---- Which page, file or search answer a request gets -------------------------------------

impl Shared {
    /// The answer for the decoded request path `path` (its raw query `query` is kept on
    /// redirects). Blocking: it may render a page and look at files.
    pub fn resolve(&self, path: &str, query: &str) -> Answer {
        let Some(segs) = http::safe_segments(path) else {
            return Answer::Text(StatusCode::BAD_REQUEST, "400: недопустимый путь\n");
        };
        let rel = segs.join("/");
        let dir_like = path.ends_with('/') || segs.is_empty();
        let Some(snap) = self.snapshot() else {
            return html_answer(
                StatusCode::SERVICE_UNAVAILABLE,
                Cached::new(inject(&no_site_page()).into_bytes()),
            );
        };
        let file = if dir_like {
            if rel.is_empty() {
                "index.html".to_string()
            } else {
                format!("{rel}/index.html")
            }
        } else {
            rel.clone()
        };
        if let Some(page) = snap.page(&file) {
            return match page {
                Ok(b) => html_answer(StatusCode::OK, b),
                Err(d) => html_answer(StatusCode::INTERNAL_SERVER_ERROR, Cached::new(inject(&format!("<!doctype html><meta charset=\"utf-8\"><title>Ошибка шаблона</title><pre>{}</pre>", crate::text::escape_text(&d.to_string()))).into_bytes())),
            };
        }
        if !dir_like && snap.pages.contains_key(&format!("{rel}/index.html")) {
            let q = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            return Answer::Redirect(format!("/{}/{q}", crate::text::encode_path(&rel)));
        }
        if let Some(r) = self.static_file(&snap, &segs, &rel) {
            return r;
        }
        self.not_found(&snap, &segs)
    }

    fn static_file(&self, snap: &Snapshot, segs: &[&str], rel: &str) -> Option<Answer> {
        // Theme static files: `static/…` of the portal and of every department.
        let in_static = match segs {
            ["static", rest @ ..] => Some(rest.join("/")),
            [slug, "static", rest @ ..]
                if snap.site.departments.iter().any(|d| d.site.slug == *slug) =>
            {
                Some(rest.join("/"))
            }
            _ => None,
        };
        if let Some(name) = in_static {
            if let Some(bytes) = snap.statics.get(&name) {
                return Some(Answer::Memory {
                    status: StatusCode::OK,
                    content_type: http::content_type(rel),
                    body: bytes.clone(),
                });
            }
        }
        // Attachments, from content/<department>/files/.
        if let [slug, "files", ..] = segs {
            if let Some(d) = snap.site.departments.iter().find(|d| d.site.slug == *slug) {
                let local = segs[1..].join("/");
                if d.files.contains(&local) {
                    let dept_dir = self.root.join(&d.dir);
                    return file_inside(&dept_dir.join("files"), &dept_dir.join(&local), rel);
                }
            }
        }
        // The search export, sitemaps, robots.txt of the latest background export.
        let support = self
            .support
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()?;
        file_inside(&support, &support.join(rel), rel)
    }

    fn not_found(&self, snap: &Snapshot, segs: &[&str]) -> Answer {
        let slug = segs
            .first()
            .filter(|s| snap.site.departments.iter().any(|d| d.site.slug == **s))
            .map(|s| s.to_string());
        let slug = slug.or_else(|| snap.site.departments.first().map(|d| d.site.slug.clone()));
        if let Some(Some(Ok(b))) = slug.map(|s| snap.page(&format!("{s}/404.html"))) {
            return html_answer(StatusCode::NOT_FOUND, b);
        }
        Answer::Text(StatusCode::NOT_FOUND, "404: страница не найдена\n")
    }

    /// `/api/search?q=…[&type=…][&department=…][&limit=…]`: the query, handed to a search
    /// thread (the answer comes on the returned channel), or an answer at once.
    pub fn search_request(
        &self,
        target: &http::Target,
    ) -> Result<tokio::sync::oneshot::Receiver<JsonAnswer>, JsonAnswer> {
        let q = target.param("q").unwrap_or_default();
        let kind = target.param("type").filter(|s| !s.is_empty());
        let department = target.param("department").filter(|s| !s.is_empty());
        let limit = target
            .param("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(20)
            .clamp(1, 200);
        if q.trim().is_empty() {
            return Err(json_error(
                StatusCode::BAD_REQUEST,
                "пустой запрос: укажите ?q=слова",
            ));
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.search_jobs
            .send(SearchJob {
                q,
                kind,
                department,
                limit,
                reply,
            })
            .map_err(|_| {
                json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "поиск недоступен: перезапустите metodist serve",
                )
            })?;
        Ok(answer)
    }

    /// Runs a query of `/api/search` (on a search thread).
    fn search_now(&self, job: &SearchJob) -> JsonAnswer {
        let guard = self.search.read().unwrap_or_else(|e| e.into_inner());
        let Some(live) = guard.as_ref() else {
            return json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "поисковый индекс ещё строится; повторите запрос через несколько секунд",
            );
        };
        match live.search(
            &job.q,
            job.kind.as_deref(),
            job.department.as_deref(),
            job.limit,
        ) {
            Ok((hits, total)) => {
                let results: Vec<_> = hits
                    .into_iter()
                    .map(|h| {
                        json!({
                            "title": h.title, "url": format!("{}/{}", h.department, h.url), "type": h.kind,
                            "type_label": h.kind_label, "department": h.department, "year": h.year,
                            "score": h.score, "snippet": h.snippet,
                        })
                    })
                    .collect();
                JsonAnswer {
                    status: StatusCode::OK,
                    body: json!({"query": job.q, "total": total, "results": results}).to_string(),
                }
            }
            Err(e) => json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("ошибка поиска: {e}"),
            ),
        }
    }
}

fn no_site_page() -> String {
    "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>Сайт не собран</title><body><h1>Сайт ещё не собран</h1>\
     <p>В содержимом есть ошибки (они перечислены в терминале). Исправьте файл и сохраните его — страница обновится сама.</p></body></html>"
        .to_string()
}

/// `path` as an answer if it is a regular file inside `base` (no symlink leads out of it);
/// `name` gives its content type.
fn file_inside(base: &Path, path: &Path, name: &str) -> Option<Answer> {
    let base = base.canonicalize().ok()?;
    let real = path.canonicalize().ok()?;
    if !real.starts_with(&base) || !real.metadata().ok()?.is_file() {
        return None;
    }
    Some(Answer::File {
        path: real,
        content_type: http::content_type(name),
    })
}

// ---- Search threads ------------------------------------------------------------------------

/// A JSON answer of `/api/search`.
pub struct JsonAnswer {
    pub status: StatusCode,
    pub body: String,
}

fn json_error(status: StatusCode, message: &str) -> JsonAnswer {
    JsonAnswer {
        status,
        body: json!({"error": message}).to_string(),
    }
}

/// A query of `/api/search`, and where its answer goes.
struct SearchJob {
    q: String,
    kind: Option<String>,
    department: Option<String>,
    limit: usize,
    reply: tokio::sync::oneshot::Sender<JsonAnswer>,
}

/// Threads that run the queries of `/api/search`, one at a time each; the HTTP side hands
/// queries over and awaits the answer. A query is bound by the processor and allocates its working memory
/// (postings, documents, snippets) in its thread's allocator heap, which keeps much of it for
/// reuse: run on the HTTP workers, 200 clients of `/api/search` on the 10 000-practice corpus
/// made every worker's heap grow, and RSS rose from 280 MB to 520–710 MB in 15 s, still
/// rising; with search threads it levels off at 350 MB (`benches/serve-load.mjs`). A few
/// search threads hold that memory once.
fn search_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4)
}

fn search_thread(shared: Arc<Shared>, jobs: Arc<Mutex<Receiver<SearchJob>>>) {
    loop {
        let job = match jobs.lock().unwrap_or_else(|e| e.into_inner()).recv() {
            Ok(job) => job,
            Err(_) => return,
        };
        // A panic is a bug; the thread stays for the next query.
        let answer =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| shared.search_now(&job)))
                .unwrap_or_else(|_| {
                    json_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "внутренняя ошибка поиска",
                    )
                });
        let _ = job.reply.send(answer);
    }
}

/// A job for the background worker: the new site after a good rebuild.
struct SupportJob {
    site: Arc<Site>,
    theme: Arc<Theme>,
    touched: Touched,
    generation: u64,
}

fn worker(shared: Arc<Shared>, jobs: Receiver<SupportJob>, base: PathBuf) {
    let mut previous: Option<PathBuf> = None;
    while let Ok(mut job) = jobs.recv() {
        // Coalesce: only the newest site matters; touched departments add up.
        while let Ok(next) = jobs.try_recv() {
            let touched = merge_touched(job.touched, next.touched);
            job = SupportJob { touched, ..next };
        }
        let t = Instant::now();
        // The live index first: it is quick, and /api/search answers from it.
        {
            let mut guard = shared.search.write().unwrap_or_else(|e| e.into_inner());
            let result = match (guard.as_mut(), &job.touched) {
                (Some(live), Touched::Departments(names)) => names.iter().try_for_each(|name| {
                    let dir = PathBuf::from("content").join(name);
                    let dept = job.site.departments.iter().find(|d| d.dir == dir);
                    let slug = dept
                        .map(|d| d.site.slug.clone())
                        .unwrap_or_else(|| crate::slug::slugify(name));
                    live.update(&slug, dept).map(|_| ())
                }),
                _ => LiveIndex::create(&job.site).map(|l| {
                    *guard = Some(l);
                }),
            };
            if let Err(e) = result {
                eprintln!("ошибка: поисковый индекс не обновлён: {e}");
                *guard = None;
            }
        }
        crate::timing::timing("serve: live search index", t);
        // Then the export, into a new folder; the one before the previous is removed (a
        // request may still be reading the previous).
        let dir = base.join(format!("support-{}", job.generation));
        let staged = crate::output::Staging::create(&dir)
            .map_err(|e| Diagnostic::error("public", e.message))
            .and_then(|staging| {
                crate::outputs::support(
                    &crate::outputs::Ctx::new(&job.site, &job.theme),
                    &staging,
                )?;
                staging
                    .commit()
                    .map_err(|e| Diagnostic::error("public", e.message))
            });
        match staged {
            Ok(()) => {
                let old = shared
                    .support
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .replace(dir);
                if let Some(p) = previous.take() {
                    let _ = std::fs::remove_dir_all(p);
                }
                previous = old;
            }
            Err(e) => eprintln!("{e}"),
        }
        crate::timing::timing("serve: search export", t);
    }
}

/// The rebuild loop's state.
struct Builder {
    opts: Options,
    workspace: Workspace,
    theme: Option<Arc<Theme>>,
    theme_diags: Vec<Diagnostic>,
    cache: ModelCache,
    generation: u64,
}

/// Result of one rebuild.
enum Outcome {
    Good {
        site: Arc<Site>,
        theme: Arc<Theme>,
        warnings: Vec<Diagnostic>,
    },
    Bad(Vec<Diagnostic>),
}

impl Builder {
    fn load_theme(&mut self) {
        let project = &self.workspace.project;
        match Theme::load(&self.opts.root, &project.config.theme) {
            Ok(t) => {
                self.theme = Some(Arc::new(t));
                self.theme_diags.clear();
            }
            Err(e) => {
                let line = project.config_lines.line("theme");
                self.theme = None;
                self.theme_diags = e
                    .into_iter()
                    .map(|d| {
                        if d.field.as_deref() == Some("theme") {
                            d.at_line(line)
                        } else {
                            d
                        }
                    })
                    .collect();
            }
        }
    }

    /// Validates and builds the model of the workspace as it is now.
    fn model(&mut self) -> Outcome {
        let project = &self.workspace.project;
        let today = project
            .config
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let diags = Diagnostics::new();
        diags.extend(self.workspace.load_diags.iter().cloned());
        diags.extend(self.theme_diags.iter().cloned());
        let site = crate::site::build_cached(
            project,
            &BuildOptions {
                drafts: self.opts.drafts,
                today,
            },
            &diags,
            Some(&mut self.cache),
        );
        let all = diags.into_sorted();
        match (&self.theme, all.iter().any(Diagnostic::is_error)) {
            (Some(theme), false) => Outcome::Good {
                site: Arc::new(site),
                theme: theme.clone(),
                warnings: all,
            },
            _ => Outcome::Bad(all),
        }
    }
}

/// Runs `metodist serve` until the process is stopped. Returns an error message when the
/// server cannot start.
pub fn run(opts: Options) -> Result<(), String> {
    let started = Instant::now();
    crate::alloc::no_transparent_huge_pages();
    raise_open_files_limit();
    let listener = std::net::TcpListener::bind((opts.bind.as_str(), opts.port)).map_err(|e| {
        format!("не удалось занять адрес {}:{}: {e}\n  подсказка: укажите другой порт: --port 8080 (или --port 0 — любой свободный)", opts.bind, opts.port)
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("не удалось настроить адрес {addr}: {e}"))?;
    let temp = TempFolder::create()?;
    let base = temp.path().to_path_buf();
    let mut watcher = watch::Watcher::start(&opts.root)?;

    let workspace = Workspace::load(&opts.root);
    let mut builder = Builder {
        opts: opts.clone(),
        workspace,
        theme: None,
        theme_diags: Vec::new(),
        cache: ModelCache::default(),
        generation: 1,
    };
    builder.load_theme();
    let limits = http::Limits::from_env();
    let (search_jobs, search_queue) = mpsc::channel::<SearchJob>();
    let shared = Arc::new(Shared {
        root: opts.root.clone(),
        snapshot: RwLock::new(None),
        error: RwLock::new(None),
        events: Events::default(),
        search: RwLock::new(None),
        search_jobs,
        support: RwLock::new(None),
        generation: RwLock::new(0),
        streams: Arc::new(tokio::sync::Semaphore::new(limits.streams)),
    });
    let (jobs_tx, jobs_rx) = mpsc::channel::<SupportJob>();
    match builder.model() {
        Outcome::Good {
            site,
            theme,
            warnings,
        } => {
            crate::diagnostics::report(&warnings);
            // The export and the index before the server answers: search works at once.
            let job = SupportJob {
                site: site.clone(),
                theme: theme.clone(),
                touched: Touched::All,
                generation: 1,
            };
            let (tx, rx) = mpsc::channel();
            let _ = tx.send(job);
            drop(tx);
            worker(shared.clone(), rx, base.clone());
            publish(&shared, Snapshot::new(site, theme, 1, HashMap::new()));
        }
        Outcome::Bad(diags) => {
            crate::diagnostics::report(&diags);
            *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(errors_json(&diags));
            eprintln!(
                "сайт не собран: исправьте ошибки выше и сохраните файл — сборка повторится сама"
            );
        }
    }
    {
        let shared = shared.clone();
        let base = base.clone();
        std::thread::Builder::new()
            .name("metodist-export".into())
            .spawn(move || worker(shared, jobs_rx, base))
            .map_err(|e| e.to_string())?;
    }
    let search_queue = Arc::new(Mutex::new(search_queue));
    for _ in 0..search_threads() {
        let (shared, queue) = (shared.clone(), search_queue.clone());
        std::thread::Builder::new()
            .name("metodist-search".into())
            .spawn(move || search_thread(shared, queue))
            .map_err(|e| e.to_string())?;
    }
    // The HTTP server on a small runtime: a few threads for connections, and at most
    // BLOCKING_THREADS for page rendering and file reads (they end after 2 s without work).
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_keep_alive(Duration::from_secs(2))
        .thread_name("metodist-http")
        .enable_all()
        .build()
        .map_err(|e| format!("не удалось запустить сервер: {e}"))?;
    {
        let _in_runtime = runtime.enter();
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("не удалось настроить адрес {addr}: {e}"))?;
        // Signals are taken before the address is printed: Ctrl+C at once still cleans up.
        let stop = stop_signal().map_err(|e| format!("не удалось перехватить Ctrl+C: {e}"))?;
        runtime.spawn(async move {
            let code = stop.await;
            drop(temp);
            // Not eprintln!: it panics when stderr is a pipe whose reader has gone (a script
            // that started serve and ended), and the process would then never exit.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "\nостановлено");
            std::process::exit(code);
        });
        runtime.spawn(http::serve(listener, app::router(shared.clone()), limits));
    }
    {
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("metodist-memory".into())
            .spawn(move || http::memory_keeper(handle, threads))
            .map_err(|e| e.to_string())?;
    }
    let url = format!("http://{addr}/");
    eprintln!(
        "сайт: {url} (собран за {:.2} с; Ctrl+C — остановить)",
        started.elapsed().as_secs_f64()
    );
    eprintln!("слежу за изменениями в content/, themes/, templates/, static/ и metodist.yaml");
    if opts.open {
        open_browser(&url);
    }

    while let Some(batch) = watcher.next_batch() {
        let t = Instant::now();
        let mut stamps = file_stamps(&opts.root, &batch);
        let mut touched = builder.workspace.apply(&batch);
        // A file that changed while it was being read is read again.
        for _ in 0..3 {
            let now = file_stamps(&opts.root, &batch);
            if now == stamps {
                break;
            }
            stamps = now;
            touched = merge_touched(touched, builder.workspace.apply(&batch));
        }
        if touched == Touched::Departments(BTreeSet::new()) {
            continue; // only editors' temporary files
        }
        let full = touched == Touched::All;
        if full {
            builder.load_theme();
            builder.cache = ModelCache::default();
        } else if let Touched::Departments(names) = &touched {
            // Attachment sizes are in the views: a change in files/ drops the department's.
            for name in names {
                let dir = PathBuf::from("content").join(name);
                if batch.iter().any(|p| p.starts_with(dir.join("files"))) {
                    builder.cache.forget_department(&dir);
                }
            }
        }
        crate::timing::timing("serve: reload files", t);
        let outcome = builder.model();
        crate::timing::timing("serve: model", t);
        let what = describe_batch(&batch);
        match outcome {
            Outcome::Good {
                site,
                theme,
                warnings,
            } => {
                builder.generation += 1;
                let generation = builder.generation;
                let keep = match (&touched, shared.snapshot()) {
                    (Touched::Departments(names), Some(old))
                        if same_departments(&old.site, &site) =>
                    {
                        let slugs: BTreeSet<String> = site
                            .departments
                            .iter()
                            .filter(|d| names.iter().any(|n| d.dir == Path::new("content").join(n)))
                            .map(|d| d.site.slug.clone())
                            .collect();
                        let cache = old.cache.lock().unwrap_or_else(|e| e.into_inner());
                        cache
                            .iter()
                            .filter(|(k, _)| {
                                k.split_once('/').is_some_and(|(first, _)| {
                                    !slugs.contains(first) && first != "search"
                                })
                            })
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    }
                    _ => HashMap::new(),
                };
                let changed_warnings: Vec<Diagnostic> = warnings
                    .into_iter()
                    .filter(|d| batch.iter().any(|p| d.file.starts_with(p)))
                    .collect();
                crate::diagnostics::report(&changed_warnings);
                publish(
                    &shared,
                    Snapshot::new(site.clone(), theme.clone(), generation, keep),
                );
                crate::timing::timing("serve: snapshot", t);
                let _ = jobs_tx.send(SupportJob {
                    site,
                    theme,
                    touched,
                    generation,
                });
                eprintln!("обновлено ({what}) за {} мс", t.elapsed().as_millis());
            }
            Outcome::Bad(diags) => {
                let errors: Vec<Diagnostic> =
                    diags.into_iter().filter(Diagnostic::is_error).collect();
                crate::diagnostics::report(&errors);
                let json = errors_json(&errors);
                shared.events.send("build-error", &json);
                *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(json);
                eprintln!("сборка не выполнена ({what}): в браузере остаётся прежняя версия; исправьте ошибки и сохраните файл");
            }
        }
    }
    Err("наблюдение за файлами прекратилось".into())
}

fn publish(shared: &Shared, snap: Snapshot) {
    let generation = snap.generation;
    *shared.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(snap));
    *shared.generation.write().unwrap_or_else(|e| e.into_inner()) = generation;
    *shared.error.write().unwrap_or_else(|e| e.into_inner()) = None;
    shared
        .events
        .send("reload", &format!("{{\"generation\":{generation}}}"));
}

/// Size and modification time of each file of `batch` (relative to `root`), to tell whether
/// one changed while it was read.
fn file_stamps(
    root: &Path,
    batch: &BTreeSet<PathBuf>,
) -> Vec<Option<(u64, Option<std::time::SystemTime>)>> {
    batch
        .iter()
        .map(|p| {
            std::fs::metadata(root.join(p))
                .ok()
                .map(|m| (m.len(), m.modified().ok()))
        })
        .collect()
}

fn merge_touched(a: Touched, b: Touched) -> Touched {
    match (a, b) {
        (Touched::Departments(mut a), Touched::Departments(b)) => {
            a.extend(b);
            Touched::Departments(a)
        }
        _ => Touched::All,
    }
}

fn same_departments(a: &Site, b: &Site) -> bool {
    a.departments.len() == b.departments.len()
        && a.departments
            .iter()
            .zip(&b.departments)
            .all(|(x, y)| x.site.slug == y.site.slug)
}

fn describe_batch(batch: &BTreeSet<PathBuf>) -> String {
    let mut names: Vec<String> = batch.iter().take(3).map(|p| display_path(p)).collect();
    if batch.len() > 3 {
        names.push(format!("и ещё {}", batch.len() - 3));
    }
    names.join(", ")
}

/// Most threads rendering pages and reading files at once.
const BLOCKING_THREADS: usize = 16;

/// Raises the soft limit of open files to the hard one (up to 65 536): every connection and
/// live-reload stream is a file descriptor, and the usual soft limit of 1 024 is below
/// [`http::MAX_CONNECTIONS`] + [`http::MAX_STREAMS`].
fn raise_open_files_limit() {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit on a local struct; they only change this process's limit.
    unsafe {
        let mut r: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) == 0 {
            let want = r.rlim_max.min(65_536);
            if r.rlim_cur < want {
                r.rlim_cur = want;
                libc::setrlimit(libc::RLIMIT_NOFILE, &r);
            }
        }
    }
}

/// Resolves to the exit code once the process is asked to stop (Ctrl+C: 130, SIGTERM: 143).
/// The signals are taken when this is called (inside the runtime), not when it is awaited.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = i32>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut int = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => 130,
                _ = term.recv() => 143,
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            130
        })
    }
}

/// This process's folder in /dev/shm (or the system's temporary folder), removed when serve
/// stops. It holds a locked file while the process lives: folders whose lock can be taken
/// belong to processes that are gone (killed, crashed) and are removed at the next start.
struct TempFolder {
    dir: tempfile::TempDir,
    _lock: std::fs::File,
}

impl TempFolder {
    const PREFIX: &'static str = "metodist-serve-";
    const LOCK: &'static str = ".lock";

    fn create() -> Result<TempFolder, String> {
        // In memory where Linux offers it (the export of a large bank is thousands of small
        // files, rewritten after each save), unless TMPDIR says otherwise.
        let shm = Path::new("/dev/shm");
        let tmp = if cfg!(target_os = "linux")
            && std::env::var_os("TMPDIR").is_none()
            && shm.is_dir()
            && !shm
                .metadata()
                .map(|m| m.permissions().readonly())
                .unwrap_or(true)
        {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        Self::remove_stale(&tmp);
        let dir = tempfile::Builder::new()
            .prefix(Self::PREFIX)
            .tempdir_in(&tmp)
            .map_err(|e| format!("не удалось создать папку в {}: {e}", tmp.display()))?;
        let lock_path = dir.path().join(Self::LOCK);
        let lock = std::fs::File::create(&lock_path)
            .map_err(|e| format!("не удалось создать {}: {e}", lock_path.display()))?;
        lock.try_lock()
            .map_err(|e| format!("не удалось заблокировать {}: {e}", lock_path.display()))?;
        Ok(TempFolder { dir, _lock: lock })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the folders of serve processes that are gone: their lock can be taken (a
    /// folder younger than a minute is left alone: its process may be taking its lock).
    fn remove_stale(tmp: &Path) {
        let Ok(entries) = std::fs::read_dir(tmp) else {
            return;
        };
        for e in entries.flatten() {
            if !e.file_name().to_string_lossy().starts_with(Self::PREFIX) {
                continue;
            }
            let young = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_none_or(|age| age < Duration::from_secs(60));
            let Ok(lock) = std::fs::File::open(e.path().join(Self::LOCK)) else {
                continue;
            };
            if !young && lock.try_lock().is_ok() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/c", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if cmd.is_err() {
        eprintln!("не удалось открыть браузер; откройте адрес сами: {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_the_live_script_before_the_body_end() {
        assert_eq!(
            inject("<body><p>x</p></body></html>"),
            format!("<body><p>x</p>{LIVE_TAG}</body></html>")
        );
        assert_eq!(inject("<p>x</p>"), format!("<p>x</p>{LIVE_TAG}"));
    }

    #[test]
    fn errors_json_keeps_only_errors() {
        let d = vec![
            Diagnostic::error("content/v/practices/a.md", "плохо")
                .at_line(Some(3))
                .field("date")
                .hint("исправьте"),
            Diagnostic::warning("content/v/department.yaml", "так себе"),
        ];
        let v: serde_json::Value = serde_json::from_str(&errors_json(&d)).unwrap();
        assert_eq!(v["errors"].as_array().unwrap().len(), 1);
        assert_eq!(v["errors"][0]["line"], 3);
        assert_eq!(v["errors"][0]["file"], "content/v/practices/a.md");
    }
}
