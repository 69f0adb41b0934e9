//! Free-text Russian deadlines of roadmap events.
//!
//! Official documents state deadlines in words: «В течение года», «Октябрь Декабрь Март Июнь»,
//! «апрель 2021 года, ежегодно», «1 раз в четверть», «до 01.09.2024», «по мере необходимости».
//! This module turns such words into a normalized interval (possibly recurring) inside the
//! roadmap's period, a conditional form, or «unparsed», and derives an event status from it.
//!
//! The parser is hand-written: the text is folded (HTML tags dropped, lowercase, ё → е, every
//! dash → `-`, Latin look-alikes inside Cyrillic words → Cyrillic), split into raw tokens (words,
//! numbers, dates, dashes, separators), classified into semantic tokens (month, year, day,
//! quarter, «until», «since», recurrence markers …), grouped («Октябрь, апрель 2023,2024» is one
//! group: two months in three years) and finally resolved against the period.
//!
//! Interpretation rules worth knowing:
//! * a month without a year recurs yearly: from its first full occurrence in the period to its
//!   last one; a month with one year happens once, unless «ежегодно» is present; a month with
//!   several years recurs in those years;
//! * a dash between years is a continuous span («2021 – 2022 годы»), a comma list of years is a
//!   yearly recurrence, a slash or «уч. год» makes an academic year (September 1 – August 31);
//! * «до X» runs from the start of the period to X (the end of X when X is a month or a year);
//!   «с X» runs from X to the end of the period;
//! * any recognised time expression wins over conditional words: «В течение года По мере
//!   поступления разработанных ИОМ» is continuous, «по плану» alone is conditional;
//! * an impossible date («31.02.2024», «99.99.9999») makes the whole deadline unparsed rather
//!   than guessed.

use chrono::{Datelike, NaiveDate};

/// The roadmap's period: deadlines are interpreted inside it (a bare month «Октябрь» means every
/// October within the period; «В течение года» means the whole period, recurring yearly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Recurrence {
    Once,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    /// «постоянно», «в течение года/периода»: ongoing throughout the interval.
    Continuous,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum DeadlineKind {
    /// A normalized interval (possibly recurring).
    Interval {
        from: NaiveDate,
        to: NaiveDate,
        recurrence: Recurrence,
    },
    /// Conditional forms: «по мере необходимости», «по отдельному графику», «в соответствии с планом» …
    Conditional,
    /// Could not be understood: the caller warns and shows the text as is.
    Unparsed,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deadline {
    /// The document's own words, trimmed.
    pub text: String,
    pub kind: DeadlineKind,
    /// For recurring forms, the months (1..=12) in which it recurs, if the text names them
    /// («Октябрь Декабрь Март Июнь» → [10, 12, 3, 6]); empty otherwise.
    pub months: Vec<u32>,
}

use crate::text::ru::MONTH_NAMES;

impl Deadline {
    /// Human-readable normalized form in Russian for display next to the original words, e.g.
    /// «01.11.2021 – 30.11.2021», «2021–2024, постоянно», «ежегодно: апрель», «ежеквартально»,
    /// «по условию». None for Unparsed.
    pub fn normalized_label(&self) -> Option<String> {
        match &self.kind {
            DeadlineKind::Unparsed => None,
            DeadlineKind::Conditional => Some("по условию".to_string()),
            DeadlineKind::Interval {
                from,
                to,
                recurrence,
            } => {
                let with_months = |word: &str| {
                    if self.months.is_empty() {
                        word.to_string()
                    } else {
                        format!("{word}: {}", months_label(&self.months))
                    }
                };
                Some(match recurrence {
                    Recurrence::Once if from == to => fmt_date(*from),
                    Recurrence::Once => format!("{} – {}", fmt_date(*from), fmt_date(*to)),
                    Recurrence::Continuous => format!("{}, постоянно", span_label(*from, *to)),
                    Recurrence::Yearly => with_months("ежегодно"),
                    Recurrence::Quarterly => "ежеквартально".to_string(),
                    Recurrence::Monthly => with_months("ежемесячно"),
                    Recurrence::Weekly => "еженедельно".to_string(),
                })
            }
        }
    }

    /// true if the interval lies (even partly) outside `period`. Conditional/Unparsed: false.
    pub fn outside(&self, period: Span) -> bool {
        match self.kind {
            DeadlineKind::Interval { from, to, .. } => from < period.from || to > period.to,
            _ => false,
        }
    }
}

/// Status of an event on `today`, given its deadline and whether it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Overdue,
    Unknown,
}

impl Status {
    /// «запланировано», «выполняется», «выполнено», «просрочено», «срок не определён»
    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "запланировано",
            Status::InProgress => "выполняется",
            Status::Done => "выполнено",
            Status::Overdue => "просрочено",
            Status::Unknown => "срок не определён",
        }
    }

    /// "planned", "in_progress", "done", "overdue", "unknown" (CSS class / data value)
    pub(crate) fn key(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Overdue => "overdue",
            Status::Unknown => "unknown",
        }
    }
}

/// done → Done. Interval: today < from → Planned; from <= today <= to → InProgress;
/// today > to → Overdue, except for recurring/continuous forms whose interval has ended —
/// those are Overdue too (not done in time). Conditional → InProgress while today is inside the
/// period, Planned before it, Overdue after it. Unparsed → Unknown.
pub fn status(deadline: &Deadline, done: bool, today: NaiveDate, period: Span) -> Status {
    if done {
        return Status::Done;
    }
    let (from, to) = match deadline.kind {
        DeadlineKind::Interval { from, to, .. } => (from, to),
        DeadlineKind::Conditional => (period.from, period.to),
        DeadlineKind::Unparsed => return Status::Unknown,
    };
    if today < from {
        Status::Planned
    } else if today <= to {
        Status::InProgress
    } else {
        Status::Overdue
    }
}

/// Parse a deadline. Never panics, whatever the input (arbitrary Unicode, huge strings,
/// empty). The interval is clamped/interpreted within `period`: «Октябрь» → from the first
/// October 1 in the period to the last October 31 in the period, recurrence Yearly, months [10];
/// «ноябрь 2021 года» → 2021-11-01..2021-11-30 Once; «2021 – 2022 годы» → 2021-01-01..2022-12-31
/// Continuous; «апрель 2021 года, ежегодно» → 2021-04-01..(last April 30 in period) Yearly [4];
/// «1 раз в четверть» → whole period, Quarterly; «до 01.09.2024» → period.from..2024-09-01 Once;
/// «В течение года» → whole period, Continuous; academic year «2023-2024 уч. год» → 2023-09-01..2024-08-31.
/// A year that lies outside the period is kept as written (the caller warns via `outside`).
pub fn parse(text: &str, period: Span) -> Deadline {
    let period = if period.from <= period.to {
        period
    } else {
        Span {
            from: period.to,
            to: period.from,
        }
    };
    let (kind, months) = interpret(text, period);
    Deadline {
        text: text.trim().to_string(),
        kind,
        months,
    }
}

// ---------------------------------------------------------------------------------------------
// Labels

fn fmt_date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// «2021–2024», «2024», «2023/2024 уч. год» or «dd.mm.yyyy – dd.mm.yyyy».
fn span_label(from: NaiveDate, to: NaiveDate) -> String {
    let whole_years = (from.month(), from.day()) == (1, 1) && (to.month(), to.day()) == (12, 31);
    let academic = (from.month(), from.day()) == (9, 1) && (to.month(), to.day()) == (8, 31);
    if whole_years && from.year() == to.year() {
        format!("{}", from.year())
    } else if whole_years {
        format!("{}–{}", from.year(), to.year())
    } else if academic && to.year() == from.year() + 1 {
        format!("{}/{} уч. год", from.year(), to.year())
    } else if academic && to.year() > from.year() {
        format!(
            "{}/{}–{}/{} уч. годы",
            from.year(),
            from.year() + 1,
            to.year() - 1,
            to.year()
        )
    } else {
        format!("{} – {}", fmt_date(from), fmt_date(to))
    }
}

/// Month names in the given order; runs of consecutive months are shown as «июнь–август».
fn months_label(months: &[u32]) -> String {
    let name = |m: u32| MONTH_NAMES[((m.clamp(1, 12)) - 1) as usize];
    let mut parts: Vec<String> = Vec::new();
    let mut k = 0;
    while k < months.len() {
        let mut j = k;
        while j + 1 < months.len() && months[j + 1] == months[j] % 12 + 1 {
            j += 1;
        }
        if j > k {
            parts.push(format!("{}–{}", name(months[k]), name(months[j])));
        } else {
            parts.push(name(months[k]).to_string());
        }
        k = j + 1;
    }
    parts.join(", ")
}

// ---------------------------------------------------------------------------------------------
// Normalization and raw tokens

/// Lowercase, ё → е, all dashes → '-', whitespace → ' ', quotes and brackets → ' ', HTML tags
/// and a few entities removed.
fn normalize(text: &str) -> Vec<char> {
    let src: Vec<char> = text.chars().collect();
    let last_gt = src.iter().rposition(|&c| c == '>');
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        if c == '<' {
            let next = src.get(i + 1).copied().unwrap_or(' ');
            if last_gt.is_some_and(|gt| gt > i)
                && (next.is_alphabetic() || next == '/' || next == '!')
            {
                let mut j = i + 1;
                while j < src.len() && src[j] != '>' {
                    j += 1;
                }
                out.push(' ');
                i = j + 1;
                continue;
            }
        }
        if c == '&' {
            if let Some((repl, len)) = entity(&src[i..]) {
                out.push(repl);
                i += len;
                continue;
            }
        }
        for lc in c.to_lowercase() {
            match lc {
                'ё' => out.push('е'),
                '-'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}' => out.push('-'),
                '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
                '«' | '»' | '"' | '“' | '”' | '„' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' => {
                    out.push(' ')
                }
                c if c.is_whitespace() => out.push(' '),
                c => out.push(c),
            }
        }
        i += 1;
    }
    out
}

fn entity(s: &[char]) -> Option<(char, usize)> {
    const ENTITIES: [(&str, char); 10] = [
        ("&nbsp;", ' '),
        ("&#160;", ' '),
        ("&ndash;", '-'),
        ("&mdash;", '-'),
        ("&#8211;", '-'),
        ("&#8212;", '-'),
        ("&amp;", '&'),
        ("&laquo;", ' '),
        ("&raquo;", ' '),
        ("&quot;", ' '),
    ];
    ENTITIES.iter().find_map(|(name, c)| {
        let n = name.chars().count();
        (s.len() >= n && s[..n].iter().copied().eq(name.chars())).then_some((*c, n))
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Word(String),
    /// A number: value (saturated) and count of digits.
    Num(u32, usize),
    /// dd.mm.yyyy, dd.mm.yy, yyyy-mm-dd, dd.mm (no year).
    Date(u32, u32, Option<i32>),
    Dash,
    Sep,
    Slash,
}

fn read_digits(s: &[char], i: &mut usize) -> (u32, usize) {
    let mut val: u32 = 0;
    let mut len = 0;
    while let Some(d) = s
        .get(*i)
        .and_then(|c| c.to_digit(10))
        .filter(|_| s[*i].is_ascii_digit())
    {
        val = val.saturating_mul(10).saturating_add(d);
        len += 1;
        *i += 1;
    }
    (val, len)
}

fn is_digit_at(s: &[char], i: usize) -> bool {
    s.get(i).is_some_and(|c| c.is_ascii_digit())
}

/// Latin letters that look like Cyrillic ones, for words mixing both scripts («Сentябрь»).
fn cyrillic_lookalike(c: char) -> char {
    match c {
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        'k' => 'к',
        'm' => 'м',
        't' => 'т',
        'h' => 'н',
        'b' => 'в',
        c => c,
    }
}

fn tokenize(s: &[char]) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() {
            let start = i;
            let (v1, l1) = read_digits(s, &mut i);
            // dd.mm[.yyyy]
            if l1 <= 2 && s.get(i) == Some(&'.') && is_digit_at(s, i + 1) {
                let mut j = i + 1;
                let (v2, l2) = read_digits(s, &mut j);
                if l2 <= 2 && s.get(j) == Some(&'.') && is_digit_at(s, j + 1) {
                    let mut k = j + 1;
                    let (v3, l3) = read_digits(s, &mut k);
                    let year = match l3 {
                        4 => v3 as i32,
                        2 => 2000 + v3 as i32,
                        _ => i32::MIN,
                    };
                    out.push(Raw::Date(v1, v2, Some(year)));
                    i = k;
                    continue;
                }
                if l2 == 2 {
                    out.push(Raw::Date(v1, v2, None));
                    i = j;
                    continue;
                }
            }
            // yyyy-mm-dd
            if l1 == 4 && s.get(i) == Some(&'-') && is_digit_at(s, i + 1) {
                let mut j = i + 1;
                let (v2, l2) = read_digits(s, &mut j);
                if l2 == 2 && s.get(j) == Some(&'-') && is_digit_at(s, j + 1) {
                    let mut k = j + 1;
                    let (v3, l3) = read_digits(s, &mut k);
                    if l3 == 2 {
                        out.push(Raw::Date(v3, v2, Some(v1 as i32)));
                        i = k;
                        continue;
                    }
                }
            }
            debug_assert!(i > start);
            out.push(Raw::Num(v1, l1));
        } else if c.is_alphabetic() {
            let start = i;
            while i < s.len() && s[i].is_alphabetic() {
                i += 1;
            }
            let word = &s[start..i];
            let has_cyr = word.iter().any(|c| ('\u{0400}'..='\u{04FF}').contains(c));
            let has_lat = word.iter().any(|c| c.is_ascii_alphabetic());
            let w: String = if has_cyr && has_lat {
                word.iter().map(|&c| cyrillic_lookalike(c)).collect()
            } else {
                word.iter().collect()
            };
            out.push(Raw::Word(w));
        } else {
            match c {
                '-' => out.push(Raw::Dash),
                ',' | ';' | '+' | '&' => out.push(Raw::Sep),
                '/' | '\\' => out.push(Raw::Slash),
                _ => {}
            }
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Word classification

fn month_of(w: &str) -> Option<u32> {
    const STEMS: [(&str, u32); 22] = [
        ("январ", 1),
        ("феврал", 2),
        ("март", 3),
        ("апрел", 4),
        ("июн", 6),
        ("июл", 7),
        ("август", 8),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
        ("januar", 1),
        ("februar", 2),
        ("march", 3),
        ("april", 4),
        ("june", 6),
        ("july", 7),
        ("august", 8),
        ("septemb", 9),
        ("octob", 10),
        ("novemb", 11),
        ("decemb", 12),
    ];
    const EXACT: [(&str, u32); 35] = [
        ("янв", 1),
        ("фев", 2),
        ("февр", 2),
        ("мар", 3),
        ("апр", 4),
        ("май", 5),
        ("мая", 5),
        ("мае", 5),
        ("маю", 5),
        ("маем", 5),
        ("авг", 8),
        ("сен", 9),
        ("сент", 9),
        ("сентяб", 9),
        ("окт", 10),
        ("октяб", 10),
        ("ноя", 11),
        ("нояб", 11),
        ("дек", 12),
        ("декаб", 12),
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
        ("febr", 2),
        ("septem", 9),
    ];
    if let Some(&(_, m)) = EXACT.iter().find(|(e, _)| *e == w) {
        return Some(m);
    }
    if let Some(&(_, m)) = STEMS.iter().find(|(s, _)| w.starts_with(s)) {
        return Some(m);
    }
    fuzzy_month(w)
}

/// Typo tolerance for the long month names: one edit (insertion, deletion, substitution or
/// transposition of neighbours) away from the nominative, genitive or prepositional form.
fn fuzzy_month(w: &str) -> Option<u32> {
    const FORMS: [(&str, u32); 8] = [
        ("январ", 1),
        ("феврал", 2),
        ("апрел", 4),
        ("август", 8),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
    ];
    let mut word = ['\0'; 10];
    let mut n = 0;
    for c in w.chars() {
        if n == word.len() {
            return None;
        }
        word[n] = c;
        n += 1;
    }
    if n < 5 {
        return None;
    }
    let word = &word[..n];
    for (stem, m) in FORMS {
        let endings: &[&str] = if stem == "август" {
            &["", "а", "е"]
        } else {
            &["ь", "я", "е"]
        };
        for end in endings {
            let mut form = ['\0'; 10];
            let mut k = 0;
            for c in stem.chars().chain(end.chars()) {
                form[k] = c;
                k += 1;
            }
            if within_one_edit(word, &form[..k]) {
                return Some(m);
            }
        }
    }
    None
}

/// Are `a` and `b` at most one edit apart (Damerau–Levenshtein with adjacent transpositions)?
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    if ra.is_empty() && rb.is_empty() {
        return true;
    }
    if n == m {
        // substitution, or transposition of two neighbours
        ra[1..] == rb[1..]
            || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
    } else if n > m {
        ra[1..] == *rb
    } else {
        *ra == rb[1..]
    }
}

fn is_year_word(w: &str) -> bool {
    matches!(
        w,
        "г" | "гг"
            | "год"
            | "года"
            | "году"
            | "годы"
            | "годов"
            | "годах"
            | "годам"
            | "годом"
            | "year"
            | "years"
            | "yr"
    )
}

fn is_academic_word(w: &str) -> bool {
    w == "уч" || w.starts_with("учебн") || w == "academic"
}

fn is_quarter_word(w: &str) -> bool {
    w.starts_with("квартал") || w == "кв" || w.starts_with("quarter")
}

fn is_half_word(w: &str) -> bool {
    w.starts_with("полугод")
}

fn roman(w: &str) -> Option<u32> {
    let w: String = w.chars().map(|c| if c == 'і' { 'i' } else { c }).collect();
    match w.as_str() {
        "i" => Some(1),
        "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        _ => None,
    }
}

fn ordinal(w: &str) -> Option<u32> {
    if w.starts_with("перв") {
        Some(1)
    } else if w.starts_with("втор") {
        Some(2)
    } else if w.starts_with("трет") {
        Some(3)
    } else if let Some(rest) = w.strip_prefix("четверт") {
        // «четвертый/четвертом/четвертая» are ordinals, «четверть/четверти» is a school term.
        rest.starts_with(['ы', 'о', 'а']).then_some(4)
    } else {
        None
    }
}

fn is_ordinal_suffix(w: &str) -> bool {
    matches!(
        w,
        "й" | "го" | "м" | "е" | "я" | "ый" | "ой" | "ий" | "ого" | "ом" | "ая" | "ое"
    )
}

/// «еженедельно», «ежегодно», «постоянно» … as one word.
fn recurrence_word(w: &str) -> Option<Recurrence> {
    const TABLE: [(&str, Recurrence); 22] = [
        ("ежегод", Recurrence::Yearly),
        ("ежемесяч", Recurrence::Monthly),
        ("еженедел", Recurrence::Weekly),
        ("ежекварт", Recurrence::Quarterly),
        ("поквартал", Recurrence::Quarterly),
        ("ежедневн", Recurrence::Continuous),
        ("постоян", Recurrence::Continuous),
        ("регуляр", Recurrence::Continuous),
        ("систематич", Recurrence::Continuous),
        ("бессроч", Recurrence::Continuous),
        ("круглогод", Recurrence::Continuous),
        ("непрерыв", Recurrence::Continuous),
        ("annual", Recurrence::Yearly),
        ("yearly", Recurrence::Yearly),
        ("monthly", Recurrence::Monthly),
        ("weekly", Recurrence::Weekly),
        ("quarterly", Recurrence::Quarterly),
        ("daily", Recurrence::Continuous),
        ("continuous", Recurrence::Continuous),
        ("ongoing", Recurrence::Continuous),
        ("permanent", Recurrence::Continuous),
        ("always", Recurrence::Continuous),
    ];
    TABLE
        .iter()
        .find(|(p, _)| w.starts_with(p))
        .map(|&(_, r)| r)
}

/// The unit of «раз в X», «каждый X», «по X-ам».
fn unit_recurrence(w: &str) -> Option<Recurrence> {
    if w.starts_with("недел") {
        Some(Recurrence::Weekly)
    } else if w.starts_with("месяц") {
        Some(Recurrence::Monthly)
    } else if w.starts_with("квартал") || w.starts_with("четверт") {
        Some(Recurrence::Quarterly)
    } else if w.starts_with("полугод") || w.starts_with("учебн") || is_year_word(w) || w == "годам"
    {
        Some(Recurrence::Yearly)
    } else if w.starts_with("день") || w.starts_with("дня") || w == "сутки" {
        Some(Recurrence::Continuous)
    } else {
        None
    }
}

/// A relative duration after «в течение»: «в течение 10 дней» is conditional, not a period.
fn is_duration_word(w: &str) -> bool {
    w.starts_with("дн")
        || w.starts_with("день")
        || w.starts_with("недел")
        || w.starts_with("месяц")
        || w.starts_with("час")
        || w == "суток"
        || w == "рабочих"
        || w == "календарных"
}

/// Words that mark a conditional deadline when no time expression is present.
fn is_condition_cue(w: &str) -> bool {
    const CUES: [&str; 30] = [
        "необходим",
        "потребност",
        "соответств",
        "согласно",
        "согласован",
        "план",
        "график",
        "запрос",
        "заявк",
        "мере",
        "отдельн",
        "индивидуальн",
        "получени",
        "поступлени",
        "после",
        "итог",
        "результат",
        "требовани",
        "указани",
        "решени",
        "распоряж",
        "поручени",
        "приказ",
        "услови",
        "случа",
        "окончани",
        "завершени",
        "при",
        "готовност",
        "сроки",
    ];
    CUES.iter().any(|c| w.starts_with(c))
}

/// Words carrying no meaning of their own here.
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "в" | "во"
            | "на"
            | "за"
            | "к"
            | "ко"
            | "конец"
            | "конца"
            | "начало"
            | "начала"
            | "середина"
            | "середины"
            | "окончание"
            | "срок"
            | "срока"
            | "течение"
            | "всего"
            | "весь"
            | "текущего"
            | "текущий"
            | "календарного"
            | "календарный"
            | "месяц"
            | "месяца"
            | "месяце"
            | "числа"
            | "число"
            | "года"
            | "of"
            | "in"
            | "the"
    )
}

// ---------------------------------------------------------------------------------------------
// Semantic tokens

#[derive(Debug, Clone, Copy, PartialEq)]
enum S {
    Month(u32),
    Year(i32),
    /// A day of month directly followed by a month.
    Day(u32),
    Num(u32),
    Date(NaiveDate),
    /// A roman numeral or an ordinal word, meaningful only before «квартал»/«полугодие».
    Ord(u32),
    Quarter(u32),
    Half(u32),
    Dash,
    Sep,
    Slash,
    Until,
    Since,
    /// «по» before a date: the end of a range, or an «until» on its own.
    To,
    /// A word that is not part of a time expression: groups do not continue across it.
    Break,
}

#[derive(Debug, Default)]
struct Sem {
    toks: Vec<S>,
    markers: Vec<Recurrence>,
    cond: bool,
    academic: bool,
    bad: bool,
}

fn word_at(raw: &[Raw], j: usize) -> Option<&str> {
    match raw.get(j) {
        Some(Raw::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// Does a time expression start at raw token `j`?
fn starts_time(raw: &[Raw], j: usize) -> bool {
    match raw.get(j) {
        Some(Raw::Num(..)) | Some(Raw::Date(..)) => true,
        Some(Raw::Word(w)) => {
            month_of(w).is_some()
                || ((roman(w).is_some() || ordinal(w).is_some())
                    && word_at(raw, j + 1).is_some_and(|n| is_quarter_word(n) || is_half_word(n)))
        }
        _ => false,
    }
}

fn skip_words(raw: &[Raw], mut j: usize, words: &[&str]) -> usize {
    while word_at(raw, j).is_some_and(|w| words.contains(&w)) {
        j += 1;
    }
    j
}

const BOUND_FILLERS: [&str; 9] = [
    "конца",
    "окончания",
    "начала",
    "середины",
    "истечения",
    "конец",
    "начало",
    "числа",
    "the",
];

/// Turn the number(s) just before «квартал»/«полугодие» into quarters/halves:
/// «I квартал», «1-2 квартал», «II–III кв.».
fn retro_convert(out: &mut [S], max: u32, make: fn(u32) -> S) -> bool {
    let num = |s: S| match s {
        S::Num(v) | S::Ord(v) if (1..=max).contains(&v) => Some(v),
        _ => None,
    };
    let n = out.len();
    if n == 0 {
        return false;
    }
    let Some(v) = num(out[n - 1]) else {
        return false;
    };
    out[n - 1] = make(v);
    if n >= 3 && out[n - 2] == S::Dash {
        if let Some(v0) = num(out[n - 3]) {
            out[n - 3] = make(v0);
        }
    }
    true
}

fn classify(raw: &[Raw]) -> Sem {
    let mut sem = Sem::default();
    let mut i = 0;
    while i < raw.len() {
        match &raw[i] {
            Raw::Dash => {
                sem.toks.push(S::Dash);
                i += 1;
            }
            Raw::Sep => {
                sem.toks.push(S::Sep);
                i += 1;
            }
            Raw::Slash => {
                sem.toks.push(S::Slash);
                i += 1;
            }
            &Raw::Date(d, m, y) => {
                i += 1;
                match y {
                    Some(y) => match NaiveDate::from_ymd_opt(y, m, d) {
                        Some(date) => sem.toks.push(S::Date(date)),
                        None => sem.bad = true,
                    },
                    None if day_month_valid(d, m) => {
                        sem.toks.push(S::Day(d));
                        sem.toks.push(S::Month(m));
                    }
                    None => sem.toks.push(S::Break),
                }
            }
            &Raw::Num(val, len) => {
                i += 1;
                // «1-й квартал», «1-го сентября»
                if raw.get(i) == Some(&Raw::Dash)
                    && word_at(raw, i + 1).is_some_and(is_ordinal_suffix)
                {
                    i += 2;
                }
                if len == 4 && (1900..=2199).contains(&val) {
                    sem.toks.push(S::Year(val as i32));
                } else if len <= 2 {
                    if word_at(raw, i).and_then(month_of).is_some() {
                        if (1..=31).contains(&val) {
                            sem.toks.push(S::Day(val));
                        } else {
                            sem.bad = true;
                        }
                    } else {
                        sem.toks.push(S::Num(val));
                    }
                } else {
                    sem.toks.push(S::Break);
                }
            }
            Raw::Word(w) => {
                i = classify_word(raw, i, w, &mut sem);
            }
        }
    }
    sem
}

fn day_month_valid(d: u32, m: u32) -> bool {
    // 2000 is a leap year: February 29 is a valid yearly date.
    NaiveDate::from_ymd_opt(2000, m, d).is_some()
}

/// Classify the word at `i`; returns the index of the next unread raw token.
fn classify_word(raw: &[Raw], i: usize, w: &str, sem: &mut Sem) -> usize {
    let next = word_at(raw, i + 1);
    match w {
        "в" | "во" | "на"
            if next.is_some_and(|n| {
                matches!(n, "течение" | "течении" | "продолжение" | "протяжении")
            }) =>
        {
            continuous_phrase(raw, i + 2, sem)
        }
        // «в течении» is a frequent misspelling
        "течение" | "течении" | "протяжении" => {
            continuous_phrase(raw, i + 1, sem)
        }
        "весь" | "всего" | "все" if next.is_some_and(|n| n.starts_with("период")) =>
        {
            sem.markers.push(Recurrence::Continuous);
            sem.toks.push(S::Break);
            i + 2
        }
        "раз" | "раза" => {
            let j = skip_words(raw, i + 1, &["в", "во", "за", "на"]);
            match word_at(raw, j).and_then(unit_recurrence) {
                Some(r) => {
                    sem.markers.push(r);
                    sem.toks.push(S::Break);
                    j + 1
                }
                None => {
                    sem.toks.push(S::Break);
                    i + 1
                }
            }
        }
        _ if w.starts_with("кажд") => match next.and_then(unit_recurrence) {
            Some(r) => {
                sem.markers.push(r);
                sem.toks.push(S::Break);
                i + 2
            }
            None => {
                sem.toks.push(S::Break);
                i + 1
            }
        },
        "по" => {
            if starts_time(raw, i + 1) {
                sem.toks.push(S::To);
            } else if let Some(r) = next
                .filter(|n| n.ends_with("ам") || n.ends_with("ям"))
                .and_then(unit_recurrence)
            {
                // «по четвертям», «по месяцам»
                sem.markers.push(r);
                sem.toks.push(S::Break);
                return i + 2;
            } else {
                sem.cond = true;
                sem.toks.push(S::Break);
            }
            i + 1
        }
        "до" | "к" | "ко" | "by" | "until" | "till" => {
            let j = skip_words(raw, i + 1, &BOUND_FILLERS);
            if starts_time(raw, j) {
                sem.toks.push(S::Until);
                j
            } else {
                if w == "до" {
                    // «до завершения проекта», «до особого распоряжения»
                    sem.cond = true;
                }
                sem.toks.push(S::Break);
                i + 1
            }
        }
        "не" if next.is_some_and(|n| n == "позднее" || n == "позже") => {
            let j = skip_words(raw, i + 2, &BOUND_FILLERS);
            if starts_time(raw, j) {
                sem.toks.push(S::Until);
                j
            } else {
                sem.toks.push(S::Break);
                i + 2
            }
        }
        "с" | "со" | "от" | "начиная" | "from" | "since" => {
            let mut j = i + 1;
            if w == "начиная" {
                j = skip_words(raw, j, &["с", "со"]);
            }
            let j = skip_words(raw, j, &BOUND_FILLERS);
            if starts_time(raw, j) {
                sem.toks.push(S::Since);
                j
            } else {
                i + 1
            }
        }
        "и" | "или" | "либо" | "а" | "and" | "or" => {
            sem.toks.push(S::Sep);
            i + 1
        }
        _ => {
            if let Some(m) = month_of(w) {
                sem.toks.push(S::Month(m));
            } else if is_year_word(w) {
                // «года», «гг.»: no meaning of their own
            } else if is_academic_word(w) {
                sem.academic = true;
            } else if is_quarter_word(w) {
                if !retro_convert(&mut sem.toks, 4, S::Quarter) {
                    sem.toks.push(S::Break);
                }
            } else if is_half_word(w) {
                if !retro_convert(&mut sem.toks, 2, S::Half) {
                    sem.toks.push(S::Break);
                }
            } else if let Some(n) = roman(w).or_else(|| ordinal(w)) {
                sem.toks.push(S::Ord(n));
            } else if let Some(r) = recurrence_word(w) {
                sem.markers.push(r);
                sem.toks.push(S::Break);
            } else if is_filler(w) {
                // nothing
            } else {
                if is_condition_cue(w) {
                    sem.cond = true;
                }
                sem.toks.push(S::Break);
            }
            i + 1
        }
    }
}

/// After «в течение»: a period («года», «всего периода», «2024 года») is continuous, a relative
/// duration («10 дней», «месяца») is conditional.
fn continuous_phrase(raw: &[Raw], j: usize, sem: &mut Sem) -> usize {
    let relative = match raw.get(j) {
        Some(Raw::Num(v, len)) => !(*len == 4 && (1900..=2199).contains(v)),
        Some(Raw::Word(w)) => is_duration_word(w),
        _ => false,
    };
    if relative {
        sem.cond = true;
    } else {
        sem.markers.push(Recurrence::Continuous);
    }
    sem.toks.push(S::Break);
    j
}

// ---------------------------------------------------------------------------------------------
// Groups

/// A month/day range inside one year (or wrapping into the next one): «июнь-август»,
/// «1-15 сентября», «I квартал». `d2 == None` means the end of month `m2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rng {
    m1: u32,
    d1: u32,
    m2: u32,
    d2: Option<u32>,
}

impl Rng {
    fn months(m1: u32, m2: u32) -> Rng {
        Rng {
            m1,
            d1: 1,
            m2,
            d2: None,
        }
    }

    fn wraps(&self) -> bool {
        (self.m2, self.d2.unwrap_or(31)) < (self.m1, self.d1)
    }

    fn valid(&self) -> bool {
        (1..=12).contains(&self.m1)
            && (1..=12).contains(&self.m2)
            && day_month_valid(self.d1, self.m1)
            && self.d2.is_none_or(|d| day_month_valid(d, self.m2))
    }

    /// The occurrence starting in year `sy`.
    fn occ(&self, sy: i32) -> Option<(NaiveDate, NaiveDate)> {
        let from = NaiveDate::from_ymd_opt(sy, self.m1, self.d1)?;
        let ey = if self.wraps() { sy.checked_add(1)? } else { sy };
        let to = match self.d2 {
            Some(d) => NaiveDate::from_ymd_opt(ey, self.m2, d)?,
            None => last_day(ey, self.m2)?,
        };
        Some((from, to))
    }

    /// The start year of the occurrence labelled with year `y` in the text: for a wrapping
    /// range («ноябрь – февраль 2024») the written year is the year of the last month.
    fn start_year(&self, y: i32) -> i32 {
        if self.wraps() {
            y - 1
        } else {
            y
        }
    }

    fn month_list(&self) -> Vec<u32> {
        let mut v = vec![self.m1];
        let mut m = self.m1;
        while m != self.m2 && v.len() < 12 {
            m = m % 12 + 1;
            v.push(m);
        }
        v
    }
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    (28..=31)
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(y, m, d))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mod {
    None,
    Until,
    Since,
    To,
}

#[derive(Debug, Clone, PartialEq)]
enum GKind {
    /// Months or days, with the years they are written with (possibly none).
    Occ {
        ranges: Vec<Rng>,
        years: Vec<i32>,
    },
    /// Bare years: «2021 – 2022 годы», «2023,2024, 2025», «2023/2024».
    Years {
        years: Vec<i32>,
        dashed: bool,
        slashed: bool,
    },
    Date(NaiveDate),
}

#[derive(Debug, Clone, PartialEq)]
struct Group {
    kind: GKind,
    modifier: Mod,
    dash_joined: bool,
}

fn is_range_link(s: Option<&S>) -> bool {
    matches!(s, Some(S::Dash) | Some(S::To) | Some(S::Until))
}

/// Parse a years list at `*i` (which holds a Year): «2023,2024, 2025», «2021 – 2022»,
/// «2023/24». Returns (years, dashed, slashed).
fn parse_years(t: &[S], i: &mut usize) -> (Vec<i32>, bool, bool) {
    let mut years = Vec::new();
    let (mut dashed, mut slashed) = (false, false);
    if let Some(&S::Year(y)) = t.get(*i) {
        years.push(y);
        *i += 1;
    }
    loop {
        let last = *years.last().unwrap_or(&0);
        match (t.get(*i), t.get(*i + 1)) {
            (Some(&S::Year(y)), _) => {
                years.push(y);
                *i += 1;
            }
            (Some(S::Sep), Some(&S::Year(y))) => {
                years.push(y);
                *i += 2;
            }
            (Some(s @ (S::Dash | S::Slash)), Some(&next)) => {
                let y2 = match next {
                    S::Year(y2) => y2,
                    S::Num(n) if n < 100 => last - last.rem_euclid(100) + n as i32,
                    _ => break,
                };
                if y2 <= last || y2 - last > 300 {
                    break;
                }
                years.extend(last + 1..=y2);
                if *s == S::Slash {
                    slashed = true;
                } else {
                    dashed = true;
                }
                *i += 2;
            }
            _ => break,
        }
    }
    (years, dashed, slashed)
}

/// One range item at `*i`: «сентябрь», «июнь-август», «1 сентября», «1-15 сентября»,
/// «1 сентября – 30 ноября», «I квартал», «I–II полугодие».
fn parse_range_item(t: &[S], i: &mut usize) -> Option<Rng> {
    let at = |k: usize| t.get(k).copied();
    match at(*i)? {
        S::Month(m1) => {
            if is_range_link(t.get(*i + 1)) {
                if let Some(S::Month(m2)) = at(*i + 2) {
                    *i += 3;
                    return Some(Rng::months(m1, m2));
                }
            }
            *i += 1;
            Some(Rng::months(m1, m1))
        }
        S::Day(d1) => {
            let S::Month(m1) = at(*i + 1)? else {
                return None;
            };
            if is_range_link(t.get(*i + 2)) {
                if let (Some(S::Day(d2)), Some(S::Month(m2))) = (at(*i + 3), at(*i + 4)) {
                    *i += 5;
                    return Some(Rng {
                        m1,
                        d1,
                        m2,
                        d2: Some(d2),
                    });
                }
            }
            *i += 2;
            Some(Rng {
                m1,
                d1,
                m2: m1,
                d2: Some(d1),
            })
        }
        S::Num(d1) => {
            // «1-15 сентября», «с 1 по 15 сентября»
            if !is_range_link(t.get(*i + 1)) {
                return None;
            }
            let (Some(S::Day(d2)), Some(S::Month(m))) = (at(*i + 2), at(*i + 3)) else {
                return None;
            };
            *i += 4;
            Some(Rng {
                m1: m,
                d1,
                m2: m,
                d2: Some(d2),
            })
        }
        S::Quarter(q1) => {
            let q2 = match (t.get(*i + 1), at(*i + 2)) {
                (Some(S::Dash), Some(S::Quarter(q2))) => {
                    *i += 3;
                    q2
                }
                _ => {
                    *i += 1;
                    q1
                }
            };
            Some(Rng::months(3 * q1 - 2, 3 * q2))
        }
        S::Half(h1) => {
            let h2 = match (t.get(*i + 1), at(*i + 2)) {
                (Some(S::Dash), Some(S::Half(h2))) => {
                    *i += 3;
                    h2
                }
                _ => {
                    *i += 1;
                    h1
                }
            };
            Some(Rng::months(6 * h1 - 5, 6 * h2))
        }
        _ => None,
    }
}

fn starts_range_item(t: &[S], i: usize) -> bool {
    match t.get(i) {
        Some(S::Month(_)) | Some(S::Day(_)) | Some(S::Quarter(_)) | Some(S::Half(_)) => true,
        Some(S::Num(_)) => {
            is_range_link(t.get(i + 1))
                && matches!(t.get(i + 2), Some(S::Day(_)))
                && matches!(t.get(i + 3), Some(S::Month(_)))
        }
        _ => false,
    }
}

/// Months/days followed by optional years: «Октябрь, апрель 2023,2024, 2025гг.».
fn parse_occ(t: &[S], i: &mut usize) -> Option<GKind> {
    let mut ranges = Vec::new();
    loop {
        ranges.push(parse_range_item(t, i)?);
        if starts_range_item(t, *i) {
            continue;
        }
        if t.get(*i) == Some(&S::Sep) && starts_range_item(t, *i + 1) {
            *i += 1;
            continue;
        }
        break;
    }
    // «Сентябрь – 2021»
    if t.get(*i) == Some(&S::Dash) && matches!(t.get(*i + 1), Some(S::Year(_))) {
        *i += 1;
    }
    let years = if matches!(t.get(*i), Some(S::Year(_))) {
        parse_years(t, i).0
    } else {
        Vec::new()
    };
    Some(GKind::Occ { ranges, years })
}

/// «01-05.09.2024»: a day range ending on a full date.
fn days_before_date(t: &[S], i: usize) -> Option<GKind> {
    let (Some(&S::Num(d1)), true, Some(&S::Date(d))) =
        (t.get(i), is_range_link(t.get(i + 1)), t.get(i + 2))
    else {
        return None;
    };
    (d1 < d.day()).then(|| GKind::Occ {
        ranges: vec![Rng {
            m1: d.month(),
            d1,
            m2: d.month(),
            d2: Some(d.day()),
        }],
        years: vec![d.year()],
    })
}

fn parse_groups(t: &[S]) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut modifier = Mod::None;
    let mut dash = false;
    let mut i = 0;
    while i < t.len() {
        let start = i;
        let kind = if let Some(kind) = days_before_date(t, i) {
            i += 3;
            Some(kind)
        } else {
            match t[i] {
                S::Until => {
                    modifier = Mod::Until;
                    i += 1;
                    None
                }
                S::Since => {
                    modifier = Mod::Since;
                    i += 1;
                    None
                }
                S::To => {
                    modifier = Mod::To;
                    i += 1;
                    None
                }
                S::Dash => {
                    dash = !groups.is_empty();
                    i += 1;
                    None
                }
                S::Break | S::Sep | S::Slash => {
                    dash = false;
                    i += 1;
                    None
                }
                S::Year(_) => {
                    let (years, dashed, slashed) = parse_years(t, &mut i);
                    Some(GKind::Years {
                        years,
                        dashed,
                        slashed,
                    })
                }
                S::Date(d) => {
                    i += 1;
                    Some(GKind::Date(d))
                }
                _ if starts_range_item(t, i) => {
                    // «с 1 по 15 сентября»: the range is closed, «с» adds nothing.
                    if modifier == Mod::Since && matches!(t[i], S::Num(_)) {
                        modifier = Mod::None;
                    }
                    parse_occ(t, &mut i)
                }
                _ => {
                    i += 1;
                    None
                }
            }
        };
        if i == start {
            i += 1; // cannot happen, but never loop forever
        }
        if let Some(kind) = kind {
            groups.push(Group {
                kind,
                modifier,
                dash_joined: dash,
            });
            modifier = Mod::None;
            dash = false;
        }
    }
    groups
}

// ---------------------------------------------------------------------------------------------
// Resolution

#[derive(Debug, Clone)]
struct Res {
    from: NaiveDate,
    to: NaiveDate,
    rec: Recurrence,
    months: Vec<u32>,
}

fn hull(
    acc: Option<(NaiveDate, NaiveDate)>,
    a: NaiveDate,
    b: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    Some(match acc {
        None => (a, b),
        Some((x, y)) => (x.min(a), y.max(b)),
    })
}

/// First and last occurrences of yearly ranges within the period (see module docs).
fn recurring_hull(ranges: &[Rng], p: Span) -> Option<(NaiveDate, NaiveDate)> {
    let (y0, y1) = (p.from.year(), p.to.year());
    let first_years = (y0 - 1)..=y1.min(y0 + 10);
    let last_years = (y1 - 10).max(y0 - 1)..=y1;
    let mut acc = None;
    for r in ranges {
        let inside = |sy: i32| r.occ(sy).filter(|&(a, b)| a >= p.from && b <= p.to);
        if let Some((a, b)) = first_years.clone().find_map(inside) {
            acc = hull(acc, a, b);
        }
        if let Some((a, b)) = last_years.clone().rev().find_map(inside) {
            acc = hull(acc, a, b);
        }
    }
    if acc.is_none() {
        // The period is too short to hold a whole occurrence: take the overlapping ones.
        for r in ranges {
            for sy in first_years.clone() {
                if let Some((a, b)) = r.occ(sy).filter(|&(a, b)| a <= p.to && b >= p.from) {
                    acc = hull(acc, a, b);
                }
            }
        }
    }
    if acc.is_none() {
        // No occurrence touches the period: the one in the period's first year (outside).
        for r in ranges {
            if let Some((a, b)) = (y0..=y0 + 8).find_map(|sy| r.occ(sy)) {
                acc = hull(acc, a, b);
            }
        }
    }
    acc
}

fn dedup_in_order(v: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for m in v {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

fn sorted_years(years: &[i32]) -> Vec<i32> {
    let mut y = years.to_vec();
    y.sort_unstable();
    y.dedup();
    y
}

fn resolve(kind: &GKind, p: Span, yearly: bool, academic: bool) -> Option<Res> {
    match kind {
        GKind::Date(d) => Some(Res {
            from: *d,
            to: *d,
            rec: Recurrence::Once,
            months: Vec::new(),
        }),
        GKind::Years {
            years,
            dashed,
            slashed,
        } => {
            let years = sorted_years(years);
            let (lo, hi) = (*years.first()?, *years.last()?);
            if *slashed || academic {
                let hi = if hi > lo { hi } else { lo + 1 };
                return Some(Res {
                    from: NaiveDate::from_ymd_opt(lo, 9, 1)?,
                    to: NaiveDate::from_ymd_opt(hi, 8, 31)?,
                    rec: Recurrence::Continuous,
                    months: Vec::new(),
                });
            }
            let rec = if *dashed {
                Recurrence::Continuous
            } else if years.len() == 1 {
                Recurrence::Once
            } else {
                Recurrence::Yearly
            };
            Some(Res {
                from: NaiveDate::from_ymd_opt(lo, 1, 1)?,
                to: NaiveDate::from_ymd_opt(hi, 12, 31)?,
                rec,
                months: Vec::new(),
            })
        }
        GKind::Occ { ranges, years } => {
            let mut ranges = ranges.clone();
            if ranges.iter().any(|r| !r.valid()) {
                return None;
            }
            let months = dedup_in_order(ranges.iter().flat_map(Rng::month_list));
            ranges.sort_unstable();
            ranges.dedup();
            let years = sorted_years(years);
            let mut acc = None;
            let rec;
            if years.is_empty() {
                acc = recurring_hull(&ranges, p);
                rec = Recurrence::Yearly;
            } else if academic && years.len() == 2 && years[1] == years[0] + 1 {
                // «июнь 2023-2024 уч. год»: autumn months in the first year, the rest in the second.
                for r in &ranges {
                    let sy = if r.m1 >= 9 { years[0] } else { years[1] };
                    let (a, b) = r.occ(sy)?;
                    acc = hull(acc, a, b);
                }
                rec = Recurrence::Once;
            } else if years.len() == 1 {
                let y = years[0];
                for r in &ranges {
                    let (a, b) = r.occ(r.start_year(y))?;
                    acc = hull(acc, a, b);
                    if yearly {
                        // «апрель 2021 года, ежегодно»: up to the last occurrence in the period.
                        let lo = r.start_year(y);
                        let last = ((p.to.year() - 10).max(lo)..=p.to.year())
                            .rev()
                            .find_map(|sy| r.occ(sy).filter(|&(_, b)| b <= p.to));
                        if let Some((a, b)) = last {
                            acc = hull(acc, a, b);
                        }
                    }
                }
                rec = if yearly {
                    Recurrence::Yearly
                } else {
                    Recurrence::Once
                };
            } else {
                for r in &ranges {
                    for &y in &years {
                        let (a, b) = r.occ(r.start_year(y))?;
                        acc = hull(acc, a, b);
                    }
                }
                rec = Recurrence::Yearly;
            }
            let (from, to) = acc?;
            Some(Res {
                from,
                to,
                rec,
                months,
            })
        }
    }
}

/// «до X»: from the start of the period (or X itself if it is earlier) to X.
fn until(r: Res, p: Span) -> Res {
    if r.rec != Recurrence::Once && r.rec != Recurrence::Continuous {
        return r; // «до 1 сентября» without a year recurs yearly: keep it
    }
    Res {
        from: p.from.min(r.to),
        to: r.to,
        rec: Recurrence::Once,
        months: Vec::new(),
    }
}

/// «с X»: from X to the end of the period (or X's own end if the period ends earlier).
fn since(r: Res, p: Span) -> Res {
    Res {
        from: r.from,
        to: if p.to >= r.from { p.to.max(r.to) } else { r.to },
        rec: Recurrence::Continuous,
        months: Vec::new(),
    }
}

fn marker_rank(r: Recurrence) -> u8 {
    match r {
        Recurrence::Weekly => 5,
        Recurrence::Monthly => 4,
        Recurrence::Quarterly => 3,
        Recurrence::Yearly => 2,
        Recurrence::Continuous => 1,
        Recurrence::Once => 0,
    }
}

fn interpret(text: &str, p: Span) -> (DeadlineKind, Vec<u32>) {
    let unparsed = (DeadlineKind::Unparsed, Vec::new());
    let chars = normalize(text);
    let raw = tokenize(&chars);
    let sem = classify(&raw);
    if sem.bad {
        return unparsed;
    }
    let marker = sem.markers.iter().copied().max_by_key(|&r| marker_rank(r));
    let yearly = sem.markers.contains(&Recurrence::Yearly);
    let groups = parse_groups(&sem.toks);

    if groups.is_empty() {
        let whole = |rec| {
            (
                DeadlineKind::Interval {
                    from: p.from,
                    to: p.to,
                    recurrence: rec,
                },
                Vec::new(),
            )
        };
        return match marker {
            Some(rec) => whole(rec),
            None if sem.academic => whole(Recurrence::Continuous),
            None if sem.cond => (DeadlineKind::Conditional, Vec::new()),
            None => unparsed,
        };
    }

    let mut resolved = Vec::with_capacity(groups.len());
    for g in &groups {
        match resolve(&g.kind, p, yearly, sem.academic) {
            Some(r) => resolved.push(r),
            None => return unparsed,
        }
    }

    // Apply «до»/«с»/«по» and join ranges written with a dash.
    let mut parts: Vec<Res> = Vec::new();
    let mut k = 0;
    while k < resolved.len() {
        let r = resolved[k].clone();
        let g = &groups[k];
        let joins_next = groups.get(k + 1).is_some_and(|n| {
            n.dash_joined
                || (g.modifier == Mod::Since && matches!(n.modifier, Mod::To | Mod::Until))
        });
        if joins_next {
            let n = resolved[k + 1].clone();
            // «01.09 – 30.09.2024», «сентябрь – май 2025»: the year written at the end of the
            // range also holds for its start.
            let start = match &g.kind {
                GKind::Occ { ranges, years } if years.is_empty() && n.rec == Recurrence::Once => {
                    let with_year = |y: i32| {
                        let kind = GKind::Occ {
                            ranges: ranges.clone(),
                            years: vec![y],
                        };
                        resolve(&kind, p, false, false).filter(|x| x.from <= n.from)
                    };
                    with_year(n.from.year())
                        .or_else(|| with_year(n.from.year() - 1))
                        .unwrap_or_else(|| r.clone())
                }
                _ => r.clone(),
            };
            let once_like = |x: &Res| matches!(x.rec, Recurrence::Once | Recurrence::Continuous);
            if g.modifier == Mod::Since || (once_like(&start) && once_like(&n)) {
                parts.push(Res {
                    from: start.from.min(n.from),
                    to: start.to.max(n.to),
                    rec: Recurrence::Once,
                    months: Vec::new(),
                });
                k += 2;
                continue;
            }
        }
        parts.push(match g.modifier {
            Mod::Until | Mod::To => until(r, p),
            Mod::Since => since(r, p),
            Mod::None => r,
        });
        k += 1;
    }

    let from = parts.iter().map(|r| r.from).min().unwrap_or(p.from);
    let to = parts.iter().map(|r| r.to).max().unwrap_or(p.to);
    let derived = if parts.iter().any(|r| r.rec == Recurrence::Yearly) {
        Recurrence::Yearly
    } else if parts.iter().any(|r| r.rec == Recurrence::Continuous) {
        Recurrence::Continuous
    } else {
        Recurrence::Once
    };
    let recurrence = marker.unwrap_or(derived);
    let months = if recurrence == Recurrence::Once {
        Vec::new()
    } else {
        dedup_in_order(parts.iter().flat_map(|r| r.months.iter().copied()))
    };
    (
        DeadlineKind::Interval {
            from,
            to,
            recurrence,
        },
        months,
    )
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use Recurrence::*;

    fn date(s: &str) -> NaiveDate {
        let p: Vec<i32> = s.split('-').map(|x| x.parse().unwrap()).collect();
        NaiveDate::from_ymd_opt(p[0], p[1] as u32, p[2] as u32).unwrap()
    }

    fn span(from: &str, to: &str) -> Span {
        Span {
            from: date(from),
            to: date(to),
        }
    }

    #[derive(Debug)]
    enum E {
        /// from, to, recurrence, months
        I(&'static str, &'static str, Recurrence, &'static [u32]),
        Cond,
        Unp,
    }
    use E::*;

    fn check(table: &[(&str, E)], period: Span, seed: &str) {
        let mut failures = Vec::new();
        for (text, exp) in table {
            let got = parse(text, period);
            let ok = match exp {
                I(f, t, r, m) => {
                    got.kind
                        == DeadlineKind::Interval {
                            from: date(f),
                            to: date(t),
                            recurrence: *r,
                        }
                        && got.months == *m
                }
                Cond => got.kind == DeadlineKind::Conditional && got.months.is_empty(),
                Unp => got.kind == DeadlineKind::Unparsed && got.months.is_empty(),
            };
            if !ok {
                failures.push(format!(
                    "{seed}: {text:?}\n  expected {exp:?}\n  got {:?} {:?}",
                    got.kind, got.months
                ));
            }
            assert_eq!(got.text, text.trim());
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    // Every deadline cell of the seed event tables, verbatim (rows wrapped onto a continuation
    // line are joined with a space). Expectations checked by hand.

    #[test]
    #[rustfmt::skip]
    fn seed_krasnoufimsk() {
        // krasnoufimsk-roadmap-2023-2025.txt: «на 2023–2025 годы»
        let p = span("2023-01-01", "2025-12-31");
        let table = [
            // Трек 1
            ("Октябрь, апрель 2023,2024, 2025гг.", I("2023-04-01", "2025-10-31", Yearly, &[10, 4])),
            ("Ноябрь, март 2023,2024, 2025гг.", I("2023-03-01", "2025-11-30", Yearly, &[11, 3])),
            ("Сентябрь 2023,2024, 2025гг.", I("2023-09-01", "2025-09-30", Yearly, &[9])),
            ("В течение года", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("В течение года По мере поступления разработанных ИОМ", I("2023-01-01", "2025-12-31", Continuous, &[])),
            // row 10: «Ноябрь» + continuation line «апрель 2023,2024, 2025гг.»
            ("Ноябрь апрель 2023,2024, 2025гг.", I("2023-04-01", "2025-11-30", Yearly, &[11, 4])),
            // the same cell cut at its line break
            ("Ноябрь", I("2023-11-01", "2025-11-30", Yearly, &[11])),
            ("Март 2023,2024, 2025гг.", I("2023-03-01", "2025-03-31", Yearly, &[3])),
            ("Апрель-май 2023,2024, 2025гг.", I("2023-04-01", "2025-05-31", Yearly, &[4, 5])),
            ("Ноябрь- декабрь 2023,2024, 2025", I("2023-11-01", "2025-12-31", Yearly, &[11, 12])),
            ("Август 2023,2024, 2025 Ноябрь 2023,2024, 2025 Март 2023,2024, 2025", I("2023-03-01", "2025-11-30", Yearly, &[8, 11, 3])),
            ("Январь 2023,2024, 2025", I("2023-01-01", "2025-01-31", Yearly, &[1])),
            ("2023,2024, 2025", I("2023-01-01", "2025-12-31", Yearly, &[])),
            // starts in 2022, before the period: kept as written, `outside` reports it
            ("2022-2024г", I("2022-01-01", "2024-12-31", Continuous, &[])),
            ("Июнь 2023-2024г", I("2023-06-01", "2024-06-30", Yearly, &[6])),
            // Трек 2
            ("Январь, сентябрь 2023,2024, 2025", I("2023-01-01", "2025-09-30", Yearly, &[1, 9])),
            ("Сентябрь 2023,2024, 2025", I("2023-09-01", "2025-09-30", Yearly, &[9])),
            ("Май-июнь 2023, 2024, 2025", I("2023-05-01", "2025-06-30", Yearly, &[5, 6])),
            ("В течение года 2023,2024, 2025", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("Декабрь, май 2023,2024, 2025", I("2023-05-01", "2025-12-31", Yearly, &[12, 5])),
            ("По мере необходимости", Cond),
            ("Февраль – март ежегодно", I("2023-02-01", "2025-03-31", Yearly, &[2, 3])),
            ("Июнь, ежегодно", I("2023-06-01", "2025-06-30", Yearly, &[6])),
            // Трек 3
            ("В течение года 2023, 2024, 2025", I("2023-01-01", "2025-12-31", Continuous, &[])),
        ];
        check(&table, p, "krasnoufimsk");
    }

    #[test]
    #[rustfmt::skip]
    fn seed_okoneshnikovo() {
        // okoneshnikovo-model-2021-2024.txt: «на период до 2024 года», plan 2021–2024
        let p = span("2021-01-01", "2024-12-31");
        let table = [
            ("Октябрь Декабрь Март Июнь", I("2021-03-01", "2024-12-31", Yearly, &[10, 12, 3, 6])),
            ("Июнь -июль", I("2021-06-01", "2024-07-31", Yearly, &[6, 7])),
            ("еженедельное обновление", I("2021-01-01", "2024-12-31", Weekly, &[])),
            // row 1.4 has an empty deadline cell
            ("", Unp),
            // typo in the document: «согласно плана» (for «согласно плану»)
            ("согласно плана", Cond),
            ("в соответствии с планом", Cond),
            ("1 раз в четверть", I("2021-01-01", "2024-12-31", Quarterly, &[])),
            ("Декабрь", I("2021-12-01", "2024-12-31", Yearly, &[12])),
            ("Ноябрь– Декабрь", I("2021-11-01", "2024-12-31", Yearly, &[11, 12])),
            ("Март", I("2021-03-01", "2024-03-31", Yearly, &[3])),
            ("Апрель", I("2021-04-01", "2024-04-30", Yearly, &[4])),
            ("Октябрь", I("2021-10-01", "2024-10-31", Yearly, &[10])),
            ("Ноябрь", I("2021-11-01", "2024-11-30", Yearly, &[11])),
            ("по плану", Cond),
            ("сентябрь 2021 года", I("2021-09-01", "2021-09-30", Once, &[])),
            ("постоянно", I("2021-01-01", "2024-12-31", Continuous, &[])),
            ("Март – Апрель", I("2021-03-01", "2024-04-30", Yearly, &[3, 4])),
            ("по получению результатов процедур", Cond),
            ("по плану ИРООО", Cond),
            ("сентябрь 2021", I("2021-09-01", "2021-09-30", Once, &[])),
            ("регулярно", I("2021-01-01", "2024-12-31", Continuous, &[])),
            ("Сентябрь – 2021", I("2021-09-01", "2021-09-30", Once, &[])),
            ("2021-2022 г.г.", I("2021-01-01", "2022-12-31", Continuous, &[])),
            ("2 раза в год", I("2021-01-01", "2024-12-31", Yearly, &[])),
            ("октябрь, апрель", I("2021-04-01", "2024-10-31", Yearly, &[10, 4])),
            ("1 раз в квартал", I("2021-01-01", "2024-12-31", Quarterly, &[])),
            ("сентябрь 2021 г.", I("2021-09-01", "2021-09-30", Once, &[])),
            ("Сентябрь", I("2021-09-01", "2024-09-30", Yearly, &[9])),
        ];
        check(&table, p, "okoneshnikovo");
    }

    #[test]
    #[rustfmt::skip]
    fn seed_vidyaevo() {
        // vidyaevo-roadmap-2021-2024.txt: «на 2021-2024 годы»
        let p = span("2021-01-01", "2024-12-31");
        let table = [
            ("ноябрь 2021 года", I("2021-11-01", "2021-11-30", Once, &[])),
            ("ноябрь 2021", I("2021-11-01", "2021-11-30", Once, &[])),
            ("2021 – 2022 годы", I("2021-01-01", "2022-12-31", Continuous, &[])),
            ("2021-2024 годы", I("2021-01-01", "2024-12-31", Continuous, &[])),
            // row 5: «апрель 2021 года,» + continuation line «ежегодно»
            ("апрель 2021 года, ежегодно", I("2021-04-01", "2024-04-30", Yearly, &[4])),
            ("апрель 2021 года,\nежегодно", I("2021-04-01", "2024-04-30", Yearly, &[4])),
            ("май 2021 года, ежегодно", I("2021-05-01", "2024-05-31", Yearly, &[5])),
            ("июнь-август 2021 года, ежегодно", I("2021-06-01", "2024-08-31", Yearly, &[6, 7, 8])),
            ("сентябрь 2021, ежегодно", I("2021-09-01", "2024-09-30", Yearly, &[9])),
            ("октябрь 2021 года, ежегодно", I("2021-10-01", "2024-10-31", Yearly, &[10])),
            // rows 10–11 keep the HTML of the pasted cell
            ("<p>май 2021 года, ежегодно</p>", I("2021-05-01", "2024-05-31", Yearly, &[5])),
            ("<p>по отдельному графику</p>", Cond),
            ("по отдельному графику", Cond),
        ];
        check(&table, p, "vidyaevo");
    }

    #[test]
    #[rustfmt::skip]
    fn other_forms() {
        let p = span("2023-01-01", "2025-12-31");
        let table = [
            ("в течение всего периода", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("весь период", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("ежемесячно", I("2023-01-01", "2025-12-31", Monthly, &[])),
            ("ежеквартально", I("2023-01-01", "2025-12-31", Quarterly, &[])),
            ("ежегодно", I("2023-01-01", "2025-12-31", Yearly, &[])),
            ("до 01.09.2024", I("2023-01-01", "2024-09-01", Once, &[])),
            ("до 1 сентября 2024 г.", I("2023-01-01", "2024-09-01", Once, &[])),
            ("не позднее 15.03.2024", I("2023-01-01", "2024-03-15", Once, &[])),
            ("до конца 2024 года", I("2023-01-01", "2024-12-31", Once, &[])),
            ("до 01.09.2020", I("2020-09-01", "2020-09-01", Once, &[])),
            ("01.09.2023", I("2023-09-01", "2023-09-01", Once, &[])),
            ("2024-03-15", I("2024-03-15", "2024-03-15", Once, &[])),
            ("01.09.2023 – 31.05.2024", I("2023-09-01", "2024-05-31", Once, &[])),
            ("с 01.09.2023 по 31.05.2024", I("2023-09-01", "2024-05-31", Once, &[])),
            ("с 1 по 15 сентября 2024 г.", I("2024-09-01", "2024-09-15", Once, &[])),
            ("1-15 сентября 2024", I("2024-09-01", "2024-09-15", Once, &[])),
            ("с 1 сентября 2024 года", I("2024-09-01", "2025-12-31", Continuous, &[])),
            ("ноябрь 2023 – март 2024", I("2023-11-01", "2024-03-31", Once, &[])),
            ("сентябрь-октябрь 2023 г.", I("2023-09-01", "2023-10-31", Once, &[])),
            ("2023-2024 уч. год", I("2023-09-01", "2024-08-31", Continuous, &[])),
            ("2023/2024 учебный год", I("2023-09-01", "2024-08-31", Continuous, &[])),
            ("2023/24 уч.г.", I("2023-09-01", "2024-08-31", Continuous, &[])),
            ("в течение 2023-2024 учебного года", I("2023-09-01", "2024-08-31", Continuous, &[])),
            ("в течение учебного года", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("май 2023-2024 уч. год", I("2024-05-01", "2024-05-31", Once, &[])),
            ("I квартал 2024", I("2024-01-01", "2024-03-31", Once, &[])),
            ("IV кв. 2024 г.", I("2024-10-01", "2024-12-31", Once, &[])),
            ("1-й квартал 2025 года", I("2025-01-01", "2025-03-31", Once, &[])),
            ("II-III квартал 2024", I("2024-04-01", "2024-09-30", Once, &[])),
            ("II полугодие 2024 г.", I("2024-07-01", "2024-12-31", Once, &[])),
            ("ежегодно, IV квартал", I("2023-10-01", "2025-12-31", Yearly, &[10, 11, 12])),
            ("ежегодно, август", I("2023-08-01", "2025-08-31", Yearly, &[8])),
            ("ежегодно 1 сентября", I("2023-09-01", "2025-09-01", Yearly, &[9])),
            ("Июнь -июль", I("2023-06-01", "2025-07-31", Yearly, &[6, 7])),
            ("ноябрь—декабрь", I("2023-11-01", "2025-12-31", Yearly, &[11, 12])),
            ("НОЯБРЬ-ДЕКАБРЬ", I("2023-11-01", "2025-12-31", Yearly, &[11, 12])),
            (
                "сентябрь – май",
                I(
                    "2023-09-01",
                    "2025-05-31",
                    Yearly,
                    &[9, 10, 11, 12, 1, 2, 3, 4, 5],
                ),
            ),
            ("Сентябрь,Октябрь", I("2023-09-01", "2025-10-31", Yearly, &[9, 10])),
            ("сент. 2024", I("2024-09-01", "2024-09-30", Once, &[])),
            ("окт.2024", I("2024-10-01", "2024-10-31", Once, &[])),
            ("в сентябре 2024 года", I("2024-09-01", "2024-09-30", Once, &[])),
            ("Сетнябрь 2024", I("2024-09-01", "2024-09-30", Once, &[])),
            // Latin «С» and «е» inside a Cyrillic word
            ("Сeнтябрь 2024", I("2024-09-01", "2024-09-30", Once, &[])),
            ("October 2024", I("2024-10-01", "2024-10-31", Once, &[])),
            ("Дeкабрь  2024 года", I("2024-12-01", "2024-12-31", Once, &[])),
            ("ёжемесячно", I("2023-01-01", "2025-12-31", Monthly, &[])),
            ("в течение года, ежеквартально", I("2023-01-01", "2025-12-31", Quarterly, &[])),
            ("каждую неделю", I("2023-01-01", "2025-12-31", Weekly, &[])),
            ("2 раза в месяц", I("2023-01-01", "2025-12-31", Monthly, &[])),
            ("по четвертям", I("2023-01-01", "2025-12-31", Quarterly, &[])),
            ("2024 год", I("2024-01-01", "2024-12-31", Once, &[])),
            ("в течение 2024 года", I("2024-01-01", "2024-12-31", Continuous, &[])),
            ("2023 &ndash; 2025&nbsp;гг.", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("в течении года", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("В течение 2023-2025 гг.", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("01-05.09.2024", I("2024-09-01", "2024-09-05", Once, &[])),
            ("01.09 – 30.09.2024", I("2024-09-01", "2024-09-30", Once, &[])),
            ("01.12 – 31.01.2025", I("2024-12-01", "2025-01-31", Once, &[])),
            ("сентябрь – май 2025", I("2024-09-01", "2025-05-31", Once, &[])),
            ("декабрь 2023 - январь 2024", I("2023-12-01", "2024-01-31", Once, &[])),
            ("IV квартал 2023 г. – I квартал 2024 г.", I("2023-10-01", "2024-03-31", Once, &[])),
            ("с сентября 2023 года", I("2023-09-01", "2025-12-31", Continuous, &[])),
            ("2024-2025 учебный год", I("2024-09-01", "2025-08-31", Continuous, &[])),
            ("II полугодие", I("2023-07-01", "2025-12-31", Yearly, &[7, 8, 9, 10, 11, 12])),
            ("третий квартал", I("2023-07-01", "2025-09-30", Yearly, &[7, 8, 9])),
            ("Ежеквартально до 10 числа", I("2023-01-01", "2025-12-31", Quarterly, &[])),
            ("ежемесячно, сентябрь – май", I("2023-09-01", "2025-05-31", Monthly, &[9, 10, 11, 12, 1, 2, 3, 4, 5])),
            ("март-апрель 2024 г., 2025 г.", I("2024-03-01", "2025-04-30", Yearly, &[3, 4])),
            ("Октяборь 2024", I("2024-10-01", "2024-10-31", Once, &[])),
            ("Декабть 2024", I("2024-12-01", "2024-12-31", Once, &[])),
            ("Сентбрь 2024", I("2024-09-01", "2024-09-30", Once, &[])),
            ("в течение месяца", Cond),
            ("по итогам года", Cond),
            ("по согласованию", Cond),
            ("по плану ОО", Cond),
            ("по мере необходимости", Cond),
            ("по отдельному графику", Cond),
            ("в соответствии с планом", Cond),
            ("в течение 10 дней после утверждения", Cond),
            ("до завершения проекта", Cond),
            ("по запросу", Cond),
            ("бессрочно", I("2023-01-01", "2025-12-31", Continuous, &[])),
            ("срок не определен", Unp),
            ("—", Unp),
            ("x", Unp),
        ];
        check(&table, p, "other");
    }

    #[test]
    fn short_period_and_outside_years() {
        // A period shorter than a year: a bare month still lands inside it when it can.
        let p = span("2023-09-01", "2024-05-31");
        let d = parse("Октябрь", p);
        assert_eq!(
            d.kind,
            DeadlineKind::Interval {
                from: date("2023-10-01"),
                to: date("2023-10-31"),
                recurrence: Yearly
            }
        );
        assert!(!d.outside(p));
        // A month the period never contains: the one of the period's first year, outside.
        let d = parse("Июль", p);
        assert_eq!(
            d.kind,
            DeadlineKind::Interval {
                from: date("2023-07-01"),
                to: date("2023-07-31"),
                recurrence: Yearly
            }
        );
        assert!(d.outside(p));
        // Years outside the period are kept as written.
        let d = parse("ноябрь 2019 года", span("2021-01-01", "2024-12-31"));
        assert_eq!(
            d.kind,
            DeadlineKind::Interval {
                from: date("2019-11-01"),
                to: date("2019-11-30"),
                recurrence: Once
            }
        );
        // Reversed period is tolerated.
        let d = parse("Октябрь", span("2024-12-31", "2021-01-01"));
        assert_eq!(
            d.kind,
            DeadlineKind::Interval {
                from: date("2021-10-01"),
                to: date("2024-10-31"),
                recurrence: Yearly
            }
        );
    }

    #[test]
    fn outside_period() {
        let p = span("2023-01-01", "2025-12-31");
        assert!(parse("2022-2024г", p).outside(p));
        assert!(!parse("2023-2024 годы", p).outside(p));
        assert!(parse("ноябрь 2026 года", p).outside(p));
        assert!(parse("до 01.09.2022", p).outside(p));
        assert!(!parse("Октябрь", p).outside(p));
        assert!(!parse("по плану", p).outside(p));
        assert!(!parse("???", p).outside(p));
    }

    #[test]
    fn labels() {
        let p = span("2021-01-01", "2024-12-31");
        let label = |t: &str| parse(t, p).normalized_label();
        assert_eq!(
            label("ноябрь 2021 года").as_deref(),
            Some("01.11.2021 – 30.11.2021")
        );
        assert_eq!(
            label("2021-2024 годы").as_deref(),
            Some("2021–2024, постоянно")
        );
        assert_eq!(
            label("в течение 2022 года").as_deref(),
            Some("2022, постоянно")
        );
        assert_eq!(
            label("2023-2024 уч. год").as_deref(),
            Some("2023/2024 уч. год, постоянно")
        );
        assert_eq!(
            label("2022/2023, 2023/2024 уч. годы").as_deref(),
            Some("2022/2023–2023/2024 уч. годы, постоянно")
        );
        assert_eq!(
            label("с 01.09.2022").as_deref(),
            Some("01.09.2022 – 31.12.2024, постоянно")
        );
        assert_eq!(
            label("апрель 2021 года, ежегодно").as_deref(),
            Some("ежегодно: апрель")
        );
        assert_eq!(
            label("июнь-август 2021 года, ежегодно").as_deref(),
            Some("ежегодно: июнь–август")
        );
        assert_eq!(
            label("Октябрь Декабрь Март Июнь").as_deref(),
            Some("ежегодно: октябрь, декабрь, март, июнь")
        );
        assert_eq!(label("2 раза в год").as_deref(), Some("ежегодно"));
        assert_eq!(label("1 раз в четверть").as_deref(), Some("ежеквартально"));
        assert_eq!(label("ежемесячно").as_deref(), Some("ежемесячно"));
        assert_eq!(
            label("ежемесячно, сентябрь – май").as_deref(),
            Some("ежемесячно: сентябрь–май")
        );
        assert_eq!(
            label("еженедельное обновление").as_deref(),
            Some("еженедельно")
        );
        assert_eq!(label("01.09.2023").as_deref(), Some("01.09.2023"));
        assert_eq!(
            label("по мере необходимости").as_deref(),
            Some("по условию")
        );
        assert_eq!(label("").as_deref(), None);
        assert_eq!(label("99.99.9999").as_deref(), None);
    }

    #[test]
    fn statuses() {
        let p = span("2021-01-01", "2024-12-31");
        let st = |t: &str, done: bool, today: &str| status(&parse(t, p), done, date(today), p);
        // Once interval: before, first day, inside, last day, after
        assert_eq!(st("ноябрь 2021 года", false, "2021-10-31"), Status::Planned);
        assert_eq!(
            st("ноябрь 2021 года", false, "2021-11-01"),
            Status::InProgress
        );
        assert_eq!(
            st("ноябрь 2021 года", false, "2021-11-15"),
            Status::InProgress
        );
        assert_eq!(
            st("ноябрь 2021 года", false, "2021-11-30"),
            Status::InProgress
        );
        assert_eq!(st("ноябрь 2021 года", false, "2021-12-01"), Status::Overdue);
        assert_eq!(st("ноябрь 2021 года", true, "2021-12-01"), Status::Done);
        assert_eq!(st("ноябрь 2021 года", true, "2020-01-01"), Status::Done);
        // Recurring and continuous forms whose interval has ended are overdue too.
        assert_eq!(st("Октябрь", false, "2021-09-30"), Status::Planned);
        assert_eq!(st("Октябрь", false, "2022-02-01"), Status::InProgress);
        assert_eq!(st("Октябрь", false, "2024-11-01"), Status::Overdue);
        assert_eq!(st("постоянно", false, "2025-01-01"), Status::Overdue);
        assert_eq!(st("постоянно", false, "2023-01-01"), Status::InProgress);
        assert_eq!(st("1 раз в четверть", false, "2020-06-01"), Status::Planned);
        // Conditional: by the period
        assert_eq!(st("по плану", false, "2020-12-31"), Status::Planned);
        assert_eq!(st("по плану", false, "2021-01-01"), Status::InProgress);
        assert_eq!(st("по плану", false, "2024-12-31"), Status::InProgress);
        assert_eq!(st("по плану", false, "2025-01-01"), Status::Overdue);
        assert_eq!(st("по плану", true, "2025-01-01"), Status::Done);
        // Unparsed
        assert_eq!(st("когда-нибудь", false, "2022-01-01"), Status::Unknown);
        assert_eq!(st("когда-нибудь", true, "2022-01-01"), Status::Done);

        let all = [
            Status::Planned,
            Status::InProgress,
            Status::Done,
            Status::Overdue,
            Status::Unknown,
        ];
        let labels: Vec<_> = all.iter().map(|s| s.label()).collect();
        let keys: Vec<_> = all.iter().map(|s| s.key()).collect();
        assert_eq!(
            labels,
            [
                "запланировано",
                "выполняется",
                "выполнено",
                "просрочено",
                "срок не определён"
            ]
        );
        assert_eq!(
            keys,
            ["planned", "in_progress", "done", "overdue", "unknown"]
        );
    }

    #[test]
    fn robustness() {
        let p = span("2023-01-01", "2025-12-31");
        let sane = |t: &str| {
            let d = parse(t, p);
            if let DeadlineKind::Interval { from, to, .. } = d.kind {
                assert!(from <= to, "{t:?}: {from} > {to}");
            }
            assert!(d.months.iter().all(|m| (1..=12).contains(m)));
            let _ = d.normalized_label();
            let _ = d.outside(p);
            let _ = status(&d, false, date("2024-01-01"), p);
            d.kind
        };
        for t in [
            "",
            "   ",
            "\t\n",
            "-",
            "---",
            "– — -",
            "......",
            ",,,",
            "/",
            "<p></p>",
            "<",
            "<<<>",
            "&",
            "&nbsp;",
        ] {
            assert_eq!(sane(t), DeadlineKind::Unparsed, "{t:?}");
        }
        for t in [
            "99.99.9999",
            "до 31.02.2024",
            "31.02.2024",
            "32 сентября 2024",
            "31 июня",
            "00.00.0000",
            "01.13.2024",
            "01.09.202",
        ] {
            assert_eq!(sane(t), DeadlineKind::Unparsed, "{t:?}");
        }
        assert_eq!(sane("🎉🎉🎉"), DeadlineKind::Unparsed);
        assert_eq!(
            sane("слово ".repeat(10_000).as_str()),
            DeadlineKind::Unparsed
        );
        assert!(matches!(
            sane("октябрь ".repeat(10_000).as_str()),
            DeadlineKind::Interval {
                recurrence: Yearly,
                ..
            }
        ));
        assert!(matches!(
            sane("2023-2199 ".repeat(3_000).as_str()),
            DeadlineKind::Interval { .. }
        ));
        assert!(matches!(
            sane("по плану ".repeat(10_000).as_str()),
            DeadlineKind::Conditional
        ));
        assert_eq!(sane("9".repeat(100_000).as_str()), DeadlineKind::Unparsed);
        assert_eq!(sane("<".repeat(10_000).as_str()), DeadlineKind::Unparsed);
        assert_eq!(sane("<a".repeat(10_000).as_str()), DeadlineKind::Unparsed);
        for t in [
            "29 февраля",
            "29 февраля 2023",
            "29 февраля 2024",
            "I-IV квартал",
            "V квартал 2024",
            "0 квартал",
            "2199-2200",
            "1899 год",
            "сентябрь 1",
            "с",
            "до",
            "по",
            "с по до",
            "раз в",
            "в течение",
            "ежегодно ежемесячно еженедельно",
            "ноябрь-",
            "-ноябрь",
            "2023-",
            "2023/",
            "1-",
            "1 - 2 - 3 сентября",
            "Ⅻ",
            "١٢.٠٩.٢٠٢٤",
            "İstanbul",
            "ǅ",
            "\u{0}\u{FEFF}\u{200B}",
            "До 1 сентября 2024 г. (в течение 10 дней)",
        ] {
            sane(t);
        }
        // An extreme period does not overflow.
        let wide = Span {
            from: NaiveDate::MIN,
            to: NaiveDate::MAX,
        };
        for t in [
            "Октябрь",
            "29 февраля",
            "апрель 2021 года, ежегодно",
            "до 01.09.2024",
            "с 01.09.2024",
            "постоянно",
            "сентябрь – май",
        ] {
            let d = parse(t, wide);
            assert!(!matches!(d.kind, DeadlineKind::Unparsed), "{t:?}");
            let _ = d.normalized_label();
            let _ = status(&d, false, date("2024-01-01"), wide);
        }
        let _ = parse(
            "Октябрь",
            Span {
                from: NaiveDate::MAX,
                to: NaiveDate::MAX,
            },
        );
        let _ = parse(
            "Октябрь",
            Span {
                from: NaiveDate::MIN,
                to: NaiveDate::MIN,
            },
        );
    }

    #[test]
    fn serializes() {
        // serde::Serialize is derived for callers that emit JSON; make sure it stays usable.
        fn assert_serialize<T: serde::Serialize>(_: &T) {}
        let d = parse("Октябрь", span("2021-01-01", "2024-12-31"));
        assert_serialize(&d);
        assert_serialize(&Status::Done);
    }
}
