//! Stage 2: checks on loaded content that need more than one field: mixed-script words,
//! user-given slugs and anchors, duplicate event numbers, attachments that do not exist.
//!
//! Checks that need the site model (duplicate URLs, links between items, deadlines) run while it
//! is built, in [`crate::site`]; they report through the same [`Diagnostic`] type.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::load::yaml::LineIndex;
use crate::load::{DepartmentSource, Doc};
use crate::model::{Attachment, Roadmap};

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&w, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// Latin letters that look like Cyrillic ones: a word mixing scripts with any of these is almost
/// always a typing accident («Сovenko» with a Latin «С»).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
}

/// Words of `text` that mix Cyrillic and Latin letters.
pub fn mixed_script_words(text: &str) -> Vec<&str> {
    // Fast path: most text has no Latin letters at all, or no Cyrillic.
    let has_latin = text.bytes().any(|b| b.is_ascii_alphabetic());
    let has_cyrillic = text
        .bytes()
        .any(|b| b == 0xD0 || b == 0xD1 || b == 0xD2 || b == 0xD3);
    if !has_latin || !has_cyrillic {
        return Vec::new();
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(is_cyrillic) && w.chars().any(is_latin))
        .collect()
}

fn mixed_hint(word: &str) -> String {
    let marked: String = word
        .chars()
        .map(|c| {
            if is_latin(c) {
                format!("[{c}]")
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("латинские буквы отмечены скобками: {marked}; наберите их в русской раскладке")
}

/// Walks every string of a serializable value with its YAML path.
fn walk_strings(v: &serde_json::Value, path: &str, f: &mut dyn FnMut(&str, &str)) {
    match v {
        serde_json::Value::String(s) => f(path, s),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk_strings(x, &format!("{path}[{i}]"), f);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk_strings(x, &p, f);
            }
        }
        _ => {}
    }
}

/// Mixed-script words in the YAML fields of `meta` and in `body`.
pub fn check_mixed_scripts<T: Serialize>(
    meta: &T,
    lines: &LineIndex,
    body: Option<(&str, usize)>,
    source: &Path,
    out: &mut Vec<Diagnostic>,
) {
    let Ok(value) = serde_json::to_value(meta) else {
        return;
    };
    walk_strings(&value, "", &mut |path, s| {
        for w in mixed_script_words(s) {
            out.push(
                Diagnostic::error(
                    source,
                    format!("слово «{w}» смешивает кириллицу и латиницу"),
                )
                .at_line(lines.line(path))
                .field(path)
                .hint(mixed_hint(w)),
            );
        }
    });
    if let Some((text, first_line)) = body {
        check_mixed_scripts_body(text, first_line, source, out);
    }
}

/// Mixed-script words in a Markdown body starting at line `first_line` of `source`.
pub fn check_mixed_scripts_body(
    text: &str,
    first_line: usize,
    source: &Path,
    out: &mut Vec<Diagnostic>,
) {
    for (i, line) in text.lines().enumerate() {
        // Link targets, URLs and code may legitimately mix scripts; the prose may not.
        let prose = prose_of(line);
        for w in mixed_script_words(&prose) {
            out.push(
                Diagnostic::error(
                    source,
                    format!("слово «{w}» смешивает кириллицу и латиницу"),
                )
                .at_line(Some(first_line + i))
                .hint(mixed_hint(w)),
            );
        }
    }
}

/// A Markdown line without link targets (`](…)`), autolinks, bare URLs and inline code.
fn prose_of(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['`', '(', '<', 'h']) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let closing = |open: &str, close: char| {
            tail.strip_prefix(open)
                .and_then(|t| t.find(close).map(|j| j + open.len() + 1))
        };
        let skip = if tail.starts_with('`') {
            closing("`", '`')
        } else if tail.starts_with('(') && out.ends_with(']') {
            closing("(", ')')
        } else if tail.starts_with("<http") || tail.starts_with("<mailto") {
            closing("<", '>')
        } else if tail.starts_with("http://") || tail.starts_with("https://") {
            Some(tail.find(char::is_whitespace).unwrap_or(tail.len()))
        } else {
            None
        };
        match skip {
            Some(n) => {
                out.push(' ');
                rest = &tail[n.min(tail.len())..];
            }
            None => {
                let c = tail.chars().next().map(char::len_utf8).unwrap_or(1);
                out.push_str(&tail[..c]);
                rest = &tail[c..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Attachments must name existing files of the department's `files/` folder.
pub fn check_attachments(
    list: &[Attachment],
    field: &str,
    dept: &DepartmentSource,
    source: &Path,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) {
    for (i, a) in list.iter().enumerate() {
        check_file_ref(
            &a.file,
            &format!("{field}[{i}].file"),
            dept,
            source,
            lines,
            out,
        );
    }
}

/// One reference to a file of `files/`.
pub fn check_file_ref(
    file: &str,
    path: &str,
    dept: &DepartmentSource,
    source: &Path,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) {
    let f = file.trim().trim_start_matches("./");
    let bad_path = f.contains("..") || f.starts_with('/') || f.contains('\\') || f.contains(':');
    if let Some(name) = f
        .split('/')
        .find(|n| crate::slug::is_windows_reserved(n))
        .filter(|_| !bad_path)
    {
        out.push(
            Diagnostic::error(source, format!("имя «{name}» в пути «{file}» зарезервировано в Windows"))
                .at_line(lines.line(path))
                .field(path)
                .hint("такой файл нельзя создать или загрузить с компьютера на Windows; переименуйте его, например prikaz.pdf"),
        );
    } else if bad_path {
        out.push(
            Diagnostic::error(source, format!("недопустимый путь к файлу «{file}»"))
                .at_line(lines.line(path))
                .field(path)
                .hint("путь пишется от папки управления и ведёт в её папку files/, например files/prikaz.pdf; без «..», «\\» и дисков"),
        );
    } else if !dept.files.iter().any(|x| x == f) {
        let suggestion = did_you_mean(f, dept.files.iter().map(String::as_str));
        out.push(
            Diagnostic::error(source, format!("файл «{file}» не найден"))
                .at_line(lines.line(path))
                .field(path)
                .hint(match suggestion {
                    Some(s) => format!("возможно, имелось в виду «{s}»"),
                    None => format!(
                        "положите файл в {}/files/ и укажите путь как files/ИМЯ",
                        crate::diagnostics::display_path(&dept.dir)
                    ),
                }),
        );
    }
}

/// A user-given slug or anchor must be ASCII.
pub fn check_slug(
    value: Option<&str>,
    path: &str,
    source: &Path,
    lines: &LineIndex,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(s) = value {
        if crate::slug::is_windows_reserved(s) {
            out.push(
                Diagnostic::error(source, format!("адрес «{s}» зарезервирован в Windows"))
                    .at_line(lines.line(path))
                    .field(path)
                    .hint(format!("папку с таким именем нельзя создать на Windows; выберите другой адрес, например «{s}-1»")),
            );
        } else if !crate::slug::is_valid_slug(s) {
            out.push(
                Diagnostic::error(source, format!("«{s}» не годится для адреса"))
                    .at_line(lines.line(path))
                    .field(path)
                    .hint(format!(
                        "используйте латинские буквы, цифры и дефис, например «{}»",
                        crate::slug::slugify(s)
                    )),
            );
        }
    }
}

/// Roadmap-specific checks: explicit event ids, duplicate ids, duplicate printed numbers.
pub fn check_roadmap(doc: &Doc<Roadmap>, out: &mut Vec<Diagnostic>) {
    let m = &doc.meta;
    // A published roadmap must not claim an approval it does not have.
    let missing = m.document.missing();
    if !m.draft && !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|f| format!("document.{f}")).collect();
        let line = missing
            .iter()
            .find_map(|f| doc.lines.line(&format!("document.{f}")))
            .or_else(|| doc.lines.line("document"));
        out.push(
            Diagnostic::error(
                &doc.source,
                format!(
                    "у утверждающего документа нет реквизитов: {}; дорожная карта не может быть опубликована",
                    names.join(", ")
                ),
            )
            .at_line(line)
            .field("document")
            .hint("впишите их по документу; пока их нет, оставьте в файле строку draft: true"),
        );
    }
    let mut ids = HashSet::new();
    let mut numbers: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (si, section) in m.sections.iter().enumerate() {
        for (ei, ev) in section.events.iter().enumerate() {
            let path = format!("sections[{si}].events[{ei}]");
            check_slug(
                ev.id.as_deref(),
                &format!("{path}.id"),
                &doc.source,
                &doc.lines,
                out,
            );
            if let Some(id) = &ev.id {
                if !ids.insert(id.clone()) {
                    out.push(
                        Diagnostic::error(
                            &doc.source,
                            format!("якорь «{id}» уже есть у другого мероприятия"),
                        )
                        .at_line(doc.lines.line(&format!("{path}.id")))
                        .field(format!("{path}.id"))
                        .hint("якорь мероприятия должен быть единственным в дорожной карте"),
                    );
                }
            }
            if let Some(no) = ev.no.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                let key = format!(
                    "{}|{}",
                    section.no.as_deref().unwrap_or(""),
                    no.trim_end_matches('.')
                );
                let within_section = format!("{si}|{}", no.trim_end_matches('.'));
                if let Some(prev) = numbers.insert(within_section, path.clone()) {
                    out.push(
                        Diagnostic::warning(&doc.source, format!("номер мероприятия «{no}» повторяется в разделе"))
                            .at_line(doc.lines.line(&format!("{path}.no")))
                            .field(format!("{path}.no"))
                            .hint(format!("так напечатано в документе? Номер сохранится для показа; якоря у мероприятий разные (первое: {prev})")),
                    );
                }
                let _ = key;
            }
        }
    }
    let mut sections_seen = std::collections::HashMap::new();
    for (si, s) in m.sections.iter().enumerate() {
        if let Some(no) = s.no.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            if let Some(prev) = sections_seen.insert(no.trim_end_matches('.').to_string(), si) {
                out.push(
                    Diagnostic::warning(
                        &doc.source,
                        format!(
                            "номер раздела «{no}» повторяется (раздел {} и раздел {})",
                            prev + 1,
                            si + 1
                        ),
                    )
                    .at_line(doc.lines.line(&format!("sections[{si}].no")))
                    .field(format!("sections[{si}].no"))
                    .hint("так напечатано в документе? Номер сохранится для показа"),
                );
            }
        }
    }
    if m.period.from.first_day() > m.period.to.last_day() {
        out.push(
            Diagnostic::error(&doc.source, "начало периода позже его окончания")
                .at_line(doc.lines.line("period"))
                .field("period")
                .hint("укажите начало (from) не позже окончания (to), например: period: { from: 2023, to: 2025 }"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_mixed_script_words() {
        assert_eq!(mixed_script_words("Е.Н. Сovenko подписал"), vec!["Сovenko"]);
        assert!(mixed_script_words("МАОУ СОШ № 1, ФГОС, IT-куб").is_empty());
        assert!(mixed_script_words("Covenko").is_empty());
        let prose = prose_of(
            "См. [положение](../files/polozhenie-о.pdf) и `kod-к` https://x.ru/путь конец",
        );
        assert_eq!(
            prose.split_whitespace().collect::<Vec<_>>(),
            ["См.", "[положение]", "и", "конец"]
        );
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            did_you_mean("titel", ["title", "tags", "date"]),
            Some("title")
        );
        assert_eq!(did_you_mean("xyz", ["title", "tags"]), None);
        assert_eq!(
            did_you_mean("practises", ["roadmaps", "practices"]),
            Some("practices")
        );
    }
}
