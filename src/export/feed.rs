//! The department's practice bank as a feed for other districts (`feeds/practices.json`, read
//! back by [`crate::feeds`]).

use serde::Serialize;

use crate::feeds::{FeedDepartment, FeedPractice, FEED_FORMAT, FEED_VERSION};
use crate::site::{Department, PracticeView};

/// Writes the feed of department `d` as pretty JSON to `w`, making one practice at a time (a bank of 100 000
/// practices is a feed of 70 MB).
pub(crate) fn write_feed(
    d: &Department,
    generated: &str,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    /// [`Feed`], field for field, with the practices made while they are written.
    #[derive(Serialize)]
    struct Out<'a> {
        format: &'a str,
        version: u32,
        department: FeedDepartment,
        generated: &'a str,
        practices: Practices<'a>,
    }
    struct Practices<'a>(&'a Department, &'a Option<String>);
    impl Serialize for Practices<'_> {
        fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
            ser.collect_seq(
                self.0
                    .practices
                    .iter()
                    .map(|p| feed_practice(self.0, self.1, p)),
            )
        }
    }
    let base = super::base_of(d);
    let out = Out {
        format: FEED_FORMAT,
        version: FEED_VERSION,
        department: feed_department(d, &base),
        generated,
        practices: Practices(d, &base),
    };
    serde_json::to_writer_pretty(w, &out).map_err(std::io::Error::other)
}

fn feed_department(d: &Department, base: &Option<String>) -> FeedDepartment {
    FeedDepartment {
        slug: d.site.slug.clone(),
        name: d.site.name.clone(),
        region: d.site.region.clone(),
        municipality: d.site.municipality.clone(),
        url: base.clone(),
    }
}

fn feed_practice(d: &Department, base: &Option<String>, p: &PracticeView) -> FeedPractice {
    FeedPractice {
        id: crate::slug::practice_id(&d.site.slug, &p.url),
        title: p.title.clone(),
        organization: p.organization.clone(),
        authors: p.authors.clone(),
        date: p.date_iso.clone(),
        level: p.level.clone(),
        tags: p.tags.iter().map(|t| t.name.clone()).collect(),
        summary: p.summary.clone(),
        url: format!("{}{}", base.as_deref().unwrap_or(""), p.url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::Feed;

    /// The feed of one department.
    fn feed_of(d: &Department, generated: &str) -> Feed {
        let base = crate::export::base_of(d);
        Feed {
            format: FEED_FORMAT.into(),
            version: FEED_VERSION,
            department: feed_department(d, &base),
            generated: generated.into(),
            practices: d
                .practices
                .iter()
                .map(|p| feed_practice(d, &base, p))
                .collect(),
        }
    }

    /// The feed written a practice at a time is the feed serialized whole.
    #[test]
    fn streamed_feed_equals_the_whole_feed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::build::check(root, false)
            .site
            .expect("the demo builds");
        for d in &site.departments {
            let mut streamed = Vec::new();
            super::write_feed(d, "2024-01-01", &mut streamed).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                serde_json::to_string_pretty(&feed_of(d, "2024-01-01")).unwrap(),
                "{}",
                d.site.slug
            );
        }
    }
}
