//! Plain text pasted out of Word: tables are tab-separated, a row that wraps continues on lines
//! that start with a tab (its cells go on the same columns), section rows may be bold (`**…**`)
//! or have no tabs at all.

use super::source::{Para, Row, Source, Table};

/// Is this text a table copied out of Word with one cell per line: lines «\tcell», rows ended by
/// a line holding only a tab?
fn one_cell_per_line(lines: &[&str]) -> bool {
    let ends = lines
        .iter()
        .filter(|l| l.trim().is_empty() && l.contains('\t'))
        .count();
    let cells = lines
        .iter()
        .filter(|l| {
            l.starts_with('\t')
                && !l.trim().is_empty()
                && !l.trim_start_matches('\t').contains('\t')
        })
        .count();
    let multi = lines
        .iter()
        .filter(|l| {
            l.trim()
                .split('\t')
                .filter(|c| !c.trim().is_empty())
                .count()
                >= 2
        })
        .count();
    ends >= 2 && cells >= 2 * ends && multi * 4 < cells
}

/// One cell per line: «\tcell» starts a cell, a line without a tab continues it (after blank
/// lines too), a tab-only line ends the row. Lines outside rows are prose.
fn read_cells(lines: &[&str]) -> Source {
    let mut src = Source {
        format: "текст из Word, по ячейке в строке",
        ..Default::default()
    };
    let mut table: Option<Table> = None;
    let mut row: Option<Row> = None;
    let more_cells = |from: usize| {
        lines[from..]
            .iter()
            .any(|l| l.starts_with('\t') && !l.trim().is_empty())
    };
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            if line.contains('\t') {
                if let (Some(r), Some(tb)) = (row.take(), table.as_mut()) {
                    tb.rows.push(r);
                }
            }
            continue;
        }
        if line.starts_with('\t') {
            let tb = table.get_or_insert_with(|| Table {
                prose_before: src.prose.len(),
                ..Default::default()
            });
            let _ = tb;
            let (content, bold) = strip_bold(t);
            let r = row.get_or_insert_with(|| Row {
                cells: Vec::new(),
                line: i + 1,
                bold,
            });
            r.bold &= bold;
            r.cells.push(content.trim().to_string());
            continue;
        }
        if let Some(r) = row.as_mut() {
            // A wrapped cell goes on without a tab.
            if let Some(c) = r.cells.last_mut() {
                c.push('\n');
                c.push_str(t);
                continue;
            }
        }
        if table.is_some() && more_cells(i + 1) {
            // A lone line between rows: a section title pasted as text.
            let (content, bold) = strip_bold(t);
            if let Some(tb) = table.as_mut() {
                tb.rows.push(Row {
                    cells: vec![content.trim().to_string()],
                    line: i + 1,
                    bold,
                });
            }
            continue;
        }
        src.prose.push(Para {
            line: i + 1,
            text: line.to_string(),
        });
    }
    if let Some(mut tb) = table {
        if let Some(r) = row.take() {
            tb.rows.push(r);
        }
        src.tables.push(tb);
    }
    src
}

/// Splits the text into prose paragraphs and tab-separated tables.
pub fn read(text: &str) -> Source {
    let lines: Vec<&str> = text.lines().collect();
    if one_cell_per_line(&lines) {
        return read_cells(&lines);
    }
    let mut src = Source {
        format: "текст с табуляциями",
        ..Default::default()
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        // A right-aligned block (a stamp) indented with tabs is prose, not a table.
        let indented = line.starts_with("\t\t") && !line.trim().contains('\t');
        if !line.contains('\t') || indented {
            if !line.trim().is_empty() {
                src.prose.push(Para {
                    line: i + 1,
                    text: line.to_string(),
                });
            }
            i += 1;
            continue;
        }
        // A table starts here and goes on while lines are blank, have tabs, or are a lone line
        // without tabs followed (after blanks) by a line with tabs (a section row pasted as text).
        let mut table = Table {
            prose_before: src.prose.len(),
            ..Default::default()
        };
        let mut row_ended = false;
        while i < lines.len() {
            let line = lines[i];
            if line.trim().is_empty() {
                // A tab-only line ends a row: the next line starting with a tab is a new row.
                row_ended |= line.contains('\t');
                i += 1;
                continue;
            }
            let has_tab = line.contains('\t');
            if !has_tab {
                // A section title may take up to three lines without tabs.
                let next = lines[i + 1..]
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .take(3)
                    .find(|l| l.contains('\t') || l.trim().chars().count() > 200);
                if !next.is_some_and(|l| l.contains('\t')) {
                    break;
                }
            }
            let (content, bold) = strip_bold(line);
            let cells: Vec<String> = content.split('\t').map(|c| c.trim().to_string()).collect();
            // After a tab-only line, a row of an unnumbered table (its first cell empty, like
            // the previous row's) is a new row; in a numbered table it is a wrapped continuation.
            let unnumbered = table
                .rows
                .last()
                .is_some_and(|r| r.cells.first().is_some_and(|c| c.trim().is_empty()));
            // A line filling the number column again is a new row, whatever its first cell.
            let renumbered = table.rows.last().is_some_and(|prev| {
                cells
                    .iter()
                    .enumerate()
                    .any(|(k, c)| is_number(c) && prev.cells.get(k).is_some_and(|p| is_number(p)))
            });
            let continuation = line.starts_with('\t')
                && !table.rows.is_empty()
                && !renumbered
                && !(row_ended && (unnumbered || table.rows.len() == 1));
            row_ended = false;
            if continuation {
                let prev = table.rows.last_mut().expect("checked above");
                for (k, c) in cells.iter().enumerate() {
                    if c.is_empty() {
                        continue;
                    }
                    if prev.cells.len() <= k {
                        prev.cells.resize(k + 1, String::new());
                    }
                    let cell = &mut prev.cells[k];
                    if !cell.is_empty() {
                        cell.push(' ');
                    }
                    cell.push_str(c);
                }
            } else {
                table.rows.push(Row {
                    cells,
                    line: i + 1,
                    bold,
                });
            }
            i += 1;
        }
        src.tables.push(table);
    }
    src
}

/// «2», «1.2», «1.2.»: an event's number.
fn is_number(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.') && t.chars().count() <= 8
}

/// `**text**` → (`text`, true).
fn strip_bold(line: &str) -> (String, bool) {
    let t = line.trim_matches(|c: char| c == ' ');
    if let Some(inner) = t
        .strip_prefix("**")
        .and_then(|s| s.trim_end_matches('\t').strip_suffix("**"))
    {
        return (inner.to_string(), true);
    }
    let without = line.replace("**", "");
    (without, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_rows_join_by_column() {
        let s = read("Заголовок\n\n№\tМероприятие\tСрок\n1\tНачало\tапрель 2021 года,\n\n\tконец\tежегодно\nТекст после\n");
        assert_eq!(s.tables.len(), 1);
        let t = &s.tables[0];
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[1].cells,
            vec!["1", "Начало конец", "апрель 2021 года, ежегодно"]
        );
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(s.prose.len(), 2);
        assert_eq!(t.prose_before, 1);
    }

    #[test]
    fn lone_section_line_inside_table() {
        let s = read("№\tМероприятие\n1.1\tА\n\n2.Раздел два\n\n2.1\tБ\n");
        assert_eq!(s.tables[0].rows.len(), 4);
        assert_eq!(s.tables[0].rows[2].cells, vec!["2.Раздел два"]);
    }

    #[test]
    fn one_cell_per_line_rows() {
        let s = read("План\n\n\t№\n\n\tМероприятие\n\n\tСрок\n\t\n\t1\n\n\tСовещание\nруководителей\n\n\tмай 2021\n\t\n\t2\n\tСеминар\n\tиюнь 2021\n\t\nКонец\n");
        assert_eq!(s.tables.len(), 1);
        let t = &s.tables[0];
        assert_eq!(t.rows.len(), 3);
        assert_eq!(
            t.rows[1].cells,
            vec!["1", "Совещание\nруководителей", "май 2021"]
        );
        assert_eq!(t.rows[2].line, 16);
        assert_eq!(s.prose.len(), 2);
    }

    #[test]
    fn tab_only_lines_separate_rows() {
        let s = read("№\tМероприятие\tСрок\n\t\t\n\tБез номера\tмай\n\t\t\n\tЕщё одно\tиюнь\n");
        assert_eq!(s.tables[0].rows.len(), 3);
    }

    #[test]
    fn bold_rows() {
        let s = read("№\tМероприятие\n**Раздел\t\t**\n");
        assert!(s.tables[0].rows[1].bold);
    }
}
