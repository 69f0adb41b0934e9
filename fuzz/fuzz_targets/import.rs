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
});
