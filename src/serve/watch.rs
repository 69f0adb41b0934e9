//! Watching the project for changes (notify), debounced: editors write a file several times
//! per save (a backup, the file, its metadata), and one save must make one rebuild.
//!
//! A file still open for writing is not read half-written: where the system says when a
//! writer closes a file (Linux), a batch with a file written and not yet closed waits for
//! its close, up to [`WRITE_WAIT`] after the last change.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// A batch is closed once no event came for this long.
pub const QUIET: Duration = Duration::from_millis(30);
/// …or after this long, whatever keeps writing.
const LONGEST: Duration = Duration::from_millis(1000);
/// Longest wait for a file written and not closed yet, counted from its last change.
pub const WRITE_WAIT: Duration = Duration::from_secs(10);

/// Watches `content/`, `themes/`, `templates/` and `metodist.yaml` of a project.
pub struct Watcher {
    _watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    /// Files written and not closed yet, with the time of their last change.
    writing: HashMap<PathBuf, Instant>,
}

impl Watcher {
    pub fn start(root: &Path) -> Result<Watcher, String> {
        let root = root
            .canonicalize()
            .map_err(|e| format!("папка проекта {}: {e}", root.display()))?;
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |res| {
            let _ = tx.send(res);
        })
        .map_err(|e| format!("не удалось следить за файлами: {e}"))?;
        // The root itself without recursion (metodist.yaml, and themes/ or templates/ created
        // later); the folders with recursion.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("не удалось следить за {}: {e}", root.display()))?;
        for dir in ["content", "themes", "templates", "static"] {
            let p = root.join(dir);
            if p.is_dir() {
                watcher
                    .watch(&p, RecursiveMode::Recursive)
                    .map_err(|e| format!("не удалось следить за {}: {e}", p.display()))?;
            }
        }
        Ok(Watcher {
            _watcher: watcher,
            rx,
            root,
            writing: HashMap::new(),
        })
    }

    /// Waits for the next batch of changes; paths relative to the project root. `None` when
    /// the watcher stopped.
    pub fn next_batch(&mut self) -> Option<BTreeSet<PathBuf>> {
        let mut batch = BTreeSet::new();
        loop {
            let ev = self.rx.recv().ok()?;
            self.add(ev, &mut batch);
            if !batch.is_empty() {
                break;
            }
        }
        let started = Instant::now();
        loop {
            // Files whose writer went quiet for too long count as written.
            self.writing.retain(|_, last| last.elapsed() < WRITE_WAIT);
            let writing = !self.writing.is_empty();
            if !writing && started.elapsed() >= LONGEST {
                break;
            }
            match self.rx.recv_timeout(QUIET) {
                Ok(ev) => self.add(ev, &mut batch),
                Err(RecvTimeoutError::Timeout) if writing => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    fn add(&mut self, ev: notify::Result<notify::Event>, batch: &mut BTreeSet<PathBuf>) {
        let Ok(ev) = ev else {
            // Lost events (queue overflow): rebuild everything to be safe.
            batch.insert(PathBuf::from("metodist.yaml"));
            return;
        };
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        match ev.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) | EventKind::Remove(_) => {
                for p in &ev.paths {
                    self.writing.remove(p);
                }
            }
            EventKind::Modify(ModifyKind::Data(_)) | EventKind::Create(CreateKind::File) => {
                for p in &ev.paths {
                    if p.strip_prefix(&self.root).is_ok_and(relevant) {
                        self.writing.insert(p.clone(), Instant::now());
                    }
                }
            }
            EventKind::Modify(ModifyKind::Name(_)) => {
                // Renamed: whatever was written under the old name is complete.
                for p in &ev.paths {
                    self.writing.remove(p);
                }
            }
            EventKind::Access(_) => return,
            _ => {}
        }
        for p in ev.paths {
            let Ok(rel) = p.strip_prefix(&self.root) else {
                continue;
            };
            if relevant(rel) {
                if ["themes", "templates", "static", "content"]
                    .iter()
                    .any(|d| rel == Path::new(d))
                {
                    // A watched folder appeared (or went): watch it from now on.
                    let _ = self._watcher.watch(&p, RecursiveMode::Recursive);
                }
                batch.insert(rel.to_path_buf());
            }
        }
    }
}

/// Whether a change of `rel` (relative to the project root) matters: inside the watched
/// folders, and not an editor's temporary or backup file.
pub fn relevant(rel: &Path) -> bool {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .unwrap_or_default();
    if !matches!(
        first.as_str(),
        "content" | "themes" | "templates" | "static" | "metodist.yaml"
    ) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    !is_temporary(&name)
}

/// Editors' temporary files: `x.md~`, `.#x.md`, `.x.md.swp`, vim's `4913`, `~$x.docx`, `x.tmp`.
pub fn is_temporary(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || name.starts_with("~$")
        || name.starts_with('#') && name.ends_with('#')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".crdownload",
            ".part",
        ]
        .iter()
        .any(|e| name.ends_with(e))
        || name.contains(".goutputstream-")
        || name.starts_with(".") && name != "."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_temporary_files_and_other_folders() {
        assert!(relevant(Path::new("content/v/practices/a.md")));
        assert!(relevant(Path::new("metodist.yaml")));
        assert!(relevant(Path::new("themes/default/templates/base.html")));
        assert!(!relevant(Path::new("public/index.html")));
        assert!(!relevant(Path::new("content/v/practices/a.md~")));
        assert!(!relevant(Path::new("content/v/practices/.a.md.swp")));
        assert!(!relevant(Path::new("content/v/practices/.#a.md")));
        assert!(!relevant(Path::new("content/v/practices/4913")));
        assert!(!relevant(Path::new("content/v/files/~$plan.docx")));
    }
}
