//! The report printed by `metodist import`: what was recognized, counts, then every warning
//! with its source line.

use std::fmt::Write;

use super::Imported;

/// The report as text (Russian), without the warnings themselves (printed as diagnostics).
pub fn summary(im: &Imported) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "формат: {}", im.format);
    let place = im
        .table_place
        .as_deref()
        .map(|p| format!("{p}, "))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "таблица мероприятий: {place}строка заголовков {}",
        im.header_line
    );
    let _ = writeln!(o, "столбцы:");
    for (i, (h, r)) in im.columns.iter().enumerate() {
        let role = r.map(|r| r.label()).unwrap_or("не распознан — пропущен");
        let h = if h.is_empty() {
            "(пусто)"
        } else {
            h.as_str()
        };
        let _ = writeln!(o, "  {}. «{h}» → {role}", i + 1);
    }
    let _ = writeln!(o, "распознано:");
    for r in &im.recognized {
        let _ = writeln!(o, "  {r}");
    }
    let events: usize = im.roadmap.sections.iter().map(|s| s.events.len()).sum();
    let _ = writeln!(
        o,
        "разделов: {}, мероприятий: {events}",
        im.roadmap.sections.len()
    );
    for s in &im.roadmap.sections {
        let no = s.no.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
        let title: String = s.title.chars().take(70).collect();
        let more = if s.title.chars().count() > 70 {
            "…"
        } else {
            ""
        };
        let _ = writeln!(o, "  {no}{title}{more}: {}", s.events.len());
    }
    let unparsed = im
        .warnings
        .iter()
        .filter(|w| w.message.contains("не разобран"))
        .count();
    let unplaced = im
        .warnings
        .iter()
        .filter(|w| w.message.contains("не размещены") || w.message.contains("не отнесена"))
        .count();
    let _ = writeln!(
        o,
        "не размещено ячеек: {unplaced}; не разобрано сроков: {unparsed}; предупреждений всего: {}",
        im.warnings.len()
    );
    o
}
