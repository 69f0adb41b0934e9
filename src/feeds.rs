//! Practice bank feeds exchanged between districts.
//!
//! Every department publishes its practice bank as `feeds/practices.json` (format
//! [`FEED_FORMAT`], version [`FEED_VERSION`]); ids are `<department>:<practice slug>` and stay
//! the same as long as the practice keeps its address. A department lists downloaded copies of
//! other districts' feeds in `department.yaml` (`feeds:`); their practices are shown in
//! «Практики других территорий». A feed that is missing, malformed or of a newer version is a
//! warning naming it, never an error: the build goes on without it.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

pub const FEED_FORMAT: &str = "metodist-practice-bank";
pub const FEED_VERSION: u32 = 1;
/// Largest feed read (bytes).
const MAX_FEED: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Feed {
    pub format: String,
    pub version: u32,
    pub department: FeedDepartment,
    /// Date the feed was written (ISO 8601).
    pub generated: String,
    pub practices: Vec<FeedPractice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeedDepartment {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub municipality: Option<String>,
    /// Absolute address of the department's site, if known.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeedPractice {
    /// Stable id: `<department>:<practice slug>`.
    pub id: String,
    pub title: String,
    pub organization: String,
    #[serde(default)]
    pub authors: Vec<String>,
    /// Date of publication (ISO 8601).
    pub date: String,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Address of the original page: absolute when the source knows its `base_url`, else
    /// relative to the source department's root.
    pub url: String,
}

/// A practice of another district, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ForeignPractice {
    pub id: String,
    /// Anchor of the practice on `territories/`: `ext-<department>-<practice>`.
    pub anchor: String,
    pub title: String,
    pub organization: String,
    pub authors: Vec<String>,
    pub date: String,
    pub date_iso: String,
    pub level: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// Link to the original page, as printed in `href` from this department's root: absolute,
    /// or `../<source>/…` when the source is a sibling department of the same portal.
    pub url: String,
    pub source: String,
    pub source_slug: String,
    /// The original is a practice of another department of the same build: the region's
    /// search finds it there, and leaves this copy out (see [`crate::site::mark_copies_in_region`]).
    #[serde(skip)]
    pub in_region: bool,
}

/// Parses a feed, checking its format and version. The error is a Russian sentence.
pub fn parse(text: &str) -> Result<Feed, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "не JSON: ошибка в строке {}, столбце {}",
            e.line(),
            e.column()
        )
    })?;
    match v.get("format").and_then(|f| f.as_str()) {
        Some(FEED_FORMAT) => {}
        Some(f) => return Err(format!("формат «{f}», а не «{FEED_FORMAT}»")),
        None => return Err(format!("нет поля format: «{FEED_FORMAT}»")),
    }
    match v.get("version").and_then(|x| x.as_u64()) {
        Some(n) if n > FEED_VERSION as u64 => {
            return Err(format!(
                "версия {n} новее поддерживаемой ({FEED_VERSION}); обновите metodist"
            ));
        }
        Some(_) => {}
        None => return Err("нет поля version".into()),
    }
    serde_json::from_value(v).map_err(|e| {
        let e = e.to_string();
        match e.split('`').nth(1) {
            Some(field) if e.starts_with("missing field") => {
                format!("нет обязательного поля «{field}»")
            }
            _ => "значение не того типа (например, текст вместо списка)".to_string(),
        }
    })
}

/// Reads the feeds listed in `department.yaml`: foreign practices, without the department's
/// own and without repeats (the first feed that has an id wins). Problems are warnings.
pub fn load(
    root: &Path,
    dept_dir: &Path,
    own_slug: &str,
    own_ids: &HashSet<String>,
    paths: &[String],
    lines: &crate::load::yaml::LineIndex,
    out: &mut Vec<Diagnostic>,
) -> Vec<ForeignPractice> {
    let info = dept_dir.join("department.yaml");
    let mut seen: HashSet<String> = own_ids.clone();
    let mut list = Vec::new();
    for (k, rel) in paths.iter().enumerate() {
        let field = format!("feeds[{k}]");
        let warn = |msg: String| {
            Diagnostic::warning(&info, format!("лента практик «{rel}» пропущена: {msg}"))
                .at_line(lines.line(&field))
                .field(field.clone())
                .hint("скачайте ленту заново (feeds/practices.json на сайте другой территории) или уберите её из списка `feeds`")
        };
        let path = root
            .join(dept_dir)
            .join(rel.trim().trim_start_matches("./"));
        let text = match std::fs::metadata(&path) {
            Ok(m) if m.len() > MAX_FEED => {
                out.push(warn(format!("файл больше {} МБ", MAX_FEED / 1024 / 1024)));
                continue;
            }
            Ok(_) => match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    out.push(warn(format!("не читается ({e})")));
                    continue;
                }
            },
            Err(_) => {
                out.push(warn("файла нет".into()));
                continue;
            }
        };
        let feed = match parse(&text) {
            Ok(f) => f,
            Err(e) => {
                out.push(warn(e));
                continue;
            }
        };
        if feed.department.slug == own_slug {
            continue;
        }
        for p in feed.practices {
            if !seen.insert(p.id.clone()) {
                continue;
            }
            let date = chrono::NaiveDate::parse_from_str(&p.date, "%Y-%m-%d").ok();
            let url = if p.url.starts_with("https://") || p.url.starts_with("http://") {
                p.url.clone()
            } else {
                format!(
                    "../{}/{}",
                    feed.department.slug,
                    p.url.trim_start_matches('/')
                )
            };
            list.push(ForeignPractice {
                anchor: format!("ext-{}", crate::slug::slugify(&p.id.replace(':', "-"))),
                id: p.id,
                title: p.title,
                organization: p.organization,
                authors: p.authors,
                date: date
                    .map(crate::text::ru_date)
                    .unwrap_or_else(|| p.date.clone()),
                date_iso: date.map(|d| d.to_string()).unwrap_or_default(),
                level: p.level,
                tags: p.tags,
                summary: p.summary,
                url,
                source: feed.department.name.clone(),
                source_slug: feed.department.slug.clone(),
                in_region: false,
            });
        }
    }
    list.sort_by(|a, b| {
        b.date_iso
            .cmp(&a.date_iso)
            .then_with(|| a.title.cmp(&b.title))
    });
    list
}
