//! The browser search (themes/default/static/search/engine.js, reading the static export of
//! src/search/export.rs) must rank exactly as `metodist search` (tantivy). This test builds the
//! demo content and a generated 10 000-practice corpus, asks `metodist search --json --limit 10`
//! a set of inflected Russian queries (region-wide, per department, with and without `--type`),
//! and lets `tests/search_parity.mjs` run the same queries through engine.js — as the build
//! publishes it, minified — under Node on the exported files: the doc ids must be equal, in the
//! same order.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn metodist() -> Command {
    Command::new(env!("CARGO_BIN_EXE_metodist"))
}

fn build(root: &Path, out: &Path) {
    let output = metodist()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "metodist build --root {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `metodist search --json --limit 10 [--department D] [--type T] QUERY` → [{doc, score}].
fn tantivy_hits(
    out: &Path,
    query: &str,
    department: Option<&str>,
    kind: Option<&str>,
) -> Vec<Value> {
    let mut cmd = metodist();
    cmd.arg("search")
        .arg("--out")
        .arg(out)
        .arg("--json")
        .arg("--limit")
        .arg("10");
    if let Some(d) = department {
        cmd.arg("--department").arg(d);
    }
    if let Some(k) = kind {
        cmd.arg("--type").arg(k);
    }
    let output = cmd.arg(query).output().unwrap();
    assert!(
        output.status.success(),
        "metodist search «{query}» failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let hits: Vec<Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("«{query}»: not JSON: {e}"));
    hits.iter()
        .map(|h| {
            assert!(
                h["doc"].is_u64() && h["score"].is_f64(),
                "hit without doc/score: {h}"
            );
            json!({"doc": h["doc"], "score": h["score"]})
        })
        .collect()
}

/// Queries over the demo content: inflected forms, names, a school, Latin, rare + common words,
/// repeated words (the same spelling counts once in tantivy; the same stem twice), numbers, «ё».
const DEMO_QUERIES: &[&str] = &[
    "наставника",
    // a practice of vidyaevo that krasnoufimsk shows from its feed: once in the region
    "методическая неделя делимся опытом",
    "молодых педагогов",
    "цифровой среды",
    "учителя года",
    "функциональной грамотности",
    "методического объединения",
    "Ботова",
    "Щербаковой",
    "МАОУ СОШ № 3",
    "XXI",
    "Вахрушева педагогов",
    "наставничество наставничество",
    "педагогов наставничество наставничество",
    "педагог педагогов",
    "Педагогов педагогов",
    "профессиональных дефицитов",
    "педагог-наставник",
    "дорожная карта 2024",
    "учёт",
    "конкурсов профессионального мастерства",
    "Красноуфимск",
    "индивидуальный образовательный маршрут",
    "методический десант",
    // Upper-case AND/OR/NOT are operators for tantivy's query parser, plain words for a reader.
    "учителя AND года",
];

/// Queries over the generated corpus (its words come from the same municipal documents).
const CORPUS_QUERIES: &[&str] = &[
    "наставника",
    "молодых педагогов",
    "цифровой среды",
    "учителя года",
    "функциональной грамотности",
    "методического объединения",
    "Ботова",
    "Томилова",
    "МАОУ СОШ № 3",
    "XVIII",
    "Томилова педагогов",
    "наставничество наставничество",
    "педагогов наставничество наставничество",
    "Фёдорова",
    "практика 1234",
    "дошкольное образование",
    "ИОМ",
    "профессиональных дефицитов",
];

struct Export<'a> {
    name: &'a str,
    out: &'a Path,
    department: Option<&'a str>,
    /// Every query must find something here.
    all_found: bool,
}

#[test]
fn browser_engine_ranks_like_metodist_search() {
    let repo = repo();
    let tmp = tempfile::tempdir().unwrap();

    // 1. the demo content
    let demo = tmp.path().join("demo");
    build(&repo, &demo);

    // 2. a generated corpus of 10 000 practices
    let generator = repo.join("benches/gen_corpus.py");
    assert!(
        generator.is_file(),
        "search parity needs the corpus generator {}",
        generator.display()
    );
    let corpus = tmp.path().join("corpus");
    let status = Command::new("python3")
        .arg(&generator)
        .arg(&corpus)
        .arg("10000")
        .status()
        .unwrap();
    assert!(status.success(), "{} failed: {status}", generator.display());
    let corpus_out = corpus.join("public");
    build(&corpus, &corpus_out);

    let exports = [
        (
            Export {
                name: "demo region",
                out: &demo,
                department: None,
                all_found: true,
            },
            DEMO_QUERIES,
        ),
        (
            Export {
                name: "demo krasnoufimsk",
                out: &demo,
                department: Some("krasnoufimsk"),
                all_found: false,
            },
            DEMO_QUERIES,
        ),
        (
            Export {
                name: "demo okoneshnikovo",
                out: &demo,
                department: Some("okoneshnikovo"),
                all_found: false,
            },
            DEMO_QUERIES,
        ),
        (
            Export {
                name: "demo vidyaevo",
                out: &demo,
                department: Some("vidyaevo"),
                all_found: false,
            },
            DEMO_QUERIES,
        ),
        (
            Export {
                name: "corpus region",
                out: &corpus_out,
                department: None,
                all_found: true,
            },
            CORPUS_QUERIES,
        ),
        (
            Export {
                name: "corpus rayon-01",
                out: &corpus_out,
                department: Some("rayon-01"),
                all_found: true,
            },
            CORPUS_QUERIES,
        ),
    ];

    let mut cases = Vec::new();
    for (e, queries) in &exports {
        let dir = match e.department {
            Some(d) => e.out.join(d).join("search"),
            None => e.out.join("search"),
        };
        assert!(
            dir.join("meta.json").is_file(),
            "no browser export in {}",
            dir.display()
        );
        let mut found = 0;
        for q in *queries {
            let expected = tantivy_hits(e.out, q, e.department, None);
            assert!(
                !e.all_found || !expected.is_empty(),
                "{}: «{q}» finds nothing: the comparison would be vacuous",
                e.name
            );
            if !expected.is_empty() {
                found += 1;
            }
            cases.push(json!({"name": e.name, "export": dir, "query": q, "type": null, "expected": expected}));
        }
        assert!(
            found * 2 >= queries.len(),
            "{}: only {found} of {} queries find something",
            e.name,
            queries.len()
        );
        // The same queries restricted to one type (filtered after ranking in both).
        for (q, kind) in [
            ("наставника", "event"),
            ("молодых педагогов", "practice"),
            ("учителя года", "contest"),
            ("педагогов", "mentoring"),
        ] {
            let expected = tantivy_hits(e.out, q, e.department, Some(kind));
            cases.push(json!({"name": e.name, "export": dir, "query": q, "type": kind, "expected": expected}));
        }
    }

    let published_engine = corpus_out.join("rayon-01/static/search/engine.js");
    let source =
        std::fs::read_to_string(repo.join("themes/default/static/search/engine.js")).unwrap();
    let published = std::fs::read_to_string(&published_engine).unwrap();
    assert!(
        published.len() < source.len() * 2 / 3,
        "the published engine.js is not minified: {} bytes of {}",
        published.len(),
        source.len()
    );

    let n_cases = cases.len();
    let input = json!({
        "cases": cases,
        "bytes": {"export": corpus_out.join("rayon-01").join("search"), "query": "наставника", "limit": 10},
        // the engine as the build publishes it (minified), not the theme's source
        "engine": published_engine,
    });
    let cases_path = tmp.path().join("cases.json");
    std::fs::write(&cases_path, serde_json::to_vec_pretty(&input).unwrap()).unwrap();

    let output = common::run_node(&repo, "tests/search_parity.mjs", &[&cases_path]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "engine.js ranks differently from metodist search:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("search parity: {n_cases} cases,")),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" 0 mismatches"), "{stdout}");
}
