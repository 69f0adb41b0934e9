//! Helpers shared by the integration tests that hand their data to a Node.js script.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `node <repo>/<script> <arg>` in the repository; panics with a clear message if Node.js
/// is missing. Prints the script's standard output (shown by `cargo test -- --nocapture`).
pub fn run_node(repo: &Path, script: &str, arg: &Path) -> Output {
    let output = Command::new("node")
        .arg(repo.join(script))
        .arg(arg)
        .current_dir(repo)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node (Node.js is required for this test): {e}"));
    println!("{}", String::from_utf8_lossy(&output.stdout));
    output
}
