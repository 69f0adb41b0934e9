//! A content file's bytes: decoding (BOM, CRLF, UTF-16, cp1251 detection), splitting at the
//! `---` fences, the YAML line index and deserialization into every content type. Any input
//! must give a value or diagnostics, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use metodist::diagnostics::Diagnostics;
use metodist::load::{decode, front_matter, parse_yaml};
use metodist::model::{Contest, Department, Mentoring, Page, Practice, Roadmap};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data) else { return };
    let diags = Diagnostics::new();
    let rel = Path::new("content/d/practices/f.md");
    let (yaml, offset) = match front_matter::split(&text) {
        Ok(s) => (s.yaml.to_string(), s.yaml_line.saturating_sub(1)),
        Err(_) => (text.clone(), 0),
    };
    let _ = parse_yaml::<Roadmap>(&yaml, rel, offset, &diags);
    let _ = parse_yaml::<Practice>(&yaml, rel, offset, &diags);
    let _ = parse_yaml::<Contest>(&yaml, rel, offset, &diags);
    let _ = parse_yaml::<Mentoring>(&yaml, rel, offset, &diags);
    let _ = parse_yaml::<Page>(&yaml, rel, offset, &diags);
    let _ = parse_yaml::<Department>(&yaml, rel, offset, &diags);
});
