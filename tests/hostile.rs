//! Hostile content: `tests/fixtures/hostile/` puts `<script>`, event handler attributes,
//! `javascript:` and `data:` URLs, inline SVG with scripts, frames, forms, `<base>`, `<meta
//! refresh>` and styles into every YAML string field and into Markdown bodies. The site must
//! build, show that text as text, and contain no script, handler or active URL that did not
//! come from the theme — checked by parsing every output page with an HTML5 parser (html5ever,
//! the same tree a browser builds).

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_hostile() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_metodist"))
        .arg("build")
        .arg("--root")
        .arg(repo().join("tests/fixtures/hostile"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "the hostile fixture must build: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (tmp, out)
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| e.into_path())
        .collect()
}

/// URL attributes whose value a browser may follow or load.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcset",
    "background",
    "cite",
    "ping",
];
/// Elements that content must never bring in (the theme uses none of them).
const FORBIDDEN: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "link", "meta",
    "math", "svg", "form", "input", "textarea", "button",
];

/// A URL that runs code or embeds a document when followed.
fn active_url(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:")
}

/// What the theme itself may put in a page: these elements are allowed where the theme's
/// templates put them, identified by their attributes.
fn theme_element(tag: &str, el: &scraper::node::Element) -> bool {
    match tag {
        // A module script whose file is one of the theme's (checked by content in theme_script).
        "script" => {
            el.attr("type") == Some("module") && el.attr("src").is_some()
                || el.attr("type") == Some("application/ld+json")
        }
        "form" => el.attr("data-search-box").is_some() || el.attr("data-search").is_some(),
        "input" | "button" | "select" => true, // inside the theme's search forms (checked below)
        "meta" => {
            el.attr("http-equiv").is_none()
                || el
                    .attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("content-type"))
        }
        "link" => matches!(
            el.attr("rel"),
            Some("stylesheet" | "icon" | "canonical" | "alternate" | "license")
        ),
        "svg" => true, // the theme's charts and icons: scripts and handlers inside are checked like everywhere
        _ => false,
    }
}

/// The built-in theme's static files as a build publishes them (scripts minified).
fn published_theme() -> &'static std::collections::BTreeMap<String, Vec<u8>> {
    static FILES: std::sync::OnceLock<std::collections::BTreeMap<String, Vec<u8>>> =
        std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let empty = tempfile::tempdir().unwrap();
        let theme = metodist::render::theme::Theme::load(empty.path(), "default")
            .unwrap_or_else(|_| panic!("the built-in theme does not load"));
        theme
            .static_files()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    })
}

/// Whether `src` (relative to `page`) is a file of the output that is byte for byte a file of
/// the theme's `static/` folder, as published.
fn theme_script(out: &Path, page: &Path, src: &str) -> bool {
    if src.contains("://") || src.starts_with("//") {
        return false;
    }
    let mut path = page.parent().unwrap().to_path_buf();
    for part in src.split('/') {
        match part {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            p => path.push(p),
        }
    }
    let Ok(rel) = path.strip_prefix(out) else {
        return false;
    };
    let parts: Vec<_> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let Some(i) = parts.iter().position(|p| p == "static") else {
        return false;
    };
    let theme_file = published_theme().get(&parts[i + 1..].join("/"));
    matches!((std::fs::read(&path), theme_file), (Ok(a), Some(b)) if a == *b)
}

#[test]
fn no_foreign_script_in_any_page() {
    let (_tmp, out) = build_hostile();
    let pages = files_with_ext(&out, "html");
    assert!(pages.len() > 10, "pages: {}", pages.len());
    let all = Selector::parse("*").unwrap();
    let mut problems = Vec::new();
    for page in &pages {
        let rel = page.strip_prefix(&out).unwrap().display().to_string();
        let doc = Html::parse_document(&std::fs::read_to_string(page).unwrap());
        for node in doc.select(&all) {
            let el = node.value();
            let tag = el.name();
            let inside_theme_form = node
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| theme_element("form", a.value()) && a.value().name() == "form");
            if tag == "script"
                && (!theme_element(tag, el)
                    || el
                        .attr("src")
                        .is_some_and(|src| !theme_script(&out, page, src)))
            {
                problems.push(format!(
                    "{rel}: <script> not from the theme: {}",
                    node.html().chars().take(120).collect::<String>()
                ));
            }
            if tag == "script" && el.attr("type") == Some("application/ld+json") {
                let text: String = node.text().collect();
                if serde_json::from_str::<serde_json::Value>(&text).is_err() || text.contains("</")
                {
                    problems.push(format!(
                        "{rel}: JSON-LD that is not plain JSON: {}",
                        text.chars().take(120).collect::<String>()
                    ));
                }
            }
            if FORBIDDEN.contains(&tag)
                && !theme_element(tag, el)
                && !(matches!(tag, "input" | "button") && inside_theme_form)
            {
                problems.push(format!(
                    "{rel}: forbidden element <{tag}>: {}",
                    node.html().chars().take(120).collect::<String>()
                ));
            }
            for (name, value) in el.attrs() {
                let lname = name.to_ascii_lowercase();
                if lname.starts_with("on") {
                    problems.push(format!(
                        "{rel}: event handler {name}=\"{value}\" on <{tag}>"
                    ));
                }
                if URL_ATTRS.contains(&lname.as_str()) && active_url(value) {
                    problems.push(format!("{rel}: active URL {name}=\"{value}\" on <{tag}>"));
                }
                if lname == "style"
                    && (value.to_lowercase().contains("url(")
                        || value.to_lowercase().contains("expression"))
                {
                    problems.push(format!("{rel}: style with a URL on <{tag}>: {value}"));
                }
            }
        }
    }
    // The theme's own SVG files (favicon, charts) carry no script either.
    let handler = regex::Regex::new(r"\son[a-z]+\s*=").unwrap();
    for svg in files_with_ext(&out, "svg") {
        let text = std::fs::read_to_string(&svg).unwrap().to_lowercase();
        if text.contains("<script") || handler.is_match(&text) || text.contains("javascript:") {
            problems.push(format!("{}: script in an SVG file", svg.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn hostile_text_is_shown_as_text() {
    let (_tmp, out) = build_hostile();
    let h1 = Selector::parse("h1").unwrap();
    let practices = files_with_ext(&out.join("zlo/practices"), "html");
    let practice = practices
        .iter()
        .find(|p| p.parent().unwrap() != out.join("zlo/practices"))
        .expect("a practice page");
    let doc = Html::parse_document(&std::fs::read_to_string(practice).unwrap());
    let title: String = doc.select(&h1).next().expect("h1").text().collect();
    assert_eq!(
        title.trim(),
        "Практика <script>alert('title')</script>",
        "the title is shown as typed, not dropped or run"
    );
    let body: String = doc.root_element().text().collect();
    assert!(
        body.contains("Обычный текст практики."),
        "the harmless part of the body survives"
    );
    assert!(
        body.contains("ссылка с обработчиком"),
        "a link's text survives without its handler"
    );
    assert!(
        !body.contains("alert('body')"),
        "a <script> element in Markdown is removed, not shown"
    );
}

/// What the sanitizer must refuse is an error with file and line, and nothing is written.
#[test]
fn dangerous_link_schemes_in_markdown_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let dept = root.join("content/zlo");
    std::fs::create_dir_all(dept.join("pages")).unwrap();
    std::fs::write(dept.join("department.yaml"), "name: \"Управление\"\n").unwrap();
    for (i, link) in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(
            dept.join("pages/p.md"),
            format!("---\ntitle: \"Страница\"\n---\nТекст\n\n[ссылка]({link})\n"),
        )
        .unwrap();
        let out = tmp.path().join(format!("out{i}"));
        let o = Command::new(env!("CARGO_BIN_EXE_metodist"))
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{link}: must fail");
        assert!(
            err.contains("content/zlo/pages/p.md:6"),
            "{link}: file and line in the error: {err}"
        );
        assert!(!out.exists(), "{link}: nothing written");
    }
}
