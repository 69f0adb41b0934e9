//! Validation errors as a methodist sees them: every class of problem that `metodist check`
//! reports, each on a minimal project under `tests/fixtures/invalid/<case>/` (or generated into a
//! temporary folder when it needs binary content). Each test asserts the exit code, the exact
//! file (relative to the project root, with `/`), the exact line, the field, a Russian message
//! and a hint, as printed:
//!
//! ```text
//! ошибка: FILE:LINE: поле `FIELD`: MESSAGE
//!   подсказка: HINT
//! ```
//!
//! It also checks that a failed `build` leaves the previous output untouched and that `build`
//! refuses to replace a folder it did not create.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------------------------
// Running the binary and reading its diagnostics
// ---------------------------------------------------------------------------------------------

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_metodist"));
    // Never let a test write into the repository by accident.
    c.current_dir(std::env::temp_dir());
    c
}

fn fixture(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name);
    assert!(
        p.join("content").is_dir(),
        "fixture {} is missing",
        p.display()
    );
    p
}

/// One diagnostic as printed on stderr.
#[derive(Debug, Clone)]
struct Diag {
    error: bool,
    file: String,
    line: Option<usize>,
    field: Option<String>,
    message: String,
    hint: Option<String>,
}

/// What a command printed and returned.
struct Run {
    code: Option<i32>,
    stderr: String,
    diags: Vec<Diag>,
}

impl Run {
    fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.error).count()
    }

    #[track_caller]
    fn assert_exit(&self, code: i32) {
        assert_eq!(self.code, Some(code), "exit code; stderr:\n{}", self.stderr);
    }

    /// Exactly `n` errors were reported (the fixture has exactly one defect).
    #[track_caller]
    fn assert_errors(&self, n: usize) {
        assert_eq!(
            self.errors(),
            n,
            "number of errors; stderr:\n{}",
            self.stderr
        );
        let summary = format!("итого: ошибок — {n},");
        if n > 0 {
            assert!(
                self.stderr.contains(&summary),
                "summary line «{summary}» missing; stderr:\n{}",
                self.stderr
            );
        }
    }

    /// The single diagnostic of `file` whose message contains `msg`.
    #[track_caller]
    fn find(&self, error: bool, file: &str, msg: &str) -> &Diag {
        let found: Vec<&Diag> = self
            .diags
            .iter()
            .filter(|d| d.error == error && d.file == file && d.message.contains(msg))
            .collect();
        let kind = if error {
            "ошибка"
        } else {
            "предупреждение"
        };
        assert!(
            found.len() == 1,
            "expected exactly one «{kind}» for {file} with message containing «{msg}», found {}; stderr:\n{}",
            found.len(),
            self.stderr
        );
        found[0]
    }

    /// Finds the diagnostic and checks everything about it: line, field, message, hint, language.
    #[track_caller]
    fn expect(&self, e: Expect) -> &Diag {
        let d = self.find(e.error, e.file, e.message[0]);
        assert_eq!(d.line, e.line, "line of {d:?}; stderr:\n{}", self.stderr);
        assert_eq!(
            d.field.as_deref(),
            e.field,
            "field of {d:?}; stderr:\n{}",
            self.stderr
        );
        for m in e.message {
            assert!(
                d.message.contains(m),
                "message of {d:?} lacks «{m}»; stderr:\n{}",
                self.stderr
            );
        }
        let hint = d
            .hint
            .as_deref()
            .unwrap_or_else(|| panic!("no hint in {d:?}; stderr:\n{}", self.stderr));
        for h in e.hint {
            assert!(
                hint.contains(h),
                "hint of {d:?} lacks «{h}»; stderr:\n{}",
                self.stderr
            );
        }
        assert_russian(d, &self.stderr);
        d
    }
}

/// An expected diagnostic.
struct Expect<'a> {
    error: bool,
    file: &'a str,
    line: Option<usize>,
    field: Option<&'a str>,
    /// Parts of the message; the first one identifies the diagnostic.
    message: &'a [&'a str],
    /// Parts of the hint.
    hint: &'a [&'a str],
}

fn error<'a>(
    file: &'a str,
    line: Option<usize>,
    field: Option<&'a str>,
    message: &'a [&'a str],
    hint: &'a [&'a str],
) -> Expect<'a> {
    Expect {
        error: true,
        file,
        line,
        field,
        message,
        hint,
    }
}

fn warning<'a>(
    file: &'a str,
    line: Option<usize>,
    field: Option<&'a str>,
    message: &'a [&'a str],
    hint: &'a [&'a str],
) -> Expect<'a> {
    Expect {
        error: false,
        file,
        line,
        field,
        message,
        hint,
    }
}

fn run(args: &[&str], root: &Path) -> Run {
    let out = bin()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run metodist");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "metodist panicked:\n{stderr}");
    let diags = parse_diags(&stderr);
    Run {
        code: out.status.code(),
        stderr,
        diags,
    }
}

fn check(root: &Path) -> Run {
    run(&["check"], root)
}

/// Parses `ошибка: FILE[:LINE]: [поле `FIELD`: ]MESSAGE` lines and their `  подсказка: HINT`.
fn parse_diags(stderr: &str) -> Vec<Diag> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let (error, rest) = if let Some(r) = l.strip_prefix("ошибка: ") {
            (true, r)
        } else if let Some(r) = l.strip_prefix("предупреждение: ") {
            (false, r)
        } else {
            continue;
        };
        let Some((loc, rest)) = rest.split_once(": ") else {
            continue;
        };
        let (file, line) = match loc.rsplit_once(':') {
            Some((f, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                (f.to_string(), n.parse().ok())
            }
            _ => (loc.to_string(), None),
        };
        let (field, message) = match rest
            .strip_prefix("поле `")
            .and_then(|r| r.split_once("`: "))
        {
            Some((f, m)) => (Some(f.to_string()), m.to_string()),
            None => (None, rest.to_string()),
        };
        let hint = lines
            .get(i + 1)
            .and_then(|h| h.strip_prefix("  подсказка: "))
            .map(str::to_string);
        out.push(Diag {
            error,
            file,
            line,
            field,
            message,
            hint,
        });
    }
    out
}

/// Words a Russian message may contain in Latin letters: technical names a methodist meets in
/// the README, and field names.
const LATIN_OK: &[&str] = &[
    "yaml",
    "utf",
    "windows",
    "word",
    "markdown",
    "md",
    "alt",
    "metodist",
    "pdf",
    "docx",
    "https",
    "http",
    "mailto",
    "tel",
    "title",
    "slug",
    "nominations",
    "name",
    "id",
    "no",
    "theme",
    "period",
    "deadline",
    "files",
    "content",
    "readme",
    "json",
];

/// Latin words of `text` outside quotes («…», `…`, "…") and paths: English leaking into a
/// Russian message.
fn english_words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut close: Option<char> = None;
    for c in text.chars() {
        match close {
            Some(x) if c == x => close = None,
            Some(_) => {}
            None => match c {
                '«' => close = Some('»'),
                '`' => close = Some('`'),
                '"' => close = Some('"'),
                _ => plain.push(c),
            },
        }
    }
    plain
        .split_whitespace()
        .filter(|t| !t.contains('/') && !t.contains('.') && !t.contains('_'))
        .flat_map(|t| {
            t.split(|c: char| !c.is_ascii_alphabetic())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 2 && !LATIN_OK.contains(&w.to_ascii_lowercase().as_str()))
        .collect()
}

fn has_cyrillic(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
}

#[track_caller]
fn assert_russian(d: &Diag, stderr: &str) {
    assert!(
        has_cyrillic(&d.message),
        "message is not Russian: {d:?}; stderr:\n{stderr}"
    );
    let eng = english_words(&d.message);
    assert!(
        eng.is_empty(),
        "English words {eng:?} in message {d:?}; stderr:\n{stderr}"
    );
    let hint = d.hint.as_deref().unwrap_or("");
    assert!(
        has_cyrillic(hint),
        "hint is not Russian: {d:?}; stderr:\n{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Temporary projects (binary content, build tests)
// ---------------------------------------------------------------------------------------------

const DEPARTMENT: &str =
    "name: \"Управление образованием (образец)\"\nbase_url: \"https://uo-obrazets.example.ru/\"\n";

const PRACTICE: &str = "---
title: \"Школа молодого педагога\"
organization: \"МАОУ СОШ № 3\"
date: 2024-02-15
tags: [\"наставничество\"]
attachments:
  - { title: \"Программа ШМП\", file: \"files/programma.pdf\" }
---
Описание практики. См. [положение](../roadmaps/plan.md#polozhenie).
";

const ROADMAP: &str = "---
title: \"План мероприятий по развитию наставничества на 2023–2025 годы\"
document:
  kind: приказ
  number: \"146\"
  date: 2023-06-21
period: { from: 2023, to: 2025 }
sections:
  - no: \"1.\"
    title: \"Организационное обеспечение\"
    events:
      - no: \"1.1\"
        id: polozhenie
        title: \"Утверждение положения о наставничестве\"
        done: true
---
Пояснительная записка.
";

const PAGE: &str = "---\ntitle: \"О методической службе\"\nmenu: 1\n---\nТекст страницы.\n";

/// Writes `files` (paths relative to the project root) into a new temporary folder.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), files);
    tmp
}

fn write_files(root: &Path, files: &[(&str, &[u8])]) {
    for (rel, bytes) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
}

/// A valid project: one department with a roadmap, a practice with an attachment and a page.
fn valid_project(root: &Path) {
    write_files(
        root,
        &[
            ("content/obrazets/department.yaml", DEPARTMENT.as_bytes()),
            ("content/obrazets/roadmaps/plan.md", ROADMAP.as_bytes()),
            ("content/obrazets/practices/shkola.md", PRACTICE.as_bytes()),
            ("content/obrazets/pages/o-nas.md", PAGE.as_bytes()),
            (
                "content/obrazets/files/programma.pdf",
                b"%PDF-1.4 programma v1\n",
            ),
        ],
    );
}

/// Every file and folder under `dir`: relative path → (contents, modification time). Folders
/// have empty contents.
fn snapshot(dir: &Path) -> BTreeMap<String, (Option<Vec<u8>>, std::time::SystemTime)> {
    fn walk(
        base: &Path,
        dir: &Path,
        out: &mut BTreeMap<String, (Option<Vec<u8>>, std::time::SystemTime)>,
    ) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let mtime = meta.modified().unwrap();
            if meta.is_dir() {
                out.insert(rel + "/", (None, mtime));
                walk(base, &p, out);
            } else {
                out.insert(rel, (Some(std::fs::read(&p).unwrap()), mtime));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Front matter: required fields, types, unknown fields, enums, dates
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_required_field() {
    let r = check(&fixture("missing_field"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(2),
        Some("organization"),
        &["нет обязательного поля `organization`"],
        &["добавьте строку `organization: …`"],
    ));
}

#[test]
fn missing_required_field_nested_points_at_list_item() {
    let r = check(&fixture("missing_field_nested"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/contests/uchitel-goda.md",
        Some(6),
        Some("results[0].status"),
        &["нет обязательного поля `status`"],
        &["добавьте строку `status: …`"],
    ));
}

#[test]
fn missing_required_field_in_department_yaml() {
    let r = check(&fixture("department_missing_name"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/department.yaml",
        Some(1),
        Some("name"),
        &["нет обязательного поля `name`"],
        &["добавьте строку `name: …`"],
    ));
}

#[test]
fn empty_front_matter() {
    let r = check(&fixture("empty_front_matter"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(2),
        Some("title"),
        &["нет обязательного поля `title`"],
        &["title"],
    ));
}

#[test]
fn wrong_type_text_instead_of_year() {
    let r = check(&fixture("wrong_type_year"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/contests/uchitel-goda.md",
        Some(4),
        Some("year"),
        &["неверный тип значения", "две тысячи", "целое число"],
        &["год пишется числом"],
    ));
}

#[test]
fn wrong_type_number_instead_of_list() {
    let r = check(&fixture("wrong_type_executors"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/roadmaps/plan.md",
        Some(13),
        Some("sections[0].events[0].executors"),
        &["неверный тип значения", "5", "список"],
        &["список пишется так"],
    ));
}

#[test]
fn wrong_value_of_done() {
    let r = check(&fixture("done_bad_value"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/roadmaps/plan.md",
        Some(12),
        Some("sections[0].events[0].done"),
        &["значение не подходит"],
        &["true, false или дата"],
    ));
}

#[test]
fn unknown_field_suggests_the_right_name() {
    let r = check(&fixture("unknown_field"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(3),
        Some("titel"),
        &["неизвестное поле"],
        &["возможно, имелось в виду `title`"],
    ));
}

#[test]
fn unknown_field_in_metodist_yaml() {
    let r = check(&fixture("config_unknown_field"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "metodist.yaml",
        Some(2),
        Some("descripton"),
        &["неизвестное поле"],
        &["возможно, имелось в виду `description`"],
    ));
}

#[test]
fn duplicate_key_is_an_error() {
    let r = check(&fixture("duplicate_key"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.find(true, "content/obrazets/practices/shkola.md", "");
}

#[test]
fn duplicate_key() {
    let r = check(&fixture("duplicate_key"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(4),
        Some("title"),
        &["повтор"],
        &[""],
    ));
}

#[test]
fn invalid_enum_contest_status() {
    let r = check(&fixture("invalid_enum_status"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/contests/uchitel-goda.md",
        Some(8),
        Some("results[0].status"),
        &["недопустимое значение «чемпион»"],
        &[
            "допустимые значения:",
            "победитель",
            "призёр",
            "лауреат",
            "участник",
        ],
    ));
}

#[test]
fn invalid_enum_document_kind() {
    let r = check(&fixture("invalid_enum_kind"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/roadmaps/plan.md",
        Some(5),
        Some("document.kind"),
        &["недопустимое значение «указ»"],
        &["допустимые значения: приказ, постановление, распоряжение, решение"],
    ));
}

#[test]
fn invalid_date() {
    let r = check(&fixture("invalid_date"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(4),
        Some("date"),
        &["неверная дата"],
        &["ГГГГ-ММ-ДД"],
    ));
}

#[test]
fn period_start_after_end_is_located() {
    let r = check(&fixture("period_inverted"));
    r.assert_exit(1);
    r.assert_errors(1);
    let d = r.find(
        true,
        "content/obrazets/roadmaps/plan.md",
        "начало периода позже его окончания",
    );
    assert_eq!(d.line, Some(7), "{}", r.stderr);
    assert_eq!(d.field.as_deref(), Some("period"), "{}", r.stderr);
    assert!(
        d.hint.as_deref().unwrap_or("").contains("from"),
        "{}",
        r.stderr
    );
}

#[test]
fn period_start_after_end() {
    let r = check(&fixture("period_inverted"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/roadmaps/plan.md",
        Some(7),
        Some("period"),
        &["начало периода позже его окончания"],
        &["from"],
    ));
}

// ---------------------------------------------------------------------------------------------
// YAML syntax and front-matter fences
// ---------------------------------------------------------------------------------------------

/// File, line and hint of a YAML syntax error (the message language is checked separately).
#[test]
fn yaml_syntax_bad_indentation_is_located() {
    let r = check(&fixture("yaml_bad_indent"));
    r.assert_exit(1);
    r.assert_errors(1);
    let d = r.find(
        true,
        "content/obrazets/practices/shkola.md",
        "ошибка синтаксиса YAML",
    );
    assert_eq!(d.line, Some(4), "{}", r.stderr);
    assert!(
        d.hint
            .as_deref()
            .unwrap_or("")
            .contains("проверьте отступы"),
        "{}",
        r.stderr
    );
}

#[test]
fn yaml_syntax_error_message_is_russian() {
    let r = check(&fixture("yaml_bad_indent"));
    r.assert_exit(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(4),
        None,
        &["ошибка синтаксиса YAML"],
        &["проверьте отступы"],
    ));
}

#[test]
fn yaml_syntax_unclosed_bracket() {
    let r = check(&fixture("yaml_unclosed_bracket"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(3),
        None,
        &["ошибка синтаксиса YAML"],
        &["кавычки"],
    ));
}

#[test]
fn yaml_syntax_unclosed_bracket_stops_the_check() {
    let r = check(&fixture("yaml_unclosed_bracket"));
    r.assert_exit(1);
    r.assert_errors(1);
    let d = r.find(
        true,
        "content/obrazets/practices/shkola.md",
        "ошибка синтаксиса YAML",
    );
    assert!(
        matches!(d.line, Some(3..=4)),
        "line {:?}; stderr:\n{}",
        d.line,
        r.stderr
    );
}

#[test]
fn file_without_front_matter() {
    let r = check(&fixture("no_front_matter"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(1),
        None,
        &["файл должен начинаться с заголовка YAML"],
        &["три дефиса `---`"],
    ));
}

#[test]
fn front_matter_not_closed() {
    let r = check(&fixture("front_matter_not_closed"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(1),
        None,
        &["заголовок YAML не закрыт"],
        &["`---`"],
    ));
}

// ---------------------------------------------------------------------------------------------
// Addresses (slugs) and anchors
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_slug_from_file_names() {
    let r = check(&fixture("duplicate_slug_translit"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/Практика.md",
        Some(2),
        None,
        &["адрес «practices/praktika/» уже занят файлом content/obrazets/practices/praktika.md"],
        &["переименуйте файл", "slug"],
    ));
}

#[test]
fn duplicate_slug_from_explicit_slug_field() {
    let r = check(&fixture("duplicate_slug_explicit"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/vtoraya.md",
        Some(4),
        Some("slug"),
        &["адрес «practices/pervaya/» уже занят файлом content/obrazets/practices/pervaya.md"],
        &["slug"],
    ));
}

#[test]
fn duplicate_slug_from_explicit_slug_field_is_an_error() {
    let r = check(&fixture("duplicate_slug_explicit"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.find(
        true,
        "content/obrazets/practices/vtoraya.md",
        "адрес «practices/pervaya/» уже занят",
    );
}

#[test]
fn invalid_cyrillic_slug() {
    let r = check(&fixture("invalid_slug_cyrillic"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(5),
        Some("slug"),
        &["«школа» не годится для адреса"],
        &["латинские буквы", "«shkola»"],
    ));
}

#[test]
fn free_page_with_reserved_name() {
    let r = check(&fixture("reserved_page_slug"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/practices.md",
        Some(1),
        None,
        &["адрес страницы «practices» занят разделом сайта"],
        &["переименуйте файл"],
    ));
}

#[test]
fn free_page_with_reserved_explicit_slug() {
    let r = check(&fixture("reserved_page_slug_explicit"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/tegi.md",
        Some(3),
        Some("slug"),
        &["адрес страницы «tags» занят разделом сайта"],
        &["slug"],
    ));
}

#[test]
fn free_page_with_reserved_explicit_slug_is_an_error() {
    let r = check(&fixture("reserved_page_slug_explicit"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.find(
        true,
        "content/obrazets/pages/tegi.md",
        "адрес страницы «tags» занят разделом сайта",
    );
}

#[test]
fn duplicate_event_id() {
    let r = check(&fixture("duplicate_event_id"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/roadmaps/plan.md",
        Some(14),
        Some("sections[0].events[1].id"),
        &["якорь «monitoring» уже есть у другого мероприятия"],
        &["единственным"],
    ));
}

#[test]
fn invalid_cyrillic_event_id() {
    let r = check(&fixture("event_id_cyrillic"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/roadmaps/plan.md",
        Some(12),
        Some("sections[0].events[0].id"),
        &["«положение» не годится для адреса"],
        &["«polozhenie»"],
    ));
}

#[test]
fn duplicate_event_number_is_a_warning() {
    let r = check(&fixture("duplicate_event_number"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/roadmaps/plan.md",
        Some(14),
        Some("sections[0].events[1].no"),
        &["номер мероприятия «1.1» повторяется в разделе"],
        &["так напечатано в документе?"],
    ));
}

#[test]
fn duplicate_section_number_is_a_warning() {
    let r = check(&fixture("duplicate_section_number"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/roadmaps/plan.md",
        Some(12),
        Some("sections[1].no"),
        &["номер раздела «1.» повторяется"],
        &["так напечатано в документе?"],
    ));
}

// ---------------------------------------------------------------------------------------------
// Links, images and attachments
// ---------------------------------------------------------------------------------------------

#[test]
fn broken_link_between_items() {
    let r = check(&fixture("broken_link"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(8),
        None,
        &["битая ссылка «../roadmaps/none.md»"],
        &["проверьте путь"],
    ));
}

#[test]
fn link_to_missing_anchor() {
    let r = check(&fixture("missing_anchor"));
    r.assert_exit(1);
    // The link to the existing anchor on line 6 is fine; only line 8 is reported.
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(8),
        None,
        &["«../roadmaps/plan.md#nope»", "нет якоря «#nope»"],
        &["проверьте путь"],
    ));
}

#[test]
fn link_escaping_the_department() {
    let r = check(&fixture("link_escape"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(7),
        None,
        &["ссылка «../../../etc/passwd» ведёт за пределы папки управления"],
        &["ссылайтесь на файлы этого управления"],
    ));
}

#[test]
fn link_with_forbidden_scheme() {
    let r = check(&fixture("link_bad_scheme"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(6),
        None,
        &["недопустимая ссылка «javascript:alert(1)»"],
        &["http(s)"],
    ));
}

#[test]
fn image_without_alt_text() {
    let r = check(&fixture("image_no_alt"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(8),
        None,
        &["у изображения нет замещающего текста"],
        &["опишите изображение в квадратных скобках"],
    ));
}

#[test]
fn attachment_pointing_to_missing_file() {
    let r = check(&fixture("attachment_missing"));
    r.assert_exit(1);
    // The first attachment exists; only the second is reported.
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(8),
        Some("attachments[1].file"),
        &["файл «files/net-takogo.pdf» не найден"],
        &["возможно, имелось в виду «files/programma.pdf»"],
    ));
}

#[test]
fn attachment_path_with_dotdot() {
    let r = check(&fixture("attachment_dotdot"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(7),
        Some("attachments[0].file"),
        &["недопустимый путь к файлу «files/../../secret.pdf»"],
        &["files/prikaz.pdf", "без «..»"],
    ));
}

#[test]
fn department_logo_missing() {
    let r = check(&fixture("logo_missing"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/department.yaml",
        Some(2),
        Some("logo"),
        &["файл «files/logo.png» не найден"],
        &["положите файл в content/obrazets/files/"],
    ));
}

// ---------------------------------------------------------------------------------------------
// Text: mixed scripts, encodings
// ---------------------------------------------------------------------------------------------

#[test]
fn mixed_cyrillic_and_latin_word() {
    let root = fixture("mixed_script");
    // Guard the fixture itself: a Latin C (U+0043) followed by Cyrillic letters.
    let text = std::fs::read_to_string(root.join("content/obrazets/practices/shkola.md")).unwrap();
    assert!(
        text.contains("\u{0043}\u{043E}\u{0432}\u{0435}\u{043D}\u{043A}\u{043E}"),
        "fixture lost its Latin C"
    );
    let r = check(&root);
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(4),
        Some("authors[1]"),
        &["слово «\u{0043}овенко» смешивает кириллицу и латиницу"],
        &["[\u{0043}]овенко", "русской раскладке"],
    ));
}

#[test]
fn mixed_cyrillic_and_latin_word_in_body() {
    let body = "---\ntitle: \"О методической службе\"\n---\nТекст.\n\nРуководитель — Е. Н. \u{0043}овенко.\n";
    let tmp = project(&[
        ("content/obrazets/department.yaml", DEPARTMENT.as_bytes()),
        ("content/obrazets/pages/o-nas.md", body.as_bytes()),
    ]);
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(6),
        None,
        &["«\u{0043}овенко»", "смешивает"],
        &["[\u{0043}]овенко"],
    ));
}

#[test]
fn mixed_cyrillic_and_latin_word_on_a_line_with_a_link() {
    let r = check(&fixture("mixed_script_line_with_link"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(6),
        None,
        &["«\u{0043}овенко»", "смешивает"],
        &["[\u{0043}]овенко"],
    ));
}

/// «Привет» in Windows-1251.
const CP1251_PRIVET: &[u8] = &[0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2];

#[test]
fn windows_1251_file() {
    let mut bytes = b"---\ndate: 2024-02-15\ntitle: \"".to_vec();
    bytes.extend_from_slice(CP1251_PRIVET);
    bytes.extend_from_slice(b"\"\norganization: \"MAOU SOSH 3\"\n---\n");
    bytes.extend_from_slice(CP1251_PRIVET);
    bytes.push(b'\n');
    let tmp = project(&[
        ("content/obrazets/department.yaml", DEPARTMENT.as_bytes()),
        ("content/obrazets/practices/shkola.md", &bytes),
    ]);
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(3),
        None,
        &["не в кодировке UTF-8", "Windows-1251"],
        &["пересохраните", "UTF-8"],
    ));
}

#[test]
fn utf16_file() {
    let text = "---\ntitle: \"О нас\"\n---\nТекст.\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let tmp = project(&[
        ("content/obrazets/department.yaml", DEPARTMENT.as_bytes()),
        ("content/obrazets/pages/o-nas.md", &bytes),
    ]);
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(1),
        None,
        &["UTF-16"],
        &["UTF-8"],
    ));
}

#[test]
fn file_with_nul_bytes() {
    let tmp = project(&[
        ("content/obrazets/department.yaml", DEPARTMENT.as_bytes()),
        (
            "content/obrazets/pages/o-nas.md",
            b"---\ntitle: \"x\0\"\n---\n",
        ),
    ]);
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        Some(2),
        None,
        &["нулевые байты"],
        &["текстовый файл"],
    ));
}

#[test]
fn file_too_large() {
    let mut big = PAGE.as_bytes().to_vec();
    big.resize(8 * 1024 * 1024 + 1, b'a');
    let tmp = project(&[
        ("content/obrazets/department.yaml", DEPARTMENT.as_bytes()),
        ("content/obrazets/pages/o-nas.md", &big),
    ]);
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/o-nas.md",
        None,
        None,
        &["файл слишком велик"],
        &["разделите текст"],
    ));
}

fn bom_crlf(text: &str) -> Vec<u8> {
    let mut b = b"\xEF\xBB\xBF".to_vec();
    b.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    b
}

#[test]
fn utf8_bom_and_crlf_are_accepted() {
    let tmp = project(&[
        ("content/obrazets/department.yaml", &bom_crlf(DEPARTMENT)),
        ("content/obrazets/roadmaps/plan.md", &bom_crlf(ROADMAP)),
        ("content/obrazets/practices/shkola.md", &bom_crlf(PRACTICE)),
        ("content/obrazets/pages/o-nas.md", &bom_crlf(PAGE)),
        ("content/obrazets/files/programma.pdf", b"%PDF-1.4\r\n"),
    ]);
    let r = check(tmp.path());
    r.assert_exit(0);
    r.assert_errors(0);
    assert!(
        r.diags.is_empty(),
        "no warnings expected for a valid BOM+CRLF project:\n{}",
        r.stderr
    );
    assert!(r.stderr.contains("ошибок нет"), "{}", r.stderr);
}

#[test]
fn utf8_bom_and_crlf_keep_line_numbers() {
    let text = "---\norganization: \"МАОУ СОШ № 3\"\ntitel: \"Школа молодого педагога\"\ndate: 2024-02-15\n---\nОписание.\n";
    let tmp = project(&[
        ("content/obrazets/department.yaml", &bom_crlf(DEPARTMENT)),
        ("content/obrazets/practices/shkola.md", &bom_crlf(text)),
    ]);
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(3),
        Some("titel"),
        &["неизвестное поле"],
        &["`title`"],
    ));
}

// ---------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------

#[test]
fn unparsed_deadline_is_a_warning() {
    let r = check(&fixture("deadline_unparsed"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/roadmaps/plan.md",
        Some(12),
        Some("sections[0].events[0].deadline"),
        &["срок «когда рак на горе свистнет» не распознан"],
        &["распознаются, например"],
    ));
}

#[test]
fn deadline_outside_the_period_is_a_warning() {
    let r = check(&fixture("deadline_outside_period"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/roadmaps/plan.md",
        Some(12),
        Some("sections[0].events[0].deadline"),
        &["срок «ноябрь 2030 года» выходит за период дорожной карты (2023–2025)"],
        &["проверьте год срока"],
    ));
}

// ---------------------------------------------------------------------------------------------
// Contests
// ---------------------------------------------------------------------------------------------

#[test]
fn nomination_not_in_the_list_is_a_warning() {
    let r = check(&fixture("nomination_not_listed"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/contests/uchitel-goda.md",
        Some(8),
        Some("results[0].nomination"),
        &["номинации «Учитель года (2024)» нет в списке"],
        &["возможно, имелось в виду «Учитель года»"],
    ));
}

// ---------------------------------------------------------------------------------------------
// Project structure: departments, folders, configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn department_folder_without_department_yaml() {
    let r = check(&fixture("department_without_yaml"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/bez-svedeniy",
        None,
        None,
        &["в папке управления нет файла department.yaml"],
        &["создайте его"],
    ));
}

#[test]
fn non_ascii_department_folder_is_a_warning() {
    let r = check(&fixture("non_ascii_department"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/Образцовое",
        None,
        None,
        &[
            "имя папки «Образцовое» не годится для адреса сайта",
            "«obraztsovoe»",
        ],
        &["переименуйте папку латиницей", "obraztsovoe"],
    ));
}

#[test]
fn unknown_folder_in_department_is_a_warning() {
    let r = check(&fixture("unknown_folder"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/practises",
        None,
        None,
        &["неизвестная папка или файл в папке управления"],
        &["возможно, имелось в виду `practices`"],
    ));
}

#[test]
fn non_markdown_file_in_section_is_a_warning() {
    let r = check(&fixture("not_markdown"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/practices/programma.docx",
        None,
        None,
        &["не файл Markdown"],
        &["files/"],
    ));
}

#[test]
fn missing_base_url_is_a_warning() {
    let r = check(&fixture("base_url_missing"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/department.yaml",
        Some(1),
        Some("base_url"),
        &["не задан base_url"],
        &["https://"],
    ));
}

#[test]
fn invalid_base_url() {
    let r = check(&fixture("base_url_invalid"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/department.yaml",
        Some(2),
        Some("base_url"),
        &["«uo-obrazets.example.ru» — не адрес сайта"],
        &["https://"],
    ));
}

#[test]
fn unknown_theme_in_metodist_yaml() {
    let r = check(&fixture("config_unknown_theme"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "metodist.yaml",
        Some(2),
        Some("theme"),
        &["тема «moya-tema» не найдена"],
        &["встроенную тему"],
    ));
}

#[test]
fn unknown_theme_in_metodist_yaml_is_an_error() {
    let r = check(&fixture("config_unknown_theme"));
    r.assert_exit(1);
    r.assert_errors(1);
    let d = r.find(true, "metodist.yaml", "тема «moya-tema» не найдена");
    assert_eq!(d.field.as_deref(), Some("theme"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_in_content_is_an_error() {
    let tmp = project(&[
        ("content/obrazets/department.yaml", DEPARTMENT.as_bytes()),
        ("content/obrazets/pages/o-nas.md", PAGE.as_bytes()),
        ("elsewhere/secret.md", PAGE.as_bytes()),
    ]);
    std::os::unix::fs::symlink(
        tmp.path().join("elsewhere/secret.md"),
        tmp.path().join("content/obrazets/pages/secret.md"),
    )
    .unwrap();
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/pages/secret.md",
        None,
        None,
        &["символическая ссылка"],
        &["скопируйте сам файл"],
    ));
}

#[test]
fn missing_content_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content",
        None,
        None,
        &["папка content/ не найдена"],
        &["--root"],
    ));
}

#[test]
fn content_folder_without_departments() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    let r = check(tmp.path());
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content",
        None,
        None,
        &["нет ни одного управления"],
        &["metodist new"],
    ));
}

#[test]
fn missing_project_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let r = check(&tmp.path().join("net-takoy-papki"));
    r.assert_exit(2);
    assert!(
        r.stderr.contains("папка проекта") && r.stderr.contains("не найдена"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("подсказка:"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// build: the previous output survives a failed build; foreign folders are not replaced
// ---------------------------------------------------------------------------------------------

#[test]
fn build_of_invalid_fixture_fails_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let r = run(
        &["build", "--out", out.to_str().unwrap()],
        &fixture("unknown_field"),
    );
    r.assert_exit(1);
    r.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(3),
        Some("titel"),
        &["неизвестное поле"],
        &["`title`"],
    ));
    assert!(!out.exists(), "a failed build created the output folder");
    assert!(
        names(tmp.path()).is_empty(),
        "a failed build left files: {:?}",
        names(tmp.path())
    );
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let proj = tempfile::tempdir().unwrap();
    valid_project(proj.path());
    let outer = tempfile::tempdir().unwrap();
    let out = outer.path().join("site");
    let out_arg = out.to_str().unwrap();

    let first = run(&["build", "--out", out_arg], proj.path());
    first.assert_exit(0);
    first.assert_errors(0);
    assert!(
        out.join("obrazets/index.html").is_file(),
        "first build wrote no site:\n{}",
        first.stderr
    );
    let before = snapshot(&out);
    assert!(before.len() > 5, "{before:?}");
    let outer_before = names(outer.path());

    // Break one file: a typo in a field name.
    let practice = proj.path().join("content/obrazets/practices/shkola.md");
    std::fs::write(&practice, PRACTICE.replace("title:", "titel:")).unwrap();
    let second = run(&["build", "--out", out_arg], proj.path());
    second.assert_exit(1);
    second.assert_errors(1);
    second.expect(error(
        "content/obrazets/practices/shkola.md",
        Some(2),
        Some("titel"),
        &["неизвестное поле"],
        &["`title`"],
    ));
    assert!(second.stderr.contains("не изменён"), "{}", second.stderr);

    let after = snapshot(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "file listing changed"
    );
    for (k, (bytes, mtime)) in &before {
        let (b2, m2) = &after[k];
        assert!(bytes == b2, "contents of {k} changed");
        assert_eq!(mtime, m2, "{k} was rewritten");
    }
    assert_eq!(
        outer_before,
        names(outer.path()),
        "staging folders left next to the output"
    );
}

#[test]
fn failed_build_leaves_previous_attachments_intact() {
    let proj = tempfile::tempdir().unwrap();
    valid_project(proj.path());
    let outer = tempfile::tempdir().unwrap();
    let out = outer.path().join("site");
    let out_arg = out.to_str().unwrap();
    run(&["build", "--out", out_arg], proj.path()).assert_exit(0);
    let before = snapshot(&out);
    assert!(
        before.contains_key("obrazets/files/programma.pdf"),
        "{:?}",
        before.keys()
    );

    // A methodist replaces the attachment with a new version (in place) and makes a typo.
    std::fs::write(
        proj.path().join("content/obrazets/files/programma.pdf"),
        b"%PDF-1.4 programma v2, other text\n",
    )
    .unwrap();
    let practice = proj.path().join("content/obrazets/practices/shkola.md");
    std::fs::write(&practice, PRACTICE.replace("title:", "titel:")).unwrap();
    run(&["build", "--out", out_arg], proj.path()).assert_exit(1);

    let after = snapshot(&out);
    let text = |k: &str, m: &BTreeMap<String, (Option<Vec<u8>>, std::time::SystemTime)>| {
        String::from_utf8_lossy(m[k].0.as_deref().unwrap_or_default()).into_owned()
    };
    assert_eq!(
        text("obrazets/files/programma.pdf", &before),
        text("obrazets/files/programma.pdf", &after),
        "the published attachment changed although the build failed"
    );
}

#[test]
fn build_refuses_non_empty_folder_it_did_not_create() {
    let proj = tempfile::tempdir().unwrap();
    valid_project(proj.path());
    let outer = tempfile::tempdir().unwrap();
    let out = outer.path().join("Документы");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("diplom.docx"), b"my thesis, do not touch").unwrap();
    let before = snapshot(&out);
    let outer_before = names(outer.path());

    let r = run(&["build", "--out", out.to_str().unwrap()], proj.path());
    r.assert_exit(1);
    r.assert_errors(1);
    let d = r
        .diags
        .iter()
        .find(|d| d.error && d.message.contains("не пуста и создана не metodist"))
        .unwrap_or_else(|| panic!("no refusal message:\n{}", r.stderr));
    assert!(d.message.contains("Документы"), "{d:?}");
    assert!(d.hint.as_deref().unwrap_or("").contains("--out"), "{d:?}");
    assert_russian(d, &r.stderr);

    assert_eq!(before, snapshot(&out), "the foreign folder was modified");
    assert_eq!(
        outer_before,
        names(outer.path()),
        "staging folders left next to the output"
    );
}

#[test]
fn normative_document_url_must_be_a_web_address() {
    let r = check(&fixture("normative_document_url_invalid"));
    r.assert_exit(1);
    r.assert_errors(1);
    r.expect(error(
        "content/obrazets/department.yaml",
        Some(5),
        Some("documents[0].url"),
        &["«www.example.ru/polozhenie» — не адрес в интернете"],
        &["https://", "files/"],
    ));
}

#[test]
fn malformed_or_missing_feed_is_a_warning_naming_it() {
    let r = check(&fixture("feed_malformed"));
    r.assert_exit(0);
    r.assert_errors(0);
    r.expect(warning(
        "content/obrazets/department.yaml",
        Some(4),
        Some("feeds[0]"),
        &[
            "лента практик «feeds/sosedi.json» пропущена",
            "не JSON: ошибка в строке 2",
        ],
        &["скачайте ленту заново"],
    ));
    r.expect(warning(
        "content/obrazets/department.yaml",
        Some(5),
        Some("feeds[1]"),
        &[
            "лента практик «feeds/net-takogo.json» пропущена",
            "файла нет",
        ],
        &["уберите её из списка"],
    ));
}
