//! schema.org JSON-LD of roadmaps (Event per datable event), practices (CreativeWork) and
//! contests (Event with the results as an ItemList). Printed in `<script type="application/ld+json">`
//! (a data block: no code runs, so the strict CSP is unaffected).

use serde_json::{json, Value};

use crate::site::{ContestView, Department, PracticeView, RoadmapView};

/// JSON text safe inside `<script>`: `<` is escaped, so `</script>` cannot end the block.
pub(crate) fn to_script(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

fn org(d: &Department) -> Value {
    let mut o = json!({"@type": "GovernmentOrganization", "name": d.site.full_name.clone().unwrap_or_else(|| d.site.name.clone())});
    if let Some(b) = super::super::export::base_of(d) {
        o["url"] = json!(b);
    }
    o
}

fn abs(d: &Department, url: &str) -> Value {
    match super::super::export::base_of(d) {
        Some(b) => json!(format!("{b}{url}")),
        None => Value::Null,
    }
}

pub fn roadmap(d: &Department, r: &RoadmapView) -> Value {
    let events: Vec<Value> = r
        .sections
        .iter()
        .flat_map(|s| s.events.iter())
        .filter(|e| e.from_iso.is_some())
        .map(|e| {
            let mut v = json!({
                "@type": "Event",
                "@id": format!("#{}", e.anchor),
                "name": e.title,
                "startDate": e.from_iso,
                "endDate": e.to_iso,
                "eventStatus": "https://schema.org/EventScheduled",
                "organizer": org(d),
                "location": {"@type": "Place", "name": d.site.municipality.clone().unwrap_or_else(|| d.site.name.clone()), "address": d.site.address},
            });
            if let Some(res) = &e.result {
                v["description"] = json!(res);
            }
            if !e.executors.is_empty() {
                v["performer"] = Value::Array(e.executors.iter().map(|x| json!({"@type": "Organization", "name": x})).collect());
            }
            v
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": r.title,
        "description": r.document.approval,
        "url": abs(d, &r.url),
        "numberOfItems": events.len(),
        "itemListElement": events.into_iter().enumerate().map(|(i, e)| json!({"@type": "ListItem", "position": i + 1, "item": e})).collect::<Vec<_>>(),
    })
}

pub fn practice(d: &Department, p: &PracticeView) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "identifier": crate::slug::practice_id(&d.site.slug, &p.url),
        "name": p.title,
        "abstract": p.summary,
        "datePublished": p.date_iso,
        "inLanguage": "ru",
        "url": abs(d, &p.url),
        "author": p.authors.iter().map(|a| json!({"@type": "Person", "name": a})).collect::<Vec<_>>(),
        "sourceOrganization": {"@type": "EducationalOrganization", "name": p.organization},
        "educationalLevel": p.level,
        "keywords": p.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "),
        "publisher": org(d),
    })
}

pub fn contest(d: &Department, c: &ContestView) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": c.title,
        "startDate": c.year.to_string(),
        "organizer": org(d),
        "location": {"@type": "Place", "name": d.site.municipality.clone().unwrap_or_else(|| d.site.name.clone())},
        "url": abs(d, &c.url),
        "about": {
            "@type": "ItemList",
            "name": format!("Результаты: {}", c.title),
            "numberOfItems": c.results.len(),
            "itemListElement": c.results.iter().enumerate().map(|(i, r)| json!({
                "@type": "ListItem",
                "position": i + 1,
                "item": {
                    "@type": "Person",
                    "name": r.participant,
                    "affiliation": r.organization.as_ref().map(|o| json!({"@type": "Organization", "name": o})),
                    "award": match &r.nomination { Some(n) => format!("{} — {n}", r.status_label), None => r.status_label.to_string() },
                },
            })).collect::<Vec<_>>(),
        },
    })
}
