//! The browser's query analyzer (themes/default/static/search/analyzer.js) must turn every word
//! into exactly the terms the Rust indexer stores, or browser search results would differ from
//! `metodist search`. This test runs every distinct word of the demo content and of a generated
//! 10 000-practice corpus (plus hand-picked tricky words) through
//! `metodist::search::analyzer::terms`, writes a TSV and lets `tests/stemmer_parity.mjs` compare
//! it with the JavaScript port, as the build publishes it (minified), under Node.
//!
//! Set `STEMMER_PARITY_EXTRA=<file>[:<file>…]` to add the words of more text files.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use metodist::search::analyzer::terms;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Words that exercise the edges of the pipeline: ё, hyphens and dashes, case, digits, Latin,
/// the 40-byte limit, English exceptional forms and Porter2 special cases.
const TRICKY: &[&str] = &[
    "ё",
    "ёлка",
    "Ёлка",
    "ЁЖИК",
    "всё",
    "её",
    "объём",
    "учёт",
    "IT-куб",
    "ИТ-КУБ",
    "«IT-куб»",
    "Точка-роста",
    "2021–2024",
    "2021-2024",
    "2021г.",
    "5класс",
    "№12",
    "1-4",
    "НАСТАВНИЧЕСТВО",
    "Наставничество",
    "наставничества",
    "наставничеством",
    "наставник",
    "молодых",
    "молодые",
    "молодой",
    "цифровой",
    "цифровая",
    "цифровизация",
    "педагогов",
    "педагогическими",
    "воспитанников",
    "учителя",
    "самообразование",
    "профориентационной",
    "функциональной",
    "грамотности",
    "обучающихся",
    "образовательных",
    "методистов",
    "обобщения",
    "конкурсах",
    "красивейший",
    "красивейшего",
    "длиннейшие",
    "каменный",
    "каменные",
    "пальто",
    "плотность",
    "радость",
    "гордость",
    "сообщество",
    "увлекшись",
    "прыгавши",
    "играя",
    "стоявшийся",
    "учившегося",
    "нн",
    "ннн",
    "ь",
    "а",
    "и",
    "ии",
    "я",
    "teachers",
    "teacher",
    "generously",
    "generous",
    "generate",
    "generation",
    "communism",
    "community",
    "universal",
    "university",
    "emergency",
    "organization",
    "organs",
    "past",
    "pasted",
    "paste",
    "intern",
    "later",
    "arsenal",
    "news",
    "skies",
    "skis",
    "sky",
    "skying",
    "idly",
    "gently",
    "ugly",
    "early",
    "only",
    "singly",
    "andes",
    "atlas",
    "bias",
    "cosmos",
    "howe",
    "dying",
    "lying",
    "tying",
    "inning",
    "innings",
    "outing",
    "evening",
    "canning",
    "herring",
    "earring",
    "succeed",
    "succeeded",
    "proceed",
    "exceedingly",
    "agreed",
    "feed",
    "hoped",
    "hopping",
    "added",
    "egged",
    "odded",
    "fizzed",
    "luxuriated",
    "cried",
    "ties",
    "tied",
    "gas",
    "gaps",
    "kiwis",
    "caress",
    "caresses",
    "ponies",
    "cats",
    "bus",
    "yes",
    "yellow",
    "say",
    "says",
    "toy",
    "toys",
    "cry",
    "by",
    "YELLOW",
    "ay",
    "ayy",
    "yyy",
    "y",
    "ys",
    "'s",
    "it's",
    "o'clock",
    "relational",
    "conditional",
    "rational",
    "valenci",
    "hesitanci",
    "digitizer",
    "conformabli",
    "radicalli",
    "differentli",
    "vileli",
    "analogousli",
    "vietnamization",
    "predication",
    "operator",
    "feudalism",
    "decisiveness",
    "hopefulness",
    "callousness",
    "formaliti",
    "sensitiviti",
    "sensibiliti",
    "geologist",
    "geology",
    "analogi",
    "fulli",
    "lessli",
    "helplessly",
    "triplicate",
    "formative",
    "formalize",
    "electriciti",
    "electrical",
    "hopeful",
    "goodness",
    "revival",
    "allowance",
    "inference",
    "airliner",
    "gyroscopic",
    "adjustable",
    "defensible",
    "irritant",
    "replacement",
    "adjustment",
    "dependent",
    "adoption",
    "homologou",
    "communism",
    "activate",
    "angulariti",
    "homologous",
    "effective",
    "bowdlerize",
    "probate",
    "rate",
    "cease",
    "controll",
    "roll",
    "fluently",
    "skiing",
    "bead",
    "embed",
    "shed",
    "bed",
    "reed",
    "need",
    "ied",
    "ies",
    "ss",
    "us",
    "s",
    "is",
    "as",
    "a",
    "ab",
    "abc",
    "OK",
    "Wi-Fi",
    "e-mail",
    "iPhone",
    "МАОУ",
    "СОШ",
    "ФГОС",
    "ИОМ",
    "ГИА",
    "café",
    "naïve",
    "straße",
    "Σίσυφος",
    "ΣΑΣ",
    "İstanbul",
    "ǅemal",
    "½",
    "Ⅻ",
    "٣٤",
    "𝐀𝐁𝐂ed",
    "ba𝐀ed",
    "𝐀ys",
    "𝐀𝐀y",
    // the 40-byte limit: 19 Cyrillic letters = 38 bytes (kept), 20 = 40 bytes (dropped)
    "абвгдежзиклмнопрсту",
    "абвгдежзиклмнопрстуф",
    "превысокомногорассмотрительствующий",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklm",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmn",
    "частногосударственноепартнерство",
    "Частно-государственное-партнёрство-в-образовании",
];

/// Whitespace-separated chunks (punctuation included, to exercise the tokenizer) and their
/// alphanumeric runs (to exercise the stemmers word by word).
fn add_words(text: &str, words: &mut BTreeSet<String>) {
    for chunk in text.split_whitespace() {
        words.insert(chunk.to_string());
        for run in chunk
            .split(|c: char| !c.is_alphanumeric())
            .filter(|r| !r.is_empty())
        {
            words.insert(run.to_string());
        }
    }
}

fn add_content_words(dir: &Path, words: &mut BTreeSet<String>) -> usize {
    let mut files = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if entry.file_type().is_file() && (ext == "md" || ext == "yaml") {
            add_words(&std::fs::read_to_string(path).unwrap(), words);
            files += 1;
        }
    }
    files
}

#[test]
fn javascript_analyzer_matches_rust() {
    let repo = repo();
    let mut words = BTreeSet::new();

    // 1. the demo content
    let demo_files = add_content_words(&repo.join("content"), &mut words);
    assert!(
        demo_files > 0,
        "no demo content under {}",
        repo.join("content").display()
    );
    let demo_words = words.len();

    // 2. a generated corpus of 10 000 practices
    let generator = repo.join("benches/gen_corpus.py");
    assert!(
        generator.is_file(),
        "stemmer parity needs the corpus generator {}",
        generator.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(&generator)
        .arg(tmp.path())
        .arg("10000")
        .status()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", generator.display()));
    assert!(status.success(), "{} failed: {status}", generator.display());
    let corpus_files = add_content_words(&tmp.path().join("content"), &mut words);
    assert!(
        corpus_files >= 10_000,
        "generated corpus has only {corpus_files} files"
    );

    // 3. hand-picked words, and optional extra files
    for w in TRICKY {
        words.insert(w.to_string());
    }
    if let Ok(extra) = std::env::var("STEMMER_PARITY_EXTRA") {
        for file in extra.split(':').filter(|f| !f.is_empty()) {
            let text =
                std::fs::read(file).unwrap_or_else(|e| panic!("STEMMER_PARITY_EXTRA {file}: {e}"));
            add_words(&String::from_utf8_lossy(&text), &mut words);
        }
    }

    assert!(
        words.len() > 2000,
        "only {} distinct words ({demo_words} from the demo): the parity check would be vacuous",
        words.len()
    );

    let mut tsv = String::new();
    for w in &words {
        assert!(
            !w.contains(['\t', '\n', '\r']),
            "word with a tab or newline: {w:?}"
        );
        writeln!(tsv, "{w}\t{}", terms(w).join(" ")).unwrap();
    }
    let tsv_path = tmp.path().join("words.tsv");
    std::fs::write(&tsv_path, tsv).unwrap();

    // The analyzer as the build publishes it (minified), with the built-in theme.
    let theme = metodist::render::theme::Theme::load(tmp.path(), "default")
        .unwrap_or_else(|_| panic!("the built-in theme does not load"));
    let (_, analyzer) = theme
        .static_files()
        .find(|(path, _)| *path == "search/analyzer.js")
        .expect("search/analyzer.js in the theme");
    let source = std::fs::read(repo.join("themes/default/static/search/analyzer.js")).unwrap();
    assert!(
        analyzer.len() < source.len() * 3 / 4,
        "the published analyzer.js is not minified: {} bytes of {}",
        analyzer.len(),
        source.len()
    );
    let analyzer_path = tmp.path().join("analyzer.js");
    std::fs::write(&analyzer_path, analyzer).unwrap();

    let output = common::run_node(
        &repo,
        "tests/stemmer_parity.mjs",
        &[&tsv_path, &analyzer_path],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the JavaScript analyzer differs from the Rust one ({} words):\n{stdout}\n{stderr}",
        words.len()
    );
    assert!(
        stdout.contains(&format!(
            "stemmer parity: {} words, 0 mismatches",
            words.len()
        )),
        "{stdout}"
    );
}
