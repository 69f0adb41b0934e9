//! `metodist serve` over HTTP: a copy of the demo content served on a free port of 127.0.0.1,
//! checked with plain HTTP/1.1 requests (content types, path safety, 404 page, search API),
//! then edited: changes appear without a restart, a broken file keeps the last good page and
//! reports the error, a fix recovers, and files can be added, renamed and deleted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    root: tempfile::TempDir,
    log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Ctrl+C, as a user stops it (serve then removes its temporary folder); kill if stuck.
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.child.id().to_string())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn start() -> Server {
    start_with(&[])
}

/// `metodist serve` with extra environment variables.
fn start_with(env: &[(&str, &str)]) -> Server {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("content"), &root.path().join("content"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_metodist"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root.path())
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let log = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("сайт: http://") {
                    let _ = tx.send(rest.split('/').next().unwrap_or("").to_string());
                }
                let mut l = log.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
    }
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("serve did not start:\n{}", log.lock().unwrap()));
    Server {
        child,
        addr,
        root,
        log,
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    fn content_type(&self) -> String {
        self.header("Content-Type").unwrap_or_default()
    }
    /// A header's value (names compared without regard to case).
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn raw(addr: &str, request: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(buf.len());
    let headers = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = buf.get(split + 4..).unwrap_or_default().to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

fn get(addr: &str, path: &str) -> Reply {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Polls `path` until `ok` holds (rebuilds take milliseconds; the limit is generous for a
/// loaded machine).
fn wait_for(s: &Server, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let started = Instant::now();
    loop {
        let r = get(&s.addr, path);
        if ok(&r) {
            return r;
        }
        if started.elapsed() > Duration::from_secs(20) {
            panic!(
                "{what}: {path} answered {} after 20 s\nserver log:\n{}",
                r.status,
                s.log.lock().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_log(s: &Server, needle: &str) {
    let started = Instant::now();
    while !s.log.lock().unwrap().contains(needle) {
        if started.elapsed() > Duration::from_secs(20) {
            panic!("no «{needle}» in the log:\n{}", s.log.lock().unwrap());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_the_site_safely_with_content_types() {
    let s = start();
    let a = s.addr.as_str();
    assert!(
        a.starts_with("127.0.0.1:"),
        "binds to loopback by default: {a}"
    );
    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/vidyaevo/", "text/html; charset=utf-8"),
        (
            "/vidyaevo/practices/metodicheskaya-nedelya/",
            "text/html; charset=utf-8",
        ),
        ("/static/style.css", "text/css; charset=utf-8"),
        (
            "/vidyaevo/static/search/engine.js",
            "text/javascript; charset=utf-8",
        ),
        (
            "/vidyaevo/search/meta.json",
            "application/json; charset=utf-8",
        ),
        ("/search/facets.json", "application/json; charset=utf-8"),
        ("/search/t/0.bin", "application/octet-stream"),
        ("/vidyaevo/sitemap.xml", "application/xml; charset=utf-8"),
        ("/vidyaevo/robots.txt", "text/plain; charset=utf-8"),
        (
            "/vidyaevo/files/postanovlenie-895.txt",
            "text/plain; charset=utf-8",
        ),
        ("/__metodist/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = get(a, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.content_type(), ty, "{path}");
        assert!(r.headers.contains("X-Content-Type-Options: nosniff"));
    }
    // d/<n>.json fragments of the export.
    let meta = get(a, "/vidyaevo/search/meta.json").text();
    assert!(meta.contains('{'));
    assert_eq!(
        get(a, "/vidyaevo/search/d/0.json").content_type(),
        "application/json; charset=utf-8"
    );

    // The live-reload script is injected by serve into pages only.
    let home = get(a, "/vidyaevo/").text();
    assert!(home.contains("<script src=\"/__metodist/live.js\" defer></script></body>"));
    assert!(!get(a, "/static/style.css").text().contains("live.js"));
    // A folder without its slash is redirected (relative links need it).
    let r = get(a, "/vidyaevo/practices");
    assert_eq!(r.status, 301);
    assert!(r.headers.contains("Location: /vidyaevo/practices/"));

    // 404 from the theme.
    let r = get(a, "/vidyaevo/no-such-page/");
    assert_eq!(r.status, 404);
    assert_eq!(r.content_type(), "text/html; charset=utf-8");
    assert!(r.text().contains("Такой страницы на сайте нет"));

    // Nothing outside the site.
    for path in [
        "/../Cargo.toml",
        "/vidyaevo/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/vidyaevo/%2E%2E/%2E%2E/etc/passwd",
        "/vidyaevo/..%2f..%2fetc/passwd",
        "/.search-index/_region/meta.json",
        "/..\\..\\etc\\passwd",
    ] {
        let r = get(a, path);
        assert!(r.status == 400 || r.status == 404, "{path}: {}", r.status);
        assert!(!r.text().contains("root:"), "{path}");
    }
    // A symlink out of the content folder is refused (and is a build error).
    std::os::unix::fs::symlink(
        "/etc/passwd",
        s.root.path().join("content/vidyaevo/files/passwd.txt"),
    )
    .unwrap();
    wait_log(&s, "символическая ссылка");
    let r = get(a, "/vidyaevo/files/passwd.txt");
    assert_ne!(r.status, 200);
    assert!(!r.text().contains("root:"));

    // Malformed requests get 400 and the server goes on.
    for bad in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\n",
    ] {
        assert_eq!(raw(a, bad).status, 400, "{}", String::from_utf8_lossy(bad));
    }
    assert_eq!(
        raw(
            a,
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
        )
        .status,
        405
    );
    let huge = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(20_000));
    assert_eq!(raw(a, huge.as_bytes()).status, 431);
    // HEAD: headers only.
    let r = raw(
        a,
        format!("HEAD /vidyaevo/ HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    // Keep-alive: two requests on one connection.
    let r = raw(a, format!("GET /static/style.css HTTP/1.1\r\nHost: {a}\r\n\r\nGET /vidyaevo/ HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains("HTTP/1.1 200 OK"),
        "second response on the same connection"
    );

    // The search API answers from the live index.
    let r = get(
        a,
        "/api/search?q=%D0%BD%D0%B0%D1%81%D1%82%D0%B0%D0%B2%D0%BD%D0%B8%D0%BA%D0%B0",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/json; charset=utf-8");
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    let first = &v["results"][0];
    for k in [
        "title",
        "url",
        "type",
        "type_label",
        "department",
        "snippet",
    ] {
        assert!(!first[k].is_null(), "{k} in {first}");
    }
    assert_eq!(get(a, "/api/search?q=").status, 400);
}

#[test]
fn rebuilds_on_edits_keeps_the_last_good_site_and_recovers() {
    let s = start();
    let a = s.addr.clone();
    let file = s
        .root
        .path()
        .join("content/vidyaevo/practices/metodicheskaya-nedelya.md");
    let page = "/vidyaevo/practices/metodicheskaya-nedelya/";
    let original = std::fs::read_to_string(&file).unwrap();
    let title_line = original
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();

    // An edit shows on the page, in the lists and in search.
    std::fs::write(
        &file,
        original.replace(&title_line, "title: \"Неделя цифровых экспериментов\""),
    )
    .unwrap();
    wait_for(&s, page, "edit", |r| {
        r.text().contains("Неделя цифровых экспериментов")
    });
    assert!(get(&a, "/vidyaevo/practices/")
        .text()
        .contains("Неделя цифровых экспериментов"));
    assert!(get(&a, "/vidyaevo/")
        .text()
        .contains("Неделя цифровых экспериментов"));
    wait_for(&s, "/api/search?q=%D1%8D%D0%BA%D1%81%D0%BF%D0%B5%D1%80%D0%B8%D0%BC%D0%B5%D0%BD%D1%82%D0%BE%D0%B2", "live search", |r| r.text().contains("Неделя цифровых экспериментов"));

    // Broken YAML: the error is reported, the last good page stays.
    std::fs::write(
        &file,
        original.replace(&title_line, "title: [Неделя без скобки"),
    )
    .unwrap();
    wait_log(&s, "сборка не выполнена");
    assert!(
        s.log
            .lock()
            .unwrap()
            .contains("metodicheskaya-nedelya.md:2"),
        "file and line in the terminal"
    );
    let r = get(&a, page);
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains("Неделя цифровых экспериментов"),
        "the last good page is served"
    );
    // …and sent to open pages.
    let mut sse = TcpStream::connect(&a).unwrap();
    sse.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sse.write_all(format!("GET /__metodist/events HTTP/1.1\r\nHost: {a}\r\n\r\n").as_bytes())
        .unwrap();
    let mut got = String::new();
    let mut buf = [0u8; 4096];
    while !got.contains("build-error") {
        let n = sse.read(&mut buf).unwrap();
        assert!(n > 0);
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(got.contains("text/event-stream"));
    assert!(got.contains("metodicheskaya-nedelya.md"));

    // The fix recovers, and the open page is told to reload.
    std::fs::write(
        &file,
        original.replace(&title_line, "title: \"Неделя исправлена\""),
    )
    .unwrap();
    wait_for(&s, page, "fix", |r| r.text().contains("Неделя исправлена"));
    while !got.contains("event: reload") {
        let n = sse.read(&mut buf).unwrap();
        assert!(n > 0);
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }

    // A new file.
    let added = s
        .root
        .path()
        .join("content/vidyaevo/practices/novaya-praktika.md");
    std::fs::write(
        &added,
        original.replace(&title_line, "title: \"Совсем новая практика\""),
    )
    .unwrap();
    wait_for(&s, "/vidyaevo/practices/novaya-praktika/", "add", |r| {
        r.status == 200 && r.text().contains("Совсем новая практика")
    });
    assert!(get(&a, "/vidyaevo/practices/")
        .text()
        .contains("Совсем новая практика"));
    // Renamed.
    let renamed = s
        .root
        .path()
        .join("content/vidyaevo/practices/pereimenovannaya.md");
    std::fs::rename(&added, &renamed).unwrap();
    wait_for(&s, "/vidyaevo/practices/pereimenovannaya/", "rename", |r| {
        r.status == 200
    });
    assert_eq!(get(&a, "/vidyaevo/practices/novaya-praktika/").status, 404);
    // Deleted.
    std::fs::remove_file(&renamed).unwrap();
    wait_for(&s, "/vidyaevo/practices/pereimenovannaya/", "delete", |r| {
        r.status == 404
    });
    wait_for(&s, "/vidyaevo/practices/", "list after delete", |r| {
        !r.text().contains("Совсем новая практика")
    });

    // A new attachment is served at once.
    std::fs::write(
        s.root.path().join("content/vidyaevo/files/novyi.txt"),
        "новый файл",
    )
    .unwrap();
    let r = wait_for(&s, "/vidyaevo/files/novyi.txt", "attachment", |r| {
        r.status == 200
    });
    assert_eq!(r.text(), "новый файл");

    // A template change rebuilds everything.
    // (Prepared aside and moved in whole: one event for the new folder.)
    let prepared = s.root.path().join(".templates-new");
    std::fs::create_dir_all(&prepared).unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let not_found =
        std::fs::read_to_string(repo.join("themes/default/templates/404.html")).unwrap();
    std::fs::write(
        prepared.join("404.html"),
        not_found.replace("Такой страницы на сайте нет.", "Здесь ничего нет."),
    )
    .unwrap();
    std::fs::rename(&prepared, s.root.path().join("templates")).unwrap();
    wait_for(&s, "/vidyaevo/nothing/", "template", |r| {
        r.status == 404 && r.text().contains("Здесь ничего нет.")
    });

    // The build never wrote public/.
    assert!(!s.root.path().join("public").exists());
}

/// Who answers a malformed request: the server's own checks (a Russian message), or hyper's
/// parser, for a head that does not parse at all (the status alone).
#[derive(Clone, Copy, Debug, PartialEq)]
enum By {
    Server,
    Parser,
}

/// A request that must be refused, the status it must get (0: the connection is closed
/// unanswered, as hyper does for an HTTP/2 preface on an HTTP/1.1 server) and who answers.
const MALFORMED: &[(&str, &[u8], u16, By)] = &[
    (
        "binary garbage",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xff\x00\r\n\r\n",
        400,
        By::Parser,
    ),
    (
        "HTTP/2 preface",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        0,
        By::Parser,
    ),
    (
        "NUL in the request line",
        b"GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n",
        400,
        By::Parser,
    ),
    (
        "lowercase method",
        b"get / HTTP/1.1\r\nHost: x\r\n\r\n",
        400,
        By::Server,
    ),
    (
        "request line of two parts",
        b"GET /\r\nHost: x\r\n\r\n",
        400,
        By::Parser,
    ),
    (
        "absolute target",
        b"GET http://example.org/ HTTP/1.1\r\nHost: x\r\n\r\n",
        400,
        By::Server,
    ),
    (
        "truncated percent-encoding",
        b"GET /vidyaevo/%D HTTP/1.1\r\nHost: x\r\n\r\n",
        400,
        By::Server,
    ),
    (
        "percent-encoded invalid UTF-8",
        b"GET /%D0%28 HTTP/1.1\r\nHost: x\r\n\r\n",
        400,
        By::Server,
    ),
    (
        "percent-encoded NUL",
        b"GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n",
        400,
        By::Server,
    ),
    (
        "header name with a space",
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
        400,
        By::Parser,
    ),
    (
        "header line without a colon after good ones",
        b"GET / HTTP/1.1\r\nHost: x\r\nAccept: */*\r\njunk\r\n\r\n",
        400,
        By::Parser,
    ),
    (
        "bad Content-Length",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n",
        400,
        By::Parser,
    ),
    (
        "huge Content-Length",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
        413,
        By::Server,
    ),
    (
        "PUT",
        b"PUT /vidyaevo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
        405,
        By::Server,
    ),
    (
        "DELETE",
        b"DELETE /vidyaevo/ HTTP/1.1\r\nHost: x\r\n\r\n",
        405,
        By::Server,
    ),
    (
        "OPTIONS",
        b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
        405,
        By::Server,
    ),
    (
        "CONNECT",
        b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n",
        405,
        By::Server,
    ),
];

/// Requests whose heads are too large: a long one, one of many headers, one far over the limit.
fn huge_heads() -> Vec<(String, Vec<u8>)> {
    let many: String = (0..200).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    vec![
        (
            "header value of 40 KB".into(),
            format!(
                "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
                "b".repeat(40_000)
            )
            .into_bytes(),
        ),
        (
            "200 headers".into(),
            format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n").into_bytes(),
        ),
        (
            "head of 1 MB without an end".into(),
            format!("GET /{}", "a".repeat(1 << 20)).into_bytes(),
        ),
    ]
}

/// Sends `request` and reads the answer; `None` if the server reset the connection before
/// answering (a client would see a network error, not an HTTP status).
fn try_raw(addr: &str, request: &[u8]) -> Option<Reply> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // The server may answer and stop reading before the whole request is sent.
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = headers.split(' ').nth(1).and_then(|s| s.parse().ok())?;
    Some(Reply {
        status,
        headers,
        body: buf[split + 4..].to_vec(),
    })
}

#[test]
fn malformed_requests_get_4xx_in_russian_and_the_server_goes_on() {
    let s = start();
    let a = s.addr.as_str();
    let mut cases: Vec<(String, Vec<u8>, u16, By)> = MALFORMED
        .iter()
        .map(|(k, b, st, by)| (k.to_string(), b.to_vec(), *st, *by))
        .collect();
    cases.extend(
        huge_heads()
            .into_iter()
            .map(|(k, b)| (k, b, 431, By::Parser)),
    );
    for (kind, request, status, by) in &cases {
        let r = try_raw(a, request);
        if *status == 0 {
            assert!(r.is_none(), "{kind}: closed without an answer");
        } else {
            let r = r.unwrap_or_else(|| panic!("{kind}: no answer"));
            assert_eq!(r.status, *status, "{kind}");
            assert_eq!(
                r.header("Connection").as_deref(),
                Some("close"),
                "{kind}: {}",
                r.headers
            );
            if *by == By::Server {
                assert!(
                    r.text().chars().any(|c| ('а'..='я').contains(&c)),
                    "{kind}: the message is in Russian: {}",
                    r.text()
                );
            }
        }
        assert_eq!(
            get(a, "/vidyaevo/").status,
            200,
            "the server answers after: {kind}"
        );
    }
    // After a good request on a keep-alive connection, a malformed one: the good answer, then 400.
    let r = raw(a, format!("GET /static/style.css HTTP/1.1\r\nHost: {a}\r\n\r\nGET /\x01 HTTP/1.1\r\nHost: {a}\r\n\r\n").as_bytes());
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains("HTTP/1.1 400 Bad Request"),
        "the second answer is 400"
    );
    // A client that sends half a head and goes away, and one that connects and sends nothing.
    {
        let mut half = TcpStream::connect(a).unwrap();
        half.write_all(b"GET /vidyaevo/ HT").unwrap();
        let _idle = TcpStream::connect(a).unwrap();
    }
    // All of them at once, from 64 clients.
    let all: Vec<(String, Vec<u8>, u16, By)> = cases.iter().cycle().take(64).cloned().collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = all
            .iter()
            .map(|(kind, request, status, _)| {
                scope.spawn(move || (kind, try_raw(a, request).map_or(0, |r| r.status), *status))
            })
            .collect();
        for h in handles {
            let (kind, got, want) = h.join().unwrap();
            assert_eq!(got, want, "{kind} (concurrent)");
        }
    });
    assert_eq!(get(a, "/vidyaevo/").status, 200);
    assert!(
        !s.log.lock().unwrap().contains("panicked"),
        "{}",
        s.log.lock().unwrap()
    );
}

/// Reads one response (with a Content-Length) from a keep-alive connection.
fn read_response(r: &mut BufReader<TcpStream>, head_only: bool) -> Reply {
    let mut headers = String::new();
    loop {
        let mut line = String::new();
        assert!(
            r.read_line(&mut line).unwrap() > 0,
            "connection closed before the head ended"
        );
        if line == "\r\n" {
            break;
        }
        headers.push_str(&line);
    }
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    let len: usize = headers
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .expect("Content-Length")
        .trim()
        .parse()
        .unwrap();
    let mut body = vec![0; if head_only { 0 } else { len }];
    r.read_exact(&mut body).unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

#[test]
fn many_concurrent_clients_all_get_correct_answers() {
    let s = start();
    let a = s.addr.clone();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // The style sheet as published (minified from the theme's source).
    let theme = metodist::render::theme::Theme::load(&repo, "default")
        .unwrap_or_else(|_| panic!("the theme does not load"));
    let css = theme
        .static_files()
        .find(|(p, _)| *p == "style.css")
        .map(|(_, b)| b.clone())
        .expect("style.css in the theme");
    let attachment =
        std::fs::read(repo.join("content/vidyaevo/files/postanovlenie-895.txt")).unwrap();
    let meta = get(&a, "/vidyaevo/search/meta.json").body;
    assert!(!meta.is_empty());
    // Each client: a new connection, the same requests with keep-alive, in its own order.
    let clients = 200;
    let barrier = std::sync::Barrier::new(clients);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|i| {
                let (a, barrier, css, attachment, meta) = (&a, &barrier, &css, &attachment, &meta);
                scope.spawn(move || {
                    let s = TcpStream::connect(a).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
                    barrier.wait();
                    let mut w = s.try_clone().unwrap();
                    let mut r = BufReader::new(s);
                    for k in 0..6 {
                        let (path, head) = match (i + k) % 6 {
                            0 => ("/vidyaevo/practices/metodicheskaya-nedelya/", false),
                            1 => ("/static/style.css", false),
                            2 => ("/vidyaevo/files/postanovlenie-895.txt", false),
                            3 => ("/vidyaevo/files/postanovlenie-895.txt", true),
                            4 => ("/vidyaevo/search/meta.json", false),
                            _ => ("/api/search?q=%D0%BD%D0%B0%D1%81%D1%82%D0%B0%D0%B2%D0%BD%D0%B8%D0%BA%D0%B0", false),
                        };
                        let method = if head { "HEAD" } else { "GET" };
                        w.write_all(format!("{method} {path} HTTP/1.1\r\nHost: {a}\r\n\r\n").as_bytes()).unwrap();
                        let reply = read_response(&mut r, head);
                        assert_eq!(reply.status, 200, "client {i}: {path}");
                        match (i + k) % 6 {
                            0 => assert!(reply.text().contains("</html>") && reply.text().contains("live.js"), "client {i}: page"),
                            1 => assert_eq!(&reply.body, css, "client {i}: CSS"),
                            2 => assert_eq!(&reply.body, attachment, "client {i}: attachment"),
                            3 => assert!(reply.headers.contains(&format!("Content-Length: {}\r\n", attachment.len())), "client {i}: HEAD"),
                            4 => assert_eq!(&reply.body, meta, "client {i}: search export"),
                            _ => {
                                let v: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
                                assert!(v["total"].as_u64().unwrap() > 0, "client {i}: {v}");
                            }
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    assert_eq!(get(&a, "/vidyaevo/").status, 200);
}

#[test]
fn connections_over_the_limit_get_503_and_the_server_recovers() {
    const LIMIT: usize = 512; // http::MAX_CONNECTIONS
    let s = start();
    let a = s.addr.clone();
    // LIMIT keep-alive connections, each with one request answered: every one holds a slot.
    let mut held = Vec::new();
    for i in 0..LIMIT {
        let c = TcpStream::connect(&a).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        (&c).write_all(format!("GET /static/style.css HTTP/1.1\r\nHost: {a}\r\n\r\n").as_bytes())
            .unwrap();
        let mut r = BufReader::new(c);
        assert_eq!(read_response(&mut r, false).status, 200, "connection {i}");
        held.push(r);
    }
    // One more: 503 at once, not a wait.
    let r = try_raw(
        &a,
        format!("GET /vidyaevo/ HTTP/1.1\r\nHost: {a}\r\n\r\n").as_bytes(),
    )
    .expect("an answer over the limit");
    assert_eq!(r.status, 503);
    assert!(r.headers.contains("Retry-After: 1"));
    assert!(r.text().contains("сервер занят"), "{}", r.text());
    // The held connections still work.
    for r in held.iter_mut().step_by(64) {
        r.get_mut()
            .write_all(format!("GET /vidyaevo/ HTTP/1.1\r\nHost: {a}\r\n\r\n").as_bytes())
            .unwrap();
        assert_eq!(read_response(r, false).status, 200);
    }
    // Closed, they free their slots (the server notices within moments; polled, not timed).
    drop(held);
    wait_for(&s, "/vidyaevo/", "after the connections closed", |r| {
        r.status == 200
    });
}

#[test]
fn ranges_and_conditional_requests() {
    let s = start();
    let a = s.addr.clone();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let attachment =
        std::fs::read(repo.join("content/vidyaevo/files/postanovlenie-895.txt")).unwrap();
    let file = "/vidyaevo/files/postanovlenie-895.txt";
    let with = |path: &str, header: &str| {
        raw(
            &a,
            format!("GET {path} HTTP/1.1\r\nHost: {a}\r\n{header}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    // Range: the bytes asked for, with Content-Range; an open-ended and a suffix range.
    let r = with(file, "Range: bytes=5-24");
    assert_eq!(r.status, 206, "{}", r.headers);
    assert_eq!(r.body, attachment[5..25]);
    assert_eq!(
        r.header("Content-Range"),
        Some(format!("bytes 5-24/{}", attachment.len()))
    );
    let n = attachment.len();
    let r = with(file, &format!("Range: bytes={}-", n - 7));
    assert_eq!((r.status, &r.body[..]), (206, &attachment[n - 7..]));
    let r = with(file, "Range: bytes=-3");
    assert_eq!((r.status, &r.body[..]), (206, &attachment[n - 3..]));
    // A range past the end: 416, with the length.
    let r = with(file, &format!("Range: bytes={}-{}", n + 10, n + 20));
    assert_eq!(r.status, 416, "{}", r.headers);
    assert_eq!(r.header("Content-Range"), Some(format!("bytes */{n}")));
    // ETag and If-None-Match: 304 without a body; another tag gets the file.
    let full = get(&a, file);
    assert_eq!(full.body, attachment);
    let tag = full.header("ETag").expect("ETag on a file");
    let r = with(file, &format!("If-None-Match: {tag}"));
    assert_eq!(r.status, 304, "{}", r.headers);
    assert!(r.body.is_empty());
    assert_eq!(with(file, "If-None-Match: \"other\"").status, 200);

    // Pages and theme files held in memory: an ETag of their bytes, 304 while they are unchanged.
    let page = "/vidyaevo/practices/metodicheskaya-nedelya/";
    for path in [page, "/static/style.css", "/__metodist/live.js"] {
        let r = get(&a, path);
        let tag = r.header("ETag").unwrap_or_else(|| panic!("ETag on {path}"));
        assert_eq!(r.header("Cache-Control").as_deref(), Some("no-cache"));
        let again = with(path, &format!("If-None-Match: {tag}"));
        assert_eq!(again.status, 304, "{path}: {}", again.headers);
        assert!(again.body.is_empty());
        assert_eq!(again.header("ETag"), Some(tag.clone()));
        let other = with(path, "If-None-Match: \"0000-1\"");
        assert_eq!(other.status, 200, "{path}");
        assert_eq!(other.body, r.body);
    }
    // An edit changes the page's bytes and so its tag: the old tag gets the new page.
    let tag = get(&a, page).header("ETag").unwrap();
    let md = s
        .root
        .path()
        .join("content/vidyaevo/practices/metodicheskaya-nedelya.md");
    let original = std::fs::read_to_string(&md).unwrap();
    let title = original.lines().find(|l| l.starts_with("title:")).unwrap();
    std::fs::write(
        &md,
        original.replace(title, "title: \"Неделя с новым тегом\""),
    )
    .unwrap();
    let r = wait_for(&s, page, "edit", |r| {
        r.text().contains("Неделя с новым тегом")
    });
    assert_ne!(r.header("ETag"), Some(tag.clone()));
    let r = with(page, &format!("If-None-Match: {tag}"));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Неделя с новым тегом"));
}

/// Sends `head` one byte at a time, `pause` apart; returns what the server answered (empty
/// when it closed the connection without an answer).
fn send_slowly(addr: &str, head: &[u8], pause: Duration) -> Vec<u8> {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    for b in head {
        if c.write_all(&[*b]).is_err() {
            break;
        }
        std::thread::sleep(pause);
    }
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    out
}

#[test]
fn slow_heads_are_dropped_at_the_deadline_while_other_clients_are_answered() {
    // A deadline of 2 s for each head; the slow clients would need about 12 s for theirs.
    let s = start_with(&[("METODIST_SERVE_HEAD_TIMEOUT", "2")]);
    let a = s.addr.clone();
    let head = format!("GET /vidyaevo/ HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n");
    let pause = Duration::from_secs(12).div_f64(head.len() as f64);
    std::thread::scope(|scope| {
        let slow: Vec<_> = (0..16)
            .map(|_| scope.spawn(|| send_slowly(&a, head.as_bytes(), pause)))
            .collect();
        // Meanwhile every other client is answered.
        let started = Instant::now();
        while slow.iter().any(|h| !h.is_finished()) {
            assert_eq!(get(&a, "/vidyaevo/").status, 200);
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "slow clients still connected after 120 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        for h in slow {
            let answer = h.join().unwrap();
            assert!(
                answer.is_empty(),
                "a head slower than the deadline is not answered: {}",
                String::from_utf8_lossy(&answer)
            );
        }
    });
    // The same head sent at once is answered.
    assert_eq!(raw(&a, head.as_bytes()).status, 200);
}

#[test]
fn open_live_reload_streams_do_not_block_pages() {
    const LIMIT: usize = 512; // http::MAX_CONNECTIONS
    let s = start();
    let a = s.addr.clone();
    // More open streams than connections allowed.
    let mut streams = Vec::new();
    for i in 0..LIMIT + 100 {
        let mut c = TcpStream::connect(&a).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        c.write_all(format!("GET /__metodist/events HTTP/1.1\r\nHost: {a}\r\n\r\n").as_bytes())
            .unwrap();
        let mut got = String::new();
        let mut buf = [0u8; 1024];
        while !got.contains("event: hello") {
            let n = c.read(&mut buf).unwrap();
            assert!(n > 0, "stream {i} closed: {got}");
            got.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        assert!(got.starts_with("HTTP/1.1 200 OK"), "stream {i}: {got}");
        streams.push(c);
    }
    // Pages are still served, from many connections at once.
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..64)
            .map(|_| scope.spawn(|| get(&a, "/vidyaevo/").status))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), 200);
        }
    });
    // And the streams still get the events: an edit reloads every page.
    let md = s
        .root
        .path()
        .join("content/vidyaevo/practices/metodicheskaya-nedelya.md");
    let original = std::fs::read_to_string(&md).unwrap();
    let title = original.lines().find(|l| l.starts_with("title:")).unwrap();
    std::fs::write(
        &md,
        original.replace(title, "title: \"Правка для вкладок\""),
    )
    .unwrap();
    for c in streams.iter_mut().step_by(50) {
        let mut got = String::new();
        let mut buf = [0u8; 1024];
        while !got.contains("event: reload") {
            let n = c.read(&mut buf).unwrap();
            assert!(n > 0);
            got.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

#[test]
fn a_file_written_in_two_chunks_is_never_served_half_written() {
    let s = start();
    let a = s.addr.clone();
    let page = "/vidyaevo/practices/metodicheskaya-nedelya/";
    let md = s
        .root
        .path()
        .join("content/vidyaevo/practices/metodicheskaya-nedelya.md");
    let original = std::fs::read_to_string(&md).unwrap();
    let title = original.lines().find(|l| l.starts_with("title:")).unwrap();
    let edited = format!(
        "{}\n\nПоследний абзац правки.\n",
        original
            .replace(title, "title: \"Правка в два приёма\"")
            .trim_end()
    );
    let cut = edited.find("Последний абзац").unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        // Watches the page while the file is written: the new title never without the end.
        let watcher = scope.spawn(|| {
            let mut seen_half = None;
            let mut seen_full = false;
            let started = Instant::now();
            while (!done.load(std::sync::atomic::Ordering::Relaxed) || !seen_full)
                && started.elapsed() < Duration::from_secs(60)
            {
                let r = get(&a, page);
                let text = r.text();
                if text.contains("Правка в два приёма") {
                    if text.contains("Последний абзац правки.") {
                        seen_full = true;
                    } else {
                        seen_half = Some(text);
                    }
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            seen_half
        });
        {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&md)
                .unwrap();
            f.write_all(&edited.as_bytes()[..cut]).unwrap();
            f.flush().unwrap();
            // The editor pauses with the file open (far longer than a batch's quiet time).
            std::thread::sleep(Duration::from_millis(1500));
            f.write_all(&edited.as_bytes()[cut..]).unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        wait_for(&s, page, "the whole edit", |r| {
            r.text().contains("Последний абзац правки.")
        });
        let half = watcher.join().unwrap();
        assert!(
            half.is_none(),
            "the page was served from the half-written file"
        );
    });
}
