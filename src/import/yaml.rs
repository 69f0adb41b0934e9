//! The roadmap file written by hand-rolled YAML: field order as in the README, strings in
//! double quotes (safe for «:», «#», quotes and leading dashes), one event per block — the way a
//! methodist would type it, so the file is easy to correct.

use std::fmt::Write;
use std::path::Path;

use crate::model::{PeriodBound, Roadmap};

/// A YAML double-quoted string.
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || c == '\u{7f}'
                || c == '\u{feff}'
                || c == '\u{2028}'
                || c == '\u{2029}' =>
            {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn bound(b: PeriodBound) -> String {
    match b {
        PeriodBound::Year(y) => y.to_string(),
        PeriodBound::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

/// The whole file: front matter and an empty body.
pub fn roadmap_file(r: &Roadmap, source: &Path) -> String {
    let mut o = String::new();
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let _ = writeln!(o, "---");
    let _ = writeln!(
        o,
        "# Импортировано из {} командой metodist import; сверьте с документом.",
        name.replace('\n', " ")
    );
    let _ = writeln!(o, "title: {}", q(&r.title));
    let d = &r.document;
    let _ = writeln!(o, "document:");
    let missing = d.missing();
    let approval = match d.approval {
        crate::model::Approval::Act => "акт",
        crate::model::Approval::Stamp => "гриф",
        crate::model::Approval::Appendix => "приложение",
    };
    let _ = writeln!(
        o,
        "  approval: {approval}   # акт | гриф («УТВЕРЖДАЮ») | приложение (к акту)"
    );
    let empty = "   # нет в документе: впишите по акту";
    if d.approval != crate::model::Approval::Stamp {
        match d.kind {
            Some(k) => {
                let _ = writeln!(o, "  kind: {}", k.label().to_lowercase());
            }
            None => {
                let _ = writeln!(
                    o,
                    "  kind:{empty} (приказ | постановление | распоряжение | решение)"
                );
            }
        }
    }
    match &d.number {
        Some(n) => {
            let _ = writeln!(o, "  number: {}", q(n));
        }
        None if missing.contains(&"number") => {
            let _ = writeln!(o, "  number:{empty}");
        }
        None => {}
    }
    match d.date {
        Some(x) => {
            let _ = writeln!(o, "  date: {}", x.format("%Y-%m-%d"));
        }
        None => {
            let _ = writeln!(o, "  date:{empty} (ГГГГ-ММ-ДД)");
        }
    }
    if let Some(a) = &d.appendix {
        let _ = writeln!(o, "  appendix: {}", q(a));
    }
    if d.signed_by.is_none() && missing.contains(&"signed_by") {
        let _ = writeln!(
            o,
            "  signed_by:   # нет в документе: кто утвердил (фамилия, должность)"
        );
    }
    for (k, v) in [
        ("issued_by", &d.issued_by),
        ("signed_by", &d.signed_by),
        ("title", &d.title),
        ("file", &d.file),
    ] {
        if let Some(v) = v {
            let _ = writeln!(o, "  {k}: {}", q(v));
        }
    }
    let _ = writeln!(
        o,
        "period: {{ from: {}, to: {} }}",
        bound(r.period.from),
        bound(r.period.to)
    );
    if let Some(c) = &r.coordinator {
        let _ = writeln!(o, "coordinator: {}", q(c));
    }
    if r.draft {
        let missing: Vec<String> = d
            .missing()
            .iter()
            .map(|f| format!("document.{f}"))
            .collect();
        let _ = writeln!(
            o,
            "draft: true   # в документе нет реквизитов: {}; впишите их и удалите эту строку",
            missing.join(", ")
        );
    }
    let _ = writeln!(o, "sections:");
    for s in &r.sections {
        let mut first = true;
        let mut field = |o: &mut String, k: &str, v: String| {
            let _ = writeln!(o, "  {} {k}: {v}", if first { "-" } else { " " });
            first = false;
        };
        if let Some(no) = &s.no {
            field(&mut o, "\"no\"", q(no));
        }
        field(&mut o, "title", q(&s.title));
        let _ = writeln!(o, "    events:");
        for e in &s.events {
            let mut first = true;
            let mut f = |o: &mut String, k: &str, v: String| {
                let _ = writeln!(
                    o,
                    "      {} {k}:{}{v}",
                    if first { "-" } else { " " },
                    if v.is_empty() { "" } else { " " }
                );
                first = false;
            };
            if let Some(no) = &e.no {
                f(&mut o, "\"no\"", q(no));
            }
            if let Some(id) = &e.id {
                f(&mut o, "id", q(id));
            }
            f(&mut o, "title", q(&e.title));
            match e.executors.len() {
                0 => {}
                1 => f(&mut o, "executors", format!("[{}]", q(&e.executors[0]))),
                _ => {
                    f(&mut o, "executors", String::new());
                    for x in &e.executors {
                        let _ = writeln!(o, "          - {}", q(x));
                    }
                }
            }
            for (k, v) in [
                ("deadline", &e.deadline),
                ("result", &e.result),
                ("report", &e.report),
            ] {
                if let Some(v) = v {
                    f(&mut o, k, q(v));
                }
            }
            match e.done {
                Some(crate::model::Done::Flag(b)) => f(&mut o, "done", b.to_string()),
                Some(crate::model::Done::On(d)) => {
                    f(&mut o, "done", d.format("%Y-%m-%d").to_string())
                }
                None => {}
            }
        }
    }
    let _ = writeln!(o, "---");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(q("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(q("- «x»: #1"), "\"- «x»: #1\"");
    }
}
