//! Last stage: writing the site so that `public/` is always either the old site or the new one.
//!
//! Everything is written into a staging folder next to the output folder (same file system),
//! and only a complete build replaces the old output: on Linux with one atomic
//! `renameat2(RENAME_EXCHANGE)`, elsewhere with two renames. A build that fails or is killed
//! leaves the previous site untouched; its staging folder is removed on the next build.
//! The output folder carries a marker file, and `build` refuses to replace a non-empty folder
//! without it, so a mistaken `--out ~/Documents` cannot wipe anything.
//!
//! One build at a time per output folder: a build holds an exclusive lock on
//! `.<name>.metodist-lock` beside the output from before it touches any staging folder until it
//! ends (the operating system releases it on any exit, a kill included). A second build on the
//! same output waits for the first, so it can never remove or write into a live build's staging
//! folder. An output folder that is a symbolic link (to the web root, say) is built into the
//! folder it points to, and the link stays.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::display_path;

/// Marker file written into every output folder metodist creates.
const MARKER: &str = ".metodist-output";

/// Where the outputs put their files: paths are relative, with `/`.
pub trait Sink: Sync {
    /// Writes `bytes` as the file `rel`.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError>;
    /// Writes the file `rel` with `write`, through a buffer (for large files made piece by piece).
    fn write_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), OutputError>;
    /// Copies the file `src` to `rel`.
    fn copy(&self, src: &Path, rel: &str) -> Result<(), OutputError>;
    /// The folder on disk the files go to, for writers that need real files (the search
    /// index); `None` for a sink in memory.
    fn folder(&self) -> Option<&Path>;
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        Staging::write(self, rel, bytes)
    }

    fn write_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        Staging::write_with(self, rel, |w| write(w))
    }

    fn copy(&self, src: &Path, rel: &str) -> Result<(), OutputError> {
        Staging::copy(self, src, rel)
    }

    fn folder(&self) -> Option<&Path> {
        Some(&self.dir)
    }
}

/// A sink that keeps the files in memory (for tests, and for previews of single outputs).
#[derive(Default)]
pub struct Memory {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Memory {
    /// The files written, by path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<(), OutputError> {
        check_rel(rel)?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), bytes);
        Ok(())
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.put(rel, bytes.to_vec())
    }

    fn write_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| OutputError::io("не удалось записать", Path::new(rel), e))?;
        self.put(rel, bytes)
    }

    fn copy(&self, src: &Path, rel: &str) -> Result<(), OutputError> {
        let bytes =
            std::fs::read(src).map_err(|e| OutputError::io("не удалось скопировать", src, e))?;
        self.put(rel, bytes)
    }

    fn folder(&self) -> Option<&Path> {
        None
    }
}

/// A folder being filled with a new site.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Held (locked) until the build ends: see the module's documentation.
    _lock: std::fs::File,
}

fn staging_prefix(target: &Path) -> String {
    format!(
        ".{}.metodist-",
        target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into())
    )
}

/// Why the output could not be written.
#[derive(Debug)]
pub struct OutputError {
    pub message: String,
    pub hint: String,
}

impl OutputError {
    fn io(what: &str, path: &Path, e: io::Error) -> Self {
        OutputError {
            message: format!("{what} {}: {e}", display_path(path)),
            hint: "проверьте, что папка доступна для записи и на диске есть место".into(),
        }
    }
}

impl Staging {
    /// Prepares a staging folder for `target`. Refuses a non-empty `target` that metodist did
    /// not create. Removes staging folders left by interrupted builds.
    pub fn create(target: &Path) -> Result<Self, OutputError> {
        let target = resolve_link(&absolute(target))?;
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent)
            .map_err(|e| OutputError::io("не удалось создать папку", &parent, e))?;
        let prefix = staging_prefix(&target);
        // Refusals first: they write nothing, not even the lock file.
        if target.exists() {
            if !target.is_dir() {
                return Err(OutputError {
                    message: format!("{} — это файл, а не папка", display_path(&target)),
                    hint: "укажите другую папку вывода: --out ПАПКА".into(),
                });
            }
            let empty = std::fs::read_dir(&target)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty && !target.join(MARKER).exists() {
                return Err(OutputError {
                    message: format!(
                        "папка {} не пуста и создана не metodist; сборка не станет её заменять",
                        display_path(&target)
                    ),
                    hint: "укажите пустую или новую папку: --out ПАПКА, или удалите эту папку сами"
                        .into(),
                });
            }
        }
        let lock = lock_output(&parent.join(format!("{prefix}lock")), &target)?;
        // Leftovers of killed builds. A folder named `…old` may hold the previous site if we
        // were killed between the two renames of the non-atomic swap: restore it first.
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if let Some(rest) = name.strip_prefix(&prefix) {
                    if rest == "lock" {
                        continue;
                    }
                    if rest.ends_with("-old") && !target.exists() {
                        let _ = std::fs::rename(e.path(), &target);
                    } else {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
        }
        let dir = parent.join(format!("{prefix}{}-new", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| OutputError::io("не удалось создать папку", &dir, e))?;
        std::fs::write(dir.join(MARKER), b"metodist build output; safe to delete\n")
            .map_err(|e| OutputError::io("не удалось записать", &dir, e))?;
        Ok(Staging {
            dir,
            target,
            committed: false,
            _lock: lock,
        })
    }

    /// The folder being filled.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a relative path with `/`) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.path_of(rel)?;
        in_folder(&path, || std::fs::write(&path, bytes))
            .map_err(|e| OutputError::io("не удалось записать", &path, e))
    }

    /// Writes the file `rel` with `write`, through a buffer (for large files made piece by piece).
    pub(crate) fn write_with(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        use io::Write;
        let path = self.path_of(rel)?;
        let file = in_folder(&path, || std::fs::File::create(&path))
            .map_err(|e| OutputError::io("не удалось записать", &path, e))?;
        let mut w = io::BufWriter::with_capacity(256 * 1024, file);
        write(&mut w)
            .and_then(|_| w.flush())
            .map_err(|e| OutputError::io("не удалось записать", &path, e))
    }

    /// Copies the file `src` to `rel` inside the staging folder.
    pub fn copy(&self, src: &Path, rel: &str) -> Result<(), OutputError> {
        let path = self.path_of(rel)?;
        // A copy, not a hard link: editing the source later must not change the published site.
        in_folder(&path, || std::fs::copy(src, &path))
            .map_err(|e| OutputError::io("не удалось скопировать", src, e))?;
        Ok(())
    }

    fn path_of(&self, rel: &str) -> Result<PathBuf, OutputError> {
        check_rel(rel)?;
        Ok(self.dir.join(rel))
    }

    /// Replaces the output folder with the staging folder.
    pub(crate) fn commit(mut self) -> Result<(), OutputError> {
        if !self.target.exists() {
            std::fs::rename(&self.dir, &self.target)
                .map_err(|e| OutputError::io("не удалось переименовать", &self.dir, e))?;
            self.committed = true;
            return Ok(());
        }
        if exchange(&self.dir, &self.target).is_ok() {
            // `self.dir` now holds the old site.
            let _ = std::fs::remove_dir_all(&self.dir);
            self.committed = true;
            return Ok(());
        }
        let old = self.target.with_file_name(format!(
            "{}{}-old",
            staging_prefix(&self.target),
            std::process::id()
        ));
        std::fs::rename(&self.target, &old)
            .map_err(|e| OutputError::io("не удалось переименовать", &self.target, e))?;
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(OutputError::io("не удалось переименовать", &self.dir, e));
        }
        let _ = std::fs::remove_dir_all(&old);
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A relative output path with `/`, that stays inside the output folder.
fn check_rel(rel: &str) -> Result<(), OutputError> {
    let ok = !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != ".." && s != ".");
    if ok {
        Ok(())
    } else {
        Err(OutputError {
            message: format!("недопустимый путь вывода «{rel}»"),
            hint: "это ошибка metodist; сообщите разработчикам".into(),
        })
    }
}

/// Runs `op`, which creates the file `path`; if its folder does not exist yet, creates the
/// folder and runs `op` again. (Most files go into existing folders: trying first costs no
/// extra system call for them, and nothing has to remember which folders exist.)
fn in_folder<T>(path: &Path, op: impl Fn() -> io::Result<T>) -> io::Result<T> {
    match op() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            op()
        }
        other => other,
    }
}

/// Takes the exclusive lock of the output `target` (the lock file is `path`), waiting, with a
/// message, while another build holds it.
fn lock_output(path: &Path, target: &Path) -> Result<std::fs::File, OutputError> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| OutputError::io("не удалось создать файл блокировки", path, e))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "в папку {} уже собирает сайт другой запуск metodist: жду его окончания…",
                display_path(target)
            );
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(OutputError::io("не удалось заблокировать", path, e))
        }
    }
    file.lock()
        .map_err(|e| OutputError::io("не удалось заблокировать", path, e))?;
    Ok(file)
}

/// The folder an output path that is a symbolic link points to (the link itself is kept, so
/// that a web root reached through it keeps being updated); other paths as they are.
fn resolve_link(target: &Path) -> Result<PathBuf, OutputError> {
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(target).map_err(|e| OutputError {
                message: format!(
                    "папка вывода {} — символическая ссылка, но то, на что она указывает, \
                     недоступно: {e}",
                    display_path(target)
                ),
                hint: "создайте папку, на которую указывает ссылка, или укажите другую папку \
                       вывода: --out ПАПКА"
                    .into(),
            })
        }
        _ => Ok(target.to_path_buf()),
    }
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|c| c.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// Atomically swaps two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::create(&out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");

        let s = Staging::create(&out).unwrap();
        s.write("a/index.html", b"two").unwrap();
        drop(s); // failed build
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");
        let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n != ".public.metodist-lock")
            .collect();
        assert_eq!(leftovers, ["public"], "staging folder removed");

        let s = Staging::create(&out).unwrap();
        s.write("b.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("a/index.html").exists());
        assert!(out.join("b.html").exists());
    }

    #[test]
    fn a_live_build_holds_the_output_lock_until_it_ends() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let lock = tmp.path().join(".public.metodist-lock");
        let busy = || {
            let f = std::fs::OpenOptions::new().write(true).open(&lock).unwrap();
            matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
        };
        let s = Staging::create(&out).unwrap();
        assert!(busy(), "held while the build runs");
        s.write("index.html", b"one").unwrap();
        s.commit().unwrap();
        assert!(!busy(), "released after a commit");
        let s = Staging::create(&out).unwrap();
        assert!(busy());
        drop(s);
        assert!(!busy(), "released after a failed build");
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_symlink_is_built_into_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let www = tmp.path().join("www");
        std::fs::create_dir(&www).unwrap();
        let link = tmp.path().join("public");
        std::os::unix::fs::symlink(&www, &link).unwrap();
        for text in [&b"one"[..], b"two"] {
            let s = Staging::create(&link).unwrap();
            s.write("index.html", text).unwrap();
            s.commit().unwrap();
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            assert_eq!(std::fs::read(www.join("index.html")).unwrap(), text);
        }
        // A link to nothing is an error, not a folder made in its place.
        let dangling = tmp.path().join("dangling");
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).unwrap();
        let err = Staging::create(&dangling).err().expect("refused");
        assert!(
            err.message.contains("символическая ссылка"),
            "{}",
            err.message
        );
        assert!(std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn refuses_foreign_folder_and_bad_paths() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("thesis.docx"), b"x").unwrap();
        let err = Staging::create(tmp.path()).err().expect("refused");
        assert!(err.message.contains("создана не metodist"));
        let out = tmp.path().join("site");
        let s = Staging::create(&out).unwrap();
        assert!(s.write("../x", b"").is_err());
        assert!(s.write("/etc/x", b"").is_err());
    }
}
