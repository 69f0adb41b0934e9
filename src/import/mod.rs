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

use crate::deadline::{self, DeadlineKind, Span};
use crate::diagnostics::Diagnostic;
use crate::model::{Document, Event, Period, PeriodBound, Roadmap, Section};
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

/// How the user steers the import when detection fails or guesses wrong.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Line (row) of the header row: `--header-line N`.
    pub header_line: Option<usize>,
    /// Roles of the columns, left to right: `--columns "№,мероприятие,срок"`.
    pub columns: Option<Vec<Option<Role>>>,
    /// 1-based column whose cells (often spanning many rows) are the sections.
    pub sections_from_column: Option<usize>,
}

/// Imports a roadmap from a file. `shown` is the path as the user typed it, for messages.
pub fn import_roadmap(path: &Path, shown: &Path) -> Result<Imported, Diagnostic> {
    import_roadmap_with(path, shown, &Options::default())
}

/// [`import_roadmap`] steered by options.
pub fn import_roadmap_with(
    path: &Path,
    shown: &Path,
    opts: &Options,
) -> Result<Imported, Diagnostic> {
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
    if !meta.is_file() {
        return Err(Diagnostic::error(
            shown,
            "это не обычный файл (устройство, канал или сокет): импортировать нечего",
        )
        .hint("укажите файл документа .txt, .md, .docx, .xlsx или .ods"));
    }
    if meta.len() > MAX_IMPORT_SIZE {
        return Err(Diagnostic::error(
            shown,
            format!("файл слишком велик ({} МБ, допустимо до {} МБ)", meta.len() >> 20, MAX_IMPORT_SIZE >> 20),
        )
        .hint("импортируйте только план мероприятий: скопируйте таблицу в отдельный документ без картинок"));
    }
    // Read at most one byte over the limit: a file that grows while read is still bounded.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            use std::io::Read;
            f.take(MAX_IMPORT_SIZE + 1).read_to_end(&mut bytes)
        })
        .map_err(|e| Diagnostic::error(shown, format!("не удалось прочитать файл: {e}")))?;
    import_bytes_with(&bytes, shown, opts)
}

const NOT_RECOGNIZED_HINT: &str =
    "поддерживаются текст из Word (UTF-8, таблица с табуляциями), Markdown, .docx, .xlsx, .xls и .ods";

/// Imports a roadmap from the bytes of a file; `shown` names it in messages.
pub fn import_bytes(bytes: &[u8], shown: &Path) -> Result<Imported, Diagnostic> {
    import_bytes_with(bytes, shown, &Options::default())
}

/// [`import_bytes`] steered by options.
pub fn import_bytes_with(
    bytes: &[u8],
    shown: &Path,
    opts: &Options,
) -> Result<Imported, Diagnostic> {
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
    build(src, join_lines, shown, opts)
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

/// The header of the plan table: where it is and what each column holds.
struct Header {
    table: usize,
    /// Index of the header's first row.
    row: usize,
    /// Rows the header takes (2 for «Сроки реализации» over «начало | окончание»).
    rows: usize,
    cells: Vec<String>,
    roles: Vec<Option<Role>>,
}

fn flat_cells(r: &source::Row) -> Vec<String> {
    r.cells.iter().map(|c| flat(&clean_cell(c))).collect()
}

/// A header row followed by a row of sub-labels («начало | окончание») under one of its
/// columns: the two-level header as one row of columns. In a grid (Word, spreadsheet) the
/// sub-labels sit under the merged cell; in text they are a shorter row of their own.
fn two_level(
    cells: &[String],
    roles: &[Option<Role>],
    next: &[String],
) -> Option<(Vec<String>, Vec<Option<Role>>)> {
    let subs: Vec<(usize, Role)> = next
        .iter()
        .enumerate()
        .filter_map(|(j, c)| columns::sub_label(c).map(|r| (j, r)))
        .collect();
    if subs.len() < 2 {
        return None;
    }
    let others_repeat = next.iter().enumerate().all(|(j, c)| {
        c.trim().is_empty() || columns::sub_label(c).is_some() || cells.get(j) == Some(c)
    });
    let mut cells = cells.to_vec();
    let mut roles = roles.to_vec();
    if next.len() == cells.len() && others_repeat {
        for &(j, r) in &subs {
            let parent = cells[..=j]
                .iter()
                .rev()
                .find(|c| !c.trim().is_empty() && columns::sub_label(c).is_none())
                .cloned()
                .unwrap_or_default();
            if roles[j] != Some(Role::Deadline) || r != Role::Start {
                cells[j] = format!("{parent}: {}", next[j]);
            } else {
                cells[j] = format!("{}: {}", cells[j], next[j]);
            }
            roles[j] = Some(r);
        }
        return Some((cells, roles));
    }
    let filled: Vec<&String> = next.iter().filter(|c| !c.trim().is_empty()).collect();
    if filled.len() != subs.len() {
        return None;
    }
    let d = roles.iter().position(|r| *r == Some(Role::Deadline))?;
    let parent = cells[d].clone();
    let new_cells: Vec<String> = filled.iter().map(|c| format!("{parent}: {c}")).collect();
    let new_roles: Vec<Option<Role>> = filled.iter().map(|c| columns::sub_label(c)).collect();
    cells.splice(d..=d, new_cells);
    roles.splice(d..=d, new_roles);
    Some((cells, roles))
}

/// Finds the plan table: the first table with a recognizable header in its first rows, or the
/// row the user named; the roles the user gave replace the recognized ones.
fn find_table(src: &Source, opts: &Options) -> Option<Header> {
    let mut found: Option<Header> = None;
    'tables: for (ti, t) in src.tables.iter().enumerate() {
        for (ri, r) in t.rows.iter().enumerate() {
            let cells = flat_cells(r);
            if let Some(n) = opts.header_line {
                let next_line = t.rows.get(ri + 1).map(|x| x.line).unwrap_or(usize::MAX);
                if r.line <= n && n < next_line {
                    let roles = columns::header_roles(&cells)
                        .unwrap_or_else(|| cells.iter().map(|c| columns::role_of(c)).collect());
                    found = Some(Header {
                        table: ti,
                        row: ri,
                        rows: 1,
                        cells,
                        roles,
                    });
                    break 'tables;
                }
                continue;
            }
            if ri >= 8 {
                break;
            }
            if let Some(roles) = columns::header_roles(&cells) {
                found = Some(Header {
                    table: ti,
                    row: ri,
                    rows: 1,
                    cells,
                    roles,
                });
                break 'tables;
            }
        }
    }
    if found.is_none() && opts.columns.is_some() && opts.header_line.is_none() {
        // No header row at all: the data start at the first row of the largest table.
        let ti = (0..src.tables.len()).max_by_key(|&i| src.tables[i].rows.len())?;
        found = Some(Header {
            table: ti,
            row: 0,
            rows: 0,
            cells: Vec::new(),
            roles: Vec::new(),
        });
    }
    let mut h = found?;
    if h.rows == 1 {
        if let Some(next) = src.tables[h.table].rows.get(h.row + 1) {
            if let Some((cells, roles)) = two_level(&h.cells, &h.roles, &flat_cells(next)) {
                h.cells = cells;
                h.roles = roles;
                h.rows = 2;
            }
        }
    }
    if let Some(cols) = &opts.columns {
        h.roles = cols.clone();
        if h.cells.len() < cols.len() {
            h.cells.resize(cols.len(), String::new());
        }
    }
    if let Some(c) = opts.sections_from_column {
        if c >= 1 {
            if h.roles.len() < c {
                h.roles.resize(c, None);
            }
            h.roles[c - 1] = Some(Role::Section);
        }
    }
    Some(h)
}

/// Does the table with a row at `line` start with a numbered row (no header at all)?
fn header_is_data(src: &Source, line: usize) -> bool {
    src.tables
        .iter()
        .flat_map(|t| &t.rows)
        .find(|r| r.line == line)
        .is_some_and(|r| {
            r.cells
                .iter()
                .find(|c| !c.trim().is_empty())
                .is_some_and(|c| is_bare_number(c))
        })
}

/// The rows that look like a header in the largest table: its first rows before the first
/// numbered one. For the error that says where to point `--header-line`.
fn header_candidates(src: &Source) -> Option<(usize, usize, usize)> {
    let ti = (0..src.tables.len()).max_by_key(|&i| {
        src.tables[i]
            .rows
            .iter()
            .filter(|r| r.non_empty() >= 2)
            .count()
    })?;
    let t = &src.tables[ti];
    let first = t.rows.iter().position(|r| r.non_empty() >= 2)?;
    let mut last = first;
    for (i, r) in t.rows.iter().enumerate().skip(first) {
        let lead = r
            .cells
            .iter()
            .find(|c| !c.trim().is_empty())
            .map(|c| c.trim())
            .unwrap_or("");
        if is_bare_number(lead) || i > first + 20 {
            break;
        }
        last = i;
    }
    let width = t.rows[first..=last]
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0);
    Some((t.rows[first].line, t.rows[last].line, width))
}

/// A warning located at a row of the source.
fn at(shown: &Path, table: &Table, line: usize, message: String) -> Diagnostic {
    match &table.place {
        Some(p) => Diagnostic::warning(shown, format!("{p}, строка {line}: {message}")),
        None => Diagnostic::warning(shown, message).at_line(Some(line)),
    }
}

/// An error located at a row of the source.
fn at_err(shown: &Path, table: &Table, line: usize, message: String) -> Diagnostic {
    match &table.place {
        Some(p) => Diagnostic::error(shown, format!("{p}, строка {line}: {message}")),
        None => Diagnostic::error(shown, message).at_line(Some(line)),
    }
}

fn build(
    src: Source,
    join_lines: bool,
    shown: &Path,
    opts: &Options,
) -> Result<Imported, Diagnostic> {
    let Some(hd) = find_table(&src, opts) else {
        if let Some(n) = opts.header_line {
            return Err(Diagnostic::error(
                shown,
                format!("в строке {n} нет строки таблицы"),
            )
            .at_line(Some(n))
            .hint("укажите в --header-line номер строки, с которой начинается заголовок таблицы (его покажет ошибка без этого параметра)"));
        }
        if src.tables.is_empty() {
            return Err(Diagnostic::error(shown, "в файле нет таблицы: импортировать нечего")
                .hint("нужна таблица со строкой заголовков, например: «№ | Наименование мероприятия | Сроки | Ответственные исполнители»; в тексте столбцы разделяются табуляцией"));
        }
        let mut e = Diagnostic::error(
            shown,
            "не найдена строка заголовков таблицы мероприятий: импортировать нечего",
        );
        e = match header_candidates(&src) {
            Some((from, _, width)) if header_is_data(&src, from) => {
                let example = ["№", "мероприятие", "срок", "исполнители", "результат"]
                    .iter()
                    .take(width.clamp(2, 5))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(",");
                e.at_line(Some(from)).hint(format!(
                    "у таблицы нет строки заголовков: она начинается сразу с мероприятий (строка {from}); назовите столбцы слева направо: --columns \"{example}\" (ненужный столбец: -); проверьте результат с --dry-run"
                ))
            }
            Some((from, to, width)) => {
                let lines = if from == to {
                    format!("строка {from}")
                } else {
                    format!("строки {from}–{to}")
                };
                let example = ["№", "мероприятие", "срок", "исполнители", "результат"]
                    .iter()
                    .take(width.clamp(2, 5))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(",");
                e.at_line(Some(from)).hint(format!(
                    "похоже на заголовок таблицы: {lines}; укажите его: --header-line {from}, или назовите столбцы слева направо: --columns \"{example}\"; проверьте результат с --dry-run"
                ))
            }
            None => e.hint("нужна строка заголовков, например: «№ | Наименование мероприятия | Сроки | Ответственные исполнители»; или назовите столбцы: --columns \"№,мероприятие,срок,исполнители\""),
        };
        return Err(e);
    };
    let ti = hd.table;
    let table = &src.tables[ti];
    let hi = hd.row;
    let header_line = table.rows.get(hi).map(|r| r.line).unwrap_or(0);
    let roles = hd.roles.clone();
    if !roles.contains(&Some(Role::Title)) {
        return Err(at_err(
            shown,
            table,
            header_line,
            "не найден столбец с названиями мероприятий".into(),
        )
        .hint("назовите столбцы слева направо: --columns \"№,мероприятие,срок,исполнители\" (ненужный столбец: -)"));
    }
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
            header_line,
            format!(
                "в документе {} табл.; импортирована эта, остальные ({others}) пропущены",
                src.tables.len()
            ),
        ));
    }
    let columns: Vec<(String, Option<Role>)> = hd
        .cells
        .iter()
        .chain(std::iter::repeat(&String::new()))
        .zip(roles.iter())
        .map(|(c, r)| (c.clone(), *r))
        .chain(hd.cells.iter().skip(roles.len()).map(|c| (c.clone(), None)))
        .collect();
    for (i, (h, r)) in columns.iter().enumerate() {
        if r.is_none() && !h.is_empty() {
            warnings.push(
                at(
                    shown,
                    table,
                    header_line,
                    format!(
                        "столбец {} «{h}» не распознан: его ячейки будут пропущены",
                        i + 1
                    ),
                )
                .hint("если это нужный столбец, назовите столбцы: --columns \"№,мероприятие,…\""),
            );
        }
    }

    // The act's details: the prose above the table, then (for a stamp or a footer) the prose
    // after it and the cells of the other tables, column by column.
    let split = table.prose_before.min(src.prose.len());
    let mut before: Vec<source::Para> = src.prose[..split].to_vec();
    // Rows of the plan table above its header (a stamp typed in cells), column by column.
    let width_above = table.rows[..hi]
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0);
    for c in 0..width_above {
        for r in &table.rows[..hi] {
            if let Some(text) = r.cells.get(c).filter(|x| !x.trim().is_empty()) {
                for l in clean_cell(text).lines() {
                    before.push(source::Para {
                        line: r.line,
                        text: l.to_string(),
                    });
                }
            }
        }
    }
    let mut after: Vec<source::Para> = src.prose[split..].to_vec();
    for (k, t) in src.tables.iter().enumerate() {
        if k == ti || t.rows.len() > 12 {
            continue;
        }
        let width = t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        for c in 0..width {
            for r in &t.rows {
                if let Some(text) = r.cells.get(c).filter(|x| !x.trim().is_empty()) {
                    for l in clean_cell(text).lines() {
                        after.push(source::Para {
                            line: r.line,
                            text: l.to_string(),
                        });
                    }
                }
            }
        }
    }
    let head = heading::parse_all(&before, &after, join_lines);
    let mut recognized = Vec::new();
    let approval = head.approval.unwrap_or_default();
    let document = Document {
        approval,
        kind: if approval == crate::model::Approval::Stamp {
            None
        } else {
            head.kind
        },
        number: head.number.clone(),
        date: head.date,
        appendix: head.appendix.clone(),
        issued_by: head.issued_by.clone(),
        signed_by: head.signed_by.clone(),
        title: head.doc_title.clone(),
        file: None,
    };
    let missing = document.missing();
    let draft = !missing.is_empty();
    if head.approval.is_none() {
        warnings.push(
            Diagnostic::warning(
                shown,
                "утверждение плана не найдено (ни акта «ПРИКАЗ … от … № …», ни грифа «УТВЕРЖДАЮ», ни «Приложение к приказу …»): реквизиты оставлены пустыми",
            )
            .hint("впишите в document вид акта (kind), номер (number) и дату (date), затем удалите строку draft: true"),
        );
    } else {
        for f in &missing {
            let what = match *f {
                "kind" => "вид акта (приказ, постановление …)",
                "number" => "номер акта («№ 146»)",
                "date" => "дата («от 21 июня 2023 года»)",
                _ => "кто утвердил (должность и фамилия)",
            };
            warnings.push(
                Diagnostic::warning(
                    shown,
                    format!("{what} не найден(а) в документе; поле document.{f} оставлено пустым"),
                )
                .at_line(head.approval_line.or(head.kind_line))
                .hint(format!(
                    "впишите document.{f} по документу и удалите строку draft: true"
                )),
            );
        }
    }

    // Rows → sections and events.
    let col = |role: Role| roles.iter().position(|r| *r == Some(role));
    let (c_no, c_title, c_sec) = (col(Role::No), col(Role::Title), col(Role::Section));
    let header_flat: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
    let mut sections: Vec<Section> = Vec::new();
    let mut section_lines: Vec<usize> = Vec::new();
    let mut event_lines: Vec<(usize, usize, usize)> = Vec::new(); // section, event, source line
    let mut last_was_section = false;
    let width = columns.len();
    for row in &table.rows[(hi + hd.rows).min(table.rows.len())..] {
        let cells: Vec<String> = row.cells.iter().map(|c| clean_cell(c)).collect();
        let filled: Vec<usize> = (0..cells.len()).filter(|&i| !cells[i].is_empty()).collect();
        if filled.is_empty() {
            continue;
        }
        let flats: Vec<String> = cells.iter().map(|c| flat(c)).collect();
        if hd.rows > 0
            && (flats.iter().zip(&header_flat).all(|(a, b)| a == b) || is_column_numbers(&flats))
        {
            continue; // a repeated header (a new page in Word) or the row «1 2 3 4»
        }
        let get = |c: Option<usize>| c.and_then(|i| flats.get(i)).cloned().unwrap_or_default();
        let no = get(c_no);
        let title = get(c_title);
        // A column of levels or directions: its value starts a section when it changes.
        let sec_val = get(c_sec);
        let data: Vec<usize> = filled
            .iter()
            .copied()
            .filter(|&i| Some(i) != c_sec)
            .collect();
        if !sec_val.is_empty()
            && sections.last().is_none_or(|s| {
                flat(&s.title) != sec_val
                    && s.no.as_ref().map(|n| format!("{n} {}", s.title)) != Some(sec_val.clone())
            })
        {
            let (sno, stitle) = split_section_number(&sec_val);
            sections.push(Section {
                no: sno,
                title: stitle,
                events: Vec::new(),
            });
            section_lines.push(row.line);
            last_was_section = false;
        }
        if data.is_empty() {
            continue;
        }
        let others_empty = data.iter().all(|&i| Some(i) == c_no || Some(i) == c_title);
        let top_number = !no.is_empty()
            && no.trim_end_matches('.').chars().all(|c| c.is_ascii_digit())
            && no.ends_with('.');
        let roman_no = !no.is_empty()
            && split_section_number(&format!("{no} x")).0.is_some()
            && no.chars().any(|c| matches!(c, 'I' | 'V' | 'X'));
        let is_section = row.bold && !others_filled_meaningfully(&data, c_no, c_title, &flats)
            || data.len() == 1
                && !is_bare_number(&flats[data[0]])
                && (Some(data[0]) != c_title || title_is_section(&title))
            || others_empty
                && (top_number && table_has_subnumbers(table, hi, c_no) || roman_no)
                && !title.is_empty();
        if is_section {
            let (sno, stitle) = if data.len() == 1 || c_no.is_none() || no.is_empty() {
                let text = data
                    .iter()
                    .map(|&i| flats[i].clone())
                    .collect::<Vec<_>>()
                    .join(" ");
                split_section_number(&text)
            } else {
                (Some(no.clone()), title.clone())
            };
            // A title printed over two rows: the second row has no number of its own.
            if last_was_section && sno.is_none() {
                if let Some(prev) = sections.last_mut().filter(|s| s.events.is_empty()) {
                    prev.title = format!("{} {stitle}", prev.title);
                    warnings.push(
                        at(
                            shown,
                            table,
                            row.line,
                            format!(
                                "название раздела продолжено в этой строке; объединено: «{}»",
                                shorten(&prev.title)
                            ),
                        )
                        .hint("если это два разных раздела, разделите их в файле вручную"),
                    );
                    continue;
                }
            }
            sections.push(Section {
                no: sno,
                title: stitle,
                events: Vec::new(),
            });
            section_lines.push(row.line);
            last_was_section = true;
            continue;
        }
        last_was_section = false;
        if title.is_empty() {
            let texts: Vec<String> = data
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
                    "впишите мероприятие в файл вручную, или назовите столбцы: --columns \"№,мероприятие,…\", и повторите импорт",
                ),
            );
            continue;
        }
        if width > 0
            && row
                .cells
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .is_some_and(|last| last >= width)
        {
            warnings.push(
                at(
                    shown,
                    table,
                    row.line,
                    format!(
                        "в строке больше ячеек ({}), чем столбцов в заголовке ({width}): похоже, столбцы сдвинуты",
                        row.cells.len()
                    ),
                )
                .hint("проверьте мероприятие в файле; если сдвинута вся таблица, назовите столбцы: --columns \"№,мероприятие,…\""),
            );
        }
        if !no.is_empty() && !is_bare_number(&no) && no.chars().count() > 12 {
            warnings.push(
                at(shown, table, row.line, format!("в столбце номера текст «{}»: похоже, столбцы сдвинуты", shorten(&no)))
                    .hint("проверьте строку в документе или назовите столбцы: --columns \"мероприятие,срок,…\""),
            );
        }
        let mut ev = Event {
            no: (!no.is_empty() && is_bare_number(&no)).then_some(no),
            id: None,
            title,
            executors: Vec::new(),
            deadline: None,
            result: None,
            done: None,
            report: None,
        };
        let (mut start, mut end) = (None, None);
        for &i in &data {
            match roles.get(i).copied().flatten() {
                Some(Role::No) | Some(Role::Title) | Some(Role::Section) => {}
                Some(Role::Deadline) => ev.deadline = Some(flats[i].clone()),
                Some(Role::Start) => start = Some(flats[i].clone()),
                Some(Role::End) => end = Some(flats[i].clone()),
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
        // Start and end columns: one deadline «начало – окончание».
        let span_text = match (start, end) {
            (Some(a), Some(b)) if a == b => Some(a),
            (Some(a), Some(b)) => Some(format!("{a} – {b}")),
            (Some(a), None) => Some(format!("с {a}")),
            (None, Some(b)) => Some(format!("до {b}")),
            (None, None) => None,
        };
        if ev.deadline.is_none() {
            ev.deadline = span_text;
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
            section_lines.push(row.line);
        }
        let s = sections.len() - 1;
        sections[s].events.push(ev);
        event_lines.push((s, sections[s].events.len() - 1, row.line));
    }
    for (s, &line) in sections.iter().zip(&section_lines) {
        if s.events.is_empty() {
            warnings.push(
                at(
                    shown,
                    table,
                    line,
                    format!("в разделе «{}» нет мероприятий", shorten(&s.title)),
                )
                .hint("если это продолжение названия соседнего раздела или мероприятие без срока и исполнителей, исправьте файл; строки таблицы покажет --dry-run"),
            );
        }
    }
    if sections.iter().all(|s| s.events.is_empty()) {
        return Err(at_err(
            shown,
            table,
            header_line,
            "таблица найдена, но в ней нет ни одного мероприятия".into(),
        )
        .hint("под строкой заголовков должны идти строки с названиями мероприятий; проверьте столбцы с --dry-run, назовите их: --columns \"№,мероприятие,…\""));
    }

    // Period: from the title or «Сроки реализации: …»; otherwise from the years of the deadlines.
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
    let period = match head.period {
        Some(p) => p,
        None => {
            let years: Vec<i32> = sections
                .iter()
                .flat_map(|s| &s.events)
                .filter_map(|e| e.deadline.as_deref())
                .flat_map(years_in)
                .collect();
            let (Some(&from), Some(&to)) = (years.iter().min(), years.iter().max()) else {
                return Err(Diagnostic::error(
                    shown,
                    "период плана не найден: ни в названии («на 2023–2025 годы»), ни в строке «Сроки реализации: …», ни в сроках мероприятий",
                )
                .hint("допишите период в название плана в документе (например, «на 2023–2025 годы») и повторите импорт"));
            };
            warnings.push(
                Diagnostic::warning(
                    shown,
                    format!(
                        "период плана («на 2023–2025 годы») не найден в названии; записан по годам в сроках мероприятий: {from}–{to}"
                    ),
                )
                .hint("проверьте поле period по документу"),
            );
            (from, to)
        }
    };
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
        document,
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

    let d = &roadmap.document;
    let none = "не найдено";
    recognized.push(format!(
        "утверждение: {}",
        match (head.approval, d.approval) {
            (None, _) => "не найдено",
            (_, crate::model::Approval::Act) => "акт",
            (_, crate::model::Approval::Stamp) => "гриф «УТВЕРЖДАЮ»",
            (_, crate::model::Approval::Appendix) => "приложение к акту",
        }
    ));
    if d.approval != crate::model::Approval::Stamp {
        recognized.push(format!(
            "вид акта: {}",
            d.kind.map(|k| k.label()).unwrap_or(none)
        ));
        recognized.push(format!("номер: {}", d.number.as_deref().unwrap_or(none)));
    }
    if let Some(a) = &d.appendix {
        recognized.push(format!("номер приложения: {a}"));
    }
    recognized.push(format!(
        "дата: {}",
        d.date
            .map(|x| x.format("%d.%m.%Y").to_string())
            .unwrap_or_else(|| none.into())
    ));
    if let Some(i) = &d.issued_by {
        recognized.push(format!("издал: {i}"));
    }
    if let Some(s) = &d.signed_by {
        recognized.push(format!(
            "{}: {s}",
            if d.approval == crate::model::Approval::Stamp {
                "утвердил"
            } else {
                "подписал"
            }
        ));
    }
    if let Some(t) = &d.title {
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
        header_line,
        columns,
        recognized,
        warnings,
    })
}

/// A one-cell row in the title column is a section when it reads like one: a section word or
/// number, or upper case. An event without deadline and executors stays an event.
fn title_is_section(title: &str) -> bool {
    let (no, _) = split_section_number(title);
    no.is_some() || {
        let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() > 3 && letters.iter().all(|c| c.is_uppercase())
    }
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
            // «руководители ОО», «директора ОУ»: the abbreviation belongs to the person.
            let role_noun = [
                "руководител",
                "директор",
                "заместител",
                "специалист",
                "педагог",
                "учител",
                "работник",
                "сотрудник",
                "представител",
                "администраци",
            ]
            .iter()
            .any(|r| prev.to_lowercase().starts_with(r));
            let org = ORG_ABBR.contains(&w.trim_end_matches([',', '.'])) && finished && !role_noun;
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
        for w in crate::spelling::mixed_script_words(s)
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
        assert_eq!(split_executors("руководители ОО"), vec!["руководители ОО"]);
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
