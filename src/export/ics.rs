//! iCalendar (RFC 5545) of a roadmap's deadlines: one all-day VEVENT per event whose deadline
//! is a date or an interval. Events with a conditional or unrecognized deadline are left out.
//! Lines end with CRLF and are folded at 75 octets; text values are escaped.

use crate::site::{Department, EventView, RoadmapView};
use crate::slug::slugify;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// Folds a content line at 75 octets without splitting a UTF-8 character, and ends it with CRLF.
pub(crate) fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn compact(iso: &str) -> String {
    iso.replace('-', "")
}

fn next_day(iso: &str) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    d.succ_opt().map(|n| n.format("%Y%m%d").to_string())
}

/// Events of a roadmap that have a datable deadline.
pub fn datable(r: &RoadmapView) -> impl Iterator<Item = &EventView> {
    r.sections
        .iter()
        .flat_map(|s| s.events.iter())
        .filter(|e| e.from_iso.is_some() && e.to_iso.is_some())
}

/// The calendar of a roadmap, of all events or of those of one executor.
pub(crate) fn calendar(
    d: &Department,
    r: &RoadmapView,
    executor: Option<&str>,
    stamp: &str,
) -> String {
    let mut out = String::new();
    let base = super::base_of(d);
    let name = match executor {
        Some(x) => format!("{} — {}", r.title, x),
        None => r.title.clone(),
    };
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//metodist//Roadmap deadlines//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(l, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(&name)), &mut out);
    for e in datable(r).filter(|e| executor.is_none_or(|x| e.executors.iter().any(|y| y == x))) {
        let (Some(from), Some(to)) = (&e.from_iso, &e.to_iso) else {
            continue;
        };
        fold("BEGIN:VEVENT", &mut out);
        fold(
            &format!("UID:{}-{}-{}@metodist", d.site.slug, r.slug, e.anchor),
            &mut out,
        );
        fold(&format!("DTSTAMP:{}T000000Z", compact(stamp)), &mut out);
        fold(&format!("DTSTART;VALUE=DATE:{}", compact(from)), &mut out);
        fold(
            &format!(
                "DTEND;VALUE=DATE:{}",
                next_day(to).unwrap_or_else(|| compact(to))
            ),
            &mut out,
        );
        let title = match &e.no {
            Some(no) => format!("{no}. {}", e.title),
            None => e.title.clone(),
        };
        fold(&format!("SUMMARY:{}", escape(&title)), &mut out);
        let mut desc = Vec::new();
        if let Some(dl) = &e.deadline {
            desc.push(format!("Срок: {dl}"));
        }
        if !e.executors.is_empty() {
            desc.push(format!("Исполнители: {}", e.executors.join("; ")));
        }
        if let Some(res) = &e.result {
            desc.push(format!("Ожидаемый результат: {res}"));
        }
        desc.push(format!(
            "Дорожная карта: {} ({})",
            r.title, r.document.reference
        ));
        fold(
            &format!("DESCRIPTION:{}", escape(&desc.join("\n"))),
            &mut out,
        );
        if let Some(b) = &base {
            fold(&format!("URL:{b}{}#{}", r.url, e.anchor), &mut out);
        }
        fold(
            &format!(
                "STATUS:{}",
                if e.status == "done" {
                    "CONFIRMED"
                } else {
                    "TENTATIVE"
                }
            ),
            &mut out,
        );
        fold("TRANSP:TRANSPARENT", &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// Executors of a roadmap with a datable event, each with its calendar file name.
pub fn executors(r: &RoadmapView) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = Vec::new();
    for e in datable(r) {
        for x in &e.executors {
            if !list.iter().any(|(n, _)| n == x) {
                let mut file = slugify(x);
                if file.len() > 80 {
                    file.truncate(80);
                    file = file.trim_end_matches('-').to_string();
                }
                let mut f = file.clone();
                let mut k = 2;
                while list.iter().any(|(_, g)| *g == f) {
                    f = format!("{file}-{k}");
                    k += 1;
                }
                list.push((x.clone(), f));
            }
        }
    }
    list
}
