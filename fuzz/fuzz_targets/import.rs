//! `metodist import roadmap` on arbitrary bytes: format detection, text/Markdown/.docx/
//! spreadsheet readers, header recognition, the act heading, YAML output. Any input must give a
//! roadmap or a clear error, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["plan.txt", "plan.md", "plan.docx", "plan.xlsx"] {
        let _ = metodist::import::import_bytes(data, Path::new(name));
    }
    // The steering options on the same bytes: a header line, columns named by the user, a
    // column of sections.
    let opts = metodist::import::Options {
        header_line: Some(1 + data.first().copied().unwrap_or(0) as usize % 8),
        columns: metodist::import::columns::parse_list("№,мероприятие,начало,окончание,раздел").ok(),
        sections_from_column: Some(1 + data.last().copied().unwrap_or(0) as usize % 4),
    };
    let _ = metodist::import::import_bytes_with(data, Path::new("plan.txt"), &opts);
});
