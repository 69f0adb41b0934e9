//! The browser's copy of the index, exported from the tantivy index itself.
//!
//! For every term of the searched fields, the export reads the term dictionaries and postings
//! of the tantivy index and computes each document's BM25 contribution exactly as tantivy scores
//! a query (idf over the whole index, field norms, title boost), summed over fields and
//! quantized to integers ([`SCALE`]). `metodist search` ranks with the same quantized numbers
//! ([`quantized_contributions`]), so the CLI, `serve` and the browser agree exactly.
//!
//! Layout under `search/`:
//! - `meta.json`: `{version, docs, scale, chunks: [first term of each chunk], sources}`;
//!   `sources` = `[{path, first, url_prefix}]` tells where the fragment of document `d` is
//!   (`path + "d/" + (d - first) + ".json"`) and what to put before its URL. The region export
//!   points at the departments' fragments instead of writing them again; `chunk_path`
//!   (optional) is the folder whose `t/` holds the chunks, when they are another export's (a
//!   region of one department has exactly that department's index).
//! - `t/<n>.bin`: a chunk of terms in sorted order, about [`CHUNK_BYTES`] each. A query fetches
//!   only the chunks of its terms. Binary, every number an unsigned LEB128 varint
//!   ([`write_varint`]): `terms`, then per term `term byte length, term (UTF-8), documents,
//!   step, layout, postings byte length, postings`; postings = the document ids (layout 0: the
//!   first id then the gaps, as varints; layout 1: the first id, then a bitmap from it to the
//!   last id, see [`encode_docs`]) followed by one byte per document, its level: the
//!   document's score is `level × step` (see [`QuantizedTerm`]).
//! - `d/<doc>.json`: title, URL, type, department, year and text for the snippet.
//! - `facets.json`: filter values per document, fetched only when the reader opens filters.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::json;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, Searcher, TERMINATED};

use super::index::{default_fields, kind_label, schema, SearchDoc, TITLE_BOOST};
use crate::output::{OutputError, Sink};

/// Scores are counted in units of 1/SCALE.
pub(crate) const SCALE: f32 = 10_000.0;
/// Score levels per term (one byte each, see [`QuantizedTerm`]).
const LEVELS: u32 = 255;
/// Target size of a term chunk file (a chunk holding one very common term may be larger).
const CHUNK_BYTES: usize = 12 * 1024;
/// Longest text kept per document for snippets.
const FRAGMENT_TEXT_CHARS: usize = 400;
/// Format version of the export.
pub const VERSION: u32 = 4;

/// Appends `n` as an unsigned LEB128 varint (7 bits per byte, low bits first, high bit set on
/// every byte but the last).
fn write_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// One chunk file being filled.
#[derive(Default)]
struct Chunk {
    terms: u64,
    body: Vec<u8>,
    postings: Vec<u8>,
}

impl Chunk {
    fn add(&mut self, term: &str, q: &QuantizedTerm) {
        self.postings.clear();
        let layout = encode_docs(&mut self.postings, &q.postings);
        self.postings
            .extend(q.postings.iter().map(|&(_, level)| level));
        write_varint(&mut self.body, term.len() as u64);
        self.body.extend_from_slice(term.as_bytes());
        write_varint(&mut self.body, q.postings.len() as u64);
        write_varint(&mut self.body, q.step as u64);
        write_varint(&mut self.body, layout as u64);
        write_varint(&mut self.body, self.postings.len() as u64);
        self.body.extend_from_slice(&self.postings);
        self.terms += 1;
    }

    /// The file's bytes; the chunk is empty afterwards.
    fn take(&mut self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 5);
        write_varint(&mut out, self.terms);
        out.append(&mut self.body);
        self.terms = 0;
        out
    }
}

/// Layouts of a term's document ids in a chunk.
const LIST: u8 = 0;
const BITMAP: u8 = 1;

/// Appends the document ids of `postings` (sorted) in the smaller of two layouts and returns
/// which: [`LIST`] = the first id, then the gaps, as varints; [`BITMAP`] = the first id as a
/// varint, then one bit per id from the first to the last (bit `i % 8` of byte `i / 8` set when
/// document `first + i` is there), for the common words that are in most documents.
fn encode_docs(out: &mut Vec<u8>, postings: &[(u32, u8)]) -> u8 {
    let start = out.len();
    let mut prev = 0u32;
    for (i, (doc, _)) in postings.iter().enumerate() {
        write_varint(out, if i == 0 { *doc } else { doc - prev } as u64);
        prev = *doc;
    }
    let (Some(first), Some(last)) = (postings.first(), postings.last()) else {
        return LIST;
    };
    let span = (last.0 - first.0) as usize + 1;
    let mut head = Vec::new();
    write_varint(&mut head, first.0 as u64);
    if head.len() + span.div_ceil(8) >= out.len() - start {
        return LIST;
    }
    out.truncate(start);
    out.extend_from_slice(&head);
    let bits = out.len();
    out.resize(bits + span.div_ceil(8), 0);
    for (doc, _) in postings {
        let i = (doc - first.0) as usize;
        out[bits + i / 8] |= 1 << (i % 8);
    }
    BITMAP
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// The BM25 contributions of one analyzed term, quantized as the export stores them: every
/// document's score (summed over the searched fields in field order) becomes `level × step`
/// with a level of 1..=255 (one byte) and one `step` per term, in units of 1/[`SCALE`]
/// (`step` = the term's highest score / 255, rounded up). Sorted by doc id.
pub struct QuantizedTerm {
    pub step: u32,
    /// (global doc id, level)
    pub postings: Vec<(u32, u8)>,
}

impl QuantizedTerm {
    /// (global doc id, score in units of 1/[`SCALE`]): what the browser and the CLI add up.
    pub(crate) fn scores(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.postings
            .iter()
            .map(|&(d, q)| (d, q as u32 * self.step))
    }
}

/// Quantized contributions of one analyzed term: (global doc id, score in units of 1/SCALE),
/// see [`QuantizedTerm`].
pub(crate) fn quantized_contributions(
    searcher: &Searcher,
    term: &str,
) -> tantivy::Result<Vec<(u32, u32)>> {
    Ok(quantized_term(searcher, term)?.scores().collect())
}

/// See [`QuantizedTerm`].
fn quantized_term(searcher: &Searcher, term: &str) -> tantivy::Result<QuantizedTerm> {
    let (_, f) = schema();
    let total_docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| s.max_doc() as u64)
        .sum();
    let mut out: Vec<(u32, f32)> = Vec::new();
    if total_docs == 0 {
        return Ok(QuantizedTerm {
            step: 1,
            postings: vec![],
        });
    }
    for field in default_fields(&f) {
        let boost = if field == f.title { TITLE_BOOST } else { 1.0 };
        let t = tantivy::Term::from_field_text(field, term);
        let df = searcher.doc_freq(&t)?;
        if df == 0 {
            continue;
        }
        let total_tokens: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| {
                s.inverted_index(field)
                    .map(|i| i.total_num_tokens())
                    .unwrap_or(0)
            })
            .sum();
        let avg = total_tokens as f32 / total_docs as f32;
        let x = ((total_docs - df) as f32 + 0.5) / (df as f32 + 0.5);
        let weight = (1.0 + x).ln() * (1.0 + K1) * boost;
        let mut doc_base = 0u32;
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let norms = seg.get_fieldnorms_reader(field)?;
            if let Some(mut postings) = inv.read_postings(&t, IndexRecordOption::WithFreqs)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    // Deleted documents exist only in the live index of `metodist serve`.
                    if seg.is_deleted(doc) {
                        doc = postings.advance();
                        continue;
                    }
                    let tf = postings.term_freq() as f32;
                    let norm = FieldNormReader::id_to_fieldnorm(norms.fieldnorm_id(doc));
                    let c = K1 * (1.0 - B + B * norm as f32 / avg);
                    out.push((doc_base + doc, weight * tf / (tf + c)));
                    doc = postings.advance();
                }
            }
            doc_base += seg.max_doc();
        }
    }
    // Sum each document's contributions over fields, in field order (stable sort).
    out.sort_by_key(|(d, _)| *d);
    out.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1 += next.1;
            true
        } else {
            false
        }
    });
    let max = out.iter().map(|(_, s)| *s).fold(0.0f32, f32::max);
    let step = ((max * SCALE / LEVELS as f32).ceil() as u32).max(1);
    let postings = out
        .into_iter()
        .map(|(d, s)| {
            (
                d,
                ((s * SCALE / step as f32).round() as u32).clamp(1, LEVELS) as u8,
            )
        })
        .collect();
    Ok(QuantizedTerm { step, postings })
}

/// Every term of the searched fields, sorted (by UTF-8 bytes, as the index stores them).
fn all_terms(searcher: &Searcher) -> tantivy::Result<BTreeSet<String>> {
    let (_, f) = schema();
    let mut terms = BTreeSet::new();
    for field in default_fields(&f) {
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(field)?;
            let mut stream = inv.terms().stream()?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    if !terms.contains(t) {
                        terms.insert(t.to_string());
                    }
                }
            }
        }
    }
    Ok(terms)
}

/// Where the fragments of a range of documents are (see the module documentation).
pub struct FragmentSource {
    /// Path of the export folder holding the fragments, relative to this export folder.
    pub path: String,
    /// First document (of this index) whose fragment is there.
    pub first: usize,
    /// Prepended to the fragments' URLs.
    pub url_prefix: String,
}

/// Where the term chunks of an export are.
pub struct Chunks {
    /// Path of the export folder holding `t/`, relative to this export folder ("" = here).
    pub path: String,
    /// First term of each chunk.
    pub first_terms: Vec<String>,
}

/// Writes the browser export of `index` (whose documents are `docs`, in index order) into the
/// folder `prefix` of the output: term chunks, fragments, facets, meta.json. `sources` = None
/// writes the fragments here, otherwise they are read from the given exports; `chunks` = None
/// writes the term chunks here, otherwise they are read from the given export (which must be
/// of an index with the same documents and statistics). Returns the number of files written
/// and where the chunks are.
pub fn export(
    index: &Index,
    docs: &[&SearchDoc],
    staging: &dyn Sink,
    prefix: &str,
    sources: Option<Vec<FragmentSource>>,
    chunks: Option<Chunks>,
) -> Result<(usize, Chunks), OutputError> {
    let t = std::time::Instant::now();
    let (mut files, chunks) = match chunks {
        Some(c) => (0, c),
        None => {
            let (files, first_terms) = write_chunks(index, staging, prefix)?;
            (
                files,
                Chunks {
                    path: String::new(),
                    first_terms,
                },
            )
        }
    };
    crate::timing::timing(&format!("  {prefix}: chunks"), t);
    let sources = match sources {
        Some(s) => s,
        None => {
            for (i, d) in docs.iter().enumerate() {
                staging.write(&format!("{prefix}/d/{i}.json"), &fragment(d))?;
                files += 1;
            }
            vec![FragmentSource {
                path: String::new(),
                first: 0,
                url_prefix: String::new(),
            }]
        }
    };
    crate::timing::timing(&format!("  {prefix}: fragments"), t);
    staging.write(
        &format!("{prefix}/facets.json"),
        facets(docs).to_string().as_bytes(),
    )?;
    let mut meta = json!({
        "version": VERSION, "docs": docs.len(), "scale": SCALE, "chunks": chunks.first_terms,
        "sources": sources.iter().map(|s| json!({"path": s.path, "first": s.first, "url_prefix": s.url_prefix})).collect::<Vec<_>>(),
    });
    if !chunks.path.is_empty() {
        meta["chunk_path"] = json!(chunks.path);
    }
    staging.write(&format!("{prefix}/meta.json"), meta.to_string().as_bytes())?;
    Ok((files + 2, chunks))
}

/// Writes the term chunks `prefix/t/<n>.bin` of `index`; returns the number of files and the
/// first term of each chunk. Chunks are written as soon as they are full: memory stays at one
/// chunk whatever the size of the bank.
fn write_chunks(
    index: &Index,
    staging: &dyn Sink,
    prefix: &str,
) -> Result<(usize, Vec<String>), OutputError> {
    let to_err = |e: tantivy::TantivyError| OutputError {
        message: format!("ошибка поискового индекса: {e}"),
        hint: "это ошибка metodist; сообщите разработчикам".into(),
    };
    let reader = index.reader().map_err(to_err)?;
    let searcher = reader.searcher();
    let terms = all_terms(&searcher).map_err(to_err)?;
    let mut files = 0;
    let mut chunks: Vec<String> = Vec::new();
    let mut chunk = Chunk::default();
    for term in &terms {
        let postings = quantized_term(&searcher, term).map_err(to_err)?;
        if postings.postings.is_empty() {
            continue;
        }
        if chunk.terms == 0 {
            chunks.push(term.clone());
        }
        chunk.add(term, &postings);
        if chunk.body.len() >= CHUNK_BYTES {
            staging.write(
                &format!("{prefix}/t/{}.bin", chunks.len() - 1),
                &chunk.take(),
            )?;
            files += 1;
        }
    }
    if chunk.terms > 0 {
        staging.write(
            &format!("{prefix}/t/{}.bin", chunks.len() - 1),
            &chunk.take(),
        )?;
        files += 1;
    }
    Ok((files, chunks))
}

/// The fragment of one document: what a result shows (JSON).
pub fn fragment(d: &SearchDoc) -> Vec<u8> {
    #[derive(Serialize)]
    struct Fragment<'a> {
        title: &'a str,
        url: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        type_label: &'a str,
        department: &'a str,
        year: Option<u64>,
        text: &'a str,
    }
    let text = d
        .text
        .char_indices()
        .nth(FRAGMENT_TEXT_CHARS)
        .map_or(d.text.as_str(), |(cut, _)| &d.text[..cut]);
    let f = Fragment {
        title: &d.title,
        url: &d.url,
        kind: d.kind,
        type_label: kind_label(d.kind),
        department: &d.department_name,
        year: d.year,
        text,
    };
    serde_json::to_vec(&f).unwrap_or_default()
}

/// Filter values: `{values: {types, departments, organizations, tags}, type_labels, docs:
/// [[type, year|0, [org…], [tag…], department], …]}` (indexes into `values`).
fn facets(docs: &[&SearchDoc]) -> serde_json::Value {
    use std::collections::BTreeMap;
    let mut values: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let index_of =
        |kind: &'static str, v: &str, values: &mut BTreeMap<&str, Vec<String>>| -> usize {
            let list = values.entry(kind).or_default();
            match list.iter().position(|x| x == v) {
                Some(i) => i,
                None => {
                    list.push(v.to_string());
                    list.len() - 1
                }
            }
        };
    let rows: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| {
            let t = index_of("types", d.kind, &mut values);
            let dep = index_of("departments", &d.department_name, &mut values);
            let orgs: Vec<usize> = d
                .organization
                .iter()
                .map(|o| index_of("organizations", o, &mut values))
                .collect();
            let tags: Vec<usize> = d
                .tags
                .iter()
                .map(|o| index_of("tags", o, &mut values))
                .collect();
            json!([t, d.year.unwrap_or(0), orgs, tags, dep])
        })
        .collect();
    let type_labels: Vec<&str> = values
        .get("types")
        .map(|v| v.iter().map(|k| kind_label(k)).collect())
        .unwrap_or_default();
    json!({"values": values, "type_labels": type_labels, "docs": rows})
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
            region_copy: false,
        }
    }

    /// The quantized contributions are tantivy's own BM25 scores (to the quantum).
    #[test]
    fn contributions_equal_tantivy_scores() {
        use tantivy::collector::TopDocs;
        use tantivy::query::QueryParser;
        let tmp = tempfile::tempdir().unwrap();
        let docs = [
            doc(
                "Наставничество молодых педагогов",
                "наставник и наставляемый педагог",
            ),
            doc(
                "Педагогический совет",
                "молодые педагоги школы и педагог-наставник",
            ),
            doc("Цифровая среда", "цифровой образовательной среды"),
        ];
        let index = write_index(tmp.path(), &docs.iter().collect::<Vec<_>>()).unwrap();
        let searcher = index.reader().unwrap().searcher();
        let (_, f) = schema();
        let mut parser = QueryParser::for_index(&index, default_fields(&f));
        parser.set_field_boost(f.title, TITLE_BOOST);
        for q in ["молодых педагогов", "наставника", "цифровой среды школа"]
        {
            let query = parser.parse_query(q).unwrap();
            let top = searcher
                .search(&query, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            assert!(!top.is_empty(), "{q}");
            for (score, addr) in top {
                let ours: u32 = crate::search::analyzer::terms(q)
                    .iter()
                    .filter_map(|t| {
                        quantized_contributions(&searcher, t)
                            .unwrap()
                            .into_iter()
                            .find(|(d, _)| *d == addr.doc_id)
                            .map(|(_, s)| s)
                    })
                    .sum();
                let theirs = score * SCALE;
                // Each term's score is rounded to its step.
                let quantum: u32 = crate::search::analyzer::terms(q)
                    .iter()
                    .map(|t| quantized_term(&searcher, t).unwrap().step)
                    .sum();
                assert!(
                    (ours as f32 - theirs).abs() <= quantum as f32 / 2.0 + 2.0,
                    "{q}: doc {} ours {ours} tantivy {theirs}",
                    addr.doc_id
                );
            }
            // And `metodist search` ranks by them.
            assert!(!search(&index, q, None, None, 10).unwrap().is_empty());
        }
    }

    fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
        let (mut n, mut shift) = (0u64, 0);
        loop {
            let b = bytes[*at];
            *at += 1;
            n |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    /// Decodes a chunk file (the reader in engine.js does the same).
    fn read_chunk(bytes: &[u8]) -> Vec<(String, Vec<(u32, u32)>)> {
        let mut at = 0;
        let n = read_varint(bytes, &mut at);
        let mut out = Vec::new();
        for _ in 0..n {
            let len = read_varint(bytes, &mut at) as usize;
            let term = String::from_utf8(bytes[at..at + len].to_vec()).unwrap();
            at += len;
            let docs = read_varint(bytes, &mut at) as usize;
            let step = read_varint(bytes, &mut at) as u32;
            let layout = read_varint(bytes, &mut at) as u8;
            let plen = read_varint(bytes, &mut at) as usize;
            let end = at + plen;
            let levels = &bytes[end - docs..end];
            let mut ids = Vec::new();
            if layout == BITMAP {
                let first = read_varint(bytes, &mut at) as u32;
                for (k, byte) in bytes[at..end - docs].iter().enumerate() {
                    ids.extend(
                        (0..8)
                            .filter(|b| byte & (1 << b) != 0)
                            .map(|b| first + (k * 8 + b) as u32),
                    );
                }
            } else {
                let mut doc = 0u32;
                for i in 0..docs {
                    let delta = read_varint(bytes, &mut at) as u32;
                    doc = if i == 0 { delta } else { doc + delta };
                    ids.push(doc);
                }
                assert_eq!(at, end - docs, "document ids of {term}");
            }
            at = end;
            assert_eq!(ids.len(), docs, "documents of {term}");
            let postings: Vec<(u32, u32)> = ids
                .into_iter()
                .zip(levels)
                .map(|(d, &q)| (d, q as u32 * step))
                .collect();
            assert_eq!(at, end, "postings length of {term}");
            out.push((term, postings));
        }
        assert_eq!(at, bytes.len());
        out
    }

    /// Ids that are in most documents take one bit each, rare ones a varint gap each.
    #[test]
    fn document_ids_take_the_smaller_layout() {
        let mut out = Vec::new();
        let dense: Vec<(u32, u8)> = (1000..2000)
            .filter(|d| d % 10 != 0)
            .map(|d| (d, 1))
            .collect();
        assert_eq!(encode_docs(&mut out, &dense), BITMAP);
        // From document 1001 (a 2-byte varint) to 1999: 999 bits.
        assert_eq!(out.len(), 2 + 999usize.div_ceil(8));
        assert_eq!(out[2], 0b1111_1111, "documents 1001…1008");
        assert_eq!(out[3], 0b1111_1101, "documents 1009…1016 but 1010");
        out.clear();
        let sparse: Vec<(u32, u8)> = (0..100).map(|d| (d * 50, 1)).collect();
        assert_eq!(encode_docs(&mut out, &sparse), LIST);
        assert_eq!(out.len(), 100);
    }

    #[test]
    fn varints() {
        let mut v = Vec::new();
        for n in [0u64, 1, 127, 128, 300, 16383, 16384, u32::MAX as u64] {
            v.clear();
            write_varint(&mut v, n);
            let mut at = 0;
            assert_eq!(read_varint(&v, &mut at), n);
            assert_eq!(at, v.len());
        }
        write_varint(&mut v, 300);
        assert_eq!(&v[v.len() - 2..], &[0xAC, 0x02]);
    }

    #[test]
    fn chunks_cover_all_terms_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let docs: Vec<SearchDoc> = (0..1000)
            .map(|i| {
                doc(
                    &format!("Практика {i}"),
                    &format!("слово{i} термин{i} наставник педагог"),
                )
            })
            .collect();
        let index = write_index(&tmp.path().join("i"), &docs.iter().collect::<Vec<_>>()).unwrap();
        let staging = crate::output::Staging::create(&tmp.path().join("out")).unwrap();
        export(
            &index,
            &docs.iter().collect::<Vec<_>>(),
            &staging,
            "s",
            None,
            None,
        )
        .unwrap();
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(staging.dir().join("s/meta.json")).unwrap())
                .unwrap();
        let chunks: Vec<String> = meta["chunks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert!(chunks.len() > 1, "several chunks: {chunks:?}");
        assert!(chunks.windows(2).all(|w| w[0] < w[1]));
        let mut seen = 0;
        for (i, first) in chunks.iter().enumerate() {
            let chunk =
                read_chunk(&std::fs::read(staging.dir().join(format!("s/t/{i}.bin"))).unwrap());
            assert_eq!(chunk[0].0, *first);
            assert!(chunk
                .iter()
                .all(|(k, _)| k >= first && chunks.get(i + 1).is_none_or(|next| k < next)));
            assert!(chunk.windows(2).all(|w| w[0].0 < w[1].0));
            for (term, postings) in &chunk {
                assert_eq!(
                    *postings,
                    quantized_contributions(&index.reader().unwrap().searcher(), term).unwrap(),
                    "{term}"
                );
            }
            seen += chunk.len();
        }
        assert_eq!(
            seen,
            all_terms(&index.reader().unwrap().searcher())
                .unwrap()
                .len()
        );
        assert!(staging.dir().join("s/d/999.json").exists());
    }
}
