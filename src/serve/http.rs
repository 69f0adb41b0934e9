//! The HTTP side of `metodist serve`: axum and tower-http on hyper's HTTP/1.1 server, on a
//! small tokio runtime.
//!
//! What the server promises, and where it is kept:
//! - **Bounded connections.** At most [`Limits::connections`] connections are served at once;
//!   over that a connection gets 503 with `Retry-After: 1` and is closed ([`serve`]).
//!   Live-reload streams (`/__metodist/events`) leave that count as soon as they start and are
//!   bounded on their own ([`Limits::streams`]): open tabs cannot use up the capacity for pages.
//! - **A deadline for each request head** ([`Limits::head_timeout`], hyper's
//!   `header_read_timeout`): it runs from the moment the server is ready for the next request
//!   (an idle keep-alive connection included) to the end of the head, so a client that sends
//!   its head byte by byte holds its connection no longer than that. Heads are limited to
//!   [`MAX_HEAD`] bytes and 100 headers (431 beyond).
//! - **Well-formed GET and HEAD only** ([`guard`]): anything else gets a 4xx answer in Russian
//!   and the connection is closed. Requests that hyper cannot parse at all get hyper's own
//!   status-only answer (400 or 431) and are closed; an HTTP/2 preface is closed unanswered.
//! - **Conditional and partial requests.** Files on disk are sent by tower-http's `ServeFile`
//!   (`ETag`, `Last-Modified`, `If-None-Match`, `Range`, 206/304/416); pages and theme files
//!   held in memory carry an `ETag` of their bytes and answer `If-None-Match` with 304.
//! - **Memory given back** ([`memory_keeper`]): once the server has had no request for a
//!   second, every runtime thread gives its free memory back to the system (mimalloc keeps it
//!   otherwise), and again after the idle blocking threads have ended.

use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode, Version};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use percent_encoding::percent_decode_str;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Most connections served at once (live-reload streams are counted apart).
pub const MAX_CONNECTIONS: usize = 512;
/// Most live-reload streams open at once.
pub const MAX_STREAMS: usize = 4096;
/// Longest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// Deadline for a request head, unless `METODIST_SERVE_HEAD_TIMEOUT` (seconds) says otherwise.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request body skipped (GET and HEAD have none; a larger one gets 413).
const MAX_BODY: u64 = 64 * 1024;

/// The server's limits.
#[derive(Debug, Clone)]
pub struct Limits {
    pub connections: usize,
    pub streams: usize,
    pub head_timeout: Duration,
}

impl Limits {
    /// The defaults, with the head deadline from `METODIST_SERVE_HEAD_TIMEOUT` (seconds, for
    /// tests and for very slow networks) when it is set to a positive number.
    pub fn from_env() -> Limits {
        let head_timeout = std::env::var("METODIST_SERVE_HEAD_TIMEOUT")
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0 && *s < 86_400.0)
            .map_or(HEAD_TIMEOUT, Duration::from_secs_f64);
        Limits {
            connections: MAX_CONNECTIONS,
            streams: MAX_STREAMS,
            head_timeout,
        }
    }
}

/// Requests taken since the start: the memory keeper watches it to know when the server is idle.
static ACTIVITY: AtomicU64 = AtomicU64::new(0);

/// The place a connection holds in [`Limits::connections`]; a request that turns its
/// connection into a live-reload stream gives it up ([`ConnectionSlot::release`]).
#[derive(Clone)]
pub struct ConnectionSlot(Arc<Mutex<Option<OwnedSemaphorePermit>>>);

impl ConnectionSlot {
    pub fn release(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// The decoded target of a request: the path (percent-decoded, starting with `/`) and the
/// raw query.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: String,
    pub query: String,
}

impl Target {
    /// Value of the query parameter `name`, percent-decoded (`+` is a space).
    pub fn param(&self, name: &str) -> Option<String> {
        param(&self.query, name)
    }
}

/// Value of the query parameter `name` in `query`, percent-decoded (`+` is a space); `None`
/// when absent or not UTF-8.
pub fn param(query: &str, name: &str) -> Option<String> {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .ok()
            .map(Cow::into_owned)
    };
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (decode(k)? == name).then(|| decode(v)).flatten()
    })
}

/// Percent-decodes a request path strictly: every `%` starts two hex digits, the result is
/// UTF-8 without NUL. `None` otherwise.
pub fn decode_path(raw: &str) -> Option<String> {
    let b = raw.as_bytes();
    let well_formed = b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || b.get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    let path = percent_decode_str(raw).decode_utf8().ok()?;
    (!path.contains('\0')).then(|| path.into_owned())
}

/// The path segments of a decoded request path, or `None` if it tries to leave the served
/// folder (`..`, `.`, backslashes) or names a hidden file (`.search-index/`, `.metodist-output`).
pub fn safe_segments(path: &str) -> Option<Vec<&str>> {
    if path.contains('\\') {
        return None;
    }
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.iter().any(|s| s.starts_with('.')) {
        return None;
    }
    Some(segs)
}

/// Content-Type of a file name (mime_guess), with `charset=utf-8` for text. JavaScript is
/// `text/javascript` (RFC 9239) and XML `application/xml`, as browsers and feed readers expect.
pub fn content_type(name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match ext.as_str() {
        "js" | "mjs" => "text/javascript",
        "xml" => "application/xml",
        "map" => "application/json",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    let textual = mime.starts_with("text/")
        || mime.ends_with("+json")
        || mime.ends_with("+xml")
        || matches!(
            mime,
            "application/json" | "application/xml" | "application/javascript"
        );
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Bytes held in memory (a rendered page, a theme file) with their `ETag`.
#[derive(Clone)]
pub struct Cached {
    pub bytes: Bytes,
    pub etag: HeaderValue,
}

impl Cached {
    pub fn new(bytes: Vec<u8>) -> Cached {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        let etag = HeaderValue::from_str(&format!("\"{:016x}-{:x}\"", h.finish(), bytes.len()))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        Cached {
            bytes: Bytes::from(bytes),
            etag,
        }
    }
}

/// Whether `If-None-Match` in `headers` names `etag` (or is `*`): the client's copy is current.
fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    let ours = ours.strip_prefix(b"W/").unwrap_or(ours);
    headers.get_all(header::IF_NONE_MATCH).iter().any(|v| {
        v.as_bytes().split(|&c| c == b',').any(|tag| {
            let tag = tag.trim_ascii();
            tag == b"*" || tag.strip_prefix(b"W/").unwrap_or(tag) == ours
        })
    })
}

/// A response with bytes held in memory, or 304 when the client has them.
pub fn cached_response(
    headers: &HeaderMap,
    status: StatusCode,
    content_type: &str,
    body: &Cached,
) -> Response {
    let mut res = if status == StatusCode::OK && not_modified(headers, &body.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(body.bytes.clone()));
        *r.status_mut() = status;
        if let Ok(v) = HeaderValue::from_str(content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        r
    };
    res.headers_mut().insert(header::ETAG, body.etag.clone());
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// A plain-text answer that ends the connection (a refused request).
pub fn refuse(status: StatusCode, text: &'static str) -> Response {
    let mut r = text_response(status, text);
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// A plain-text answer.
pub fn text_response(status: StatusCode, text: &'static str) -> Response {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Checks every request before it is routed: GET or HEAD, a Host on HTTP/1.1, no body to
/// speak of, an origin-form target whose path decodes; the decoded [`Target`] goes with the
/// request. Every answer gets `X-Content-Type-Options: nosniff`.
pub async fn guard(mut req: Request, next: Next) -> Response {
    ACTIVITY.fetch_add(1, Ordering::Relaxed);
    let mut res = match check(&req) {
        Ok(target) => {
            req.extensions_mut().insert(target);
            next.run(req).await
        }
        Err(res) => *res,
    };
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

fn check(req: &Request) -> Result<Target, Box<Response>> {
    let method = req.method();
    if !method.as_str().bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Box::new(refuse(
            StatusCode::BAD_REQUEST,
            "400: некорректный запрос (неизвестный метод)\n",
        )));
    }
    if method != Method::GET && method != Method::HEAD {
        let mut r = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "405: поддерживаются только GET и HEAD\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Err(Box::new(r));
    }
    if req.version() == Version::HTTP_11 && !req.headers().contains_key(header::HOST) {
        return Err(Box::new(refuse(
            StatusCode::BAD_REQUEST,
            "400: нет заголовка Host\n",
        )));
    }
    if req.headers().contains_key(header::TRANSFER_ENCODING) {
        return Err(Box::new(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "413: запросы GET и HEAD передаются без тела\n",
        )));
    }
    if let Some(len) = req.headers().get(header::CONTENT_LENGTH) {
        match len.to_str().ok().and_then(|s| s.trim().parse::<u64>().ok()) {
            Some(n) if n <= MAX_BODY => {}
            Some(_) => {
                return Err(Box::new(refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "413: слишком большое тело запроса\n",
                )))
            }
            None => {
                return Err(Box::new(refuse(
                    StatusCode::BAD_REQUEST,
                    "400: некорректный Content-Length\n",
                )))
            }
        }
    }
    let uri = req.uri();
    let path = (uri.scheme().is_none() && uri.authority().is_none())
        .then(|| uri.path())
        .filter(|p| p.starts_with('/'))
        .and_then(decode_path)
        .ok_or_else(|| {
            Box::new(refuse(
                StatusCode::BAD_REQUEST,
                "400: некорректный адрес запроса\n",
            ))
        })?;
    Ok(Target {
        path,
        query: uri.query().unwrap_or("").to_string(),
    })
}

/// Serves `app` on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, app: axum::Router, limits: Limits) {
    let connections = Arc::new(Semaphore::new(limits.connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout)
        .max_buf_size(MAX_HEAD)
        .title_case_headers(true);
    let http = Arc::new(http);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: let the system breathe.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tokio::spawn(busy(stream, http.clone()));
            continue;
        };
        let slot = ConnectionSlot(Arc::new(Mutex::new(Some(permit))));
        let (app, http) = (app.clone(), http.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
                req.extensions_mut().insert(slot.clone());
                let mut app = app.clone();
                async move {
                    use tower::Service;
                    app.call(req.map(Body::new)).await
                }
            });
            // Errors are the client's (a reset, a timeout, an unparsable head): nothing to do.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Over the limit: the request is read (within the head deadline) and answered 503, and the
/// connection closed.
async fn busy(stream: tokio::net::TcpStream, http: Arc<hyper::server::conn::http1::Builder>) {
    let service = hyper::service::service_fn(|_req| async {
        let mut r = refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "503: сервер занят (слишком много соединений); повторите запрос позже\n",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        Ok::<_, Infallible>(r)
    });
    let _ = http.serve_connection(TokioIo::new(stream), service).await;
}

/// Gives free memory back to the system when the server goes idle: after a second without
/// a request, every runtime thread runs `mi_collect`, and once more after the blocking
/// threads left idle have ended (what they freed is then purged by the threads that remain).
/// Runs on a thread of its own until the process ends.
pub fn memory_keeper(runtime: tokio::runtime::Handle, threads: usize) {
    let mut seen = ACTIVITY.load(Ordering::Relaxed);
    // Seconds since the last request; `None` once the memory was given back.
    let mut quiet: Option<u32> = None;
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = ACTIVITY.load(Ordering::Relaxed);
        if now != seen {
            seen = now;
            quiet = Some(0);
            continue;
        }
        let Some(q) = quiet.as_mut() else { continue };
        *q += 1;
        if *q == 1 || *q == 4 {
            // One short task per runtime thread (each holds its thread for a moment, so
            // the tasks spread over the threads), each giving back what its thread holds.
            for _ in 0..threads * 2 {
                runtime.spawn(async {
                    crate::alloc::release_free_memory();
                    std::thread::sleep(Duration::from_millis(5));
                });
            }
            crate::alloc::release_free_memory();
        }
        if *q >= 4 {
            quiet = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_paths_strictly_and_refuses_escapes() {
        assert_eq!(decode_path("/%D0%BF%D1%80/").as_deref(), Some("/пр/"));
        assert_eq!(decode_path("/100%25-ный").as_deref(), Some("/100%-ный"));
        for bad in ["/%ff", "/%00", "/%zz", "/%D", "/a%", "/%D0%28", "/%-ный"] {
            assert!(decode_path(bad).is_none(), "{bad}");
        }
        assert!(safe_segments("/a/../b").is_none());
        assert!(safe_segments("/a/%2e%2e/b").is_some(), "not decoded here");
        assert!(safe_segments(&decode_path("/a/%2e%2e/b").unwrap()).is_none());
        assert!(safe_segments("/a\\b").is_none());
        assert!(safe_segments("/.search-index/x").is_none());
        assert_eq!(safe_segments("/a//b/").unwrap(), vec!["a", "b"]);
        assert_eq!(param("q=%D0%B0+b&type=event", "q").as_deref(), Some("а b"));
        assert_eq!(
            param("q=%D0%B0+b&type=event", "type").as_deref(),
            Some("event")
        );
        assert_eq!(param("q=1", "x"), None);
        assert_eq!(param("q=%-ный", "q"), Some("%-ный".into()), "no panic");
        assert_eq!(
            crate::text::encode_path("vidyaevo/практики x"),
            "vidyaevo/%D0%BF%D1%80%D0%B0%D0%BA%D1%82%D0%B8%D0%BA%D0%B8%20x"
        );
    }

    /// A handler's panic (a bug) costs its connection, never a place in the count of
    /// connections: more panics than places, then a normal request is answered.
    #[test]
    fn a_panicking_handler_does_not_keep_a_connection_place() {
        use std::io::{Read, Write};
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        async fn bug() -> &'static str {
            // Unwinds as a panic does, without the panic hook's message.
            std::panic::resume_unwind(Box::new("a handler's bug"))
        }
        let app = axum::Router::new()
            .route("/panic", axum::routing::get(bug))
            .route("/ok", axum::routing::get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(guard));
        let limits = Limits {
            connections: 4,
            streams: 4,
            head_timeout: Duration::from_secs(30),
        };
        rt.spawn(serve(listener, app, limits));
        let exchange = |req: &str| {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            s.write_all(req.as_bytes()).unwrap();
            let mut out = Vec::new();
            let _ = s.read_to_end(&mut out);
            String::from_utf8_lossy(&out).to_string()
        };
        for _ in 0..16 {
            assert_eq!(exchange("GET /panic HTTP/1.1\r\nHost: x\r\n\r\n"), "");
        }
        let r = exchange("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert!(
            r.starts_with("HTTP/1.1 200 OK\r\n") && r.ends_with("ok"),
            "{r}"
        );
    }

    #[test]
    fn content_types_carry_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("search/t/3.bin"), "application/octet-stream");
        assert_eq!(
            content_type("search/meta.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            content_type("static/search/engine.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("files/plan.PDF"), "application/pdf");
        assert_eq!(content_type("no-extension"), "application/octet-stream");
    }

    #[test]
    fn etags_follow_the_bytes_and_if_none_match_is_read_as_a_list() {
        let a = Cached::new(b"<p>a</p>".to_vec());
        assert_eq!(a.etag, Cached::new(b"<p>a</p>".to_vec()).etag);
        assert_ne!(a.etag, Cached::new(b"<p>b</p>".to_vec()).etag);
        let mut h = HeaderMap::new();
        assert!(!not_modified(&h, &a.etag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", W/{}", a.etag.to_str().unwrap())).unwrap(),
        );
        assert!(not_modified(&h, &a.etag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(not_modified(&h, &a.etag));
    }
}
