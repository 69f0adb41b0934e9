//! `metodist search QUERY`: ranked results with highlighted snippets, from the index that
//! `build` wrote (the same index the browser export comes from).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::display_path;
use crate::search::index::{self, INDEX_DIR, REGION};

const KINDS: [&str; 7] = [
    "event",
    "indicator",
    "roadmap",
    "practice",
    "contest",
    "mentoring",
    "page",
];

pub fn run(
    root: &Path,
    query: &str,
    department: Option<&str>,
    kind: Option<&str>,
    json: bool,
    limit: usize,
    out: Option<PathBuf>,
) -> ExitCode {
    if let Some(k) = kind.filter(|k| !KINDS.contains(k)) {
        eprintln!("ошибка: неизвестный тип «{k}»");
        eprintln!("  подсказка: допустимые типы: {}", KINDS.join(", "));
        return ExitCode::from(2);
    }
    let out = out.unwrap_or_else(|| root.join("public"));
    let dir = out.join(INDEX_DIR).join(department.unwrap_or(REGION));
    if !dir.join("meta.json").exists() {
        match department {
            Some(d) if out.join(INDEX_DIR).join(REGION).exists() => {
                eprintln!(
                    "ошибка: управления «{d}» нет в собранном сайте {}",
                    display_path(&out)
                );
                eprintln!("  подсказка: имя управления — это имя его папки в content/");
            }
            _ => {
                eprintln!(
                    "ошибка: поисковый индекс не найден в {}",
                    display_path(&dir)
                );
                eprintln!("  подсказка: сначала соберите сайт: metodist build");
            }
        }
        return ExitCode::FAILURE;
    }
    let hits = match index::open_index(&dir)
        .and_then(|i| index::search(&i, query, kind, None, limit.max(1)))
    {
        Ok(h) => h,
        Err(e) => {
            eprintln!(
                "ошибка: не удалось прочитать поисковый индекс {}: {e}",
                display_path(&dir)
            );
            eprintln!("  подсказка: пересоберите сайт: metodist build");
            return ExitCode::FAILURE;
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&hits).unwrap_or_default()
        );
        return ExitCode::SUCCESS;
    }
    if hits.is_empty() {
        eprintln!("ничего не найдено по запросу «{query}»");
        return ExitCode::SUCCESS;
    }
    let color = std::io::stdout().is_terminal();
    let (on, off) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    for (i, h) in hits.iter().enumerate() {
        let url = if department.is_some() {
            h.url.clone()
        } else {
            format!("{}/{}", h.department, h.url)
        };
        println!("{}. {} [{}] {:.2}", i + 1, h.title, h.kind_label, h.score);
        println!("   {url}");
        let snippet =
            crate::text::unescape_html(&h.snippet.replace("<b>", on).replace("</b>", off));
        if !snippet.trim().is_empty() {
            println!("   {}", snippet.trim());
        }
    }
    ExitCode::SUCCESS
}
