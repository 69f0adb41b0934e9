//! Markdown bodies to safe HTML.
//!
//! Links written as source paths (`../roadmaps/plan.md#s1-e2`, `../files/prikaz.pdf`) are
//! resolved to the URLs the build gives those items, relative to the page being rendered; a link
//! to something that does not exist is reported with its line. Headings are shifted so that the
//! body's top level is `<h2>` (the page title is the only `<h1>`). The HTML is then sanitized:
//! raw HTML pasted from Word (`<b>`, `<u>`, `<ul style=…>`) keeps its structure, scripts, event
//! handlers, styles and dangerous URLs are removed.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;

/// What a link in a department's content may point to.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Department-local source path (`roadmaps/plan.md`) → page URL (`roadmaps/plan/`).
    pub pages: HashMap<String, String>,
    /// Page URL → anchors that exist on it (event and section anchors of roadmaps).
    pub anchors: HashMap<String, HashSet<String>>,
    /// Attachments: department-local paths (`files/plan.pdf`).
    pub files: HashSet<String>,
}

/// The body of one content item, ready for rendering.
pub struct Body<'a> {
    pub text: &'a str,
    /// Department-local path of the source file (`practices/shmp.md`).
    pub local: &'a str,
    /// Project-relative path, for diagnostics.
    pub source: &'a std::path::Path,
    /// Line of the file where the body starts.
    pub first_line: usize,
    /// `root` of the page: relative path to the department root (`../../`).
    pub root: &'a str,
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["figure", "figcaption", "mark", "details", "summary"]);
        b.add_generic_attributes(["id"]);
        b.add_tag_attributes("th", ["scope"]);
        b.add_tag_attributes("td", ["colspan", "rowspan"]);
        b.add_tag_attributes("th", ["colspan", "rowspan"]);
        b.add_tag_attributes("ol", ["start"]);
        b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
        b.url_relative(ammonia::UrlRelative::PassThrough);
        b.id_prefix(Some("u-"));
        b
    })
}

/// Sanitizes a fragment of untrusted HTML (used for Markdown output and any HTML in YAML text).
fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts
}

/// Renders a body to sanitized HTML, resolving links. Broken links become diagnostics.
pub fn render(body: &Body, targets: &LinkTargets, diags: &mut Vec<Diagnostic>) -> String {
    let min_level = Parser::new_ext(body.text, options())
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .min();
    render_shifted(body, targets, heading_shift(min_level), diags)
}

/// What checking a body needs to know of it, found by [`scan`] when its file is loaded (so the
/// body itself need not be kept, nor read again to be checked): the heading shift, and its
/// links and images in order, to resolve once every page's URL is known ([`check_scanned`]).
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    /// Heading shift for [`render_shifted`].
    pub shift: usize,
    /// Problems found by reading the body alone (mixed scripts), reported first.
    pub problems: Vec<Diagnostic>,
    steps: Vec<Step>,
}

/// A link to resolve, or an image without alternative text, with its line.
#[derive(Debug, Clone)]
enum Step {
    Link(String, usize),
    NoAlt(usize),
}

/// Reads a body once for [`check_scanned`]. `source` and `first_line` as in [`Body`].
pub(crate) fn scan(text: &str, source: &std::path::Path, first_line: usize) -> Scanned {
    let mut problems = Vec::new();
    crate::spelling::check_mixed_scripts_body(text, first_line, source, &mut problems);
    let line_of = |offset: usize| first_line + text[..offset.min(text.len())].matches('\n').count();
    let mut steps = Vec::new();
    let mut in_image: Option<(usize, String)> = None;
    let mut min_level: Option<usize> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                min_level = Some(min_level.map_or(level as usize, |m| m.min(level as usize)))
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                steps.push(Step::Link(dest_url.to_string(), line_of(range.start)))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let line = line_of(range.start);
                in_image = Some((line, String::new()));
                steps.push(Step::Link(dest_url.to_string(), line));
            }
            Event::Text(t) => {
                if let Some((_, alt)) = in_image.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((line, alt)) = in_image.take() {
                    if alt.trim().is_empty() {
                        steps.push(Step::NoAlt(line));
                    }
                }
            }
            _ => {}
        }
    }
    Scanned {
        shift: heading_shift(min_level),
        problems,
        steps,
    }
}

/// Reports every problem of a scanned body that [`render`] would report, in the same order.
/// `local` and `source` as in [`Body`].
pub(crate) fn check_scanned(
    scanned: &Scanned,
    local: &str,
    source: &std::path::Path,
    targets: &LinkTargets,
    diags: &mut Vec<Diagnostic>,
) {
    let body = Body {
        text: "",
        local,
        source,
        first_line: 0,
        root: "",
    };
    for step in &scanned.steps {
        match step {
            Step::Link(dest, line) => {
                resolve(&CowStr::from(dest.as_str()), &body, targets, *line, diags);
            }
            Step::NoAlt(line) => diags.push(no_alt(source, *line)),
        }
    }
}

/// Checks a body without rendering it ([`scan`] and [`check_scanned`]; mixed scripts are not
/// checked here): reports every problem [`render`] would report, in the same order, and
/// returns the heading shift to give [`render_shifted`] later.
pub fn check(body: &Body, targets: &LinkTargets, diags: &mut Vec<Diagnostic>) -> usize {
    let scanned = scan(body.text, body.source, body.first_line);
    check_scanned(&scanned, body.local, body.source, targets, diags);
    scanned.shift
}

fn no_alt(source: &std::path::Path, line: usize) -> Diagnostic {
    Diagnostic::error(source, "у изображения нет замещающего текста (alt)")
        .at_line(Some(line))
        .hint("опишите изображение в квадратных скобках: ![Схема методической службы](../files/shema.png) — его прочитает программа экранного доступа")
}

/// [`render`] with the heading shift known (from [`check`]).
pub(crate) fn render_shifted(
    body: &Body,
    targets: &LinkTargets,
    shift: usize,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut events = Vec::new();
    let (_, raw_html) = walk(body, targets, shift, diags, |e| events.push(e));
    let mut html = String::with_capacity(body.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // pulldown-cmark escapes all text and attribute values, and every link destination went
    // through `resolve`, so only raw HTML written by the author needs the sanitizer.
    if raw_html {
        sanitize(&html)
    } else {
        html
    }
}

/// Shift that makes the body's top heading level `<h2>` (the page title is the only `<h1>`).
fn heading_shift(min_level: Option<usize>) -> usize {
    2usize.saturating_sub(min_level.unwrap_or(2))
}

/// Parses a body once: headings shifted by `shift`, links and images resolved (problems to
/// `diags`), each event handed to `sink`. Returns the smallest heading level and whether the
/// body has raw HTML.
fn walk<'a>(
    body: &Body<'a>,
    targets: &LinkTargets,
    shift: usize,
    diags: &mut Vec<Diagnostic>,
    mut sink: impl FnMut(Event<'a>),
) -> (Option<usize>, bool) {
    let text = body.text;
    let line_of =
        |offset: usize| body.first_line + text[..offset.min(text.len())].matches('\n').count();
    let mut in_image: Option<(usize, String)> = None;
    let mut raw_html = false;
    let mut min_level: Option<usize> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                min_level = Some(min_level.map_or(level as usize, |m| m.min(level as usize)));
                Event::Start(Tag::Heading {
                    level: shift_level(level, shift),
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                Event::End(TagEnd::Heading(shift_level(level, shift)))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve(&dest_url, body, targets, line_of(range.start), diags);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_image = Some((line_of(range.start), String::new()));
                let dest = resolve(&dest_url, body, targets, line_of(range.start), diags);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Text(t) => {
                if let Some((_, alt)) = in_image.as_mut() {
                    alt.push_str(&t);
                }
                Event::Text(t)
            }
            Event::Html(h) => {
                raw_html = true;
                Event::Html(h)
            }
            Event::InlineHtml(h) => {
                raw_html = true;
                Event::InlineHtml(h)
            }
            Event::End(TagEnd::Image) => {
                if let Some((line, alt)) = in_image.take() {
                    if alt.trim().is_empty() {
                        diags.push(no_alt(body.source, line));
                    }
                }
                Event::End(TagEnd::Image)
            }
            other => other,
        };
        sink(event);
    }
    (min_level, raw_html)
}

fn shift_level(level: HeadingLevel, shift: usize) -> HeadingLevel {
    let n = (level as usize + shift).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// Resolves a link destination written in content into the URL to print.
fn resolve<'a>(
    dest: &CowStr<'a>,
    body: &Body,
    targets: &LinkTargets,
    line: usize,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let d = dest.trim();
    if d.is_empty() || d.starts_with('#') {
        return dest.clone();
    }
    let lower = d.to_ascii_lowercase();
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
    {
        return dest.clone();
    }
    if lower.contains(':') && !lower.contains('/')
        || lower.starts_with("javascript:")
        || lower.starts_with("data:")
        || lower.starts_with("vbscript:")
    {
        diags.push(
            Diagnostic::error(body.source, format!("недопустимая ссылка «{}»", truncate(d, 60)))
                .at_line(Some(line))
                .hint("ссылки могут вести на http(s)-адреса, почту (mailto:), телефон (tel:) и файлы содержимого"),
        );
        return CowStr::from("#");
    }
    let (path, fragment) = match d.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (d, None),
    };
    let Some(local) = join_local(body.local, path) else {
        diags.push(
            Diagnostic::error(
                body.source,
                format!(
                    "ссылка «{}» ведёт за пределы папки управления",
                    truncate(d, 60)
                ),
            )
            .at_line(Some(line))
            .hint("ссылайтесь на файлы этого управления: ../roadmaps/plan.md, ../files/prikaz.pdf"),
        );
        return CowStr::from("#");
    };
    let broken = |what: String, diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::error(body.source, what)
                .at_line(Some(line))
                .hint("проверьте путь: он пишется относительно этого файла, например ../roadmaps/plan.md или ../files/prikaz.pdf"),
        );
        CowStr::from("#")
    };
    if let Some(url) = targets.pages.get(&local) {
        if let Some(f) = fragment {
            let known = targets
                .anchors
                .get(url)
                .map(|a| a.contains(f))
                .unwrap_or(false);
            if !known && !f.is_empty() {
                return broken(
                    format!("ссылка «{}»: на странице нет якоря «#{f}»", truncate(d, 60)),
                    diags,
                );
            }
        }
        let mut s = format!("{}{}", body.root, url);
        if let Some(f) = fragment {
            s.push('#');
            s.push_str(f);
        }
        return CowStr::from(s);
    }
    if targets.files.contains(&local) {
        return CowStr::from(format!("{}{}", body.root, crate::text::encode_path(&local)));
    }
    broken(
        format!(
            "битая ссылка «{}»: такого материала или файла нет",
            truncate(d, 60)
        ),
        diags,
    )
}

/// Joins a relative link to the directory of `from` (both department-local). None if it
/// climbs out of the department or is absolute.
fn join_local(from: &str, link: &str) -> Option<String> {
    if link.starts_with('/') || link.starts_with('\\') || link.contains('\\') {
        return None;
    }
    let decoded = crate::text::decode_percent(link);
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        t.pages
            .insert("roadmaps/plan.md".into(), "roadmaps/plan/".into());
        t.anchors.insert(
            "roadmaps/plan/".into(),
            ["s1-e2".to_string()].into_iter().collect(),
        );
        t.files.insert("files/prikaz.pdf".into());
        t
    }

    fn body(text: &str) -> Body<'_> {
        Body {
            text,
            local: "practices/x.md",
            source: Path::new("content/d/practices/x.md"),
            first_line: 10,
            root: "../../",
        }
    }

    #[test]
    fn resolves_source_links_and_anchors() {
        let mut d = Vec::new();
        let html = render(
            &body("[план](../roadmaps/plan.md#s1-e2) и [приказ](../files/prikaz.pdf)"),
            &targets(),
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(
            html.contains(r#"href="../../roadmaps/plan/#s1-e2""#),
            "{html}"
        );
        assert!(html.contains(r#"href="../../files/prikaz.pdf""#), "{html}");
    }

    #[test]
    fn reports_broken_links_with_line() {
        let mut d = Vec::new();
        render(
            &body("текст\n\n[нет](../roadmaps/none.md)\n[якорь](../roadmaps/plan.md#nope)"),
            &targets(),
            &mut d,
        );
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].line, Some(12));
        assert!(d[1].message.contains("#nope"));
    }

    #[test]
    fn sanitizes_and_shifts_headings() {
        let mut d = Vec::new();
        let html = render(&body("# Заголовок\n\n<b>жирный</b><script>alert(1)</script><ul style=\"color:red\"><li onclick=\"x()\">a</li></ul>\n\n[x](javascript:alert(1))"), &targets(), &mut d);
        assert!(html.contains("<h2>Заголовок</h2>"), "{html}");
        assert!(html.contains("<b>жирный</b>"));
        assert!(
            !html.contains("script") && !html.contains("style=") && !html.contains("onclick"),
            "{html}"
        );
        assert!(!html.contains("javascript"), "{html}");
        assert_eq!(d.len(), 1);
    }

    /// A build checks a body with `check` and renders it later with `render_shifted`: the two
    /// together must report and print exactly what `render` does.
    #[test]
    fn check_then_render_equals_render() {
        let texts = [
            "# Заголовок\n\nтекст [план](../roadmaps/plan.md#s1-e2)\n\n### Ниже\n\n[нет](../roadmaps/none.md)\n![](../files/prikaz.pdf)",
            "### Только третий уровень\n\n<b>жирный</b> [x](javascript:alert(1)) [якорь](../roadmaps/plan.md#nope)",
            "Без заголовков, [приказ](../files/prikaz.pdf).",
        ];
        for text in texts {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let html = render(&body(text), &targets(), &mut a);
            let shift = check(&body(text), &targets(), &mut b);
            let again = render_shifted(&body(text), &targets(), shift, &mut Vec::new());
            assert_eq!(html, again, "{text}");
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text}");
            assert_eq!(a.is_empty(), text.starts_with("Без"), "{a:?}");
        }
    }

    #[test]
    fn image_without_alt_is_an_error() {
        let mut d = Vec::new();
        render(&body("![](../files/prikaz.pdf)"), &targets(), &mut d);
        assert!(d.iter().any(|x| x.message.contains("alt")), "{d:?}");
    }

    #[test]
    fn join_local_refuses_escape() {
        assert_eq!(
            join_local("practices/x.md", "../roadmaps/a.md").as_deref(),
            Some("roadmaps/a.md")
        );
        assert_eq!(join_local("practices/x.md", "../../etc/passwd"), None);
        assert_eq!(join_local("practices/x.md", "/etc/passwd"), None);
        assert_eq!(join_local("practices/x.md", "..\\x"), None);
    }
}
