//! Splitting a Markdown file into its YAML front matter and its body. Nothing is parsed here.

/// The two parts of a content file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Line where the YAML starts (1-based; 2 when the file starts with `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Line where the body starts (1-based).
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub message: String,
    pub hint: String,
}

/// Splits `text` (already LF-normalized, without BOM) at the `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(SplitError {
            line: 1,
            message: "файл должен начинаться с заголовка YAML между строками `---`".into(),
            hint: "первая строка файла — три дефиса `---`, затем поля (title: …), затем снова `---` и текст".into(),
        });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(SplitError {
        line: 1,
        message: "заголовок YAML не закрыт: нет второй строки `---`".into(),
        hint: "после последнего поля заголовка добавьте строку из трёх дефисов `---`".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\ntitle: x\n---\n\nТекст\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "\nТекст\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn empty_body_and_trailing_spaces() {
        let s = split("--- \ntitle: x\n---").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn rejects_missing_fences() {
        assert_eq!(split("title: x\n").unwrap_err().line, 1);
        assert!(split("---\ntitle: x\n")
            .unwrap_err()
            .message
            .contains("не закрыт"));
        assert!(split("").is_err());
    }
}
