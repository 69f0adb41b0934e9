use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = metodist::cli::Cli::parse();
    metodist::cmd::run(cli)
}
