//! `metodist import roadmap`: a department's own document (text pasted from Word, Markdown, .docx,
//! .xlsx/.ods) → a roadmap file of `content/<department>/roadmaps/`.
//!
//! The pipeline: read the file ([`text`], [`markdown`], [`docx`], [`sheet`]) into a [`Source`]
//! (prose paragraphs and tables of cell texts with their source lines) → find the plan table by
//! its header row ([`columns`]) → read the act's details from the prose above it ([`heading`]) →
//! turn rows into sections and events ([`Roadmap`]) → write YAML ([`yaml`]). Whatever could not
//! be placed is a warning with the source line, for the report ([`report`]).

pub mod columns;
pub mod docx;
pub mod heading;
pub mod markdown;
pub mod report;
pub mod sheet;
pub mod source;
pub mod text;
pub mod yaml;

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::deadline::{self, DeadlineKind, Span};
use crate::diagnostics::Diagnostic;
use crate::model::{Document, DocumentKind, Event, Period, PeriodBound, Roadmap, Section};
use columns::Role;
use source::{Source, Table};

/// Largest file accepted for import (bytes).
pub const MAX_IMPORT_SIZE: u64 = 16 * 1024 * 1024;

/// The result of an import: the roadmap, its file text, and what the report shows.
#[derive(Debug, Clone)]
pub struct Imported {
    pub roadmap: Roadmap,
    /// The whole roadmap file: YAML front matter between `---` lines, then an empty body.
    pub text: String,
    /// Format of the source («текст с табуляциями» …).
    pub format: &'static str,
    /// Where the plan table is («таблица 2», «лист «План»»), for multi-table sources.
    pub table_place: Option<String>,
    /// Line (row) of the header row.
    pub header_line: usize,
    /// Header cells and the role recognized for each.
    pub columns: Vec<(String, Option<Role>)>,
    /// What was recognized in the heading, as «поле: значение» lines.
    pub recognized: Vec<String>,
    /// Cells not placed, deadlines not parsed, details not found: warnings with the source line.
    pub warnings: Vec<Diagnostic>,
}

/// Imports a roadmap from a file. `shown` is the path as the user typed it, for messages.
pub fn import_roadmap(path: &Path, shown: &Path) -> Result<Imported, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::error(shown, format!("не удалось открыть файл: {e}"))
            .hint("проверьте путь к файлу")
    })?;
    if meta.is_dir() {
        return Err(
            Diagnostic::error(shown, "это папка, а нужен файл документа")
                .hint("укажите файл .txt, .md, .docx, .xlsx или .ods"),
        );
    }
    if meta.len() > MAX_IMPORT_SIZE {
        return Err(Diagnostic::error(
            shown,
            format!("файл слишком велик ({} МБ, допустимо до {} МБ)", meta.len() >> 20, MAX_IMPORT_SIZE >> 20),
        )
        .hint("импортируйте только план мероприятий: скопируйте таблицу в отдельный документ без картинок"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(shown, format!("не удалось прочитать файл: {e}")))?;
    import_bytes(&bytes, shown)
}

const NOT_RECOGNIZED_HINT: &str =
    "поддерживаются текст из Word (UTF-8, таблица с табуляциями), Markdown, .docx, .xlsx, .xls и .ods";

/// Imports a roadmap from the bytes of a file; `shown` names it in messages.
pub fn import_bytes(bytes: &[u8], shown: &Path) -> Result<Imported, Diagnostic> {
    let err = |m: String| Diagnostic::error(shown, m);
    if bytes.len() as u64 > MAX_IMPORT_SIZE {
        return Err(err(format!(
            "файл слишком велик (допустимо до {} МБ)",
            MAX_IMPORT_SIZE >> 20
        )));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(err("файл пуст".into())
            .hint("сохраните в него документ с планом мероприятий и повторите импорт"));
    }
    let (src, join_lines) = if bytes.starts_with(b"PK\x03\x04") {
        let is_docx = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map(|z| z.file_names().any(|n| n == "word/document.xml"))
            .unwrap_or(false);
        let src = if is_docx {
            docx::read(bytes)
        } else {
            sheet::read(bytes)
        };
        (src.map_err(|m| err(m).hint(NOT_RECOGNIZED_HINT))?, false)
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        let src = sheet::read(bytes).map_err(|_| {
            err("это документ в старом формате Microsoft Office (.doc)".into())
                .hint("откройте его в Word и сохраните как «Документ Word (.docx)», затем повторите импорт")
        })?;
        (src, false)
    } else if looks_binary(bytes) {
        return Err(err(
            "формат файла не распознан: это не текст, не документ Word и не таблица".into(),
        )
        .hint(NOT_RECOGNIZED_HINT));
    } else {
        let text = match crate::load::decode(bytes) {
            Ok(t) => t,
            Err((line, message, hint)) => {
                let binary = message.contains("нулевые байты")
                    || !message.contains("Windows-1251") && !message.contains("UTF-16");
                return Err(if binary {
                    err(
                        "формат файла не распознан: это не текст, не документ Word и не таблица"
                            .into(),
                    )
                    .hint(NOT_RECOGNIZED_HINT)
                } else {
                    err(message).at_line(Some(line)).hint(hint)
                });
            }
        };
        if text.trim().is_empty() {
            return Err(err("файл пуст".into())
                .hint("сохраните в него документ с планом мероприятий и повторите импорт"));
        }
        if markdown::looks_like(&text) {
            (markdown::read(&text), true)
        } else {
            (text::read(&text), true)
        }
    };
    build(src, join_lines, shown)
}

/// Control characters other than tab and line ends in the first 64 KB: not a text file.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(65536)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    controls > 0 && controls * 100 >= head.len().max(1)
}

/// Finds the plan table: the first table with a recognizable header in its first rows.
fn find_table(src: &Source) -> Option<(usize, usize, Vec<Option<Role>>)> {
    for (ti, t) in src.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate().take(6) {
            let cells: Vec<String> = r.cells.iter().map(|c| flat(&clean_cell(c))).collect();
            if let Some(roles) = columns::header_roles(&cells) {
                return Some((ti, ri, roles));
            }
        }
    }
    None
}

/// A warning located at a row of the source.
fn at(shown: &Path, table: &Table, line: usize, message: String) -> Diagnostic {
    match &table.place {
        Some(p) => Diagnostic::warning(shown, format!("{p}, строка {line}: {message}")),
        None => Diagnostic::warning(shown, message).at_line(Some(line)),
    }
}

fn build(src: Source, join_lines: bool, shown: &Path) -> Result<Imported, Diagnostic> {
    let Some((ti, hi, roles)) = find_table(&src) else {
        let what = if src.tables.is_empty() {
            "в файле нет таблицы"
        } else {
            "не найдена строка заголовков таблицы мероприятий"
        };
        return Err(Diagnostic::error(shown, format!("{what}: импортировать нечего"))
            .hint("нужна таблица со строкой заголовков, например: «№ | Наименование мероприятия | Сроки | Ответственные исполнители»; в тексте столбцы разделяются табуляцией"));
    };
    let table = &src.tables[ti];
    let header = &table.rows[hi];
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for (line, note) in &src.notes {
        warnings
            .push(Diagnostic::warning(shown, note.clone()).at_line((*line > 0).then_some(*line)));
    }
    if src.tables.len() > 1 {
        let others = src.tables.len() - 1;
        warnings.push(at(
            shown,
            table,
            header.line,
            format!(
                "в документе {} табл.; импортирована эта, остальные ({others}) пропущены",
                src.tables.len()
            ),
        ));
    }
    let columns: Vec<(String, Option<Role>)> = header
        .cells
        .iter()
        .zip(roles.iter().chain(std::iter::repeat(&None)))
        .map(|(c, r)| (flat(&clean_cell(c)), *r))
        .collect();
    for (i, (h, r)) in columns.iter().enumerate() {
        if r.is_none() && !h.is_empty() {
            warnings.push(at(
                shown,
                table,
                header.line,
                format!(
                    "столбец {} «{h}» не распознан: его ячейки будут пропущены",
                    i + 1
                ),
            ));
        }
    }

    let head = heading::parse(
        &src.prose[..table.prose_before.min(src.prose.len())],
        join_lines,
    );
    let mut recognized = Vec::new();
    let mut draft = false;
    let kind = head.kind.unwrap_or_else(|| {
        warnings.push(
            Diagnostic::warning(
                shown,
                "вид акта (ПРИКАЗ, ПОСТАНОВЛЕНИЕ …) не найден; записано «приказ»",
            )
            .hint("исправьте document.kind и уберите draft: true"),
        );
        draft = true;
        DocumentKind::Prikaz
    });
    let number = head.number.clone().unwrap_or_else(|| {
        warnings.push(
            Diagnostic::warning(shown, "номер акта («№ 146») не найден; записано «б/н»")
                .at_line(head.kind_line)
                .hint("впишите номер в document.number и уберите draft: true"),
        );
        draft = true;
        "б/н".into()
    });
    let date = head.date.unwrap_or_else(|| {
        warnings.push(
            Diagnostic::warning(
                shown,
                "дата акта («от 21 июня 2023 года») не найдена; записано 1 января текущего года",
            )
            .at_line(head.kind_line)
            .hint("впишите дату в document.date и уберите draft: true"),
        );
        draft = true;
        NaiveDate::from_ymd_opt(chrono::Local::now().year(), 1, 1).unwrap_or_default()
    });

    // Rows → sections and events.
    let col = |role: Role| roles.iter().position(|r| *r == Some(role));
    let (c_no, c_title) = (col(Role::No), col(Role::Title));
    let header_flat: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
    let mut sections: Vec<Section> = Vec::new();
    let mut event_lines: Vec<(usize, usize, usize)> = Vec::new(); // section, event, source line
    for row in &table.rows[hi + 1..] {
        let cells: Vec<String> = row.cells.iter().map(|c| clean_cell(c)).collect();
        let filled: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].is_empty()).collect();
        if filled.is_empty() {
            continue;
        }
        let flats: Vec<String> = cells.iter().map(|c| flat(c)).collect();
        if flats.iter().zip(&header_flat).all(|(a, b)| a == b) || is_column_numbers(&flats) {
            continue; // a repeated header (a new page in Word) or the row «1 2 3 4»
        }
        let get = |c: Option<usize>| c.and_then(|i| flats.get(i)).cloned().unwrap_or_default();
        let no = get(c_no);
        let title = get(c_title);
        let others_empty = filled
            .iter()
            .all(|&i| Some(i) == c_no || Some(i) == c_title);
        let top_number = !no.is_empty()
            && no.trim_end_matches('.').chars().all(|c| c.is_ascii_digit())
            && no.ends_with('.');
        let is_section = row.bold && !others_filled_meaningfully(&filled, c_no, c_title, &flats)
            || filled.len() == 1 && !is_bare_number(&flats[filled[0]])
            || others_empty
                && top_number
                && !title.is_empty()
                && table_has_subnumbers(table, hi, c_no);
        if is_section {
            let (sno, stitle) = if filled.len() == 1 || c_no.is_none() || no.is_empty() {
                let text = filled
                    .iter()
                    .map(|&i| flats[i].clone())
                    .collect::<Vec<_>>()
                    .join(" ");
                split_section_number(&text)
            } else {
                (Some(no.clone()), title.clone())
            };
            sections.push(Section {
                no: sno,
                title: stitle,
                events: Vec::new(),
            });
            continue;
        }
        if title.is_empty() {
            let texts: Vec<String> = filled
                .iter()
                .map(|&i| format!("«{}»", shorten(&flats[i])))
                .collect();
            warnings.push(
                at(
                    shown,
                    table,
                    row.line,
                    format!(
                        "строка без названия мероприятия, ячейки не размещены: {}",
                        texts.join(", ")
                    ),
                )
                .hint(
                    "впишите мероприятие в файл вручную или исправьте таблицу и повторите импорт",
                ),
            );
            continue;
        }
        let mut ev = Event {
            no: (!no.is_empty()).then_some(no),
            id: None,
            title,
            executors: Vec::new(),
            deadline: None,
            result: None,
            done: None,
            report: None,
        };
        for &i in &filled {
            match roles.get(i).copied().flatten() {
                Some(Role::No) | Some(Role::Title) => {}
                Some(Role::Deadline) => ev.deadline = Some(flats[i].clone()),
                Some(Role::Result) => ev.result = Some(flats[i].clone()),
                Some(Role::Report) => ev.report = Some(flats[i].clone()),
                Some(Role::Executors) => ev.executors = split_executors(&cells[i]),
                Some(Role::Done) => {
                    let v = flats[i].to_lowercase();
                    if v.starts_with("выполн") || v == "да" || v == "+" {
                        ev.done = Some(crate::model::Done::Flag(true));
                    } else if let Some(d) = heading::find_date(&v) {
                        ev.done = Some(crate::model::Done::On(d));
                    } else {
                        ev.report = Some(flats[i].clone());
                    }
                }
                None => warnings.push(at(
                    shown,
                    table,
                    row.line,
                    format!(
                        "ячейка «{}» (столбец {}) не отнесена ни к одному полю; пропущена",
                        shorten(&flats[i]),
                        i + 1
                    ),
                )),
            }
        }
        if sections.is_empty() {
            warnings.push(at(
                shown,
                table,
                row.line,
                "мероприятия до первого раздела собраны в раздел «Мероприятия»".into(),
            ));
            sections.push(Section {
                no: None,
                title: "Мероприятия".into(),
                events: Vec::new(),
            });
        }
        let s = sections.len() - 1;
        sections[s].events.push(ev);
        event_lines.push((s, sections[s].events.len() - 1, row.line));
    }
    let empty_sections: Vec<String> = sections
        .iter()
        .filter(|s| s.events.is_empty())
        .map(|s| s.title.clone())
        .collect();
    for t in &empty_sections {
        warnings.push(Diagnostic::warning(
            shown,
            format!("в разделе «{}» нет мероприятий", shorten(t)),
        ));
    }
    if sections.iter().all(|s| s.events.is_empty()) {
        return Err(at(
            shown,
            table,
            header.line,
            "таблица найдена, но в ней нет ни одного мероприятия".into(),
        )
        .hint("под строкой заголовков должны идти строки с названиями мероприятий"));
    }

    // Period: from the title; otherwise from the years of the deadlines.
    let title = head
        .plan_title
        .clone()
        .or_else(|| head.doc_title.clone())
        .unwrap_or_else(|| {
            warnings.push(
                Diagnostic::warning(
                    shown,
                    "название плана не найдено; записано «План мероприятий»",
                )
                .hint("впишите его в поле title"),
            );
            "План мероприятий".into()
        });
    let period = head.period.unwrap_or_else(|| {
        let years: Vec<i32> = sections
            .iter()
            .flat_map(|s| &s.events)
            .filter_map(|e| e.deadline.as_deref())
            .flat_map(years_in)
            .collect();
        let (from, to) = match (years.iter().min(), years.iter().max()) {
            (Some(&a), Some(&b)) => (a.min(date.year()), b.max(date.year())),
            _ => (date.year(), date.year()),
        };
        warnings.push(
            Diagnostic::warning(
                shown,
                format!(
                    "период плана («на 2023–2025 годы») не найден в названии; записано {from}–{to}"
                ),
            )
            .hint("проверьте поле period"),
        );
        (from, to)
    });
    let span = Span {
        from: PeriodBound::Year(period.0).first_day(),
        to: PeriodBound::Year(period.1).last_day(),
    };
    for &(s, e, line) in &event_lines {
        if let Some(d) = &sections[s].events[e].deadline {
            let parsed = deadline::parse(d, span);
            if parsed.kind == DeadlineKind::Unparsed {
                warnings.push(at(shown, table, line, format!("срок «{d}» не разобран: статус мероприятия будет «срок не определён»"))
                    .hint("оставьте как есть или перепишите срок словами, которые понимает metodist (см. README, «Сроки»)"));
            } else if parsed.outside(span) {
                warnings.push(
                    at(
                        shown,
                        table,
                        line,
                        format!(
                            "срок «{d}» выходит за период плана ({}–{})",
                            period.0, period.1
                        ),
                    )
                    .hint("так написано в документе? тогда оставьте; иначе исправьте год"),
                );
            }
        }
    }

    let mut roadmap = Roadmap {
        title,
        document: Document {
            kind,
            number,
            date,
            issued_by: head.issued_by.clone(),
            signed_by: head.signed_by.clone(),
            title: head.doc_title.clone(),
            file: None,
        },
        period: Period {
            from: PeriodBound::Year(period.0),
            to: PeriodBound::Year(period.1),
        },
        coordinator: None,
        sections,
        indicators: Vec::new(),
        attachments: Vec::new(),
        draft,
        slug: None,
        updated: None,
    };
    fix_mixed_scripts(&mut roadmap, shown, &mut warnings);

    recognized.push(format!("вид акта: {}", roadmap.document.kind.label()));
    recognized.push(format!("номер: {}", roadmap.document.number));
    recognized.push(format!(
        "дата: {}",
        roadmap.document.date.format("%d.%m.%Y")
    ));
    if let Some(i) = &roadmap.document.issued_by {
        recognized.push(format!("издал: {i}"));
    }
    if let Some(s) = &roadmap.document.signed_by {
        recognized.push(format!("подписал: {s}"));
    }
    if let Some(t) = &roadmap.document.title {
        recognized.push(format!("заголовок акта: {t}"));
    }
    recognized.push(format!("название плана: {}", roadmap.title));
    recognized.push(format!("период: {}–{}", period.0, period.1));

    let text = yaml::roadmap_file(&roadmap, shown);
    // The file must read back as the same roadmap: never write what `check` would reject.
    let back: Result<Roadmap, _> = crate::load::front_matter::split(&text)
        .map_err(|_| "front matter".to_string())
        .and_then(|s| serde_yaml::from_str(s.yaml).map_err(|e| e.to_string()));
    if let Err(e) = back {
        return Err(Diagnostic::error(
            shown,
            format!("внутренняя ошибка импорта: YAML не читается обратно ({e})"),
        )
        .hint("сообщите разработчикам и приложите файл"));
    }
    warnings.sort_by_key(|d| d.line.unwrap_or(0));
    Ok(Imported {
        roadmap,
        text,
        format: src.format,
        table_place: table.place.clone(),
        header_line: header.line,
        columns,
        recognized,
        warnings,
    })
}

fn others_filled_meaningfully(
    filled: &[usize],
    c_no: Option<usize>,
    c_title: Option<usize>,
    flats: &[String],
) -> bool {
    filled
        .iter()
        .filter(|&&i| Some(i) != c_no && Some(i) != c_title)
        .any(|&i| flats[i] != flats[filled[0]])
}

/// Does the table number events «1.1», «2.3» (so that «1.» rows are sections)?
fn table_has_subnumbers(table: &Table, hi: usize, c_no: Option<usize>) -> bool {
    let Some(c) = c_no else { return false };
    table.rows[hi + 1..].iter().any(|r| {
        let n = r.cells.get(c).map(|s| s.trim()).unwrap_or("");
        let parts: Vec<&str> = n.trim_end_matches('.').split('.').collect();
        parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    })
}

fn is_bare_number(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The row «1 | 2 | 3 | 4» under a Word table's header.
fn is_column_numbers(flats: &[String]) -> bool {
    let filled: Vec<&String> = flats.iter().filter(|c| !c.is_empty()).collect();
    filled.len() >= 3
        && filled
            .iter()
            .enumerate()
            .all(|(i, c)| c.trim_end_matches('.') == (i + 1).to_string())
}

fn years_in(text: &str) -> Vec<i32> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                if let Ok(y) = chars[start..i].iter().collect::<String>().parse::<i32>() {
                    if (1990..=2100).contains(&y) {
                        out.push(y);
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Section text → (number, title): «1.Проведение …» → («1.», «Проведение …»), «Трек 1 «…»» →
/// («Трек 1», ««…»»), «IV. Кадры» → («IV.», «Кадры»).
pub fn split_section_number(text: &str) -> (Option<String>, String) {
    let t = text.trim();
    for word in [
        "Трек",
        "Раздел",
        "Направление",
        "Блок",
        "Модуль",
        "Этап",
        "ТРЕК",
        "РАЗДЕЛ",
    ] {
        if let Some(rest) = t.strip_prefix(word) {
            let rest = rest.trim_start();
            let num: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X'))
                .collect();
            if !num.is_empty() {
                let title = rest[num.len()..]
                    .trim_start_matches(['.', ':', ' ', '-', '–'])
                    .trim();
                if !title.is_empty() {
                    return (Some(format!("{word} {num}")), title.to_string());
                }
            }
        }
    }
    // Arabic «1.», «1.2.» or Roman «IV.» followed by the title.
    let num: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let roman: String = t
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X' | '.'))
        .collect();
    for n in [num, roman] {
        if n.ends_with('.') && n.len() > 1 {
            let title = t[n.len()..].trim();
            if !title.is_empty() {
                return (Some(n), title.to_string());
            }
        }
    }
    (None, t.to_string())
}

/// Cell text without HTML: paragraphs and list items become lines, entities are decoded,
/// spaces are folded. Lines are kept (`\n`) for splitting executors.
pub fn clean_cell(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..gt].trim().to_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let known = [
            "p", "br", "li", "ul", "ol", "div", "b", "i", "u", "strong", "em", "span", "sup",
            "sub", "a", "font", "table", "tr", "td",
        ];
        if name.is_empty() || !known.contains(&name.as_str()) {
            out.push('<'); // not a tag: «<» in text
            rest = &after[1..];
            continue;
        }
        if matches!(
            name.as_str(),
            "p" | "br" | "li" | "div" | "ul" | "ol" | "tr"
        ) {
            out.push('\n');
        } else if name == "td" {
            out.push(' ');
        }
        rest = &after[gt + 1..];
    }
    out.push_str(rest);
    let out = out
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&laquo;", "«")
        .replace("&raquo;", "»")
        .replace("&ndash;", "–")
        .replace("&mdash;", "—")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace('\u{a0}', " ");
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line: the cell's lines joined with spaces.
pub fn flat(s: &str) -> String {
    s.split('\n').collect::<Vec<_>>().join(" ")
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Spaces inside «» removed, a stray closing «»» dropped: «МКУ «ЦФЭХИМОСО »»» → «МКУ «ЦФЭХИМОСО»».
fn tidy_quotes(s: &str) -> String {
    let mut t = s.replace("« ", "«").replace(" »", "»");
    while t.matches('»').count() > t.matches('«').count() && t.ends_with("»»") {
        t.pop();
    }
    t
}

const ORG_ABBR: [&str; 16] = [
    "МКУ",
    "МБУ",
    "МАУ",
    "МКОУ",
    "МБОУ",
    "МАОУ",
    "МОУ",
    "МБДОУ",
    "МАДОУ",
    "МКДОУ",
    "МБУДО",
    "МАУДО",
    "ОО",
    "ОУ",
    "ДОО",
    "ДОУ",
];

fn capitalized(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase())
}

fn lower_initial(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
}

/// Several executors in one cell → a list. Separators: line breaks, «;», a comma before a
/// capitalized word («…ЗАТО Видяево, Муниципальное казенное учреждение …»), an organization
/// abbreviation after a finished name («Управление образования МКУ «ЦФЭХИМОСО» ОО»), a
/// capitalized word after a closing quote or after a person's name («… О.И. Ботова Куратор …»).
pub fn split_executors(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in cell.split('\n') {
        for seg in line.split(';') {
            for part in split_commas(seg) {
                for p in split_words(&part) {
                    let p = tidy_quotes(p.trim().trim_end_matches(',').trim());
                    if !p.is_empty() {
                        out.push(p);
                    }
                }
            }
        }
    }
    out
}

fn split_commas(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '«' => depth += 1,
            '»' => depth = (depth - 1).max(0),
            ',' if depth == 0 => {
                let rest: String = chars[i + 1..].iter().collect();
                let next = rest.split_whitespace().next().unwrap_or("");
                let adjective = ["ая", "ый", "ий", "ое", "ые"]
                    .iter()
                    .any(|e| next.ends_with(e))
                    && lower_initial(next);
                if next.chars().next().is_some_and(char::is_uppercase)
                    || next.starts_with('«')
                    || adjective
                {
                    out.push(std::mem::take(&mut cur));
                    continue;
                }
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn split_words(s: &str) -> Vec<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    let mut depth = 0i32;
    for (j, &w) in words.iter().enumerate() {
        let cur = out.last().expect("never empty");
        if depth == 0 && !cur.is_empty() && j > 0 {
            let prev = words[j - 1];
            let finished = lower_initial(prev) && prev.chars().count() > 3 || prev.ends_with('»');
            let org = ORG_ABBR.contains(&w.trim_end_matches([',', '.'])) && finished;
            let after_quote = prev.ends_with('»') && capitalized(w);
            let after_person = capitalized(w)
                && j >= 2
                && heading::is_initials(words[j - 2])
                && capitalized(prev)
                && cur.len() >= 2;
            if org || after_quote || after_person {
                out.push(Vec::new());
            }
        }
        depth += w.matches('«').count() as i32 - w.matches('»').count() as i32;
        depth = depth.max(0);
        out.last_mut().expect("never empty").push(w);
    }
    out.into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join(" "))
        .collect()
}

/// Latin letters typed inside Russian words («Сovenko» with a Cyrillic «С»): replaced by the
/// Russian letters they stand for, each replacement reported.
fn fix_mixed_scripts(r: &mut Roadmap, shown: &Path, warnings: &mut Vec<Diagnostic>) {
    let mut fix = |s: &mut String| {
        for w in crate::validate::mixed_script_words(s)
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
        {
            let fixed: String = w.chars().map(latin_to_cyrillic).collect();
            warnings.push(
                Diagnostic::warning(
                    shown,
                    format!("слово «{w}» смешивало кириллицу и латиницу; записано «{fixed}»"),
                )
                .hint("проверьте написание по документу"),
            );
            *s = s.replace(&w, &fixed);
        }
    };
    fix(&mut r.title);
    for s in [
        &mut r.document.issued_by,
        &mut r.document.signed_by,
        &mut r.document.title,
    ]
    .into_iter()
    .flatten()
    {
        fix(s);
    }
    for sec in &mut r.sections {
        fix(&mut sec.title);
        for e in &mut sec.events {
            fix(&mut e.title);
            for x in &mut e.executors {
                fix(x);
            }
            for s in [&mut e.deadline, &mut e.result, &mut e.report, &mut e.no]
                .into_iter()
                .flatten()
            {
                fix(s);
            }
        }
    }
}

fn latin_to_cyrillic(c: char) -> char {
    let map = |c: char| match c {
        'a' => 'а',
        'b' => 'б',
        'c' => 'с',
        'd' => 'д',
        'e' => 'е',
        'f' => 'ф',
        'g' => 'г',
        'h' => 'х',
        'i' => 'и',
        'j' => 'й',
        'k' => 'к',
        'l' => 'л',
        'm' => 'м',
        'n' => 'н',
        'o' => 'о',
        'p' => 'р',
        'q' => 'к',
        'r' => 'р',
        's' => 'с',
        't' => 'т',
        'u' => 'у',
        'v' => 'в',
        'w' => 'в',
        'x' => 'х',
        'y' => 'у',
        'z' => 'з',
        other => other,
    };
    if c.is_ascii_uppercase() {
        match c {
            'B' => 'В',
            'H' => 'Н',
            _ => map(c.to_ascii_lowercase())
                .to_uppercase()
                .next()
                .unwrap_or(c),
        }
    } else {
        map(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executors_are_split() {
        assert_eq!(
            split_executors("Отдел образования, культуры, спорта и молодёжной политики администрации ЗАТО Видяево, Муниципальное казенное учреждение образования «Центр методического и информационно-технического обслуживания» ЗАТО Видяево"),
            vec![
                "Отдел образования, культуры, спорта и молодёжной политики администрации ЗАТО Видяево",
                "Муниципальное казенное учреждение образования «Центр методического и информационно-технического обслуживания» ЗАТО Видяево"
            ]
        );
        assert_eq!(
            split_executors("Управление образования МКУ «ЦФЭХИМОСО» ОО"),
            vec!["Управление образования", "МКУ «ЦФЭХИМОСО»", "ОО"]
        );
        assert_eq!(
            split_executors("МКУ «ЦФЭХИМОСО» Управление образования"),
            vec!["МКУ «ЦФЭХИМОСО»", "Управление образования"]
        );
        assert_eq!(
            split_executors("МКУ «ЦФЭХИМОСО »»"),
            vec!["МКУ «ЦФЭХИМОСО»"]
        );
        assert_eq!(
            split_executors("Управление образования, методическая служба"),
            vec!["Управление образования", "методическая служба"]
        );
        assert_eq!(
            split_executors("Ведущий специалист МО Управление образованием ГО Красноуфимск О.И. Ботова Муниципальный куратор Щербакова Е.А., зам. Директора МАОУ СПЗ"),
            vec!["Ведущий специалист МО Управление образованием ГО Красноуфимск О.И. Ботова", "Муниципальный куратор Щербакова Е.А., зам. Директора МАОУ СПЗ"]
        );
        assert_eq!(
            split_executors("Ведущий специалист МО Управление образованием ГО Красноуфимск О.И. Ботова Куратор МАОУ СПН 1 Шаймуратова О.Н."),
            vec!["Ведущий специалист МО Управление образованием ГО Красноуфимск О.И. Ботова", "Куратор МАОУ СПН 1 Шаймуратова О.Н."]
        );
        assert_eq!(
            split_executors("Иванова А.П.\nПетров П.П."),
            vec!["Иванова А.П.", "Петров П.П."]
        );
    }

    #[test]
    fn cells_lose_html() {
        assert_eq!(
            clean_cell("<p>май 2021 года, ежегодно</p>"),
            "май 2021 года, ежегодно"
        );
        assert_eq!(
            clean_cell("Обеспечение: <ul style=\"x\">- один;</ul><p>два</p>"),
            "Обеспечение:\n- один;\nдва"
        );
        assert_eq!(clean_cell("a < b &amp; c"), "a < b & c");
    }

    #[test]
    fn section_numbers() {
        assert_eq!(
            split_section_number("1.Проведение мероприятий"),
            (Some("1.".into()), "Проведение мероприятий".into())
        );
        assert_eq!(
            split_section_number("Трек 1 «Плановое»"),
            (Some("Трек 1".into()), "«Плановое»".into())
        );
        assert_eq!(
            split_section_number("IV. Кадры"),
            (Some("IV.".into()), "Кадры".into())
        );
        assert_eq!(
            split_section_number("Содержание работы"),
            (None, "Содержание работы".into())
        );
    }

    #[test]
    fn mixed_scripts_fixed() {
        assert_eq!(
            "Сovenko".chars().map(latin_to_cyrillic).collect::<String>(),
            "Совенко"
        );
    }
}
