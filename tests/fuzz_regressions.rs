//! Inputs that crashed a fuzz target (fuzz/, cargo-fuzz) replayed through the same code: each
//! must now give a value or a clear error. The folders also hold a few hand-picked hostile
//! inputs, so that the replay is never empty.

use std::path::{Path, PathBuf};

use metodist::diagnostics::Diagnostics;
use metodist::load::{decode, front_matter, parse_yaml};
use metodist::model::{Contest, Department, Mentoring, Page, Practice, Roadmap};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .map(|e| (e.path(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no inputs in {}", dir.display());
    v
}

#[test]
fn front_matter_inputs() {
    for (path, data) in inputs("front_matter") {
        let Ok(text) = decode(&data) else { continue };
        let diags = Diagnostics::new();
        let rel = Path::new("content/d/practices/f.md");
        let (yaml, offset) = match front_matter::split(&text) {
            Ok(s) => (s.yaml.to_string(), s.yaml_line.saturating_sub(1)),
            Err(_) => (text.clone(), 0),
        };
        let ok = parse_yaml::<Roadmap>(&yaml, rel, offset, &diags).is_some()
            | parse_yaml::<Practice>(&yaml, rel, offset, &diags).is_some()
            | parse_yaml::<Contest>(&yaml, rel, offset, &diags).is_some()
            | parse_yaml::<Mentoring>(&yaml, rel, offset, &diags).is_some()
            | parse_yaml::<Page>(&yaml, rel, offset, &diags).is_some()
            | parse_yaml::<Department>(&yaml, rel, offset, &diags).is_some();
        let _ = (ok, path);
    }
}

#[test]
fn deadline_inputs() {
    use chrono::NaiveDate;
    use metodist::deadline::{parse, status, Span};
    let period = Span {
        from: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    };
    for (_, data) in inputs("deadline") {
        let text = String::from_utf8_lossy(&data);
        let d = parse(&text, period);
        let _ = d.normalized_label();
        let _ = status(&d, false, period.from, period);
    }
}

#[test]
fn import_inputs() {
    for (path, data) in inputs("import") {
        for name in ["plan.txt", "plan.md", "plan.docx", "plan.xlsx"] {
            match metodist::import::import_bytes(&data, Path::new(name)) {
                Ok(_) => {}
                Err(d) => assert!(
                    !d.message.is_empty(),
                    "{}: an error without a message",
                    path.display()
                ),
            }
        }
    }
}
