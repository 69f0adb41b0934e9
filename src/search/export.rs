//! The browser's copy of the index, exported from the tantivy index itself.
//!
//! For every term of the searched fields, the export reads the term dictionary and postings of
//! the tantivy segment and precomputes each document's BM25 contribution exactly as tantivy
//! scores a query (idf, field norms, title boost), summed over fields. Terms are sharded by their
//! first two characters, so a query fetches `meta.json`, one small shard per query word and one
//! fragment per shown result — nothing else. The JavaScript client (`static/search/search.js`)
//! sums the contributions of the query's terms, which reproduces tantivy's ranking.
//!
//! Layout under `search/`: `meta.json`, `t/<hex>.json` (term → [doc, score×1000, …] with delta
//! coded doc ids), `d/<doc>.json` (title, URL, type, snippet text), `facets.json` (loaded only
//! when filters are opened).

use std::collections::BTreeMap;

use serde_json::{json, Value};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, TERMINATED};

use super::index::{default_fields, kind_label, schema, SearchDoc, TITLE_BOOST};
use crate::output::{OutputError, Staging};

/// Characters of a term that name its shard.
pub const SHARD_PREFIX_CHARS: usize = 2;
/// Longest text kept per document for snippets.
pub const FRAGMENT_TEXT_CHARS: usize = 1200;
/// Format version of the export.
pub const VERSION: u32 = 1;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Shard name of a term: hex of the UTF-8 bytes of its first characters.
pub fn shard_of(term: &str) -> String {
    let prefix: String = term.chars().take(SHARD_PREFIX_CHARS).collect();
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// term → (doc, score summed over fields), sorted by doc, read from the index.
pub fn term_scores(index: &Index) -> tantivy::Result<BTreeMap<String, Vec<(u32, f32)>>> {
    let (_, f) = schema();
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let total_docs: u64 = searcher.segment_readers().iter().map(|s| s.max_doc() as u64).sum();
    // Plain vectors: a map per term would cost several times the memory on large banks.
    let mut out: BTreeMap<String, Vec<(u32, f32)>> = BTreeMap::new();
    for field in default_fields(&f) {
        let boost = if field == f.title { TITLE_BOOST } else { 1.0 };
        let total_tokens: u64 = searcher.segment_readers().iter().map(|s| s.inverted_index(field).map(|i| i.total_num_tokens()).unwrap_or(0)).sum();
        if total_docs == 0 {
            continue;
        }
        let avg = total_tokens as f32 / total_docs as f32;
        let mut doc_base = 0u32;
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let norms = seg.get_fieldnorms_reader(field)?;
            let mut cache = [0f32; 256];
            for (id, c) in cache.iter_mut().enumerate() {
                let norm = FieldNormReader::id_to_fieldnorm(id as u8);
                *c = K1 * (1.0 - B + B * norm as f32 / avg);
            }
            let mut stream = inv.terms().stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                let info = stream.value().clone();
                // idf uses the document frequency over the whole index (as tantivy does).
                let df = searcher.doc_freq(&tantivy::Term::from_field_text(field, term))?;
                let x = ((total_docs - df) as f32 + 0.5) / (df as f32 + 0.5);
                let weight = (1.0 + x).ln() * (1.0 + K1) * boost;
                let mut postings = inv.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                let entry = out.entry(term.to_string()).or_default();
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let tf = postings.term_freq() as f32;
                    let norm_id = norms.fieldnorm_id(doc);
                    let s = weight * tf / (tf + cache[norm_id as usize]);
                    entry.push((doc_base + doc, s));
                    doc = postings.advance();
                }
            }
            doc_base += seg.max_doc();
        }
    }
    // Sum each document's contributions over fields, in field order (as tantivy adds them).
    for postings in out.values_mut() {
        postings.sort_by_key(|(doc, _)| *doc);
        postings.dedup_by(|next, kept| {
            if next.0 == kept.0 {
                kept.1 += next.1;
                true
            } else {
                false
            }
        });
    }
    Ok(out)
}

/// Writes the browser export of `index` (whose documents are `docs`, in index order) under
/// `prefix` (e.g. `vidyaevo/search`). `url_prefix` is prepended to document URLs (the
/// department folder, for the region export). Returns the number of files written.
pub fn export(index: &Index, docs: &[&SearchDoc], staging: &Staging, prefix: &str, url_prefix: impl Fn(&SearchDoc) -> String) -> Result<usize, OutputError> {
    let to_err = |e: tantivy::TantivyError| OutputError { message: format!("ошибка поискового индекса: {e}"), hint: "это ошибка metodist; сообщите разработчикам".into() };
    let scores = term_scores(index).map_err(to_err)?;
    // Terms are sorted, so each shard's terms are contiguous: write a shard as soon as it is
    // complete, as a string built directly (no JSON tree of millions of numbers).
    let mut shard_names: Vec<String> = Vec::new();
    let mut files = 0;
    let mut current: Option<String> = None;
    let mut buf = String::new();
    let flush = |name: &str, buf: &mut String, files: &mut usize| -> Result<(), OutputError> {
        buf.push('}');
        staging.write(&format!("{prefix}/t/{name}.json"), buf.as_bytes())?;
        buf.clear();
        *files += 1;
        Ok(())
    };
    for (term, postings) in &scores {
        let shard = shard_of(term);
        if current.as_deref() != Some(shard.as_str()) {
            if let Some(name) = current.take() {
                flush(&name, &mut buf, &mut files)?;
            }
            buf.push('{');
            shard_names.push(shard.clone());
            current = Some(shard);
        } else {
            buf.push(',');
        }
        buf.push_str(&serde_json::to_string(term).unwrap_or_default());
        buf.push_str(":[");
        let mut prev = 0u32;
        for (i, (doc, score)) in postings.iter().enumerate() {
            use std::fmt::Write;
            let delta = if i == 0 { *doc } else { doc - prev };
            let q = ((score * 1000.0).round() as u32).max(1);
            let _ = write!(buf, "{}{delta},{q}", if i == 0 { "" } else { "," });
            prev = *doc;
        }
        buf.push(']');
    }
    if let Some(name) = current.take() {
        flush(&name, &mut buf, &mut files)?;
    }
    drop(scores);
    for (i, d) in docs.iter().enumerate() {
        let text: String = d.text.chars().take(FRAGMENT_TEXT_CHARS).collect();
        let frag = json!({
            "title": d.title, "url": format!("{}{}", url_prefix(d), d.url), "type": d.kind, "type_label": kind_label(d.kind),
            "department": d.department_name, "year": d.year, "text": text,
        });
        staging.write(&format!("{prefix}/d/{i}.json"), frag.to_string().as_bytes())?;
        files += 1;
    }
    // Facets: loaded only when the reader opens the filters.
    let mut values: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let index_of = |kind: &'static str, v: &str, values: &mut BTreeMap<&str, Vec<String>>| -> usize {
        let list = values.entry(kind).or_default();
        match list.iter().position(|x| x == v) {
            Some(i) => i,
            None => {
                list.push(v.to_string());
                list.len() - 1
            }
        }
    };
    let rows: Vec<Value> = docs
        .iter()
        .map(|d| {
            let t = index_of("types", d.kind, &mut values);
            let dep = index_of("departments", &d.department_name, &mut values);
            let orgs: Vec<usize> = d.organization.iter().map(|o| index_of("organizations", o, &mut values)).collect();
            let tags: Vec<usize> = d.tags.iter().map(|o| index_of("tags", o, &mut values)).collect();
            json!([t, d.year.unwrap_or(0), orgs, tags, dep])
        })
        .collect();
    let type_labels: Vec<&str> = values.get("types").map(|v| v.iter().map(|k| kind_label(k)).collect()).unwrap_or_default();
    let facets = json!({"values": values, "type_labels": type_labels, "docs": rows});
    staging.write(&format!("{prefix}/facets.json"), facets.to_string().as_bytes())?;
    let meta = json!({
        "version": VERSION, "docs": docs.len(), "prefix_chars": SHARD_PREFIX_CHARS,
        "shards": shard_names,
    });
    staging.write(&format!("{prefix}/meta.json"), meta.to_string().as_bytes())?;
    Ok(files + 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::{search, write_index, SearchDoc};

    fn doc(title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            kind: "practice",
            department: "d".into(),
            department_name: "D".into(),
            title: title.into(),
            text: text.into(),
            organization: vec!["МАОУ СОШ № 1".into()],
            tags: vec![],
            year: None,
            url: "x/".into(),
        }
    }

    /// The exported contributions, summed over a query's terms, give tantivy's own scores.
    #[test]
    fn exported_scores_equal_tantivy_scores() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = vec![
            doc("Наставничество молодых педагогов", "наставник и наставляемый педагог"),
            doc("Педагогический совет", "молодые педагоги школы и педагог-наставник"),
            doc("Цифровая среда", "цифровой образовательной среды"),
        ];
        let index = write_index(tmp.path(), &docs.iter().collect::<Vec<_>>()).unwrap();
        let scores = term_scores(&index).unwrap();
        for q in ["молодых педагогов", "наставника", "цифровой среды школа"] {
            let hits = search(&index, q, None, None, 10).unwrap();
            assert!(!hits.is_empty(), "{q}");
            for h in hits {
                let ours: f32 = crate::search::analyzer::terms(q)
                    .iter()
                    .filter_map(|t| scores.get(t).and_then(|p| p.iter().find(|(d, _)| *d == h.doc)).map(|(_, s)| *s))
                    .sum();
                assert!((ours - h.score).abs() < 1e-4, "{q}: doc {} ours {ours} tantivy {}", h.doc, h.score);
            }
        }
    }

    #[test]
    fn shard_names_are_hex_of_the_prefix() {
        assert_eq!(shard_of("ab"), "6162");
        assert_eq!(shard_of("педагог"), "d0bfd0b5");
        assert_eq!(shard_of("я"), "d18f");
    }
}
