//! The act's details from the text above the table: kind («ПРИКАЗ»), date and number («от 21 июня
//! 2023 года № 146», ««23» ноября 2021 года», «№ 209 «Б»»), issuer (the lines above the kind),
//! signatory (a line «Е.А. Вахрушева» and the position above it), the act's title («Об
//! утверждении …»), the plan's title («План мероприятий …») and the period («на 2023–2025 годы»).

use chrono::{Datelike, NaiveDate};

use super::source::Para;
use crate::model::{Approval, DocumentKind};

#[derive(Debug, Default, Clone)]
pub struct Heading {
    /// How the plan says it was approved; None when the document says nothing about it.
    pub approval: Option<Approval>,
    /// Line where the approval (act header, stamp, appendix line) was found.
    pub approval_line: Option<usize>,
    /// «4» of «Приложение № 4 к приказу …».
    pub appendix: Option<String>,
    pub kind: Option<DocumentKind>,
    pub kind_line: Option<usize>,
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    pub issued_by: Option<String>,
    pub signed_by: Option<String>,
    pub doc_title: Option<String>,
    pub plan_title: Option<String>,
    pub period: Option<(i32, i32)>,
}

struct Block {
    line: usize,
    lines: Vec<String>,
}

impl Block {
    fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// Removes Markdown emphasis and surrounding spaces.
fn plain(s: &str) -> String {
    s.replace("**", "").replace("__", "").trim().to_string()
}

fn blocks(prose: &[Para], join_lines: bool) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut last = 0usize;
    for p in prose {
        let text = plain(&p.text);
        if text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(b) if join_lines && p.line == last + 1 => b.lines.push(text),
            _ => out.push(Block {
                line: p.line,
                lines: vec![text],
            }),
        }
        last = p.line;
    }
    out
}

fn month_of(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if w == "мая" || w == "май" {
        return Some(5);
    }
    crate::text::ru::MONTH_STEMS
        .iter()
        .position(|m| *m != "ма" && w.starts_with(m) && w.len() <= m.len() + 4)
        .map(|i| i as u32 + 1)
}

/// First date in `text`: `16.09.2021`, `21 июня 2023`, `«23» ноября 2021`.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if matches!(c, '«' | '»' | '"' | ',') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        // dd.mm.yyyy (possibly followed by «г.»)
        let parts: Vec<&str> = w.trim_end_matches(['г', '.']).split('.').collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        {
            let (d, m, y) = (
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse::<i32>().ok()?,
            );
            let y = if y < 100 { 2000 + y } else { y };
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Some(date);
            }
        }
        // dd month yyyy
        if i + 2 < words.len() {
            if let (Ok(d), Some(m)) = (w.parse::<u32>(), month_of(words[i + 1])) {
                let y: String = words[i + 2]
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                if let Ok(y) = y.parse::<i32>() {
                    if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                        return Some(date);
                    }
                }
            }
        }
    }
    None
}

/// Number after «№»: «№ 209 «Б»» → «209 «Б»», «от 21 июня 2023 года № 146» → «146».
pub fn find_number(text: &str) -> Option<String> {
    let at = text.find('№')?;
    let rest = &text[at + '№'.len_utf8()..];
    let rest = match rest.find(" от ") {
        Some(k) => &rest[..k],
        None => rest,
    };
    let n = rest.trim().trim_end_matches([',', ';']).trim();
    (!n.is_empty()).then(|| n.to_string())
}

fn kind_of(line: &str) -> Option<DocumentKind> {
    let upper = line.trim().to_uppercase();
    let first = upper.split_whitespace().next()?;
    let kind = match first {
        "ПРИКАЗ" => DocumentKind::Prikaz,
        "ПОСТАНОВЛЕНИЕ" => DocumentKind::Postanovlenie,
        "РАСПОРЯЖЕНИЕ" => DocumentKind::Rasporyazhenie,
        "РЕШЕНИЕ" => DocumentKind::Reshenie,
        _ => return None,
    };
    let rest = upper[first.len()..].trim();
    (rest.is_empty() || rest.starts_with("ОТ") || rest.starts_with('№')).then_some(kind)
}

/// «Е.А. Вахрушева», «Вахрушева Е.А.», «Е. Н. Совенко».
fn is_person(line: &str) -> bool {
    let t = line.trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 || t.chars().count() > 40 {
        return false;
    }
    let initials: String = words.iter().filter(|w| is_initials(w)).copied().collect();
    let names: Vec<&&str> = words.iter().filter(|w| !is_initials(w)).collect();
    let n_init = initials.chars().filter(|c| *c == '.').count();
    n_init == 2
        && names.len() == 1
        && names[0].chars().next().is_some_and(char::is_uppercase)
        && names[0].chars().count() > 2
}

/// «О.И.», «О.», «И.» — initials.
pub fn is_initials(w: &str) -> bool {
    let mut chars = w.chars().peekable();
    let mut n = 0;
    while let Some(c) = chars.next() {
        if !c.is_uppercase() || chars.next() != Some('.') {
            return false;
        }
        n += 1;
    }
    (1..=2).contains(&n)
}

/// Heading words set in capitals at the start of a title that goes on in lower case
/// («ПЛАН МЕРОПРИЯТИЙ по …», «ДОРОЖНАЯ КАРТА реализации …») → «План мероприятий по …».
/// Abbreviations stay as they are: words of up to three letters (ОО, ГИА, ВПР), names of
/// institution types (…ОУ, …ДО) and the few longer ones in [`ABBREVIATIONS`]. A title that is
/// in capitals throughout is left alone: its proper names (a district, a town) cannot be told
/// from ordinary words.
fn sentence_case_first(s: &str) -> String {
    let s = s.trim();
    if !s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut leading = true;
    let mut first = true;
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        let caps = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
        if leading && caps && !is_abbreviation(&letters) {
            for (j, c) in word.chars().enumerate() {
                if j == 0 && first {
                    out.push(c);
                } else {
                    out.extend(c.to_lowercase());
                }
            }
        } else {
            if !word.is_empty() && !caps {
                leading = false;
            }
            out.push_str(word);
        }
        if !word.is_empty() {
            first = false;
        }
    }
    out
}

/// Longer abbreviations met in the titles of plans.
const ABBREVIATIONS: [&str; 6] = ["ФГОС", "ЗАТО", "НОКО", "ЦОКО", "ППМС", "ЦНППМ"];

fn is_abbreviation(letters: &[char]) -> bool {
    let w: String = letters.iter().collect();
    letters.len() <= 3
        || w.ends_with("ОУ")
        || w.ends_with("ДО")
        || ABBREVIATIONS.contains(&w.as_str())
}

fn strip_outer_quotes(s: &str) -> String {
    let t = s.trim();
    if let Some(inner) = t.strip_prefix('«').and_then(|x| x.strip_suffix('»')) {
        // Only if the quotes are the outer pair: the inner text is balanced on its own.
        if inner.matches('«').count() == inner.matches('»').count() {
            return inner.trim().to_string();
        }
    }
    t.to_string()
}

/// Years of the period in a title: «на 2023–2025 годы», «2021-2024годы», «до 2024 года».
pub fn find_period(text: &str, doc_year: Option<i32>) -> Option<(i32, i32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut years: Vec<(usize, i32)> = Vec::new();
    let mut i = 0;
    while i + 4 <= chars.len() {
        let is_year = chars[i..i + 4].iter().all(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && (i + 4 == chars.len() || !chars[i + 4].is_ascii_digit());
        if is_year {
            let y: i32 = chars[i..i + 4]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(0);
            if (1990..=2100).contains(&y) {
                years.push((i, y));
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    for w in years.windows(2) {
        let between: String = chars[w[0].0 + 4..w[1].0].iter().collect();
        if between.trim().chars().all(|c| matches!(c, '-' | '–' | '—'))
            && !between.trim().is_empty()
            && w[0].1 <= w[1].1
        {
            return Some((w[0].1, w[1].1));
        }
    }
    let lower = text.to_lowercase();
    if let Some(&(pos, y)) = years.last() {
        let before: String = chars[..pos].iter().collect::<String>().to_lowercase();
        if before.trim_end().ends_with("до") {
            return Some((doc_year.unwrap_or(y).min(y), y));
        }
        if lower.contains("год") && years.len() == 1 {
            return Some((y, y));
        }
    }
    None
}

/// Kind of an act from a word in any case: «приказом», «приказу», «постановления».
fn kind_in(word: &str) -> Option<DocumentKind> {
    let w = word.to_lowercase();
    let w = w.trim_matches(|c: char| !c.is_alphabetic());
    if w.starts_with("приказ") {
        Some(DocumentKind::Prikaz)
    } else if w.starts_with("постановлен") {
        Some(DocumentKind::Postanovlenie)
    } else if w.starts_with("распоряжен") {
        Some(DocumentKind::Rasporyazhenie)
    } else if w.starts_with("решени") {
        Some(DocumentKind::Reshenie)
    } else {
        None
    }
}

/// The number after the last «№» of a text (the act's, not the appendix's).
fn last_number(text: &str) -> Option<String> {
    let at = text.rfind('№')?;
    find_number(&text[at..])
}

/// «УТВЕРЖДАЮ», «УТВЕРЖДЕНО приказом … от … № …», «Приложение № 4 к приказу … от … № …»
/// anywhere in the prose (above the table, in a stamp block, in a footer after it). Fills the
/// approval of `h` when the act header («ПРИКАЗ») is not there.
fn approval_marks(lines: &[(usize, String)], h: &mut Heading) {
    let upper = |s: &str| s.trim().trim_end_matches([':', '.']).to_uppercase();
    // An act mentioned by «УТВЕРЖДЕН… приказом …» or «Приложение … к приказу …»: the line and
    // the next two lines (the details are often wrapped).
    for (i, (line, text)) in lines.iter().enumerate() {
        let u = upper(text);
        let first = u.split_whitespace().next().unwrap_or("");
        let approved = first.starts_with("УТВЕРЖДЕН");
        let appendix = first == "ПРИЛОЖЕНИЕ";
        if !(approved || appendix) {
            continue;
        }
        // The details wrap over the next lines (consecutive, without a blank line between).
        let mut n = 1;
        while n < 4 && i + n < lines.len() && lines[i + n].0 == lines[i + n - 1].0 + 1 {
            n += 1;
        }
        let joined: String = lines[i..i + n]
            .iter()
            .map(|(_, t)| t.trim())
            .collect::<Vec<_>>()
            .join(" ");
        let Some(kind) = joined.split_whitespace().take(12).find_map(kind_in) else {
            continue;
        };
        h.approval = Some(if appendix {
            Approval::Appendix
        } else {
            Approval::Act
        });
        h.approval_line = Some(*line);
        h.kind = Some(kind);
        h.date = find_date(&joined);
        h.number = last_number(&joined).map(|n| {
            // «№ 312 «Об утверждении …»»: the number is its first word, with a short letter
            // in quotes after it («209 «Б»»).
            let mut w = n.split_whitespace();
            let first = w
                .next()
                .unwrap_or("")
                .trim_end_matches([',', '.', ';'])
                .to_string();
            match w.next() {
                Some(x) if x.starts_with('«') && x.chars().count() <= 4 => format!("{first} {x}"),
                _ => first,
            }
        });
        if appendix {
            let head = joined.split_whitespace().take(4).collect::<Vec<_>>();
            if head.get(1) == Some(&"№") {
                h.appendix = head.get(2).map(|s| s.to_string());
            } else if let Some(n) = head
                .get(1)
                .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
            {
                h.appendix = Some(n.to_string());
            }
        }
        // The issuer after «приказом»/«к приказу» is in the genitive («Управления образования»):
        // not a name to print on its own, so it is left to the act's text.
        return;
    }
    // The stamp: «УТВЕРЖДАЮ», then the position, the name (maybe after «______»), the date.
    for (i, (line, text)) in lines.iter().enumerate() {
        if upper(text) != "УТВЕРЖДАЮ" {
            continue;
        }
        h.approval = Some(Approval::Stamp);
        h.approval_line = Some(*line);
        let mut position: Vec<String> = Vec::new();
        let mut name: Option<String> = None;
        for (l, t) in lines[i + 1..].iter().take(8) {
            if *l > line + 12 {
                break;
            }
            let t = t.trim().trim_start_matches(['_', ' ']).trim();
            if t.is_empty() {
                continue;
            }
            if let Some(d) = find_date(t) {
                h.date = Some(d);
                // «И.С. Волков 31.08.2023»: the name before the date.
                let before: Vec<&str> = t
                    .split_whitespace()
                    .take_while(|w| !w.chars().any(|c| c.is_ascii_digit()) && !w.starts_with('«'))
                    .collect();
                if name.is_none() && is_person(&before.join(" ")) {
                    name = Some(before.join(" "));
                }
                break;
            }
            if t.chars().filter(|c| *c == '_').count() >= 3 || t.starts_with("«__") {
                // «____ 2021 г.»: a blank date left to be written by hand.
                if t.chars().any(|c| c.is_alphabetic()) && name.is_none() {
                    let cleaned = t.replace('_', " ");
                    if is_person(&cleaned) {
                        name = Some(cleaned.split_whitespace().collect::<Vec<_>>().join(" "));
                    }
                }
                continue;
            }
            if is_person(t) {
                name = Some(t.split_whitespace().collect::<Vec<_>>().join(" "));
                continue;
            }
            // A position line ends with the name on the same line: «Начальник УО ____ И.И. Иванов».
            let words: Vec<&str> = t.split_whitespace().collect();
            if words.len() > 2 {
                let tail = words[words.len() - 2..].join(" ");
                if is_person(&tail) && name.is_none() {
                    position.push(words[..words.len() - 2].join(" "));
                    name = Some(tail);
                    continue;
                }
            }
            if name.is_some() || position.len() >= 4 || t.chars().count() > 90 {
                break;
            }
            position.push(t.to_string());
        }
        h.signed_by = name.map(|n| {
            if position.is_empty() {
                n
            } else {
                format!("{n}, {}", position.join(" "))
            }
        });
        return;
    }
}

/// «Сроки реализации: 2019-2024 гг.», «Срок реализации программы – 2021–2025 годы».
fn period_line(lines: &[(usize, String)]) -> Option<(i32, i32)> {
    lines.iter().find_map(|(_, t)| {
        let l = t.trim().to_lowercase();
        (l.starts_with("срок") && l.contains("реализац"))
            .then(|| find_period(t, None))
            .flatten()
    })
}

/// Reads the heading from the prose above the table and, for the act's details, the prose after
/// it (a footer) and the cells of other small tables (a stamp in a borderless table).
pub fn parse_all(before: &[Para], after: &[Para], join_lines: bool) -> Heading {
    let mut h = parse(before, join_lines);
    let lines: Vec<(usize, String)> = before
        .iter()
        .chain(after)
        .map(|p| (p.line, plain(&p.text)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    if h.kind.is_some() {
        h.approval = Some(Approval::Act);
    } else {
        approval_marks(&lines, &mut h);
    }
    if h.period.is_none() {
        h.period = period_line(&lines);
    }
    h
}

/// Reads the heading from the prose above the table.
pub fn parse(prose: &[Para], join_lines: bool) -> Heading {
    let bl = blocks(prose, join_lines);
    let mut h = Heading::default();
    let kind_at = bl.iter().position(|b| kind_of(&b.lines[0]).is_some());
    if let Some(k) = kind_at {
        let b = &bl[k];
        h.kind = kind_of(&b.lines[0]);
        h.kind_line = Some(b.line);
        let issuer: Vec<String> = bl[..k].iter().map(Block::text).collect();
        if !issuer.is_empty() {
            h.issued_by = Some(issuer.join(" "));
        }
        // Date and number: on the kind line or in the next few blocks, before the act's title.
        for b in bl[k..].iter().take(5) {
            let t = b.text();
            if b.line != bl[k].line
                && (t.starts_with("Об ") || t.starts_with("«Об") || t.starts_with("О "))
            {
                break;
            }
            for l in &b.lines {
                if h.date.is_none() {
                    h.date = find_date(l);
                }
                if h.number.is_none() {
                    h.number = find_number(l);
                }
            }
        }
        h.doc_title = bl[k..].iter().take(8).map(Block::text).find(|t| {
            let t = t.trim_start_matches('«');
            t.starts_with("Об ") || t.starts_with("О ")
        });
        h.doc_title = h.doc_title.map(|t| strip_outer_quotes(&t));
        // Signatory: a lone name line after the act's text, with the position above it.
        let lines: Vec<&String> = bl[k..].iter().flat_map(|b| b.lines.iter()).collect();
        if let Some(at) = lines.iter().position(|l| is_person(l)) {
            let mut position: Vec<&str> = Vec::new();
            for l in lines[..at].iter().rev() {
                let t = l.trim();
                let stop = t.chars().count() > 70
                    || t.starts_with(|c: char| c.is_ascii_digit())
                    || t.contains('№')
                    || find_date(t).is_some()
                    || t.starts_with("Об ")
                    || t.starts_with("О ")
                    || t.starts_with("«Об")
                    || t.ends_with('.')
                    || t.ends_with(':')
                    || kind_of(t).is_some();
                if stop || position.len() >= 4 {
                    break;
                }
                position.push(t);
            }
            position.reverse();
            let name = lines[at].split_whitespace().collect::<Vec<_>>().join(" ");
            h.signed_by = Some(if position.is_empty() {
                name
            } else {
                format!("{name}, {}", position.join(" "))
            });
        }
    }
    // The plan's title: the last short block before the table that starts with «План».
    h.plan_title = bl
        .iter()
        .rev()
        .map(Block::text)
        .find(|t| {
            let first = t.split_whitespace().next().unwrap_or("").to_lowercase();
            (first == "план" || first == "**план" || first == "программа" || first == "дорожная")
                && t.chars().count() <= 500
                && (!t.ends_with('.') || t.ends_with("гг.") || t.ends_with(" г."))
                && !t.ends_with(':')
        })
        .map(|t| sentence_case_first(&t))
        .or_else(|| {
            // «Муниципальная программа «…»»: a short block naming a programme.
            bl.iter()
                .rev()
                .map(|b| {
                    // Without a «Сроки реализации: …» line of the same block.
                    b.lines
                        .iter()
                        .take_while(|l| !l.trim().to_lowercase().starts_with("срок"))
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .find(|t| {
                    let l = t.to_lowercase();
                    l.split_whitespace()
                        .take(3)
                        .any(|w| w.starts_with("программ"))
                        && t.chars().count() <= 300
                        && !t.ends_with(':')
                })
        });
    let doc_year = h.date.map(|d| d.year());
    h.period = h
        .plan_title
        .as_deref()
        .and_then(|t| find_period(t, doc_year))
        .or_else(|| {
            h.doc_title
                .as_deref()
                .and_then(|t| find_period(t, doc_year))
        });
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_capitals_of_a_title_become_sentence_case() {
        assert_eq!(
            sentence_case_first("ПЛАН МЕРОПРИЯТИЙ по повышению качества образования"),
            "План мероприятий по повышению качества образования"
        );
        assert_eq!(
            sentence_case_first("ДОРОЖНАЯ КАРТА внедрения ФГОС в МБОУ СОШ № 1"),
            "Дорожная карта внедрения ФГОС в МБОУ СОШ № 1"
        );
        assert_eq!(sentence_case_first("ПЛАН мероприятий"), "План мероприятий");
        assert_eq!(
            sentence_case_first("ФГОС: ПЛАН РАБОТЫ на год"),
            "ФГОС: план работы на год"
        );
        // All in capitals: left alone (proper names cannot be told apart).
        assert_eq!(
            sentence_case_first("ПЛАН РАБОТЫ ТИХОРЕЧЕНСКОГО РАЙОНА"),
            "ПЛАН РАБОТЫ ТИХОРЕЧЕНСКОГО РАЙОНА"
        );
    }

    fn paras(text: &str) -> Vec<Para> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| Para {
                line: i + 1,
                text: l.into(),
            })
            .collect()
    }

    #[test]
    fn dates_and_numbers() {
        assert_eq!(
            find_date("от 21 июня 2023 года № 146"),
            NaiveDate::from_ymd_opt(2023, 6, 21)
        );
        assert_eq!(
            find_date("«23» ноября 2021 года"),
            NaiveDate::from_ymd_opt(2021, 11, 23)
        );
        assert_eq!(
            find_date("от 16.09.2021 г."),
            NaiveDate::from_ymd_opt(2021, 9, 16)
        );
        assert_eq!(
            find_date("12 мая 2024"),
            NaiveDate::from_ymd_opt(2024, 5, 12)
        );
        assert_eq!(
            find_number("от 21 июня 2023 года № 146").as_deref(),
            Some("146")
        );
        assert_eq!(find_number("№ 209 «Б»").as_deref(), Some("209 «Б»"));
        assert_eq!(find_period("на 2023–2025 годы", None), Some((2023, 2025)));
        assert_eq!(find_period("на 2021-2024годы", None), Some((2021, 2024)));
        assert_eq!(
            find_period("на период до 2024 года", Some(2021)),
            Some((2021, 2024))
        );
    }

    #[test]
    fn stamp_and_appendix() {
        let text = "УТВЕРЖДАЮ\nНачальник управления образования\nадминистрации района\n__________ И.И. Петрова\n«23» ноября 2021 года\n\nПлан мероприятий на 2021-2025 гг.\n";
        let h = parse_all(&paras(text), &[], true);
        assert_eq!(h.approval, Some(Approval::Stamp));
        assert_eq!(h.number, None);
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2021, 11, 23));
        assert_eq!(
            h.signed_by.as_deref(),
            Some("И.И. Петрова, Начальник управления образования администрации района")
        );
        assert_eq!(h.period, Some((2021, 2025)));
        let text = "Приложение № 4\nк приказу Управления образования\nот 24.09.2021г. № 312\n\nДорожная карта\nСроки реализации: 2019-2024 гг.\n";
        let h = parse_all(&paras(text), &[], true);
        assert_eq!(h.approval, Some(Approval::Appendix));
        assert_eq!(h.appendix.as_deref(), Some("4"));
        assert_eq!(h.kind, Some(DocumentKind::Prikaz));
        assert_eq!(h.number.as_deref(), Some("312"));
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2021, 9, 24));
        assert_eq!(h.period, Some((2019, 2024)));
        let foot = paras("УТВЕРЖДЕНО приказом от 27 декабря 2019 г. № 88\n");
        let h = parse_all(&[], &foot, true);
        assert_eq!(h.approval, Some(Approval::Act));
        assert_eq!(h.number.as_deref(), Some("88"));
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2019, 12, 27));
        let h = parse_all(&paras("План работы\n"), &[], true);
        assert_eq!(h.approval, None);
        assert_eq!(h.date, None);
        assert_eq!(h.period, None);
    }

    #[test]
    fn heading_of_an_order() {
        let text = "**УПРАВЛЕНИЕ ОБРАЗОВАНИЕМ\nГОРОДА N**\n\nПРИКАЗ\n\nот 21 июня 2023 года № 146\nг. N\n\nОб утверждении плана\n\nПРИКАЗЫВАЮ:\n\n1. Утвердить.\n\nНачальник\n\nМО Управление\n\nЕ.А. Вахрушева\n\nПЛАН\nмероприятий на 2023–2025 годы\n";
        let h = parse(&paras(text), true);
        assert_eq!(h.kind, Some(DocumentKind::Prikaz));
        assert_eq!(h.number.as_deref(), Some("146"));
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2023, 6, 21));
        assert_eq!(
            h.issued_by.as_deref(),
            Some("УПРАВЛЕНИЕ ОБРАЗОВАНИЕМ ГОРОДА N")
        );
        assert_eq!(
            h.signed_by.as_deref(),
            Some("Е.А. Вахрушева, Начальник МО Управление")
        );
        assert_eq!(h.doc_title.as_deref(), Some("Об утверждении плана"));
        assert_eq!(
            h.plan_title.as_deref(),
            Some("План мероприятий на 2023–2025 годы")
        );
        assert_eq!(h.period, Some((2023, 2025)));
    }
}
