//! Helpers shared by the integration tests: the demo site built once, and Node.js scripts.
#![allow(dead_code)] // each test file uses some of them

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Builds the demo content (the repository's `content/`) into a temporary folder; panics if the
/// build fails or reports an error. Returns the folder (keep it alive) and the output path.
pub fn build_demo() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_metodist"))
        .args(["build", "--root"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(o.status.success(), "demo build failed:\n{stderr}");
    assert!(
        !stderr.contains("ошибка:"),
        "demo build reported errors:\n{stderr}"
    );
    (tmp, out, stderr)
}

/// Runs `node <repo>/<script> <args…>` in the repository; panics with a clear message if
/// Node.js is missing. Prints the script's standard output (shown by `cargo test -- --nocapture`).
pub fn run_node(repo: &Path, script: &str, args: &[&Path]) -> Output {
    let output = Command::new("node")
        .arg(repo.join(script))
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node (Node.js is required for this test): {e}"));
    println!("{}", String::from_utf8_lossy(&output.stdout));
    output
}
