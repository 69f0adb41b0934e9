//! `metodist import roadmap FILE --department D [--out PATH] [--force]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::display_path;

pub fn roadmap(
    root: &Path,
    file: &Path,
    department: &str,
    out: Option<PathBuf>,
    force: bool,
) -> ExitCode {
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
    if out.is_none() && !dept_dir.join("department.yaml").exists() {
        eprintln!(
            "ошибка: управление {} не найдено (нет файла department.yaml)",
            display_path(&dept_dir)
        );
        eprintln!("  подсказка: создайте его командой: metodist new {department}; или укажите файл результата: --out ПУТЬ");
        return ExitCode::FAILURE;
    }
    let imported = match crate::import::import_roadmap(file, file) {
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
            "это черновик (draft: true): впишите недостающие реквизиты акта и удалите строку draft"
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
