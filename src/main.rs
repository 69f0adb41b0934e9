use std::process::ExitCode;

use clap::Parser;

/// The build allocates many small strings and JSON values; mimalloc is markedly faster at it
/// than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = metodist::cli::Cli::parse();
    metodist::cmd::run(cli)
}
