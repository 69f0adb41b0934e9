//! Spreadsheets (.xlsx, .xls, .ods) through calamine. Each sheet is a table; a merged region
//! repeats its text down the column (executors shared by several events), and across columns
//! only its first cell keeps the text (a section row spanning the whole table).

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Reader, Sheets};

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

pub fn read(bytes: &[u8]) -> Result<Source, String> {
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
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
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
