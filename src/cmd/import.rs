//! `metodist import roadmap FILE --department D [--out PATH] [--force] [--header-line N]
//! [--columns LIST] [--sections-from-column N] [--dry-run]`

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::display_path;
use crate::import::{Imported, Options};

/// The options that steer the import.
#[derive(Debug, Default)]
pub struct Steer {
    pub header_line: Option<usize>,
    pub columns: Option<String>,
    pub sections_from_column: Option<usize>,
    pub dry_run: bool,
}

/// What `--dry-run` prints: the act's details, then every section with its events and each
/// event's cells.
pub fn dry_run_text(im: &Imported) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "утверждение: {}", im.roadmap.document.sentence());
    let missing = im.roadmap.document.missing();
    if !missing.is_empty() {
        let _ = writeln!(
            o,
            "не хватает реквизитов: {} (файл будет черновиком)",
            missing
                .iter()
                .map(|f| format!("document.{f}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for s in &im.roadmap.sections {
        let no = s.no.as_deref().map(|n| format!("{n} ")).unwrap_or_default();
        let _ = writeln!(
            o,
            "\nраздел: {no}{} ({} {})",
            s.title,
            s.events.len(),
            crate::text::plural(
                s.events.len(),
                ["мероприятие", "мероприятия", "мероприятий"]
            )
        );
        for e in &s.events {
            let _ = writeln!(
                o,
                "  - {}{}",
                e.no.as_deref().map(|n| format!("{n} ")).unwrap_or_default(),
                e.title
            );
            if let Some(d) = &e.deadline {
                let _ = writeln!(o, "      срок: {d}");
            }
            if !e.executors.is_empty() {
                let _ = writeln!(o, "      исполнители: {}", e.executors.join("; "));
            }
            if let Some(r) = &e.result {
                let _ = writeln!(o, "      результат: {r}");
            }
            if let Some(r) = &e.report {
                let _ = writeln!(o, "      отчёт: {r}");
            }
            if let Some(d) = &e.done {
                let _ = writeln!(o, "      выполнено: {d:?}");
            }
        }
    }
    o
}

pub fn roadmap(
    root: &Path,
    file: &Path,
    department: &str,
    out: Option<PathBuf>,
    force: bool,
    steer: &Steer,
) -> ExitCode {
    let columns = match steer
        .columns
        .as_deref()
        .map(crate::import::columns::parse_list)
    {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            eprintln!("ошибка: --columns: {e}");
            eprintln!("  подсказка: например: --columns \"№,мероприятие,начало,окончание,исполнители,результат\"");
            return ExitCode::from(2);
        }
    };
    let opts = Options {
        header_line: steer.header_line,
        columns,
        sections_from_column: steer.sections_from_column,
    };
    if !crate::slug::is_valid_slug(department) {
        eprintln!(
            "ошибка: имя управления «{department}» не годится: это имя папки в content/ латиницей"
        );
        eprintln!(
            "  подсказка: например: --department {}",
            crate::slug::slugify(department)
        );
        return ExitCode::from(2);
    }
    let dept_dir = root.join("content").join(department);
    if out.is_none() && !steer.dry_run && !dept_dir.join("department.yaml").exists() {
        eprintln!(
            "ошибка: управление {} не найдено (нет файла department.yaml)",
            display_path(&dept_dir)
        );
        eprintln!("  подсказка: создайте его командой: metodist new {department}; или укажите файл результата: --out ПУТЬ");
        return ExitCode::FAILURE;
    }
    let imported = match crate::import::import_roadmap_with(file, file, &opts) {
        Ok(i) => i,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let target = out.unwrap_or_else(|| {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let slug = crate::slug::slugify(&stem);
        let slug = if slug.is_empty() {
            "plan".to_string()
        } else {
            slug
        };
        dept_dir.join("roadmaps").join(format!("{slug}.md"))
    });
    eprint!("{}", crate::import::report::summary(&imported));
    for w in &imported.warnings {
        eprintln!("{w}");
    }
    if steer.dry_run {
        print!("{}", dry_run_text(&imported));
        eprintln!("проверка (--dry-run): ничего не записано");
        return ExitCode::SUCCESS;
    }
    if target.exists() && !force {
        eprintln!(
            "ошибка: файл {} уже существует; ничего не записано",
            display_path(&target)
        );
        eprintln!("  подсказка: чтобы заменить его, добавьте --force; или выберите другой путь: --out ПУТЬ");
        return ExitCode::FAILURE;
    }
    let write = write_file(&target, imported.text.as_bytes());
    if let Err(e) = write {
        eprintln!("ошибка: не удалось записать {}: {e}", display_path(&target));
        return ExitCode::FAILURE;
    }
    eprintln!("записано: {}", display_path(&target));
    if imported.roadmap.draft {
        eprintln!(
            "это черновик (draft: true): впишите недостающие реквизиты ({}) и удалите строку draft",
            imported
                .roadmap
                .document
                .missing()
                .iter()
                .map(|f| format!("document.{f}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    eprintln!("дальше: сверьте файл с документом и запустите metodist check");
    ExitCode::SUCCESS
}

/// Writes through a temporary file in the same folder, so a failed write leaves no half file.
fn write_file(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}
