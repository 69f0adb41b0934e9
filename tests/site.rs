//! End-to-end tests over the demo content: the facts of each seed document appear in the built
//! HTML, every internal link and attachment resolves, each department folder is
//! self-contained, and `metodist new` scaffolds a department that builds cleanly.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use regex::Regex;

mod common;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_metodist"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The demo content, built once into a temporary folder.
fn demo() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(|| {
        let (tmp, out, _) = common::build_demo();
        (tmp, out)
    });
    out
}

fn read(rel: &str) -> String {
    let p = demo().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Text of the HTML with tags removed and whitespace folded, for fact checks.
fn text(html: &str) -> String {
    static TAG: OnceLock<Regex> = OnceLock::new();
    let tag = TAG.get_or_init(|| Regex::new(r"(?s)<[^>]*>").unwrap());
    let t = tag.replace_all(html, " ");
    let t = t
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn roadmap_page(dept: &str) -> String {
    let dir = demo().join(dept).join("roadmaps");
    let sub = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .unwrap_or_else(|| panic!("no roadmap in {}", dir.display()));
    std::fs::read_to_string(sub.path().join("index.html")).unwrap()
}

/// Event rows of a roadmap page: `<tr … id="…">` inside the events table.
fn event_rows(html: &str) -> usize {
    let start = html.find("roadmap-table").expect("events table");
    let table = &html[start..];
    let end = table.find("</table>").unwrap();
    Regex::new(r#"<tr[^>]*\bid=""#)
        .unwrap()
        .find_iter(&table[..end])
        .count()
}

#[test]
fn krasnoufimsk_facts() {
    let html = roadmap_page("krasnoufimsk");
    let t = text(&html);
    for fact in [
        "146",
        "21.06.2023",
        "Е.А. Вахрушева",
        "О.И. Ботова",
        "Август 2023,2024, 2025 Ноябрь 2023,2024, 2025 Март 2023,2024, 2025",
        "Зам начальника МО Управление образованием ГО Красноуфимск Н.И. Саножникова",
        "Реализация муниципального проекта «Наставник»",
        "Муниципальный куратор Щербакова Е.А., зам. Директора МАОУ СПЗ",
        "Февраль – март ежегодно",
        "Педагог66",
    ] {
        assert!(t.contains(fact), "krasnoufimsk roadmap lacks «{fact}»");
    }
    assert_eq!(
        event_rows(&html),
        48,
        "Krasnoufimsk plan has 48 events in 3 tracks"
    );
    assert!(
        html.contains(r#"id="proekt-nastavnik""#),
        "explicit event id is the anchor"
    );
}

#[test]
fn okoneshnikovo_facts() {
    let html = roadmap_page("okoneshnikovo");
    let t = text(&html);
    for fact in [
        "209 «Б»",
        "16.09.2021",
        "Е.Н. Совенко",
        "Л.Г. Кривошея",
        "Октябрь Декабрь Март Июнь",
        "Июнь -июль",
        "Молодой педагог + наставник = Команда",
        "Выявление эффективных практик наставничества",
        "Будущий учитель – учитель будущего",
        "МКУ «ЦФЭХИМОСО»",
    ] {
        assert!(t.contains(fact), "okoneshnikovo roadmap lacks «{fact}»");
    }
    assert_eq!(
        event_rows(&html),
        54,
        "Okoneshnikovo plan has 54 events in 8 sections"
    );
    // Printed numbers have gaps (no 1.5, no 2.8): kept as printed, anchors by position.
    let table = &html[html.find("roadmap-table").unwrap()..];
    assert!(
        !table.contains(">1.5<") && table.contains(">1.6<"),
        "numbers kept as printed"
    );
    assert!(
        html.contains(r#"id="s1-e5""#),
        "anchor by position for the 5th event (printed 1.6)"
    );
    assert!(
        !t.contains("Сovenko"),
        "mixed-script name corrected in the demo"
    );
}

#[test]
fn vidyaevo_facts() {
    let html = roadmap_page("vidyaevo");
    let t = text(&html);
    for fact in [
        "Постановление",
        "895",
        "23.11.2021",
        "В.А. Градов",
        "Положения о муниципальной методической службе ЗАТО Видяево",
        "ноябрь 2021 года",
        "апрель 2021 года, ежегодно",
        "июнь-август 2021 года, ежегодно",
        "по отдельному графику",
        "Центр методического и информационно-технического обслуживания",
    ] {
        assert!(t.contains(fact), "vidyaevo roadmap lacks «{fact}»");
    }
    assert_eq!(event_rows(&html), 11);
}

#[test]
fn portal_lists_every_department() {
    let t = text(&read("index.html"));
    for name in ["Красноуфимск", "Оконешников", "Видяево"] {
        assert!(t.contains(name), "portal lacks {name}");
    }
    for d in ["krasnoufimsk", "okoneshnikovo", "vidyaevo"] {
        let portal = read("index.html");
        assert!(
            portal.contains(&format!("href=\"{d}/\""))
                || portal.contains(&format!("href=\"./{d}/\"")),
            "portal links {d}/"
        );
    }
}

#[test]
fn department_home_has_contacts_and_roadmap_summary() {
    let t = text(&read("vidyaevo/index.html"));
    assert!(t.contains("Отдел образования ЗАТО Видяево"));
    assert!(t.contains("184372"), "address on the home page");
    assert!(t.contains("Л.Н. Дубовая"), "head on the home page");
    assert!(
        t.contains("Всего мероприятий") || t.contains("мероприятий"),
        "status summary"
    );
}

/// All `href`/`src` values of an HTML file.
fn links(html: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap());
    re.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .collect()
}

fn ids(html: &str) -> HashSet<String> {
    Regex::new(r#"\bid="([^"]*)""#)
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Every internal link and attachment of every page resolves to a file, every `#anchor` to an
/// id on the target page, and no link of a department leaves its folder (so the folder works
/// alone, at a host's root or under a sub-path).
#[test]
fn every_internal_link_resolves_and_stays_inside_its_department() {
    let root = normalize(demo());
    let mut checked = 0;
    let mut id_cache: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry
            .path()
            .extension()
            .map(|e| e != "html")
            .unwrap_or(true)
        {
            continue;
        }
        let file = entry.path().to_path_buf();
        let rel = file.strip_prefix(&root).unwrap().to_path_buf();
        if rel.file_name().unwrap() == "404.html" {
            continue; // served at any depth; links are absolute or root-relative by design
        }
        let dept = rel.components().next().map(|c| c.as_os_str().to_owned());
        let html = std::fs::read_to_string(&file).unwrap();
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{}: root-relative link {link} breaks under a sub-path",
                rel.display()
            );
            let (path, frag) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                let mut t = normalize(&file.parent().unwrap().join(decode(&path)));
                if path.ends_with('/') || t.is_dir() {
                    t = t.join("index.html");
                }
                t
            };
            checked += 1;
            if !target.exists() {
                problems.push(format!(
                    "{}: {link} → missing {}",
                    rel.display(),
                    target.display()
                ));
                continue;
            }
            let in_department = rel.components().count() > 1
                && dept
                    .as_ref()
                    .map(|d| root.join(d).join("sitemap.xml").exists())
                    .unwrap_or(false);
            if in_department {
                let tdept = target
                    .strip_prefix(&root)
                    .ok()
                    .and_then(|p| p.components().next())
                    .map(|c| c.as_os_str().to_owned());
                if tdept != dept {
                    problems.push(format!(
                        "{}: {link} leaves the department folder",
                        rel.display()
                    ));
                }
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                if target.extension().map(|e| e == "html").unwrap_or(false) {
                    let set = id_cache
                        .entry(target.clone())
                        .or_insert_with(|| ids(&std::fs::read_to_string(&target).unwrap()));
                    if !set.contains(&f) {
                        problems.push(format!("{}: {link} → no id «{f}»", rel.display()));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn sitemap_robots_404_and_static_files() {
    for d in ["krasnoufimsk", "okoneshnikovo", "vidyaevo"] {
        let sitemap = read(&format!("{d}/sitemap.xml"));
        assert!(sitemap.contains("<urlset"), "{d}");
        assert!(
            sitemap.contains(".example.ru/roadmaps/</loc>"),
            "{d}: {sitemap}"
        );
        // Every page of the sitemap exists.
        let locs: Vec<&str> = sitemap
            .split("<loc>")
            .skip(1)
            .map(|x| x.split("</loc>").next().unwrap())
            .collect();
        assert!(locs.len() > 10, "{d}: {} pages", locs.len());
        for loc in locs {
            let rel = loc.split(".example.ru/").nth(1).unwrap_or(loc);
            assert!(
                demo().join(d).join(rel).join("index.html").exists(),
                "{d}: sitemap page {loc} missing"
            );
        }
        let robots = read(&format!("{d}/robots.txt"));
        assert!(robots.contains("Sitemap:"), "{d}: {robots}");
        assert!(text(&read(&format!("{d}/404.html"))).contains("Страница не найдена"));
        assert!(demo().join(d).join("static/style.css").exists());
    }
}

#[test]
fn raw_html_from_word_is_sanitized() {
    // JSON-LD blocks are data, not code: the strict CSP does not apply to them.
    let data_re = Regex::new(r#"<script type="application/ld\+json">"#).unwrap();
    let script_re = Regex::new(r"<script\b").unwrap();
    let own_re = Regex::new(r#"<script[^>]*src="[^"]*static/"#).unwrap();
    for entry in walkdir::WalkDir::new(demo()) {
        let entry = entry.unwrap();
        if entry
            .path()
            .extension()
            .map(|e| e == "html")
            .unwrap_or(false)
        {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(!html.contains("<ul style="), "{}", entry.path().display());
            let data = data_re.find_iter(&html).count();
            let scripts = script_re.find_iter(&html).count() - data;
            let own = own_re.find_iter(&html).count();
            assert_eq!(
                scripts,
                own,
                "{}: inline or foreign script",
                entry.path().display()
            );
        }
    }
}

#[test]
fn practice_bank_taxonomies_use_transliterated_urls() {
    assert!(demo()
        .join("krasnoufimsk/tags/nastavnichestvo/index.html")
        .exists());
    assert!(demo().join("krasnoufimsk/practices/index.html").exists());
    let t = text(&read("krasnoufimsk/tags/index.html"));
    assert!(t.contains("наставничество"));
}

fn tmp_project() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn new_department_builds_without_errors_or_warnings() {
    let tmp = tmp_project();
    let o = bin()
        .args(["new", "test-uo", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(tmp.path().join("schemas/roadmap.schema.json").exists());
    let dept = std::fs::read_to_string(tmp.path().join("content/test-uo/department.yaml")).unwrap();
    assert!(dept.contains("$schema=../../schemas/department.schema.json"));
    let o = bin()
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        !stderr.contains("предупреждение"),
        "scaffold should build cleanly:\n{stderr}"
    );
    for p in [
        "index.html",
        "roadmaps/plan/index.html",
        "practices/shkola-molodogo-pedagoga/index.html",
        "contests/uchitel-goda-2024/index.html",
        "mentoring/para-nachalnye-klassy/index.html",
        "o-metodicheskoy-sluzhbe/index.html",
        "files/prikaz-1.txt",
    ] {
        assert!(tmp.path().join("public/test-uo").join(p).exists(), "{p}");
    }
    // The example roadmap's indicator is drawn as a table and an inline SVG chart with the same
    // numbers, and its events get statuses.
    let roadmap =
        std::fs::read_to_string(tmp.path().join("public/test-uo/roadmaps/plan/index.html"))
            .unwrap();
    assert!(roadmap.contains("<svg class=\"chart\""), "indicator chart");
    assert!(
        roadmap.contains("целевое 100 % в 2026 году"),
        "chart description carries the numbers"
    );
    assert!(
        roadmap.contains("indicators-table") && roadmap.contains(">65<"),
        "indicator table with the actual value"
    );
    assert!(
        roadmap.contains("status-done"),
        "the event marked done has the status «выполнено»"
    );
    assert!(
        roadmap.contains(r#"id="monitoring""#),
        "explicit event id is an anchor"
    );
    // A second `new` with the same name refuses.
    let o = bin()
        .args(["new", "test-uo", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    // A Cyrillic name is refused with a transliterated suggestion.
    let o = bin()
        .args(["new", "Видяево", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("vidyaevo"));
}

#[test]
fn user_templates_override_theme_files() {
    let tmp = tmp_project();
    assert!(bin()
        .args(["new", "uo", "--root"])
        .arg(tmp.path())
        .status()
        .unwrap()
        .success());
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(
        tmp.path().join("templates/page.html"),
        "<!doctype html><title>{{ page.title }}</title><p>СВОЙ ШАБЛОН {{ content.title }}</p>",
    )
    .unwrap();
    std::fs::create_dir_all(tmp.path().join("static")).unwrap();
    std::fs::write(tmp.path().join("static/extra.css"), "body{}").unwrap();
    let o = bin()
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(
        tmp.path()
            .join("public/uo/o-metodicheskoy-sluzhbe/index.html"),
    )
    .unwrap();
    assert!(page.contains("СВОЙ ШАБЛОН О методической службе"), "{page}");
    assert!(tmp.path().join("public/uo/static/extra.css").exists());
    assert!(
        tmp.path().join("public/uo/static/style.css").exists(),
        "theme files not overridden stay"
    );

    // A broken user template is an error naming the file; the previous site stays.
    std::fs::write(tmp.path().join("templates/page.html"), "{% if %}").unwrap();
    let o = bin()
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains("templates/page.html"), "{stderr}");
    let page2 = std::fs::read_to_string(
        tmp.path()
            .join("public/uo/o-metodicheskoy-sluzhbe/index.html"),
    )
    .unwrap();
    assert_eq!(page, page2);
}

#[test]
fn check_writes_nothing_and_schema_writes_schemas() {
    let tmp = tmp_project();
    assert!(bin()
        .args(["new", "uo", "--root"])
        .arg(tmp.path())
        .status()
        .unwrap()
        .success());
    let o = bin()
        .args(["check", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        !tmp.path().join("public").exists(),
        "check must not write output"
    );
    let o = bin()
        .args(["schema", "--root"])
        .arg(tmp.path())
        .arg("--out")
        .arg(tmp.path().join("s"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("s/practice.schema.json")).unwrap(),
    )
    .unwrap();
    assert!(v["properties"]["organization"].is_object());
}

#[test]
fn help_is_in_russian() {
    let o = bin().arg("--help").output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("Собрать сайты всех управлений") && s.contains("Использование"),
        "{s}"
    );
    let o = bin().args(["build", "--help"]).output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("черновики"), "{s}");
}

#[test]
fn search_command_finds_inflected_forms_with_snippets() {
    let out = demo().to_path_buf();
    let o = bin()
        .args(["search", "молодых", "педагогов", "--out"])
        .arg(&out)
        .arg("--root")
        .arg(repo())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.starts_with("1. "), "{stdout}");
    assert!(stdout.contains("**"), "matches are highlighted: {stdout}");
    let o = bin()
        .args([
            "search",
            "наставника",
            "--department",
            "krasnoufimsk",
            "--type",
            "event",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["kind"] == "event" && h["department"] == "krasnoufimsk"));
    assert!(hits.iter().any(|h| h["title"]
        .as_str()
        .unwrap()
        .contains("Реализация муниципального проекта «Наставник»")));
    assert!(
        hits.iter().all(|h| h["url"]
            .as_str()
            .unwrap()
            .contains("roadmaps/dorozhnaya-karta-2023-2025/#")),
        "events link to their anchors"
    );
    // Unknown department and type are clear errors.
    let o = bin()
        .args(["search", "x", "--department", "nowhere", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("nowhere"));
    let o = bin()
        .args(["search", "x", "--type", "novel", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("допустимые типы"));
}

#[test]
fn region_search_finds_a_shared_practice_once_at_its_original() {
    // krasnoufimsk shows vidyaevo's practice from its feed («Практики других территорий»).
    let out = demo().to_path_buf();
    let title = "Школьная методическая неделя «Делимся опытом» (пример)";
    let search = |department: Option<&str>| -> Vec<serde_json::Value> {
        let mut cmd = bin();
        cmd.args([
            "search",
            "методическая неделя делимся опытом",
            "--json",
            "--limit",
            "50",
            "--out",
        ])
        .arg(&out);
        if let Some(d) = department {
            cmd.args(["--department", d]);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        hits.as_array()
            .unwrap()
            .iter()
            .filter(|h| h["title"] == title)
            .cloned()
            .collect()
    };
    let region = search(None);
    assert_eq!(region.len(), 1, "the region finds it once: {region:?}");
    assert_eq!(region[0]["department"], "vidyaevo");
    assert!(
        !region[0]["url"].as_str().unwrap().contains("territories/"),
        "{region:?}"
    );
    // The department that shows the copy finds it on its own site.
    let here = search(Some("krasnoufimsk"));
    assert_eq!(here.len(), 1, "{here:?}");
    assert!(
        here[0]["url"]
            .as_str()
            .unwrap()
            .starts_with("territories/#"),
        "{here:?}"
    );
    // (The region page in the browser ranks as this command: tests/search_parity.rs.)
}

#[test]
fn search_can_be_turned_off() {
    let tmp = tmp_project();
    assert!(bin()
        .args(["new", "uo", "--root"])
        .arg(tmp.path())
        .status()
        .unwrap()
        .success());
    std::fs::write(tmp.path().join("metodist.yaml"), "search: false\n").unwrap();
    let o = bin()
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let public = tmp.path().join("public");
    assert!(
        !public.join("uo/search").exists()
            && !public.join("search").exists()
            && !public.join(".search-index").exists()
    );
    let home = std::fs::read_to_string(public.join("uo/index.html")).unwrap();
    assert!(
        !home.contains("role=\"search\"") && !home.contains("search.js"),
        "no search box without search"
    );
    assert!(public.join("static/style.css").exists());
}

/// The portal page lists the region's newest practices, not all of them (a region of 100 000
/// practices made a 32 MB page), and links to every department's bank; each practice page
/// shows its body, read again from its file when the page is written.
#[test]
fn portal_lists_the_newest_practices_and_links_the_banks() {
    let tmp = tmp_project();
    let root = tmp.path();
    for (d, name, n) in [("alpha", "Управление А", 70), ("beta", "Управление Б", 40)]
    {
        let dir = root.join("content").join(d);
        std::fs::create_dir_all(dir.join("practices")).unwrap();
        std::fs::write(
            dir.join("department.yaml"),
            format!("name: \"{name}\"\nbase_url: \"https://{d}.example.ru/\"\n"),
        )
        .unwrap();
        for i in 0..n {
            // Dates spread over 110 days, interleaved between the departments.
            let day = if d == "alpha" { 2 * i } else { 2 * i + 1 };
            let date =
                chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(day);
            let text = format!("---\ntitle: \"Практика {d} {i}\"\norganization: \"МАОУ СОШ № 1\"\ndate: {date}\n---\n\n## Описание\n\nТекст практики {d} номер {i}.\n");
            std::fs::write(dir.join(format!("practices/p{i:03}.md")), text).unwrap();
        }
    }
    let o = bin().args(["build", "--root"]).arg(root).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let portal = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    let bank = portal
        .split("<ul class=\"bank-list\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert_eq!(bank.matches("<li>").count(), 100, "the newest 100 of 110");
    // Newest first (alpha's last practice, day 138, leads); the 10 oldest are left out.
    let first = bank.find("Практика alpha 69").unwrap();
    assert!(first < bank.find("Практика alpha 68").unwrap());
    assert!(
        !bank.contains("Практика alpha 0<")
            && !bank.contains("Практика beta 0<")
            && !bank.contains("Практика alpha 4<")
    );
    assert!(bank.contains("Практика alpha 5<") && bank.contains("Практика beta 5<"));
    assert!(portal.contains("100 из 110"), "says how many are shown");
    for d in ["alpha", "beta"] {
        assert!(
            portal.contains(&format!("href=\"./{d}/practices/\"")),
            "links {d}'s bank"
        );
    }
    let page = std::fs::read_to_string(root.join("public/beta/practices/p007/index.html")).unwrap();
    assert!(
        page.contains("<h2>Описание</h2>") && page.contains("Текст практики beta номер 7."),
        "the body is on its page"
    );
}
