//! `metodist serve`

use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, port: u16, bind: String, open: bool, drafts: bool) -> ExitCode {
    let opts = crate::serve::Options {
        root: root.to_path_buf(),
        bind,
        port,
        open,
        drafts,
    };
    match crate::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ошибка: {e}");
            ExitCode::FAILURE
        }
    }
}
