//! Plain text pasted out of Word: tables are tab-separated, a row that wraps continues on lines
//! that start with a tab (its cells go on the same columns), section rows may be bold (`**…**`)
//! or have no tabs at all.

use super::source::{Para, Row, Source, Table};

/// Splits the text into prose paragraphs and tab-separated tables.
pub fn read(text: &str) -> Source {
    let lines: Vec<&str> = text.lines().collect();
    let mut src = Source {
        format: "текст с табуляциями",
        ..Default::default()
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if !line.contains('\t') {
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
        while i < lines.len() {
            let line = lines[i];
            if line.trim().is_empty() {
                i += 1;
                continue;
            }
            let has_tab = line.contains('\t');
            if !has_tab {
                let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
                if !next.is_some_and(|l| l.contains('\t')) {
                    break;
                }
            }
            let (content, bold) = strip_bold(line);
            let cells: Vec<String> = content.split('\t').map(|c| c.trim().to_string()).collect();
            let continuation = line.starts_with('\t') && !table.rows.is_empty();
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
    fn bold_rows() {
        let s = read("№\tМероприятие\n**Раздел\t\t**\n");
        assert!(s.tables[0].rows[1].bold);
    }
}
