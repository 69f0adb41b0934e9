//! Spreadsheets (.xlsx, .xls, .ods) through calamine. Each sheet is a table; a merged region
//! repeats its text down the column (executors shared by several events), and across columns
//! only its first cell keeps the text (a section row spanning the whole table).

use std::io::Cursor;

use std::io::Read;

use calamine::{open_workbook_auto_from_rs, Cell, Data, Dimensions, Range, Reader, Sheets, Xlsx};

use super::source::{Row, Source, Table};

/// Largest sheet read, in cells: a defence against a sheet with a million empty formatted rows.
const MAX_CELLS: u64 = 2_000_000;

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // A date typed into a cell: Excel stores days since 1899-12-30.
        Data::DateTime(dt) if dt.is_datetime() => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|base| {
                base.checked_add_signed(chrono::Duration::days(dt.as_f64().floor() as i64))
            })
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_else(|| dt.to_string()),
        other => other.to_string(),
    }
}

/// Largest total of the archive's files once inflated (bytes): a defence against zip bombs.
const MAX_INFLATED: u64 = 100 * 1024 * 1024;

/// Checks a zipped workbook before it is opened: the declared inflated sizes, and for
/// OpenDocument the cells that repeated rows and columns would make. Nothing large is read.
fn check_archive(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a zip: calamine reports it
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    if total > MAX_INFLATED {
        return Err(format!(
            "таблица в распакованном виде слишком велика ({} МБ, допустимо до {} МБ)",
            total >> 20,
            MAX_INFLATED >> 20
        ));
    }
    if let Ok(content) = zip.by_name("content.xml") {
        ods_cells(content.take(MAX_INFLATED))?;
    }
    Ok(())
}

/// Cells an OpenDocument sheet expands to: each row with content counts its repeats times the
/// columns up to its last cell with content. Empty repeated rows (common at a sheet's end) are
/// free.
fn ods_cells(reader: impl Read) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(reader));
    let mut buf = Vec::new();
    let repeat = |e: &quick_xml::events::BytesStart, key: &[u8]| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| String::from_utf8_lossy(&a.value).parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let (mut total, mut rows_rep, mut col, mut used) = (0u64, 1u64, 0u64, 0u64);
    let mut cell_rep = 1u64;
    let mut in_cell = false;
    loop {
        let ev = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("таблица OpenDocument повреждена: {e}"))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"table-row" => {
                        rows_rep = repeat(e, b"table:number-rows-repeated");
                        col = 0;
                        used = 0;
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        cell_rep = repeat(e, b"table:number-columns-repeated");
                        let valued = e
                            .attributes()
                            .flatten()
                            .any(|a| a.key.as_ref() == b"office:value-type");
                        col = col.saturating_add(cell_rep);
                        if valued {
                            used = col;
                        }
                        in_cell = !empty;
                    }
                    b"p" if in_cell => used = col,
                    _ => {}
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"table-cell" | b"covered-table-cell" => in_cell = false,
                b"table-row" => {
                    total = total.saturating_add(rows_rep.saturating_mul(used));
                    if total > MAX_CELLS {
                        return Err(format!(
                            "лист слишком велик: повторы строк и столбцов дают больше {MAX_CELLS} ячеек"
                        ));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        let _ = cell_rep;
        buf.clear();
    }
    Ok(())
}

/// A sheet of an .xlsx read cell by cell: the cells are counted while reading, and the box of
/// the filled ones is checked before any grid is made (a sheet with only A1 and XFD1048576 is
/// refused, not allocated).
fn xlsx_range(x: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Result<Range<Data>, String> {
    let mut reader = x
        .worksheet_cells_reader(name)
        .map_err(|e| format!("лист «{name}» не прочитан: {e}"))?;
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let mut seen = 0u64;
    let (mut r0, mut c0, mut r1, mut c1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| format!("лист «{name}» не прочитан: {e}"))?
    {
        seen += 1;
        if seen > MAX_CELLS {
            return Err(format!(
                "лист «{name}» слишком велик (больше {MAX_CELLS} ячеек)"
            ));
        }
        let value: Data = cell.get_value().clone().into();
        if matches!(value, Data::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (r0, c0, r1, c1) = (r0.min(r), c0.min(c), r1.max(r), c1.max(c));
        cells.push(Cell::new((r, c), value));
    }
    if !cells.is_empty() {
        let area = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
        if area > MAX_CELLS {
            return Err(format!(
                "лист «{name}» слишком велик: заполненные ячейки разбросаны на {} строк × {} столбцов",
                r1 - r0 + 1,
                c1 - c0 + 1
            ));
        }
    }
    Ok(Range::from_sparse(cells))
}

pub fn read(bytes: &[u8]) -> Result<Source, String> {
    check_archive(bytes)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| format!("не удалось открыть таблицу: {e}"))?;
    let format = match &book {
        Sheets::Xlsx(_) => "таблица Excel (.xlsx)",
        Sheets::Xls(_) => "таблица Excel 97–2003 (.xls)",
        Sheets::Xlsb(_) => "таблица Excel (.xlsb)",
        Sheets::Ods(_) => "таблица OpenDocument (.ods)",
    };
    let mut src = Source {
        format,
        ..Default::default()
    };
    let names = book.sheet_names();
    for name in names {
        let range = match &mut book {
            Sheets::Xlsx(x) => xlsx_range(x, &name),
            other => other.worksheet_range(&name).map_err(|e| e.to_string()),
        };
        let range = match range {
            Ok(r) => r,
            Err(e) if e.contains("слишком велик") => return Err(e),
            Err(e) => {
                src.notes
                    .push((0, format!("лист «{name}» не прочитан: {e}")));
                continue;
            }
        };
        let merged: Vec<Dimensions> = match &mut book {
            Sheets::Xlsx(x) => x
                .worksheet_merge_cells(&name)
                .and_then(Result::ok)
                .unwrap_or_default(),
            Sheets::Xls(x) => x.worksheet_merge_cells(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let Some((r0, c0)) = range.start() else {
            continue;
        };
        let (h, w) = range.get_size();
        if (h as u64) * (w as u64) > MAX_CELLS {
            return Err(format!(
                "лист «{name}» слишком велик ({h} строк × {w} столбцов)"
            ));
        }
        let mut grid: Vec<Vec<String>> = (0..h)
            .map(|r| {
                (0..w)
                    .map(|c| range.get((r, c)).map(cell_text).unwrap_or_default())
                    .collect()
            })
            .collect();
        for m in &merged {
            let (sr, sc) = m.start;
            if sr < r0 || sc < c0 {
                continue;
            }
            let (sr, sc) = ((sr - r0) as usize, (sc - c0) as usize);
            let Some(text) = grid.get(sr).and_then(|r| r.get(sc)).cloned() else {
                continue;
            };
            let last = ((m.end.0.saturating_sub(r0)) as usize).min(h.saturating_sub(1));
            for row in grid.iter_mut().take(last + 1).skip(sr + 1) {
                if let Some(cell) = row.get_mut(sc) {
                    *cell = text.clone();
                }
            }
        }
        let rows = grid
            .into_iter()
            .enumerate()
            .map(|(i, cells)| Row {
                cells,
                line: r0 as usize + i + 1,
                bold: false,
            })
            .collect();
        src.tables.push(Table {
            rows,
            place: Some(format!("лист «{name}»")),
            prose_before: src.prose.len(),
        });
        // Text above the table on the same sheet is prose for the heading (title, act details).
        let t = src.tables.last_mut().expect("just pushed");
        let mut prose = Vec::new();
        while let Some(first) = t.rows.first() {
            if first.non_empty() <= 1
                && t.rows.iter().skip(1).any(|r| r.non_empty() >= 2)
                && prose.len() < 20
            {
                let first = t.rows.remove(0);
                if let Some(text) = first.cells.into_iter().find(|c| !c.trim().is_empty()) {
                    prose.push(super::source::Para {
                        line: first.line,
                        text,
                    });
                }
            } else {
                break;
            }
        }
        let n = prose.len();
        src.prose.extend(prose);
        if let Some(t) = src.tables.last_mut() {
            t.prose_before += n;
        }
        // Rows of one cell after the last row of several cells: a footer (the act's details,
        // signatures), prose after the table.
        let t = src.tables.last_mut().expect("just pushed");
        let last_full = t.rows.iter().rposition(|r| r.non_empty() >= 2).unwrap_or(0);
        let footer: Vec<Row> = t.rows.drain(last_full + 1..).collect();
        for r in footer {
            if let Some(text) = r.cells.into_iter().find(|c| !c.trim().is_empty()) {
                src.prose.push(super::source::Para { line: r.line, text });
            }
        }
    }
    Ok(src)
}
