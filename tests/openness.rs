//! Information openness over the built demo: the page «Сведения об органе» with its microdata,
//! JSON-LD on every page that has it, open data sets (CSV, JSON, structure, passport), roadmap
//! spreadsheets read back with calamine, iCalendar files parsed, Atom feeds parsed, and the
//! practice-bank feeds exchanged between districts (dedup, malformed and newer feeds, round trip).

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

fn demo() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = OUT.get_or_init(|| {
        let (tmp, out, stderr) = common::build_demo();
        assert!(
            !stderr.contains("лента практик"),
            "demo feeds should load cleanly:\n{stderr}"
        );
        (tmp, out)
    });
    out
}

fn read(rel: &str) -> String {
    let p = demo().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

fn first_dir(rel: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(demo().join(rel))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().unwrap() != "page")
        .collect();
    dirs.sort();
    dirs.into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing in {rel}"))
}

const DEPTS: [&str; 3] = ["krasnoufimsk", "okoneshnikovo", "vidyaevo"];

#[test]
fn department_page_has_structure_and_microdata() {
    for d in DEPTS {
        let html = read(&format!("{d}/about/index.html"));
        assert!(html.contains("<h1>Сведения об органе</h1>"), "{d}");
        for t in [
            "https://schema.org/GovernmentOrganization",
            "https://schema.org/Person",
            "https://schema.org/ContactPoint",
        ] {
            assert!(html.contains(&format!("itemtype=\"{t}\"")), "{d}: no {t}");
        }
        for section in [
            "Общие сведения",
            "Руководитель",
            "Структура",
            "Нормативные документы",
        ] {
            assert!(html.contains(section), "{d}: no section {section}");
        }
        // Microdata well-formed: every itemprop sits inside an itemscope, and scopes balance.
        let scopes = html.matches("itemscope").count();
        assert!(scopes >= 4, "{d}: {scopes} scopes");
        assert!(html.contains("itemprop=\"name\""));
        assert!(
            html.contains("itemprop=\"department\""),
            "{d}: divisions not marked up"
        );
    }
    let k = read("krasnoufimsk/about/index.html");
    for fact in [
        "Е.А. Вахрушева",
        "Информационно-методический отдел",
        "imc@example.ru",
        "Пн–Пт 8:00–17:00",
    ] {
        assert!(k.contains(fact), "krasnoufimsk about: {fact}");
    }
    // Normative document from files/ shows its format.
    let o = read("okoneshnikovo/about/index.html");
    assert!(
        o.contains("files/prikaz-209-b.txt") && o.contains("формат TXT"),
        "okoneshnikovo documents"
    );
    // Reachable from every page (menu and footer).
    assert!(read("vidyaevo/index.html").contains("href=\"./about/\""));
}

#[test]
fn every_page_shows_its_update_date() {
    let mut files = Vec::new();
    html_files(&demo().join("vidyaevo"), &mut files);
    for f in files {
        let html = std::fs::read_to_string(&f).unwrap();
        assert!(
            html.contains("Дата обновления страницы:"),
            "{}",
            f.display()
        );
    }
}

#[test]
fn json_ld_parses_and_has_the_expected_types() {
    let re = Regex::new(r#"(?s)<script type="application/ld\+json">(.*?)</script>"#).unwrap();
    let mut files = Vec::new();
    html_files(demo(), &mut files);
    let mut types = std::collections::BTreeMap::<String, usize>::new();
    let iso = Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap();
    for f in &files {
        let html = std::fs::read_to_string(f).unwrap();
        for c in re.captures_iter(&html) {
            let v: serde_json::Value = serde_json::from_str(&c[1])
                .unwrap_or_else(|e| panic!("{}: JSON-LD: {e}", f.display()));
            assert_eq!(v["@context"], "https://schema.org", "{}", f.display());
            *types
                .entry(v["@type"].as_str().unwrap().to_string())
                .or_default() += 1;
            if v["@type"] == "ItemList" {
                for it in v["itemListElement"].as_array().unwrap() {
                    let e = &it["item"];
                    assert_eq!(e["@type"], "Event");
                    let start = e["startDate"].as_str().unwrap();
                    assert!(iso.is_match(start), "{start}");
                    assert!(e["endDate"].as_str().unwrap() >= start);
                }
            }
        }
    }
    assert!(
        types.get("ItemList").copied().unwrap_or(0) >= 3,
        "{types:?}"
    );
    assert!(
        types.get("CreativeWork").copied().unwrap_or(0) >= 3,
        "{types:?}"
    );
    assert!(types.get("Event").copied().unwrap_or(0) >= 1, "{types:?}");
    // A contest's results are in its JSON-LD.
    let c = std::fs::read_to_string(first_dir("krasnoufimsk/contests").join("index.html")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&re.captures(&c).unwrap()[1]).unwrap();
    let results = v["about"]["itemListElement"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results[0]["item"]["award"]
        .as_str()
        .unwrap()
        .contains("победитель"));
}

/// Minimal RFC 4180 reader: fields, quoted fields with "" and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn open_data_sets_have_data_structure_and_passport() {
    let iso = Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap();
    for d in DEPTS {
        let list = parse_csv(&read(&format!("{d}/opendata/list.csv")));
        assert_eq!(list[0], ["property", "title", "value", "format"]);
        assert_eq!(list[1][0], "standardversion");
        let sets: Vec<&Vec<String>> = list.iter().skip(2).collect();
        assert_eq!(sets.len(), 5, "{d}: {list:?}");
        for s in sets {
            let id = &s[0];
            let dir = format!("{d}/opendata/{id}");
            let meta = parse_csv(&read(&format!("{dir}/meta.csv")));
            assert_eq!(meta[0], ["property", "value"]);
            let get = |k: &str| {
                meta.iter()
                    .find(|r| r[0] == k)
                    .map(|r| r[1].clone())
                    .unwrap_or_else(|| panic!("{dir}: no {k}"))
            };
            for k in [
                "standardversion",
                "identifier",
                "title",
                "description",
                "creator",
                "created",
                "modified",
                "subject",
                "format",
                "publishername",
                "license",
            ] {
                let _ = get(k);
            }
            assert_eq!(&get("identifier"), id);
            assert!(
                iso.is_match(&get("created")) && iso.is_match(&get("modified")),
                "{dir}"
            );
            assert!(
                !get("publishername").is_empty(),
                "{dir}: responsible person"
            );
            let data_name = meta.iter().find(|r| r[0].starts_with("data-")).unwrap()[1].clone();
            let structure_name = meta
                .iter()
                .find(|r| r[0].starts_with("structure-"))
                .unwrap()[1]
                .clone();
            let structure = parse_csv(&read(&format!("{dir}/{structure_name}")));
            assert_eq!(
                structure[0],
                [
                    "field name",
                    "english description",
                    "russian description",
                    "format"
                ]
            );
            let fields: Vec<String> = structure.iter().skip(1).map(|r| r[0].clone()).collect();
            let data = parse_csv(&read(&format!("{dir}/{data_name}")));
            assert_eq!(data[0], fields, "{dir}: header = structure");
            let json: Vec<serde_json::Value> = serde_json::from_str(&read(&format!(
                "{dir}/{}",
                data_name.replace(".csv", ".json")
            )))
            .unwrap();
            assert_eq!(json.len(), data.len() - 1, "{dir}: CSV and JSON rows");
            for (row, obj) in data.iter().skip(1).zip(&json) {
                assert_eq!(row.len(), fields.len(), "{dir}: {row:?}");
                for (f, (v, st)) in fields.iter().zip(row.iter().zip(structure.iter().skip(1))) {
                    if st[3] == "date" && !v.is_empty() {
                        assert!(iso.is_match(v), "{dir}: {f} = {v}");
                    }
                    assert!(obj.get(f).is_some(), "{dir}: JSON lacks {f}");
                }
            }
            let pass: serde_json::Value =
                serde_json::from_str(&read(&format!("{dir}/meta.json"))).unwrap();
            assert_eq!(pass["identifier"], id.as_str());
        }
    }
    // Mentoring names only where department.yaml allows them.
    let m = |d: &str, id: &str| read(&format!("{d}/opendata/{id}/meta.json"));
    assert!(m("vidyaevo", "vidyaevo-mentoring").contains("\"mentor\""));
    assert!(!m("krasnoufimsk", "krasnoufimsk-mentoring").contains("\"mentor\""));
    let page = read("krasnoufimsk/opendata/index.html");
    assert!(page.contains("Паспорт набора") && page.contains("list.csv"));
}

fn roadmap_dirs() -> Vec<PathBuf> {
    DEPTS
        .iter()
        .map(|d| first_dir(&format!("{d}/roadmaps")))
        .collect()
}

#[test]
fn roadmap_xlsx_has_the_official_table() {
    use calamine::{open_workbook, Reader, Xlsx};
    for dir in roadmap_dirs() {
        let slug = dir.file_name().unwrap().to_string_lossy().to_string();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let events = html.matches("class=\"event-row").count();
        let mut wb: Xlsx<_> = open_workbook(dir.join(format!("{slug}.xlsx")))
            .unwrap_or_else(|e| panic!("{slug}.xlsx: {e}"));
        let range = wb.worksheet_range("Дорожная карта").unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let header = rows
            .iter()
            .position(|r| r.first().is_some_and(|c| c == "№ п/п"))
            .expect("header row");
        assert_eq!(rows[header][1], "Мероприятие");
        assert!(rows[0][0].starts_with("УТВЕРЖДЕНА"), "{:?}", rows[0]);
        // Event rows: title in column B and something in column C..F, sections are merged (B empty).
        let body: Vec<&Vec<String>> = rows
            .iter()
            .skip(header + 1)
            .filter(|r| r.len() > 5 && !r[1].is_empty())
            .collect();
        assert_eq!(body.len(), events, "{slug}: events in xlsx vs page");
        assert!(
            html.contains(&format!("href=\"../../roadmaps/{slug}/{slug}.xlsx\""))
                || html.contains(&format!("{slug}.xlsx\""))
        );
    }
}

/// Unfolds and checks an iCalendar text; returns the VEVENTs as property lists.
fn parse_ics(text: &str) -> Vec<Vec<(String, String)>> {
    assert!(text.ends_with("\r\n"));
    for raw in text.split("\r\n") {
        assert!(raw.len() <= 75, "line longer than 75 octets: {raw}");
        assert!(!raw.contains('\n'), "bare LF");
    }
    let unfolded = text.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0") && lines.iter().any(|l| l.starts_with("PRODID:")));
    let mut events = Vec::new();
    let mut cur: Option<Vec<(String, String)>> = None;
    for l in lines {
        let (name, value) = l.split_once(':').unwrap_or_else(|| panic!("no colon: {l}"));
        match (name, value) {
            ("BEGIN", "VEVENT") => cur = Some(Vec::new()),
            ("END", "VEVENT") => events.push(cur.take().expect("END without BEGIN")),
            _ => {
                if let Some(c) = cur.as_mut() {
                    c.push((name.to_string(), value.to_string()));
                }
            }
        }
    }
    assert!(cur.is_none());
    events
}

#[test]
fn roadmap_calendars_parse() {
    let mut total = 0;
    let stamp = Regex::new(r"^\d{8}T\d{6}Z$").unwrap();
    let unescaped = Regex::new(r"[^\\][,;]").unwrap();
    for dir in roadmap_dirs() {
        let slug = dir.file_name().unwrap().to_string_lossy().to_string();
        let events = parse_ics(&std::fs::read_to_string(dir.join(format!("{slug}.ics"))).unwrap());
        for e in &events {
            let get = |k: &str| {
                e.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| panic!("no {k}: {e:?}"))
            };
            assert!(get("UID").ends_with("@metodist"));
            assert!(stamp.is_match(&get("DTSTAMP")));
            let start = get("DTSTART;VALUE=DATE");
            let end = get("DTEND;VALUE=DATE");
            assert!(end > start, "{start} {end}");
            assert!(!get("SUMMARY").is_empty());
            // Escaping: no raw newline, commas and semicolons escaped.
            let d = get("DESCRIPTION");
            assert!(!unescaped.is_match(&d), "{d}");
        }
        let uids: std::collections::HashSet<_> = events
            .iter()
            .map(|e| e.iter().find(|(n, _)| n == "UID").unwrap().1.clone())
            .collect();
        assert_eq!(uids.len(), events.len());
        total += events.len();
        // Per executor: every file parses and holds a subset.
        if dir.join("ics").is_dir() {
            for f in std::fs::read_dir(dir.join("ics")).unwrap().flatten() {
                let sub = parse_ics(&std::fs::read_to_string(f.path()).unwrap());
                assert!(
                    !sub.is_empty() && sub.len() <= events.len(),
                    "{}",
                    f.path().display()
                );
            }
        }
    }
    assert!(total > 20, "{total} datable events in the demo");
}

#[test]
fn atom_feeds_parse() {
    use quick_xml::events::Event;
    let stamp = Regex::new(r"^\d{4}-\d{2}-\d{2}T00:00:00Z$").unwrap();
    for d in DEPTS {
        for (feed, min) in [("practices", 1), ("contests", 1)] {
            let text = read(&format!("{d}/feeds/{feed}.xml"));
            let mut r = quick_xml::Reader::from_str(&text);
            let mut stack: Vec<String> = Vec::new();
            let (mut entries, mut ids, mut updated) = (0, 0, 0);
            loop {
                match r
                    .read_event()
                    .unwrap_or_else(|e| panic!("{d}/{feed}.xml: {e}"))
                {
                    Event::Start(e) => {
                        let n = String::from_utf8_lossy(e.name().as_ref()).to_string();
                        if stack.is_empty() {
                            assert_eq!(n, "feed");
                            assert!(e
                                .attributes()
                                .flatten()
                                .any(|a| a.value.as_ref() == b"http://www.w3.org/2005/Atom"));
                        }
                        match n.as_str() {
                            "entry" => entries += 1,
                            "id" => ids += 1,
                            "updated" => updated += 1,
                            _ => {}
                        }
                        stack.push(n);
                    }
                    Event::End(_) => {
                        stack.pop();
                    }
                    Event::Text(t) if stack.last().is_some_and(|s| s == "updated") => {
                        let s = String::from_utf8_lossy(t.as_ref()).to_string();
                        assert!(stamp.is_match(&s), "{s}");
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
            assert!(stack.is_empty());
            assert!(entries >= min, "{d}/{feed}: {entries} entries");
            assert_eq!(ids, entries + 1);
            assert_eq!(updated, entries + 1);
        }
    }
}

#[test]
fn demo_departments_exchange_practice_feeds() {
    // krasnoufimsk reads vidyaevo's feed and vice versa.
    for (reader, source) in [("krasnoufimsk", "vidyaevo"), ("vidyaevo", "krasnoufimsk")] {
        let feed =
            metodist::feeds::parse(&read(&format!("{source}/feeds/practices.json"))).unwrap();
        let page = read(&format!("{reader}/territories/index.html"));
        assert!(page.contains("<h1>Практики других территорий</h1>"));
        for p in &feed.practices {
            let title = p.title.replace('"', "&quot;");
            assert_eq!(
                page.matches(&format!(">{title}</a>")).count(),
                1,
                "{reader}: {}",
                p.title
            );
            assert!(
                page.contains(&format!("href=\"{}\"", p.url)),
                "{reader}: link back to {}",
                p.url
            );
        }
        assert!(page.contains(&feed.department.name));
        assert!(
            read(&format!("{reader}/index.html")).contains("territories/"),
            "menu link"
        );
    }
    // okoneshnikovo lists no feeds: no page, no menu item.
    assert!(!demo().join("okoneshnikovo/territories").exists());
    // The region index has a bank of every department's practices.
    let portal = read("index.html");
    assert!(portal.contains("Банк практик региона"));
    for d in DEPTS {
        assert!(portal.contains(&format!("href=\"./{d}/practices/")), "{d}");
    }
}

#[test]
fn feed_round_trip() {
    let text = read("krasnoufimsk/feeds/practices.json");
    let feed = metodist::feeds::parse(&text).unwrap();
    assert_eq!(feed.format, metodist::feeds::FEED_FORMAT);
    assert_eq!(feed.version, metodist::feeds::FEED_VERSION);
    assert!(!feed.practices.is_empty());
    let ids: std::collections::HashSet<_> = feed.practices.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), feed.practices.len(), "ids unique");
    assert!(feed
        .practices
        .iter()
        .all(|p| p.id.starts_with("krasnoufimsk:")));
    let again = metodist::feeds::parse(&serde_json::to_string(&feed).unwrap()).unwrap();
    assert_eq!(again, feed);
    // The ids stay the same from build to build (they come from the practices' addresses).
    let committed =
        std::fs::read_to_string(repo().join("content/vidyaevo/feeds/krasnoufimsk.json")).unwrap();
    let old = metodist::feeds::parse(&committed).unwrap();
    for p in &old.practices {
        assert!(ids.contains(p.id.as_str()), "id {} changed", p.id);
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn feeds_dedup_and_bad_feeds_are_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "content/a/department.yaml", "name: \"Управление А\"\nbase_url: \"https://a.example.ru/\"\nfeeds: [\"feeds/b.json\", \"feeds/b-copy.json\", \"feeds/broken.json\", \"feeds/newer.json\", \"feeds/missing.json\", \"feeds/self.json\"]\n");
    write(root, "content/a/practices/svoya.md", "---\ntitle: \"Своя практика\"\norganization: \"МБОУ СОШ № 1\"\ndate: 2024-01-10\n---\nТекст.\n");
    let practice = |id: &str, title: &str| {
        format!(
            r#"{{"id":"{id}","title":"{title}","organization":"МБОУ СОШ № 2","date":"2024-02-01","url":"https://b.example.ru/practices/{title}/"}}"#
        )
    };
    let feed = |slug: &str, version: u32, items: &[String]| {
        format!(
            r#"{{"format":"metodist-practice-bank","version":{version},"department":{{"slug":"{slug}","name":"Управление {slug}"}},"generated":"2024-03-01","practices":[{}]}}"#,
            items.join(",")
        )
    };
    write(
        root,
        "content/a/feeds/b.json",
        &feed(
            "b",
            1,
            &[practice("b:one", "Первая"), practice("b:two", "Вторая")],
        ),
    );
    write(
        root,
        "content/a/feeds/b-copy.json",
        &feed(
            "b",
            1,
            &[practice("b:one", "Первая"), practice("b:three", "Третья")],
        ),
    );
    write(
        root,
        "content/a/feeds/broken.json",
        "{\"format\": \"metodist-practice-bank\", \"version\": 1, \"practices\": [",
    );
    write(
        root,
        "content/a/feeds/newer.json",
        &feed("c", 2, &[practice("c:one", "Новая")]),
    );
    write(
        root,
        "content/a/feeds/self.json",
        &feed("a", 1, &[practice("a:svoya", "Своя практика")]),
    );
    let out = root.join("public");
    let o = bin()
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "a bad feed must not break the build:\n{stderr}"
    );
    for (name, why) in [
        ("feeds/broken.json", "не JSON"),
        ("feeds/newer.json", "версия 2 новее"),
        ("feeds/missing.json", "файла нет"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("«{name}»")))
            .unwrap_or_else(|| panic!("no warning for {name}:\n{stderr}"));
        assert!(
            line.starts_with("предупреждение: content/a/department.yaml:3:"),
            "{line}"
        );
        assert!(line.contains(why), "{line}");
    }
    let page = std::fs::read_to_string(out.join("a/territories/index.html")).unwrap();
    for (t, n) in [
        ("Первая", 1),
        ("Вторая", 1),
        ("Третья", 1),
        ("Новая", 0),
        ("Своя практика", 0),
    ] {
        assert_eq!(page.matches(&format!(">{t}</a>")).count(), n, "{t}");
    }
}

#[test]
fn schema_and_model_accept_the_new_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["schema", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let mut all = String::new();
    for e in std::fs::read_dir(tmp.path()).unwrap().flatten() {
        if e.path().is_file() {
            all.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
    for f in [
        "divisions",
        "documents",
        "opendata",
        "feeds",
        "mentoring_names",
        "published",
    ] {
        assert!(all.contains(&format!("\"{f}\"")), "schema lacks {f}");
    }
}
