//! Where each YAML field stands in its file, and serde's YAML errors in Russian.
//!
//! serde gives plain values without positions. [`LineIndex`] walks the YAML event stream once
//! (yaml-rust2 reports a line for every event) and remembers the line of every path such as
//! `sections[1].events[3].deadline`, so that later stages — validation, deadline parsing, link
//! checking — can point at the exact line of the field they complain about.

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Diagnostic;

/// Lines of the fields of one YAML document, by path. Every loaded document keeps one (a bank
/// of 100 000 practices keeps 100 000), so it is compact: the paths in one string, sorted, with
/// their lines beside them.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Every path, sorted, concatenated.
    paths: Box<str>,
    /// (end of the path in `paths`, line), in the order of `paths`.
    lines: Box<[(u32, u32)]>,
    /// Keys given twice in the same mapping: (path, line of the repeat, line of the first).
    pub duplicates: Vec<(String, usize, usize)>,
}

impl LineIndex {
    /// Indexes `yaml`. `offset` is the number of lines before the YAML in its file. On a syntax
    /// error, or aliases that would expand beyond [`MAX_ALIAS_EXPANSION`], returns the line (in
    /// the file) and a Russian message.
    pub fn build(yaml: &str, offset: usize) -> Result<Self, YamlProblem> {
        let mut rec = Recorder {
            offset,
            stack: Vec::new(),
            lines: HashMap::new(),
            duplicates: Vec::new(),
            expansion: Expansion::new(yaml.len()),
        };
        let mut parser = Parser::new_from_str(yaml);
        let parsed = parser.load(&mut rec, false);
        // Checked before the parser's own errors: a bomb is refused whatever follows it.
        if let Some(line) = rec.expansion.exceeded_at {
            return Err(YamlProblem::AliasBomb {
                line,
                limit_kb: rec.expansion.limit >> 10,
            });
        }
        if let Err(e) = parsed {
            let line = e.marker().line() + offset;
            // An unclosed bracket is reported by the parser lines later; point at the bracket.
            if let Some(open) = unclosed_bracket_line(yaml, e.marker().line()) {
                return Err(YamlProblem::Syntax {
                    line: open + offset,
                    message: "не закрыта скобка «[» или «{» списка".to_string(),
                });
            }
            return Err(YamlProblem::Syntax {
                line,
                message: russian_syntax_message(e.info()),
            });
        }
        let mut sorted: Vec<(String, usize)> = rec.lines.into_iter().collect();
        sorted.sort_unstable();
        let mut paths = String::with_capacity(sorted.iter().map(|(p, _)| p.len()).sum());
        let mut lines = Vec::with_capacity(sorted.len());
        for (p, l) in sorted {
            paths.push_str(&p);
            lines.push((paths.len() as u32, l as u32));
        }
        Ok(LineIndex {
            paths: paths.into_boxed_str(),
            lines: lines.into_boxed_slice(),
            duplicates: rec.duplicates,
        })
    }

    /// Line of exactly `path`.
    fn get(&self, path: &str) -> Option<usize> {
        let start = |i: usize| {
            if i == 0 {
                0
            } else {
                self.lines[i - 1].0 as usize
            }
        };
        let key = |i: usize| &self.paths[start(i)..self.lines[i].0 as usize];
        let (mut lo, mut hi) = (0, self.lines.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match key(mid).cmp(path) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.lines[mid].1 as usize),
            }
        }
        None
    }

    /// Line of `path` (`title`, `sections[0].events[2]`), or of its nearest indexed parent.
    pub fn line(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(l) = self.get(p) {
                return Some(l);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

/// Why a YAML text could not be indexed.
#[derive(Debug)]
pub enum YamlProblem {
    /// The parser's error, in Russian, at a line of the file.
    Syntax { line: usize, message: String },
    /// An alias at `line` makes the expanded document larger than `limit_kb` KB.
    AliasBomb { line: usize, limit_kb: usize },
}

impl YamlProblem {
    /// The problem as a diagnostic for the file `rel`.
    pub fn diagnostic(&self, rel: &Path) -> Diagnostic {
        match self {
            YamlProblem::Syntax { line, message } => {
                Diagnostic::error(rel, format!("ошибка синтаксиса YAML: {message}"))
                    .at_line(Some(*line))
                    .hint(
                        "проверьте отступы (только пробелы, не табуляция), двоеточия и кавычки; \
                         текст с двоеточием возьмите в двойные кавычки",
                    )
            }
            YamlProblem::AliasBomb { line, limit_kb } => Diagnostic::error(
                rel,
                format!(
                    "ссылки «*…» на якоря «&…» повторяют текст слишком много раз: развёрнутый \
                     заголовок был бы больше {limit_kb} КБ"
                ),
            )
            .at_line(Some(*line))
            .hint("напишите повторяющийся текст один раз; якоря и ссылки YAML здесь не нужны"),
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

struct Recorder {
    offset: usize,
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
    duplicates: Vec<(String, usize, usize)>,
    expansion: Expansion,
}

/// Aliases («*name») may add at most this many bytes to a YAML document as serde would expand
/// it, or the document's own size if that is larger. Real content repeats an anchored list of
/// executors a few dozen times; a «billion laughs» bomb or a long string repeated thousands of
/// times (a 200 KB file becoming a 200 MB page) goes far beyond.
pub const MAX_ALIAS_EXPANSION: usize = 256 * 1024;

/// Counts the bytes of the document as expanded (every scalar, plus the expanded size of the
/// anchored node behind every alias) while the events stream past, without expanding anything,
/// so that the check itself costs O(events) time and O(anchors) memory.
struct Expansion {
    /// Expanded bytes so far (each scalar counts its length plus one, so that empty strings
    /// count too).
    total: usize,
    /// Largest allowed `total`.
    limit: usize,
    /// Expanded size of each finished anchored node, by anchor id.
    sizes: HashMap<usize, usize>,
    /// Open anchored collections: (anchor id, `total` when they started).
    open: Vec<(usize, usize)>,
    /// Open collections, anchored or not (anchored ones carry their id).
    depth: Vec<Option<usize>>,
    /// Line (in the file) of the alias that went over the limit.
    exceeded_at: Option<usize>,
}

impl Expansion {
    fn new(source_len: usize) -> Self {
        Expansion {
            total: 0,
            limit: source_len
                .saturating_mul(2)
                .max(source_len + MAX_ALIAS_EXPANSION),
            sizes: HashMap::new(),
            open: Vec::new(),
            depth: Vec::new(),
            exceeded_at: None,
        }
    }

    fn scalar(&mut self, len: usize, anchor: usize) {
        self.total = self.total.saturating_add(len + 1);
        if anchor > 0 {
            self.sizes.insert(anchor, len + 1);
        }
    }

    fn alias(&mut self, anchor: usize, line: usize) {
        let size = self.sizes.get(&anchor).copied().unwrap_or(1);
        self.total = self.total.saturating_add(size);
        if self.total > self.limit && self.exceeded_at.is_none() {
            self.exceeded_at = Some(line);
        }
    }

    fn start(&mut self, anchor: usize) {
        self.total = self.total.saturating_add(1);
        if anchor > 0 {
            self.open.push((anchor, self.total));
            self.depth.push(Some(anchor));
        } else {
            self.depth.push(None);
        }
    }

    fn end(&mut self) {
        if let Some(Some(anchor)) = self.depth.pop() {
            if let Some((id, started)) = self.open.pop() {
                debug_assert_eq!(id, anchor);
                self.sizes.insert(id, self.total - started + 1);
            }
        }
    }
}

impl Recorder {
    /// Path of the value that the next event starts, recording its line.
    fn value_path(&mut self, line: usize) -> Option<String> {
        let path = match self.stack.last()? {
            Frame::Map { path, key: Some(k) } => join(path, k),
            Frame::Map { key: None, .. } => return None,
            Frame::Seq { path, index } => format!("{path}[{index}]"),
        };
        self.lines.entry(path.clone()).or_insert(line);
        Some(path)
    }

    /// After a complete value: the parent moves to its next key or item.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = mark.line() + self.offset;
        match &ev {
            Event::Scalar(value, _, anchor, _) => self.expansion.scalar(value.len(), *anchor),
            Event::Alias(anchor) => self.expansion.alias(*anchor, line),
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                self.expansion.start(*anchor)
            }
            Event::MappingEnd | Event::SequenceEnd => self.expansion.end(),
            _ => {}
        }
        if self.expansion.exceeded_at.is_some() {
            return;
        }
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map { path, key }) = self.stack.last_mut() {
                    if key.is_none() {
                        let p = join(path, &value);
                        if let Some(&first) = self.lines.get(&p) {
                            self.duplicates.push((p.clone(), line, first));
                        }
                        self.lines.entry(p).or_insert(line);
                        *key = Some(value);
                        return;
                    }
                }
                self.value_path(line);
                self.value_done();
            }
            Event::Alias(_) => {
                self.value_path(line);
                self.value_done();
            }
            Event::MappingStart(..) => {
                let path = if self.stack.is_empty() {
                    String::new()
                } else {
                    self.value_path(line).unwrap_or_default()
                };
                self.stack.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = if self.stack.is_empty() {
                    String::new()
                } else {
                    self.value_path(line).unwrap_or_default()
                };
                self.stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

/// The parser's message, in Russian.
fn russian_syntax_message(info: &str) -> String {
    let table: [(&str, &str); 16] = [
        ("recursion limit", "слишком глубокая вложенность скобок и списков"),
        ("nesting", "слишком глубокая вложенность скобок и списков"),
        ("mapping values are not allowed", "двоеточие внутри значения: возьмите текст в двойные кавычки"),
        ("did not find expected key", "ожидалось имя поля: похоже, неверный отступ"),
        ("invalid indentation", "неверный отступ"),
        ("tab", "табуляция в отступе: используйте пробелы"),
        ("did not find expected ',' or ']'", "не закрыта скобка «[» списка"),
        ("expected ',' or ']'", "не закрыта скобка «[» списка"),
        ("did not find expected ',' or '}'", "не закрыта скобка «{»"),
        ("quoted scalar, found unexpected end of stream", "не закрыты кавычки"),
        ("unknown escape character", "недопустимый символ после «\\» в кавычках: удвойте обратную косую черту или используйте одинарные кавычки"),
        ("did not find expected node content", "ожидалось значение поля"),
        ("did not find expected '-' indicator", "ожидался элемент списка «- »: похоже, неверный отступ"),
        ("block sequence entries are not allowed", "элемент списка «- » в неположенном месте: проверьте отступ"),
        ("unknown anchor", "ссылка «*…» на несуществующий якорь YAML"),
        ("unexpected eof", "неожиданный конец заголовка: не закрыты кавычки или скобки"),
    ];
    table
        .iter()
        .find(|(en, _)| info.contains(en))
        .map(|(_, ru)| ru.to_string())
        .unwrap_or_else(|| "заголовок не удалось разобрать".to_string())
}

/// The last line at or before `error_line` (1-based within `yaml`) that opens more flow
/// brackets than it closes (outside quotes), if the error line itself does not.
fn unclosed_bracket_line(yaml: &str, error_line: usize) -> Option<usize> {
    let balance = |l: &str| -> i32 {
        let (mut depth, mut quote) = (0i32, None::<char>);
        for c in l.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth -= 1,
                _ => {}
            }
        }
        depth
    };
    let lines: Vec<&str> = yaml.lines().collect();
    let mut depth = 0;
    let mut opened = None;
    for (i, l) in lines.iter().enumerate().take(error_line.min(lines.len())) {
        let b = balance(l);
        if depth == 0 && b > 0 {
            opened = Some(i + 1);
        }
        depth += b;
        if depth <= 0 {
            depth = 0;
            opened = None;
        }
    }
    opened.filter(|&o| o < error_line)
}

/// Turns a serde_yaml error into a Russian diagnostic: what is wrong, which field, which line,
/// and what to do.
pub(crate) fn translate_error(
    e: &serde_yaml::Error,
    rel: &Path,
    offset: usize,
    lines: &LineIndex,
) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line N column M"; we print our own location.
    let msg = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw.as_str(),
    };
    // A leading path such as `sections[0].events[1]: ` names the field.
    let (path, msg) = match msg.split_once(": ") {
        Some((p, rest)) if is_path(p) => (Some(p.to_string()), rest),
        _ => (None, msg),
    };
    let mut line = e.location().map(|l| l.line() + offset);

    let (field, message, hint) = if let Some(name) = between(msg, "missing field `", "`") {
        let field = join_opt(&path, name);
        (
            field,
            format!("нет обязательного поля `{name}`"),
            Some(format!(
                "добавьте строку `{name}: …` (см. README, формат содержимого)"
            )),
        )
    } else if let Some(name) = between(msg, "unknown field `", "`") {
        let field = join_opt(&path, name);
        if let Some(l) = lines.line(&field) {
            line = Some(l);
        }
        let expected = expected_list(msg);
        let hint = match crate::spelling::did_you_mean(name, expected.iter().map(String::as_str)) {
            Some(s) => format!("возможно, имелось в виду `{s}`"),
            None if !expected.is_empty() => format!("допустимые поля: {}", expected.join(", ")),
            None => "удалите это поле".to_string(),
        };
        (field, "неизвестное поле".to_string(), Some(hint))
    } else if let Some(value) = between(msg, "unknown variant `", "`") {
        let expected = expected_list(msg);
        let hint = match crate::spelling::did_you_mean(value, expected.iter().map(String::as_str)) {
            Some(s) => format!(
                "возможно, имелось в виду «{s}»; допустимые значения: {}",
                expected.join(", ")
            ),
            None => format!("допустимые значения: {}", expected.join(", ")),
        };
        (
            path.clone().unwrap_or_default(),
            format!("недопустимое значение «{value}»"),
            Some(hint),
        )
    } else if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        let (got, want) = msg.split_once(", expected ").unwrap_or((msg, ""));
        let got = got
            .trim_start_matches("invalid type: ")
            .trim_start_matches("invalid value: ");
        (
            path.clone().unwrap_or_default(),
            format!(
                "неверный тип значения: ожидается {}, а указано {}",
                ru_type(want),
                ru_type(got)
            ),
            type_hint(&path),
        )
    } else if let Some(rest) = msg.strip_prefix("значение не подходит") {
        // Our own deserializers (`done`, period bounds) already speak Russian.
        let _ = rest;
        (
            path.clone().unwrap_or_default(),
            msg.to_string(),
            type_hint(&path),
        )
    } else if msg.starts_with("слишком много тегов") {
        (
            path.clone().unwrap_or_default(),
            msg.to_string(),
            Some(format!(
                "оставьте самые важные: по каждому тегу строится страница со списком материалов \
                 (допустимо до {} тегов)",
                crate::model::MAX_TAGS
            )),
        )
    } else if let Some(name) = between(msg, "duplicate field `", "`") {
        let field = join_opt(&path, name);
        (
            field,
            format!("поле `{name}` указано дважды (повтор)"),
            Some("оставьте одно из значений".into()),
        )
    } else if msg.contains("did not match any variant") {
        (
            path.clone().unwrap_or_default(),
            "значение не подходит".to_string(),
            type_hint(&path).or(Some("проверьте формат значения".into())),
        )
    } else if msg.contains("premature end of input")
        || msg.contains("input contains invalid characters")
        || msg.contains("input is out of range")
        || msg.contains("trailing input")
    {
        (
            path.clone().unwrap_or_default(),
            "неверная дата".to_string(),
            Some("дата пишется как ГГГГ-ММ-ДД, например 2023-06-21, и должна существовать".into()),
        )
    } else if msg.contains("recursion limit exceeded") || msg.contains("repetition limit exceeded")
    {
        (
            path.clone().unwrap_or_default(),
            "слишком глубокая вложенность или слишком много ссылок (&/*) в YAML".to_string(),
            Some("упростите структуру заголовка; якоря и ссылки YAML не нужны".into()),
        )
    } else if msg.contains("EOF while parsing") || msg.is_empty() {
        (
            String::new(),
            "заголовок YAML пуст".to_string(),
            Some("заполните обязательные поля (см. README, формат содержимого)".into()),
        )
    } else {
        (
            path.clone().unwrap_or_default(),
            format!("ошибка YAML: {msg}"),
            Some("проверьте отступы, двоеточия и кавычки".into()),
        )
    };
    if line.is_none() && !field.is_empty() {
        line = lines.line(&field);
    }
    let mut d = Diagnostic::error(rel, message).at_line(line.or(Some(offset + 1)));
    if !field.is_empty() {
        d = d.field(field);
    }
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

fn is_path(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
}

fn join_opt(path: &Option<String>, name: &str) -> String {
    match path {
        Some(p) if p != "." => join(p, name),
        _ => name.to_string(),
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

fn expected_list(msg: &str) -> Vec<String> {
    let Some((_, rest)) = msg.split_once("expected ") else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for v in rest.split('`').skip(1).step_by(2) {
        // Aliases spelled with «е» instead of «ё» are not worth listing twice.
        let folded = v.replace('ё', "е");
        match out.iter().position(|x| x.replace('ё', "е") == folded) {
            Some(i) if v.contains('ё') => out[i] = v.to_string(),
            Some(_) => {}
            None => out.push(v.to_string()),
        }
    }
    out
}

fn ru_type(s: &str) -> String {
    let s = s.trim();
    let word = |w: &str| -> String {
        match w {
            "a string" | "string" => "текст".into(),
            "a sequence" | "sequence" => "список".into(),
            "a map" | "map" => "набор полей".into(),
            "a boolean" | "boolean" => "да/нет (true/false)".into(),
            "unit value" | "null" => "пустое значение".into(),
            "i32" | "u32" | "i64" | "usize" | "integer" => "целое число".into(),
            "f64" | "floating point" => "число".into(),
            other => other.to_string(),
        }
    };
    if let Some(rest) = s.strip_prefix("string ") {
        return format!("текст {rest}");
    }
    if let Some(rest) = s.strip_prefix("integer ") {
        return format!("число {rest}");
    }
    if let Some(rest) = s.strip_prefix("floating point ") {
        return format!("число {rest}");
    }
    if s.contains("struct") {
        return "набор полей".into();
    }
    if s.starts_with("a sequence") {
        return "список".into();
    }
    word(s)
}

fn type_hint(path: &Option<String>) -> Option<String> {
    let p = path.as_deref().unwrap_or("");
    let last = p.rsplit('.').next().unwrap_or("");
    let last = last.split('[').next().unwrap_or("");
    Some(match last {
        "date" | "updated" => "дата пишется как 2023-06-21".into(),
        "from" | "to" => "год (2023) или дата (2023-09-01)".into(),
        "executors" | "authors" | "tags" | "phones" | "results" | "goals" | "nominations" => {
            "список пишется так: [\"первый\", \"второй\"] или строками, начинающимися с «- »".into()
        }
        "year" => "год пишется числом: 2024".into(),
        "done" => "true, false или дата выполнения 2024-05-20".into(),
        _ => "если значение содержит двоеточие или кавычки, возьмите его в двойные кавычки".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_nested_paths() {
        let y = "title: x\nsections:\n  - title: a\n    events:\n      - no: \"1\"\n        title: b\n      - title: c\n        deadline: d\n";
        let idx = LineIndex::build(y, 1).unwrap();
        assert_eq!(idx.line("title"), Some(2));
        assert_eq!(idx.line("sections[0].title"), Some(4));
        assert_eq!(idx.line("sections[0].events[0].title"), Some(7));
        assert_eq!(idx.line("sections[0].events[1]"), Some(8));
        assert_eq!(idx.line("sections[0].events[1].deadline"), Some(9));
        // Unknown child falls back to the parent's line.
        assert_eq!(idx.line("sections[0].events[1].nothing"), Some(8));
    }

    #[test]
    fn flow_style_and_syntax_errors() {
        let idx = LineIndex::build("tags: [a, b]\nperiod: {from: 2021, to: 2024}\n", 0).unwrap();
        assert_eq!(idx.line("tags[1]"), Some(1));
        assert_eq!(idx.line("period.to"), Some(2));
        let err = LineIndex::build("title: x\n  bad: [\n", 3).unwrap_err();
        assert!(
            matches!(err, YamlProblem::Syntax { line, .. } if line >= 4),
            "{err:?}"
        );
    }

    #[test]
    fn alias_expansion_is_counted_without_expanding() {
        // Nested anchors: each level repeats the previous one ten times.
        let mut y = String::from("a0: &a0 \"0123456789\"\n");
        for i in 1..8 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            y.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = LineIndex::build(&y, 1).unwrap_err();
        assert!(
            matches!(err, YamlProblem::AliasBomb { line, .. } if (3..=9).contains(&line)),
            "{err:?}"
        );
        // The same anchors, used a handful of times, are fine.
        let ok = "a: &x [\"Иванова\", \"Петрова\"]\nb: *x\nc: *x\nd: {e: *x}\n";
        assert!(LineIndex::build(ok, 0).is_ok());
    }
}
