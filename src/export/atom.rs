//! Atom feeds (RFC 4287) of new practices and contest results.

use crate::site::Department;

use crate::text::escape_xml as esc;

struct Entry {
    id: String,
    title: String,
    updated: String,
    url: String,
    summary: String,
}

fn feed(d: &Department, kind: &str, title: &str, entries: Vec<Entry>, stamp: &str) -> String {
    let base = super::base_of(d);
    let href = |u: &str| match &base {
        Some(b) => format!("{b}{u}"),
        None => format!("../{u}"),
    };
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or(stamp)
        .to_string();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ru\">\n");
    x.push_str(&format!(
        "  <id>urn:metodist:{}:{kind}</id>\n",
        esc(&d.site.slug)
    ));
    x.push_str(&format!(
        "  <title>{} — {}</title>\n",
        esc(title),
        esc(&d.site.name)
    ));
    x.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(d.site.full_name.as_deref().unwrap_or(&d.site.name))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&href(&format!("{kind}/")))
    ));
    x.push_str("  <generator>metodist</generator>\n");
    for e in entries {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", esc(&e.id)));
        x.push_str(&format!("    <title>{}</title>\n", esc(&e.title)));
        x.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", e.updated));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&href(&e.url))
        ));
        if !e.summary.is_empty() {
            x.push_str(&format!("    <summary>{}</summary>\n", esc(&e.summary)));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

fn iso_of_ru(ru: &str) -> Option<String> {
    chrono::NaiveDate::parse_from_str(ru, "%d.%m.%Y")
        .ok()
        .map(|d| d.to_string())
}

/// `feeds/practices.xml`: the newest practices (up to 50).
pub fn practices(d: &Department, stamp: &str) -> String {
    let entries = d
        .practices
        .iter()
        .take(50)
        .map(|p| Entry {
            id: format!(
                "urn:metodist:{}",
                crate::slug::practice_id(&d.site.slug, &p.url)
            ),
            title: p.title.clone(),
            updated: p
                .updated
                .as_deref()
                .and_then(iso_of_ru)
                .unwrap_or_else(|| p.date_iso.clone()),
            url: p.url.clone(),
            summary: format!("{}. {}", p.organization, p.summary.as_deref().unwrap_or(""))
                .trim_end_matches(". ")
                .to_string(),
        })
        .collect();
    feed(d, "practices", "Новые практики", entries, stamp)
}

/// `feeds/contests.xml`: contests with their winners.
pub fn contests(d: &Department, stamp: &str) -> String {
    let entries = d
        .contests
        .iter()
        .map(|c| {
            let winners: Vec<String> = c
                .results
                .iter()
                .filter(|r| r.status == "winner")
                .map(|r| r.participant.clone())
                .collect();
            Entry {
                id: format!(
                    "urn:metodist:{}:contest:{}",
                    d.site.slug,
                    c.url
                        .trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                ),
                title: format!("{} ({} г.)", c.title, c.year),
                updated: c
                    .updated
                    .as_deref()
                    .and_then(iso_of_ru)
                    .unwrap_or_else(|| format!("{}-12-31", c.year).min(stamp.to_string())),
                url: c.url.clone(),
                summary: if winners.is_empty() {
                    format!("Уровень: {}; участников: {}", c.level, c.results.len())
                } else {
                    format!("Победители: {}", winners.join(", "))
                },
            }
        })
        .collect();
    feed(d, "contests", "Результаты конкурсов", entries, stamp)
}
