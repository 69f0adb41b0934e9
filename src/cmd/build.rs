//! `metodist build`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::{display_path, report};

pub fn run(root: &Path, out: Option<PathBuf>, drafts: bool) -> ExitCode {
    let out = out.unwrap_or_else(|| root.join("public"));
    let (result, diags) = crate::build::build(root, &out, drafts);
    report(&diags);
    match result {
        Ok(b) => {
            eprintln!(
                "готово: {} упр., {} файлов в {} за {:.2} с",
                b.departments,
                b.files,
                display_path(&out),
                b.seconds
            );
            ExitCode::SUCCESS
        }
        Err(()) => {
            eprintln!(
                "сборка не выполнена: исправьте ошибки выше; прежний сайт в {} не изменён",
                display_path(&out)
            );
            ExitCode::FAILURE
        }
    }
}
