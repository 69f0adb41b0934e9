//! Stage 1: read the content tree into typed documents.
//!
//! `load` walks `content/`, reads each file (rejecting what is not UTF-8 with advice on how to
//! convert it), splits the YAML front matter from the Markdown body, and deserializes the front
//! matter into the structs of [`crate::model`]. Every problem becomes a [`Diagnostic`] with file
//! and line; a file that cannot be read or parsed is left out so that later stages see only
//! well-formed data, and the build stops before writing anything.

pub mod front_matter;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::model::{Config, Contest, Department, Mentoring, Page, Practice, Roadmap};
use yaml::LineIndex;

/// Largest content file accepted (bytes). Larger files are almost certainly a mistake (a
/// pasted binary, a log) and would make the build slow for everyone.
const MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// A Markdown content file: its front matter, body and where things are in the source.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    /// Path relative to the project root (`content/vidyaevo/roadmaps/plan.md`).
    pub source: PathBuf,
    /// Path relative to the department folder, with `/` (`roadmaps/plan.md`).
    pub local: String,
    /// File name without extension.
    pub stem: String,
    pub meta: T,
    /// The Markdown body, when it is kept in memory. Practices do not keep theirs (a bank of
    /// 100 000 practices holds about a gigabyte of Markdown): [`body_of`] reads it again.
    pub body: Option<String>,
    /// What checking the body needs, found when it was read, when the body is not kept.
    pub scanned: Option<crate::markdown::Scanned>,
    /// Line of the source file where the body starts (1-based).
    pub body_line: usize,
    /// Lines of the front matter fields, for diagnostics of later stages.
    pub lines: LineIndex,
    /// Hash of the file's text: equal stamps, equal documents (`metodist serve` reuses the
    /// site model of documents that did not change).
    pub stamp: u64,
}

/// One department folder, loaded.
#[derive(Debug, Clone)]
pub struct DepartmentSource {
    /// Folder name under `content/` (the site's URL name).
    pub slug: String,
    /// `content/<slug>` relative to the project root.
    pub dir: PathBuf,
    pub info: Department,
    pub info_lines: LineIndex,
    pub roadmaps: Vec<Doc<Roadmap>>,
    pub practices: Vec<Doc<Practice>>,
    pub contests: Vec<Doc<Contest>>,
    pub mentoring: Vec<Doc<Mentoring>>,
    pub pages: Vec<Doc<Page>>,
    /// Files under `files/`, relative to the department folder (`files/plan.pdf`), sorted.
    pub files: Vec<String>,
}

/// The whole project as read from disk.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    /// Lines of `metodist.yaml`'s fields.
    pub config_lines: LineIndex,
    pub departments: Vec<DepartmentSource>,
}

/// The content types, by folder name.
pub(crate) const KINDS: [&str; 5] = ["roadmaps", "practices", "contests", "mentoring", "pages"];

/// Names the portal itself uses at the top of the site (`public/search/`, `public/static/`, the
/// preview server's `/api/` and `/__metodist/`, `index.html`, `404.html`): a department folder of
/// that name would lose its home page or overwrite the portal's, so it is refused.
pub(crate) const RESERVED_TOP_LEVEL: [&str; 8] = [
    "search",
    "static",
    "api",
    "__metodist",
    "index",
    "404",
    "sitemap",
    "robots",
];

/// Reads `metodist.yaml` and every department under `content/`. Problems go to `diags`.
pub(crate) fn load_project(root: &Path, diags: &Diagnostics) -> Project {
    let (config, config_lines) = load_config(root, diags);
    let content = root.join("content");
    let mut departments = Vec::new();
    match std::fs::read_dir(&content) {
        Err(_) => diags.push(
            Diagnostic::error("content", "папка content/ не найдена")
                .hint("запустите команду в папке проекта или укажите её: --root ПАПКА; новый проект: metodist new ИМЯ"),
        ),
        Ok(entries) => {
            let mut dirs: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
                .map(|e| e.path())
                .collect();
            dirs.sort();
            for dir in dirs {
                if let Some(d) = load_department(root, &dir, diags) {
                    // Two folders that differ only in case would be one folder on Windows and
                    // on most hostings' file systems.
                    let clash = departments
                        .iter()
                        .find(|o: &&DepartmentSource| o.slug.to_lowercase() == d.slug.to_lowercase());
                    if let Some(other) = clash {
                        diags.push(
                            Diagnostic::error(
                                &d.dir,
                                format!(
                                    "папка управления совпадает с «{}» без учёта регистра букв",
                                    display_path(&other.dir)
                                ),
                            )
                            .hint("на Windows и на хостинге это была бы одна папка: переименуйте или объедините их"),
                        );
                        continue;
                    }
                    departments.push(d);
                }
            }
            if departments.is_empty() && !diags.has_errors() {
                diags.push(
                    Diagnostic::error("content", "в папке content/ нет ни одного управления")
                        .hint("создайте его командой: metodist new ИМЯ"),
                );
            }
        }
    }
    Project {
        root: root.to_path_buf(),
        config,
        config_lines,
        departments,
    }
}

/// Reads `metodist.yaml` (defaults when it is absent or empty).
fn load_config(root: &Path, diags: &Diagnostics) -> (Config, LineIndex) {
    let path = root.join("metodist.yaml");
    if !path.exists() {
        return Default::default();
    }
    let rel = PathBuf::from("metodist.yaml");
    let Some(text) = read_text(&path, &rel, diags) else {
        return Default::default();
    };
    if text.trim().is_empty() {
        return Default::default();
    }
    parse_yaml::<Config>(&text, &rel, 0, diags).unwrap_or_default()
}

/// Reads one department folder (`dir` is absolute or relative to the working folder).
pub(crate) fn load_department(
    root: &Path,
    dir: &Path,
    diags: &Diagnostics,
) -> Option<DepartmentSource> {
    let name = dir.file_name()?.to_string_lossy().to_string();
    let rel_dir = relative(root, dir);
    if name.starts_with('.') || name.starts_with('_') {
        return None;
    }
    let info_path = dir.join("department.yaml");
    let info_rel = rel_dir.join("department.yaml");
    if !info_path.exists() {
        diags.push(
            Diagnostic::error(&rel_dir, "в папке управления нет файла department.yaml")
                .hint("создайте его (см. README, раздел «department.yaml») или начните с: metodist new ИМЯ"),
        );
        return None;
    }
    if std::fs::symlink_metadata(&info_path).is_ok_and(|m| m.file_type().is_symlink()) {
        // Followed, it could read any file of the machine and quote it in an error message.
        diags.push(
            Diagnostic::error(
                &info_rel,
                "символическая ссылка в папке содержимого не допускается",
            )
            .hint("скопируйте сам файл вместо ссылки на него"),
        );
        return None;
    }
    let slug = if crate::slug::is_windows_reserved(&name) {
        diags.push(
            Diagnostic::error(&rel_dir, format!("имя папки «{name}» зарезервировано в Windows"))
                .hint("такую папку нельзя создать или загрузить с компьютера на Windows; переименуйте её латиницей, например uo-".to_string() + &name.to_lowercase()),
        );
        return None;
    } else if crate::slug::is_valid_slug(&name) {
        name.clone()
    } else {
        let s = crate::slug::slugify(&name);
        diags.push(
            Diagnostic::warning(
                &rel_dir,
                format!("имя папки «{name}» не годится для адреса сайта; будет использовано «{s}»"),
            )
            .hint("переименуйте папку латиницей, например: ".to_string() + &s),
        );
        s
    };
    if RESERVED_TOP_LEVEL.contains(&slug.to_lowercase().as_str()) {
        diags.push(
            Diagnostic::error(
                &rel_dir,
                format!("имя папки «{name}» занято самим сайтом: по адресу /{slug}/ находится общая часть портала"),
            )
            .hint(format!("переименуйте папку управления, например: uo-{slug}")),
        );
        return None;
    }
    let text = read_text(&info_path, &info_rel, diags)?;
    let (info, info_lines) = parse_yaml::<Department>(&text, &info_rel, 0, diags)?;

    let mut dept = DepartmentSource {
        slug,
        dir: rel_dir.clone(),
        info,
        info_lines,
        roadmaps: Vec::new(),
        practices: Vec::new(),
        contests: Vec::new(),
        mentoring: Vec::new(),
        pages: Vec::new(),
        files: Vec::new(),
    };

    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        for n in names {
            let known = KINDS.contains(&n.as_str())
                || n == "files"
                || n == "feeds"
                || n == "department.yaml";
            if !known && !n.starts_with('.') {
                let suggestion =
                    crate::spelling::did_you_mean(&n, KINDS.iter().copied().chain(["files"]));
                let mut d = Diagnostic::warning(
                    rel_dir.join(&n),
                    "неизвестная папка или файл в папке управления; пропущено",
                );
                d = d.hint(match suggestion {
                    Some(s) => format!("возможно, имелось в виду `{s}`"),
                    None => "содержимое кладётся в roadmaps/, practices/, contests/, mentoring/, pages/, files/".into(),
                });
                diags.push(d);
            }
        }
    }

    dept.roadmaps = load_docs(root, &dir.join("roadmaps"), dir, diags);
    dept.practices = load_docs_without_bodies(root, &dir.join("practices"), dir, diags);
    dept.contests = load_docs(root, &dir.join("contests"), dir, diags);
    dept.mentoring = load_docs(root, &dir.join("mentoring"), dir, diags);
    dept.pages = load_docs(root, &dir.join("pages"), dir, diags);
    dept.files = list_files(root, &dir.join("files"), dir, diags);
    Some(dept)
}

/// Every regular file under `dir` with the given extension, sorted; symlinks are refused.
fn walk(
    root: &Path,
    dir: &Path,
    diags: &Diagnostics,
    want: impl Fn(&Path) -> bool,
) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| relative(root, dir));
                diags.push(Diagnostic::error(p, format!("не удалось прочитать: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.starts_with('~') {
            continue;
        }
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::error(
                    relative(root, entry.path()),
                    "символическая ссылка в папке содержимого не допускается",
                )
                .hint("скопируйте сам файл вместо ссылки на него"),
            );
            continue;
        }
        let kind = entry.file_type();
        if kind.is_file() && want(entry.path()) {
            out.push(entry.into_path());
        } else if !kind.is_file() && !kind.is_dir() && want(entry.path()) {
            // A FIFO, a socket or a device node: never opened (reading could block forever or
            // never end), but named, so that the user knows why it is not on the site.
            diags.push(ReadError::NotRegular.diagnostic(&relative(root, entry.path())));
        }
    }
    out
}

/// Every file under a department's `files/`, department-local, sorted.
pub(crate) fn list_files(
    root: &Path,
    dir: &Path,
    dept_dir: &Path,
    diags: &Diagnostics,
) -> Vec<String> {
    walk(root, dir, diags, |_| true)
        .into_iter()
        .map(|p| crate::diagnostics::display_path(p.strip_prefix(dept_dir).unwrap_or(&p)))
        .collect()
}

fn load_docs<T: DeserializeOwned + Send>(
    root: &Path,
    dir: &Path,
    dept_dir: &Path,
    diags: &Diagnostics,
) -> Vec<Doc<T>> {
    load_docs_keeping(root, dir, dept_dir, diags, true)
}

/// [`load_docs`] without keeping the bodies (see [`Doc::body`]).
fn load_docs_without_bodies<T: DeserializeOwned + Send>(
    root: &Path,
    dir: &Path,
    dept_dir: &Path,
    diags: &Diagnostics,
) -> Vec<Doc<T>> {
    load_docs_keeping(root, dir, dept_dir, diags, false)
}

fn load_docs_keeping<T: DeserializeOwned + Send>(
    root: &Path,
    dir: &Path,
    dept_dir: &Path,
    diags: &Diagnostics,
    keep_body: bool,
) -> Vec<Doc<T>> {
    let paths = walk(root, dir, diags, |p| {
        let md = p
            .extension()
            .map(|e| e.eq_ignore_ascii_case("md"))
            .unwrap_or(false);
        if !md {
            diags.push(
                Diagnostic::warning(relative(root, p), "не файл Markdown (.md); пропущено")
                    .hint("вложения кладите в папку files/ управления"),
            );
        }
        md
    });
    paths
        .par_iter()
        .filter_map(|path| load_doc_keeping(root, path, dept_dir, diags, keep_body))
        .collect()
}

/// Reads one content file (`path` under the department folder `dept_dir`). `None`, with the
/// problem in `diags`, when it cannot be read or parsed.
pub(crate) fn load_doc<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    dept_dir: &Path,
    diags: &Diagnostics,
) -> Option<Doc<T>> {
    load_doc_keeping(root, path, dept_dir, diags, true)
}

fn load_doc_keeping<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    dept_dir: &Path,
    diags: &Diagnostics,
    keep_body: bool,
) -> Option<Doc<T>> {
    let rel = relative(root, path);
    let text = read_text(path, &rel, diags)?;
    let split = match front_matter::split(&text) {
        Ok(s) => s,
        Err(e) => {
            diags.push(
                Diagnostic::error(&rel, e.message)
                    .at_line(Some(e.line))
                    .hint(e.hint),
            );
            return None;
        }
    };
    let (meta, lines) = parse_yaml::<T>(split.yaml, &rel, split.yaml_line - 1, diags)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let local = crate::diagnostics::display_path(path.strip_prefix(dept_dir).unwrap_or(path));
    let stamp = stamp_of(&text);
    let (body, scanned) = match keep_body {
        true => (Some(split.body.to_string()), None),
        false => (
            None,
            Some(crate::markdown::scan(split.body, &rel, split.body_line)),
        ),
    };
    Some(Doc {
        source: rel,
        local,
        stem,
        meta,
        body,
        scanned,
        body_line: split.body_line,
        lines,
        stamp,
    })
}

/// Hash of a content file's text ([`Doc::stamp`]).
fn stamp_of(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

/// The body of `doc`: the one kept in memory, or read again from its file.
pub(crate) fn body_of<'a, T>(
    root: &Path,
    doc: &'a Doc<T>,
) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
    match &doc.body {
        Some(b) => Ok(std::borrow::Cow::Borrowed(b)),
        None => read_body(root, &doc.source, doc.stamp).map(std::borrow::Cow::Owned),
    }
}

/// Reads the body of the content file `source` (relative to `root`) again. The file must be as
/// it was when loaded (`stamp`): otherwise the pages would show text that was not checked, and
/// the build stops with an error (the previous site stays in place).
pub(crate) fn read_body(root: &Path, source: &Path, stamp: u64) -> Result<String, Diagnostic> {
    let changed = || {
        Diagnostic::error(source, "файл изменился во время сборки")
            .hint("запустите сборку ещё раз, когда правка будет сохранена")
    };
    let diags = Diagnostics::new();
    let Some(text) = read_text(&root.join(source), source, &diags) else {
        return Err(diags
            .into_sorted()
            .into_iter()
            .next()
            .unwrap_or_else(changed));
    };
    if stamp_of(&text) != stamp {
        return Err(changed());
    }
    match front_matter::split(&text) {
        Ok(split) => Ok(split.body.to_string()),
        Err(_) => Err(changed()),
    }
}

/// `path` relative to `root`, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Reads a text file: UTF-8 (a BOM is dropped), CRLF turned into LF. Anything else is an error
/// that says how to fix it.
fn read_text(path: &Path, rel: &Path, diags: &Diagnostics) -> Option<String> {
    match read_limited(path, MAX_FILE_SIZE) {
        Ok(bytes) => match decode(&bytes) {
            Ok(text) => Some(text),
            Err((line, message, hint)) => {
                diags.push(
                    Diagnostic::error(rel, message)
                        .at_line(Some(line))
                        .hint(hint),
                );
                None
            }
        },
        Err(e) => {
            diags.push(e.diagnostic(rel));
            None
        }
    }
}

/// Why [`read_limited`] refused a file.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Not a regular file: a folder, a FIFO, a device such as `/dev/zero`, a socket.
    NotRegular,
    /// Larger than the limit (in bytes): `size` is the size on disk when that told, `None`
    /// when the file turned out larger while being read.
    TooLarge { size: Option<u64>, limit: u64 },
    /// The operating system's error.
    Io(std::io::Error),
}

impl ReadError {
    /// The refusal as a Russian diagnostic for the file `rel`.
    pub(crate) fn diagnostic(&self, rel: &Path) -> Diagnostic {
        match self {
            ReadError::NotRegular => Diagnostic::error(
                rel,
                "это не обычный файл (папка, канал или устройство): такие файлы не читаются",
            )
            .hint("положите на это место обычный текстовый файл или удалите его"),
            ReadError::TooLarge { size, limit } => Diagnostic::error(
                rel,
                match size {
                    Some(size) => format!(
                        "файл слишком велик ({} МБ, допустимо до {} МБ)",
                        size >> 20,
                        limit >> 20
                    ),
                    None => format!("файл слишком велик (больше {} МБ)", limit >> 20),
                },
            )
            .hint(
                "разделите текст на несколько материалов, а большие документы положите в files/ \
                 как вложения",
            ),
            ReadError::Io(e) => Diagnostic::error(rel, format!("не удалось прочитать файл: {e}")),
        }
    }
}

/// Reads at most `limit` bytes of the regular file `path`. Anything that is not a regular file
/// (a FIFO would block forever, `/dev/zero` would fill the memory) is refused before it is
/// opened for reading, and the limit is checked while reading, not only against the size the
/// file system reports (which a growing file or a special file can belie).
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The file may have been swapped for something else between the two calls.
    if !file.metadata().map_err(ReadError::Io)?.is_file() {
        return Err(ReadError::NotRegular);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// Decodes file bytes as UTF-8, dropping a BOM and normalizing line ends. On failure returns
/// the line of the first bad byte and a message; Windows-1251 text is recognized by name.
pub fn decode(bytes: &[u8]) -> Result<String, (usize, String, String)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err((
            1,
            "файл в кодировке UTF-16, а нужна UTF-8".into(),
            "пересохраните файл в кодировке UTF-8 (в Блокноте: «Сохранить как» → «Кодировка: UTF-8»)".into(),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            if s.contains('\0') {
                let line = s[..s.find('\0').unwrap_or(0)].matches('\n').count() + 1;
                return Err((
                    line,
                    "файл содержит нулевые байты: похоже, это не текст".into(),
                    "проверьте, что это текстовый файл Markdown или YAML".into(),
                ));
            }
            Ok(if s.contains('\r') {
                s.replace("\r\n", "\n").replace('\r', "\n")
            } else {
                s.to_string()
            })
        }
        Err(e) => {
            let good = e.valid_up_to();
            let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() + 1;
            let high = bytes.iter().filter(|&&b| b >= 0xC0).count();
            let looks_1251 = high > 0 && bytes.iter().filter(|&&b| b >= 0x80).count() * 2 > high;
            if looks_1251 {
                Err((
                    line,
                    "файл не в кодировке UTF-8: похоже, это Windows-1251 (так сохраняют Word и старый Блокнот)".into(),
                    "пересохраните его в UTF-8: в Блокноте «Сохранить как» → «Кодировка: UTF-8»; или командой: iconv -f cp1251 -t utf-8 ФАЙЛ > НОВЫЙ".into(),
                ))
            } else {
                Err((
                    line,
                    "файл не в кодировке UTF-8".into(),
                    "пересохраните файл в кодировке UTF-8".into(),
                ))
            }
        }
    }
}

/// Parses YAML text into `T`, turning serde's English messages into Russian diagnostics with
/// the line in the source file (`line_offset` = lines before the YAML in that file).
pub fn parse_yaml<T: DeserializeOwned>(
    yaml: &str,
    rel: &Path,
    line_offset: usize,
    diags: &Diagnostics,
) -> Option<(T, LineIndex)> {
    let lines = match LineIndex::build(yaml, line_offset) {
        Ok(l) => l,
        Err(problem) => {
            diags.push(problem.diagnostic(rel));
            return None;
        }
    };
    if let Some((path, line, first)) = lines.duplicates.first() {
        let name = path.rsplit('.').next().unwrap_or(path);
        diags.push(
            Diagnostic::error(
                rel,
                format!("поле `{name}` указано дважды (повтор; первый раз — строка {first})"),
            )
            .at_line(Some(*line))
            .field(path.clone())
            .hint("оставьте одно из значений и удалите другое"),
        );
        return None;
    }
    match serde_yaml::from_str::<T>(yaml) {
        Ok(v) => Some((v, lines)),
        Err(e) => {
            diags.push(yaml::translate_error(&e, rel, line_offset, &lines));
            None
        }
    }
}
