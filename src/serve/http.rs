//! A small HTTP/1.1 server on the standard library, for `metodist serve`.
//!
//! Connections are served by a pool of reused worker threads, one connection per worker at a
//! time (bounded by [`MAX_CONNECTIONS`]; over that the server answers 503 and closes),
//! keep-alive, timeouts on idle and slow clients, request heads limited to [`MAX_HEAD`] bytes.
//! Anything that is not a well-formed GET or HEAD request gets a 4xx answer and the connection
//! is closed; nothing a client sends can panic the server. Server-sent events hold their
//! connection's worker, which is why connections are bounded.
//!
//! Why a pool and not a thread per connection: every thread gets its own allocator heap, and
//! the memory that finished threads had used was not given back (even with transparent huge
//! pages off, 200 clients left the server at 204 MB against 64 MB idle; with a pool it goes
//! back to idle: `benches/serve-load.mjs`, BENCHMARKS.md). Workers are reused, the ones
//! beyond [`KEEP_WORKERS`] end after [`WORKER_IDLE`] without work, and a worker that runs out
//! of work gives its free memory back to the system ([`crate::alloc::release_free_memory`]).
//! Queries of `/api/search` run on search threads of their own (`serve::search_thread`).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Most connections served at once (SSE connections included).
pub const MAX_CONNECTIONS: usize = 512;
/// Longest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a keep-alive connection may stay idle, and a client may take to send its head.
const IDLE: Duration = Duration::from_secs(30);
/// Workers kept waiting for connections when the server is quiet.
const KEEP_WORKERS: usize = 4;
/// How long a worker waits for a connection before it gives its memory back (and ends, if
/// more than [`KEEP_WORKERS`] are alive).
const WORKER_IDLE: Duration = Duration::from_secs(2);
/// Stack of a worker thread (page rendering is the deepest thing a worker does).
const WORKER_STACK: usize = 256 * 1024;

/// A parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Percent-decoded path, always starting with `/`.
    pub path: String,
    /// The raw query string (after `?`), not decoded.
    pub query: String,
}

impl Request {
    /// Value of the query parameter `name`, percent-decoded (`+` is a space).
    pub fn param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let k = decode_component(k, true)?;
            (k == name).then(|| decode_component(v, true)).flatten()
        })
    }
}

/// What a handler answers.
pub enum Response {
    /// A complete response.
    Full {
        status: u16,
        content_type: String,
        body: Arc<Vec<u8>>,
        headers: Vec<(String, String)>,
    },
    /// A 200 response with the contents of a file, sent from the file without reading it into
    /// memory (attachments may be large).
    File {
        content_type: &'static str,
        file: std::fs::File,
        len: u64,
    },
    /// Hand the connection over to a stream of server-sent events.
    Events(Box<dyn FnOnce(&mut TcpStream) + Send>),
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response::Full {
            status,
            content_type: content_type.to_string(),
            body: Arc::new(body.into()),
            headers: Vec::new(),
        }
    }

    pub fn shared(status: u16, content_type: &str, body: Arc<Vec<u8>>) -> Self {
        Response::Full {
            status,
            content_type: content_type.to_string(),
            body,
            headers: Vec::new(),
        }
    }

    pub fn text(status: u16, text: &str) -> Self {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    pub fn redirect(location: &str) -> Self {
        Response::Full {
            status: 301,
            content_type: "text/plain; charset=utf-8".into(),
            body: Arc::new(format!("Перемещено: {location}\n").into_bytes()),
            headers: vec![("Location".into(), location.to_string())],
        }
    }
}

/// Handles one request.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, req: &Request) -> Response;
}

/// The worker pool: connections accepted and not yet taken, and counts.
struct Pool {
    state: Mutex<PoolState>,
    /// Signalled when a connection is queued.
    wake: Condvar,
    handler: Arc<dyn Handler>,
}

#[derive(Default)]
struct PoolState {
    /// Accepted connections that no worker has taken yet.
    queue: VecDeque<TcpStream>,
    /// Connections accepted and not closed yet (queued or being served).
    active: usize,
    /// Worker threads alive.
    workers: usize,
    /// Workers waiting for a connection.
    idle: usize,
    /// A worker ended since a kept one last gave memory back.
    unpurged: bool,
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Accepts connections on `listener` until the process ends.
pub fn serve(listener: TcpListener, handler: Arc<dyn Handler>) {
    let pool = Arc::new(Pool {
        state: Mutex::new(PoolState::default()),
        wake: Condvar::new(),
        handler,
    });
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors and the like: let the system breathe.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let spawn = {
            let mut st = pool.lock();
            if st.active >= MAX_CONNECTIONS {
                drop(st);
                busy(stream);
                continue;
            }
            st.active += 1;
            st.queue.push_back(stream);
            // A new worker only when every waiting one already has a connection to take (the
            // count of workers cannot pass MAX_CONNECTIONS: busy workers ≤ active connections).
            if st.queue.len() > st.idle {
                st.workers += 1;
                true
            } else {
                pool.wake.notify_one();
                false
            }
        };
        if spawn {
            let p = pool.clone();
            let spawned = std::thread::Builder::new()
                .name("metodist-http".into())
                .stack_size(WORKER_STACK)
                .spawn(move || worker(&p));
            if spawned.is_err() {
                let mut st = pool.lock();
                st.workers -= 1;
                if st.workers == 0 {
                    // No worker will take them: close the waiting connections.
                    let n = st.queue.len();
                    st.queue.clear();
                    st.active -= n;
                }
                drop(st);
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// Over the limit: 503 at once, without a worker. Whatever the client already sent is read
/// first (closing a socket with unread data resets it, and the answer may be lost).
fn busy(mut stream: TcpStream) {
    let body = "503: сервер занят (слишком много соединений); повторите запрос позже\n";
    if stream.set_nonblocking(true).is_ok() {
        let mut buf = [0u8; 4096];
        for _ in 0..4 {
            if !matches!(stream.read(&mut buf), Ok(n) if n > 0) {
                break;
            }
        }
    }
    let mut head = Vec::with_capacity(320);
    let _ = write_head(
        &mut head,
        503,
        "text/plain; charset=utf-8",
        body.len(),
        &[("Retry-After".into(), "1".into())],
        false,
    );
    head.extend_from_slice(body.as_bytes());
    // Non-blocking: a small answer fits in the socket's buffer, and the accepting thread
    // must never wait for a client.
    let _ = stream.write_all(&head);
    let _ = stream.shutdown(Shutdown::Write);
}

/// What a worker got from the pool.
enum Work {
    Connection(TcpStream),
    /// Nothing for [`WORKER_IDLE`], and memory to give back: give it, and wait again.
    Quiet,
    /// Nothing for [`WORKER_IDLE`], and enough other workers: end.
    Retire,
}

fn worker(pool: &Pool) {
    // Whether this worker served a connection since it last gave its memory back.
    let mut used = false;
    loop {
        let work = {
            let mut st = pool.lock();
            let mut deadline = Instant::now() + WORKER_IDLE;
            loop {
                if let Some(s) = st.queue.pop_front() {
                    break Work::Connection(s);
                }
                let now = Instant::now();
                if now >= deadline {
                    if st.workers > KEEP_WORKERS {
                        st.workers -= 1;
                        // What the thread frees as it ends is given back by a kept worker.
                        st.unpurged = true;
                        break Work::Retire;
                    }
                    if used || st.unpurged {
                        st.unpurged = false;
                        break Work::Quiet;
                    }
                    deadline = now + WORKER_IDLE;
                }
                st.idle += 1;
                st = pool
                    .wake
                    .wait_timeout(st, deadline - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
                st.idle -= 1;
            }
        };
        match work {
            Work::Connection(stream) => {
                used = true;
                // A panic in a handler is a bug, but it must not take the worker or the
                // count of connections with it (the default hook has printed it).
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    connection(stream, &*pool.handler)
                }));
                pool.lock().active -= 1;
            }
            Work::Quiet => {
                used = false;
                crate::alloc::release_free_memory();
            }
            Work::Retire => {
                crate::alloc::release_free_memory();
                return;
            }
        }
    }
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq)]
pub enum HeadError {
    /// The client closed the connection (or went idle) before sending a request.
    Closed,
    /// Malformed: answer 400.
    Bad(&'static str),
    /// Too long: answer 431.
    TooLarge,
}

/// A request head: method, target, version, headers (names lowercased).
#[derive(Debug)]
pub struct Head {
    pub method: String,
    pub target: String,
    pub http11: bool,
    pub headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one request head from `r`.
pub fn read_head(r: &mut impl BufRead) -> Result<Head, HeadError> {
    let mut lines: Vec<String> = Vec::new();
    let mut total = 0;
    loop {
        let mut buf = Vec::new();
        let n = r
            .by_ref()
            .take((MAX_HEAD - total + 1) as u64)
            .read_until(b'\n', &mut buf)
            .map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(if lines.is_empty() && total == 0 {
                HeadError::Closed
            } else {
                HeadError::Bad("incomplete head")
            });
        }
        total += n;
        if total > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
        if buf.last() != Some(&b'\n') {
            return Err(HeadError::Bad("incomplete head"));
        }
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        // Empty lines before the request line are tolerated (RFC 9112, 2.2).
        if buf.is_empty() {
            if lines.is_empty() {
                continue;
            }
            break;
        }
        let line = String::from_utf8(buf).map_err(|_| HeadError::Bad("head is not UTF-8"))?;
        if line.chars().any(|c| c.is_control() && c != '\t') {
            return Err(HeadError::Bad("control character in head"));
        }
        lines.push(line);
        if lines.len() > 100 {
            return Err(HeadError::TooLarge);
        }
    }
    let mut parts = lines[0].split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Bad("bad request line"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(HeadError::Bad("bad method"));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(HeadError::Bad("bad version")),
    };
    let mut headers = Vec::new();
    for l in &lines[1..] {
        let Some((k, v)) = l.split_once(':') else {
            return Err(HeadError::Bad("bad header"));
        };
        if k.is_empty() || k.contains([' ', '\t']) {
            return Err(HeadError::Bad("bad header name"));
        }
        headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
    }
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
        http11,
        headers,
    })
}

/// Splits a request target into its decoded path and raw query. `None` when the target is
/// not an absolute path or decodes to something unusable (bad UTF-8, NUL).
pub fn split_target(target: &str) -> Option<(String, String)> {
    if !target.starts_with('/') {
        return None;
    }
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = decode_component(path, false)?;
    if path.contains('\0') {
        return None;
    }
    Some((path, query.to_string()))
}

/// Percent-decoding; `plus` turns `+` into a space (query strings).
pub fn decode_component(s: &str, plus: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                out.push(v);
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

fn write_head(
    w: &mut impl Write,
    status: u16,
    content_type: &str,
    len: usize,
    headers: &[(String, String)],
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        reason(status),
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    w.write_all(h.as_bytes())
}

fn connection(stream: TcpStream, handler: &dyn Handler) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(IDLE));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let head = match read_head(&mut reader) {
            Ok(h) => h,
            Err(HeadError::Closed) => return,
            Err(HeadError::Bad(_)) => {
                refuse(
                    &mut writer,
                    &mut reader,
                    false,
                    400,
                    "400: некорректный запрос\n",
                    &[],
                );
                return;
            }
            Err(HeadError::TooLarge) => {
                refuse(
                    &mut writer,
                    &mut reader,
                    false,
                    431,
                    "431: слишком длинный заголовок запроса\n",
                    &[],
                );
                return;
            }
        };
        let mut keep_alive = match head.header("connection").map(str::to_ascii_lowercase) {
            Some(c) if c.contains("close") => false,
            Some(c) if c.contains("keep-alive") => true,
            _ => head.http11,
        };
        if head.http11 && head.header("host").is_none() {
            refuse(
                &mut writer,
                &mut reader,
                false,
                400,
                "400: нет заголовка Host\n",
                &[],
            );
            return;
        }
        // Bodies are not expected: a small one is skipped, anything else ends the connection.
        if head.header("transfer-encoding").is_some() {
            keep_alive = false;
        } else if let Some(len) = head.header("content-length") {
            match len.parse::<u64>() {
                Ok(n) if n <= 64 * 1024 => {
                    if std::io::copy(&mut reader.by_ref().take(n), &mut std::io::sink()).ok()
                        != Some(n)
                    {
                        return;
                    }
                }
                Ok(_) => {
                    refuse(
                        &mut writer,
                        &mut reader,
                        false,
                        413,
                        "413: слишком большое тело запроса\n",
                        &[],
                    );
                    return;
                }
                Err(_) => {
                    refuse(
                        &mut writer,
                        &mut reader,
                        false,
                        400,
                        "400: некорректный Content-Length\n",
                        &[],
                    );
                    return;
                }
            }
        }
        let is_head = head.method == "HEAD";
        if head.method != "GET" && !is_head {
            let allow = [("Allow".to_string(), "GET, HEAD".to_string())];
            refuse(
                &mut writer,
                &mut reader,
                false,
                405,
                "405: поддерживаются только GET и HEAD\n",
                &allow,
            );
            return;
        }
        let Some((path, query)) = split_target(&head.target) else {
            refuse(
                &mut writer,
                &mut reader,
                is_head,
                400,
                "400: некорректный адрес запроса\n",
                &[],
            );
            return;
        };
        let req = Request {
            method: head.method.clone(),
            path,
            query,
        };
        match handler.handle(&req) {
            Response::Full {
                status,
                content_type,
                body,
                headers,
            } => {
                if respond(
                    &mut writer,
                    is_head,
                    status,
                    &content_type,
                    &body,
                    &headers,
                    keep_alive,
                )
                .is_err()
                    || !keep_alive
                {
                    return;
                }
            }
            Response::File {
                content_type,
                file,
                len,
            } => {
                let mut head = Vec::with_capacity(320);
                let _ = write_head(&mut head, 200, content_type, len as usize, &[], keep_alive);
                if writer.write_all(&head).is_err() {
                    return;
                }
                // From the file to the socket through a small buffer on the stack; a file that
                // changed size meanwhile ends the connection, as the length sent no longer holds.
                if !is_head && std::io::copy(&mut (&file).take(len), &mut writer).ok() != Some(len)
                {
                    return;
                }
                if !keep_alive {
                    return;
                }
            }
            Response::Events(stream_events) => {
                let h = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
                if writer.write_all(h.as_bytes()).is_err() || is_head {
                    return;
                }
                stream_events(&mut writer);
                return;
            }
        }
    }
}

/// Answers with an error and leaves the connection: the answer, then what the client still
/// sends is read and dropped for a moment (closing a socket with unread data resets it, and
/// the client may lose the answer).
fn refuse(
    writer: &mut TcpStream,
    reader: &mut BufReader<TcpStream>,
    is_head: bool,
    status: u16,
    text: &str,
    headers: &[(String, String)],
) {
    if respond(
        writer,
        is_head,
        status,
        "text/plain; charset=utf-8",
        text.as_bytes(),
        headers,
        false,
    )
    .is_err()
    {
        return;
    }
    let _ = writer.shutdown(Shutdown::Write);
    let _ = reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(500)));
    let _ = std::io::copy(&mut reader.by_ref().take(64 * 1024), &mut std::io::sink());
}

fn respond(
    w: &mut TcpStream,
    is_head: bool,
    status: u16,
    content_type: &str,
    body: &[u8],
    headers: &[(String, String)],
    keep_alive: bool,
) -> std::io::Result<()> {
    // The head in a small buffer and the body straight from the shared bytes: no per-response
    // copy of the body (with hundreds of workers, large temporary buffers would make every
    // worker's allocator heap hold on to memory).
    let mut head = Vec::with_capacity(320);
    write_head(
        &mut head,
        status,
        content_type,
        body.len(),
        headers,
        keep_alive,
    )?;
    if is_head || body.is_empty() {
        return w.write_all(&head);
    }
    if body.len() <= 1024 {
        head.extend_from_slice(body);
        return w.write_all(&head);
    }
    w.write_all(&head)?;
    w.write_all(body)
}

/// Whether the client has closed `stream` (or it failed), without waiting: for connections
/// that only send (server-sent events). Anything the client sent meanwhile is left unread.
pub fn peer_closed(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let closed = match stream.peek(&mut [0u8; 1]) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => {
            e.kind() != std::io::ErrorKind::WouldBlock
                && e.kind() != std::io::ErrorKind::Interrupted
        }
    };
    stream.set_nonblocking(false).is_err() || closed
}

/// Content-Type of a file name, with `charset=utf-8` for text.
pub fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "bin" => "application/octet-stream",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "rtf" => "application/rtf",
        "zip" => "application/zip",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn head(s: &str) -> Result<Head, HeadError> {
        read_head(&mut std::io::Cursor::new(s.as_bytes().to_vec()))
    }

    #[test]
    fn parses_heads_and_rejects_malformed_ones() {
        let h = head("GET /a/?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        assert_eq!(
            (h.method.as_str(), h.target.as_str(), h.http11),
            ("GET", "/a/?q=1", true)
        );
        assert_eq!(h.header("connection"), Some("close"));
        assert!(matches!(head(""), Err(HeadError::Closed)));
        for bad in [
            "GARBAGE\r\n\r\n",
            "GET / HTTP/2.0\r\n\r\n",
            "get / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nnocolon\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nA: \u{1}\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x",
        ] {
            assert!(matches!(head(bad), Err(HeadError::Bad(_))), "{bad:?}");
        }
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(&long).err(), Some(HeadError::TooLarge));
    }

    #[test]
    fn decodes_targets_and_refuses_escapes() {
        assert_eq!(
            split_target("/%D0%BF%D1%80/?q=%D0%B0+b").unwrap(),
            ("/пр/".to_string(), "q=%D0%B0+b".to_string())
        );
        assert!(split_target("/%ff").is_none());
        assert!(split_target("/%00").is_none());
        assert!(split_target("/%zz").is_none());
        assert!(split_target("http://x/").is_none());
        assert!(safe_segments("/a/../b").is_none());
        assert!(safe_segments("/a/%2e%2e/b").is_some(), "not decoded here");
        assert!(safe_segments(&split_target("/a/%2e%2e/b").unwrap().0).is_none());
        assert!(safe_segments("/a\\b").is_none());
        assert!(safe_segments("/.search-index/x").is_none());
        assert_eq!(safe_segments("/a//b/").unwrap(), vec!["a", "b"]);
        let r = Request {
            method: "GET".into(),
            path: "/".into(),
            query: "q=%D0%B0+b&type=event".into(),
        };
        assert_eq!(r.param("q").as_deref(), Some("а b"));
        assert_eq!(r.param("type").as_deref(), Some("event"));
        assert_eq!(r.param("x"), None);
    }

    /// Answers the path, and panics on `/panic` (a handler's bug).
    struct Echo;

    impl Handler for Echo {
        fn handle(&self, req: &Request) -> Response {
            if req.path == "/panic" {
                // Unwinds as a panic does, without the panic hook's message (and backtrace).
                std::panic::resume_unwind(Box::new("a handler's bug"));
            }
            Response::text(200, &req.path)
        }
    }

    fn exchange(addr: &str, request: &[u8]) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.write_all(request).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).to_string()
    }

    #[test]
    fn a_panicking_handler_loses_neither_its_worker_nor_a_connection_slot() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        std::thread::spawn(move || serve(listener, Arc::new(Echo)));
        // More panics than connections allowed: a slot lost per panic would end in 503.
        for _ in 0..MAX_CONNECTIONS + 16 {
            assert_eq!(
                exchange(&addr, b"GET /panic HTTP/1.1\r\nHost: x\r\n\r\n"),
                "",
                "no answer, the connection is closed"
            );
        }
        let r = exchange(
            &addr,
            b"GET /still-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert!(
            r.starts_with("HTTP/1.1 200 OK\r\n") && r.ends_with("/still-here"),
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
        assert_eq!(content_type("files/plan.PDF"), "application/pdf");
    }
}
