//! Markdown (GFM) tables: `| № | Мероприятие | Срок |`, a `|---|` line under the header,
//! `<br>` for line breaks inside a cell, `**…**` for bold section rows.

use super::source::{Para, Row, Source, Table};

/// True if the text has a Markdown table (a `|---|` separator line under a `|` line).
pub fn looks_like(text: &str) -> bool {
    let mut prev_pipe = false;
    for line in text.lines() {
        let t = line.trim();
        if prev_pipe && is_separator(t) {
            return true;
        }
        prev_pipe = t.starts_with('|') || (t.contains(" | ") && !t.contains('\t'));
    }
    false
}

fn is_separator(t: &str) -> bool {
    t.contains('-') && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn split_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

pub fn read(text: &str) -> Source {
    let mut src = Source {
        format: "таблица Markdown",
        ..Default::default()
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        let starts_table =
            i + 1 < lines.len() && t.contains('|') && is_separator(lines[i + 1].trim());
        if !starts_table {
            if !t.is_empty() {
                src.prose.push(Para {
                    line: i + 1,
                    text: t.to_string(),
                });
            }
            i += 1;
            continue;
        }
        let mut table = Table {
            prose_before: src.prose.len(),
            ..Default::default()
        };
        table.rows.push(Row {
            cells: split_cells(t),
            line: i + 1,
            bold: false,
        });
        i += 2;
        while i < lines.len() && lines[i].trim().contains('|') && !lines[i].trim().is_empty() {
            let mut cells = split_cells(lines[i]);
            let filled: Vec<&mut String> = cells.iter_mut().filter(|c| !c.is_empty()).collect();
            let bold = !filled.is_empty()
                && filled
                    .iter()
                    .all(|c| c.starts_with("**") && c.ends_with("**") && c.len() > 4);
            if bold {
                for c in cells.iter_mut().filter(|c| !c.is_empty()) {
                    *c = c[2..c.len() - 2].to_string();
                }
            }
            table.rows.push(Row {
                cells,
                line: i + 1,
                bold,
            });
            i += 1;
        }
        src.tables.push(table);
    }
    src
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_and_escapes() {
        let md = "# План\n\n| № | Мероприятие | Срок |\n|---|---|:--|\n| **1.** | **Раздел** | |\n| 1.1 | А \\| Б | май |\n";
        assert!(looks_like(md));
        let s = read(md);
        let t = &s.tables[0];
        assert_eq!(t.rows.len(), 3);
        assert!(t.rows[1].bold);
        assert_eq!(t.rows[1].cells[1], "Раздел");
        assert_eq!(t.rows[2].cells, vec!["1.1", "А | Б", "май"]);
        assert_eq!(t.rows[2].line, 6);
    }
}
