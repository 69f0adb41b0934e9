//! Column roles from the header row, whatever its wording: «№ п/п», «Наименование мероприятия»,
//! «Мероприятия (содержание деятельности)», «Сроки исполнения», «Координатор, исполнитель»,
//! «Ожидаемые результаты» … Words are matched by their stems, and a typo of one letter is
//! forgiven («Ответсвенный»).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    No,
    Title,
    Deadline,
    Executors,
    Result,
    Done,
    Report,
    /// Start of the deadline («начало» under «Сроки реализации»).
    Start,
    /// End of the deadline («окончание»).
    End,
    /// A level or direction whose cell spans many rows: the events' section.
    Section,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::No => "номер",
            Role::Title => "мероприятие",
            Role::Deadline => "срок",
            Role::Executors => "исполнители",
            Role::Result => "ожидаемый результат",
            Role::Done => "отметка о выполнении",
            Role::Report => "отчёт о выполнении",
            Role::Start => "начало срока",
            Role::End => "окончание срока",
            Role::Section => "раздел (направление)",
        }
    }

    /// The role named in `--columns`: «№», «мероприятие», «начало» …; `Ok(None)` for a column to
    /// skip («-»).
    pub fn from_name(name: &str) -> Result<Option<Role>, String> {
        let n = normalize(name.trim());
        Ok(Some(match n.as_str() {
            "-" | "" | "пропустить" | "нет" => return Ok(None),
            "№" | "номер" | "n" => Role::No,
            "мероприятие" | "название" | "наименование" => Role::Title,
            "срок" | "сроки" => Role::Deadline,
            "начало" => Role::Start,
            "окончание" | "конец" => Role::End,
            "исполнители" | "исполнитель" | "ответственные" | "ответственный" => {
                Role::Executors
            }
            "результат" => Role::Result,
            "отметка" | "выполнение" => Role::Done,
            "отчет" => Role::Report,
            "раздел" | "направление" | "уровень" => Role::Section,
            _ => {
                return Err(format!(
                    "столбец «{name}» не понятен; допустимо: №, мероприятие, срок, начало, окончание, исполнители, результат, отметка, отчёт, раздел, - (пропустить)"
                ))
            }
        }))
    }
}

/// `--columns "№,мероприятие,начало,окончание"` → roles.
pub fn parse_list(list: &str) -> Result<Vec<Option<Role>>, String> {
    list.split([',', ';', '|']).map(Role::from_name).collect()
}

/// «начало», «окончание», «с», «по» under a two-level deadline column.
pub fn sub_label(cell: &str) -> Option<Role> {
    let c = normalize(cell.trim().trim_end_matches(['.', ':']));
    if c.starts_with("начал") || c == "с" || c.starts_with("старт") {
        Some(Role::Start)
    } else if c.starts_with("окончан") || c.starts_with("завершен") || c == "по" || c == "конец"
    {
        Some(Role::End)
    } else {
        None
    }
}

/// Stems per role, checked in this order (a deadline header «Срок исполнения» must not become
/// executors because of «исполнения»).
const STEMS: [(Role, &[&str]); 8] = [
    (Role::Deadline, &["срок", "дата", "период", "когда"]),
    (Role::Done, &["выполнен", "отметк"]),
    (Role::Report, &["отчет"]),
    (Role::Result, &["результат", "показател", "итог"]),
    (
        Role::Executors,
        &["ответствен", "исполнител", "координатор", "исполнит"],
    ),
    (
        Role::Title,
        &["мероприят", "наименован", "содержан", "название"],
    ),
    (Role::No, &["номер", "пп"]),
    (Role::Section, &["направлен", "уровен", "раздел", "блок"]),
];

fn normalize(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

fn word_matches(word: &str, stem: &str) -> bool {
    if word.starts_with(stem) {
        return true;
    }
    let n = stem.chars().count();
    if n < 6 || word.chars().count() + 1 < n {
        return false;
    }
    // One-letter typo in the stem part of the word.
    let prefix: String = word.chars().take(n).collect();
    let prefix_short: String = word.chars().take(n - 1).collect();
    strsim::levenshtein(&prefix, stem) <= 1 || strsim::levenshtein(&prefix_short, stem) <= 1
}

/// The role of one header cell, if recognized.
pub fn role_of(header: &str) -> Option<Role> {
    let h = normalize(header);
    let t = h.trim();
    if t.is_empty() {
        return None;
    }
    if t.starts_with('№')
        || t == "n"
        || t == "no"
        || t == "#"
        || t.starts_with("п/п")
        || t.starts_with("п\\п")
    {
        return Some(Role::No);
    }
    let words: Vec<String> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // «Отметка о выполнении» is about done-ness, but «Срок выполнения» is a deadline: the
    // first word decides when several roles match.
    let mut best: Option<(usize, usize, Role)> = None; // (word index, rule order, role)
    for (order, (role, stems)) in STEMS.iter().enumerate() {
        for (wi, w) in words.iter().enumerate() {
            if stems.iter().any(|s| word_matches(w, s)) {
                let cand = (wi, order, *role);
                if best.is_none_or(|b| (cand.0, cand.1) < (b.0, b.1)) {
                    best = Some(cand);
                }
                break;
            }
        }
    }
    best.map(|b| b.2)
}

/// Roles of a header row; `None` if it does not look like the header of a plan table (it
/// needs the title column and at least one other known column).
pub fn header_roles(cells: &[String]) -> Option<Vec<Option<Role>>> {
    // Header cells are short labels, never numbers or paragraphs of text.
    let label = |c: &String| {
        c.chars().count() <= 80 && !c.trim().chars().all(|ch| ch.is_ascii_digit() || ch == '.')
    };
    if cells
        .iter()
        .filter(|c| !c.trim().is_empty())
        .any(|c| !label(c))
    {
        return None;
    }
    let roles: Vec<Option<Role>> = cells.iter().map(|c| role_of(c)).collect();
    let known = roles.iter().flatten().count();
    let mut seen = std::collections::HashSet::new();
    let roles: Vec<Option<Role>> = roles
        .into_iter()
        .map(|r| r.filter(|r| seen.insert(*r)))
        .collect();
    (roles.contains(&Some(Role::Title)) && known >= 2).then_some(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordings_of_the_seeds_and_variants() {
        for (h, r) in [
            ("№", Role::No),
            ("№ п/п", Role::No),
            ("№ п\\п", Role::No),
            ("Наименование мероприятия", Role::Title),
            ("Мероприятия (содержание деятельности)", Role::Title),
            (
                "Наименование мероприятия (содержание деятельности)",
                Role::Title,
            ),
            ("Сроки", Role::Deadline),
            ("сроки", Role::Deadline),
            ("Срок исполнения", Role::Deadline),
            ("Сроки исполнения", Role::Deadline),
            ("Срок выполнения", Role::Deadline),
            ("Ответственные исполнители", Role::Executors),
            ("Координатор, исполнитель", Role::Executors),
            ("Ответственный исполнитель", Role::Executors),
            ("Ответсвенный исполнитель", Role::Executors),
            ("Исполнители", Role::Executors),
            ("Ожидаемый результат", Role::Result),
            ("Ожидаемые результаты", Role::Result),
            ("Отметка о выполнении", Role::Done),
        ] {
            assert_eq!(role_of(h), Some(r), "{h}");
        }
        assert_eq!(role_of("Примечание"), None);
    }

    #[test]
    fn header_needs_title() {
        let cells = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(header_roles(&cells(&["№", "Мероприятие", "Срок"])).is_some());
        assert!(header_roles(&cells(&["1", "ЦЕЛЬ", "Становление"])).is_none());
    }
}
