//! Typing accidents: a likely meant name for a misspelt one, and words that mix Cyrillic and
//! Latin letters. Used by loading (unknown fields and folders), Markdown scanning and validation.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
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
pub(crate) fn mixed_script_words(text: &str) -> Vec<&str> {
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

pub(crate) fn mixed_hint(word: &str) -> String {
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

/// Mixed-script words in a Markdown body starting at line `first_line` of `source`.
pub(crate) fn check_mixed_scripts_body(
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
