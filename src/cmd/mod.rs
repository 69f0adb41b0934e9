//! One file per subcommand, each a thin shell over the library.

mod build;
mod check;
mod import;
mod new;
mod schema;
mod search;
mod serve;

use std::process::ExitCode;

use crate::cli::{Cli, Command, ImportKind};

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let root = cli.global.root;
    if !root.is_dir() {
        eprintln!(
            "ошибка: папка проекта {} не найдена",
            crate::diagnostics::display_path(&root)
        );
        eprintln!("  подсказка: укажите существующую папку: --root ПАПКА");
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build { out, drafts } => build::run(&root, out, drafts),
        Command::Check { drafts } => check::run(&root, drafts),
        Command::New { department } => new::run(&root, &department),
        Command::Schema { out } => schema::run(&root, out),
        Command::Import {
            what:
                ImportKind::Roadmap {
                    file,
                    department,
                    out,
                    force,
                    header_line,
                    columns,
                    sections_from_column,
                    dry_run,
                },
        } => import::roadmap(
            &root,
            &file,
            &department,
            out,
            force,
            &import::Steer {
                header_line,
                columns,
                sections_from_column,
                dry_run,
            },
        ),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => serve::run(&root, port, bind, open, drafts),
        Command::Search {
            query,
            department,
            kind,
            json,
            limit,
            out,
        } => search::run(
            &root,
            &query.join(" "),
            department.as_deref(),
            kind.as_deref(),
            json,
            limit,
            out,
        ),
    }
}
