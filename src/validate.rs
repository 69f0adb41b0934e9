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

use crate::spelling::mixed_script_words;
use crate::spelling::{check_mixed_scripts_body, did_you_mean, mixed_hint};

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
pub(crate) fn check_mixed_scripts<T: Serialize>(
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

/// Attachments must name existing files of the department's `files/` folder.
pub(crate) fn check_attachments(
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
pub(crate) fn check_file_ref(
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
pub(crate) fn check_slug(
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
pub(crate) fn check_roadmap(doc: &Doc<Roadmap>, out: &mut Vec<Diagnostic>) {
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
