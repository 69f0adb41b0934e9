//! Word documents (.docx): `word/document.xml` read with quick-xml. Tables are `w:tbl` of
//! `w:tr` of `w:tc`; a cell spanning columns has `w:gridSpan`, cells merged down a column have
//! `w:vMerge` (`restart` on the first, empty on the others: they repeat the first one's text).
//! The paragraphs of a cell are joined with line breaks.

use std::io::Read;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::source::{Para, Row, Source, Table};

/// Largest `document.xml` read (bytes, uncompressed): a defence against zip bombs.
const MAX_XML: u64 = 64 * 1024 * 1024;

pub fn read(bytes: &[u8]) -> Result<Source, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("архив .docx повреждён: {e}"))?;
    let mut file = zip
        .by_name("word/document.xml")
        .map_err(|_| "в архиве нет word/document.xml: это не документ Word".to_string())?;
    if file.size() > MAX_XML {
        return Err(format!(
            "текст документа слишком велик ({} МБ)",
            file.size() >> 20
        ));
    }
    let mut xml = Vec::new();
    file.by_ref()
        .take(MAX_XML)
        .read_to_end(&mut xml)
        .map_err(|e| format!("архив .docx повреждён: {e}"))?;
    parse(&xml)
}

#[derive(Default, PartialEq, Clone, Copy)]
enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Default)]
struct CellState {
    paras: Vec<String>,
    span: usize,
    vmerge: VMerge,
}

fn attr(e: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Parses `document.xml`.
pub fn parse(xml: &[u8]) -> Result<Source, String> {
    let mut reader = Reader::from_reader(xml);
    let mut src = Source {
        format: "документ Word (.docx)",
        ..Default::default()
    };
    let mut buf = Vec::new();
    let mut depth = 0usize; // w:tbl nesting
    let mut para = String::new(); // current paragraph text
    let mut paragraphs = 0usize; // prose paragraph counter (the «line» of prose)
    let mut table: Option<Table> = None;
    let mut row: Option<(Vec<String>, usize)> = None; // grid cells, gridBefore
    let mut above: Vec<String> = Vec::new();
    let mut cell: Option<CellState> = None;
    let mut in_run = false;
    let mut run_bold = false;
    let mut row_text = false;
    let mut row_all_bold = true;
    let mut in_text = false;
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "ошибка в XML документа (позиция {}): {e}",
                reader.error_position()
            )
        })?;
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    b"w:tbl" => {
                        depth += 1;
                        if depth == 1 {
                            table = Some(Table {
                                place: Some(format!("таблица {}", src.tables.len() + 1)),
                                prose_before: src.prose.len(),
                                ..Default::default()
                            });
                        }
                    }
                    b"w:tr" if depth == 1 => {
                        row = Some((Vec::new(), 0));
                        row_text = false;
                        row_all_bold = true;
                    }
                    b"w:gridBefore" if depth == 1 => {
                        if let (Some(r), Some(v)) = (row.as_mut(), attr(e, b"w:val")) {
                            r.1 = v.parse().unwrap_or(0).min(64);
                        }
                    }
                    b"w:tc" if depth == 1 => {
                        cell = Some(CellState {
                            span: 1,
                            ..Default::default()
                        })
                    }
                    b"w:gridSpan" if depth == 1 => {
                        if let (Some(c), Some(v)) = (cell.as_mut(), attr(e, b"w:val")) {
                            c.span = v.parse::<usize>().unwrap_or(1).clamp(1, 64);
                        }
                    }
                    b"w:vMerge" if depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.vmerge = match attr(e, b"w:val").as_deref() {
                                Some("restart") => VMerge::Restart,
                                _ => VMerge::Continue,
                            };
                        }
                    }
                    b"w:r" => {
                        in_run = true;
                        run_bold = false;
                    }
                    b"w:b" if in_run => {
                        run_bold =
                            !matches!(attr(e, b"w:val").as_deref(), Some("0" | "false" | "off"));
                    }
                    b"w:t" => in_text = !empty,
                    b"w:tab" if in_run => para.push(' '),
                    b"w:br" | b"w:cr" if in_run => para.push('\n'),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let s = t
                    .decode()
                    .map_err(|e| format!("ошибка в тексте документа: {e}"))?;
                if !s.trim().is_empty() && row.is_some() {
                    row_text = true;
                    row_all_bold &= run_bold;
                }
                para.push_str(&s);
            }
            Event::GeneralRef(r) if in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r as &[u8] {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    para.push(c);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:r" => in_run = false,
                b"w:p" => {
                    let text = std::mem::take(&mut para);
                    if let Some(c) = cell.as_mut() {
                        c.paras.push(text.trim().to_string());
                    } else if depth == 0 {
                        paragraphs += 1;
                        if !text.trim().is_empty() {
                            src.prose.push(Para {
                                line: paragraphs,
                                text: text.trim().to_string(),
                            });
                        }
                    }
                }
                b"w:tc" if depth == 1 => {
                    if let (Some(c), Some((cells, before))) = (cell.take(), row.as_mut()) {
                        if cells.is_empty() && *before > 0 {
                            cells.resize(*before, String::new());
                        }
                        let col = cells.len();
                        let text = match c.vmerge {
                            VMerge::Continue => above.get(col).cloned().unwrap_or_default(),
                            _ => c
                                .paras
                                .iter()
                                .filter(|p| !p.is_empty())
                                .cloned()
                                .collect::<Vec<_>>()
                                .join("\n"),
                        };
                        cells.push(text);
                        for _ in 1..c.span {
                            cells.push(String::new());
                        }
                    }
                }
                b"w:tr" if depth == 1 => {
                    if let (Some((cells, _)), Some(t)) = (row.take(), table.as_mut()) {
                        // Spanned columns repeat nothing; remember texts for vMerge below.
                        above = cells.clone();
                        let line = t.rows.len() + 1;
                        t.rows.push(Row {
                            cells,
                            line,
                            bold: row_text && row_all_bold,
                        });
                    }
                }
                b"w:tbl" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if let Some(t) = table.take() {
                            src.tables.push(t);
                        }
                        above.clear();
                    }
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    Ok(src)
}
