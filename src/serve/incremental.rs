//! What a batch of changed files means for the loaded project, and reloading just that.
//!
//! A Markdown file under `content/<department>/<section>/` is reloaded alone; a change in a
//! department's `files/` re-lists its attachments; any other change inside a department folder
//! (its `department.yaml`, a renamed subfolder) reloads that department; a new or removed
//! department, `metodist.yaml`, `themes/` and `templates/` reload everything.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, DepartmentSource, Doc, Project, KINDS};

/// What one changed path asks for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Reload the project and the theme.
    Full,
    /// Reload one department folder (`content/<name>`).
    Department(String),
    /// Re-list the attachments of a department.
    Files(String),
    /// Reload one content file of a department: (folder name, section index in KINDS, path).
    Doc(String, usize, PathBuf),
    /// Something else in a section folder: a subfolder (reload the department) or an editor's
    /// temporary file that is already gone (nothing to do).
    Other(String, PathBuf),
}

/// Classifies a changed path relative to the project root.
pub fn classify(rel: &Path) -> Change {
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_string_lossy().to_string(),
            _ => String::new(),
        })
        .collect();
    if parts.first().map(String::as_str) != Some("content") || parts.iter().any(String::is_empty) {
        return Change::Full;
    }
    match parts.as_slice() {
        [] | [_] | [_, _] => Change::Full,
        [_, dept, section, ..] if section == "files" => Change::Files(dept.clone()),
        [_, dept, section, .., file]
            if parts.len() >= 4 && file.to_ascii_lowercase().ends_with(".md") =>
        {
            match KINDS.iter().position(|k| k == section) {
                Some(kind) => Change::Doc(dept.clone(), kind, rel.to_path_buf()),
                None => Change::Department(dept.clone()),
            }
        }
        [_, dept, section, _, ..] if KINDS.contains(&section.as_str()) => {
            Change::Other(dept.clone(), rel.to_path_buf())
        }
        [_, dept, ..] => Change::Department(dept.clone()),
    }
}

/// Which departments a reload touched (by folder name), or all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    All,
    Departments(BTreeSet<String>),
}

/// The project as loaded, with the loading problems of each file, kept up to date file by file.
pub struct Workspace {
    pub root: PathBuf,
    pub project: Project,
    /// Problems found while loading (by file): they stay until the file is fixed.
    pub load_diags: Vec<Diagnostic>,
}

impl Workspace {
    pub fn load(root: &Path) -> Workspace {
        let diags = Diagnostics::new();
        let project = load::load_project(root, &diags);
        Workspace {
            root: root.to_path_buf(),
            project,
            load_diags: diags.into_sorted(),
        }
    }

    /// Applies a batch of changed paths. Returns what was touched.
    pub fn apply(&mut self, paths: &BTreeSet<PathBuf>) -> Touched {
        let changes: BTreeSet<Change> = paths
            .iter()
            .map(|p| classify(p))
            .filter_map(|c| match c {
                Change::Other(dept, path) => {
                    let held = self.project.departments.iter().any(|d| {
                        d.roadmaps.iter().any(|x| x.source.starts_with(&path))
                            || d.practices.iter().any(|x| x.source.starts_with(&path))
                            || d.contests.iter().any(|x| x.source.starts_with(&path))
                            || d.mentoring.iter().any(|x| x.source.starts_with(&path))
                            || d.pages.iter().any(|x| x.source.starts_with(&path))
                    });
                    (held || self.root.join(&path).exists()).then_some(Change::Department(dept))
                }
                c => Some(c),
            })
            .collect();
        if changes.is_empty() {
            return Touched::Departments(BTreeSet::new());
        }
        if changes.contains(&Change::Full) {
            *self = Workspace::load(&self.root);
            return Touched::All;
        }
        let mut touched = BTreeSet::new();
        let reload_depts: BTreeSet<&String> = changes
            .iter()
            .filter_map(|c| {
                if let Change::Department(d) = c {
                    Some(d)
                } else {
                    None
                }
            })
            .collect();
        for c in &changes {
            let name = match c {
                Change::Department(d) | Change::Files(d) | Change::Doc(d, _, _) => d,
                Change::Full | Change::Other(..) => continue,
            };
            let dir = PathBuf::from("content").join(name);
            let Some(i) = self.project.departments.iter().position(|d| d.dir == dir) else {
                // A department that was not loaded (new, or its department.yaml was broken).
                *self = Workspace::load(&self.root);
                return Touched::All;
            };
            touched.insert(name.clone());
            match c {
                Change::Department(_) => {
                    let diags = Diagnostics::new();
                    match load::load_department(&self.root, &self.root.join(&dir), &diags) {
                        Some(d) => self.project.departments[i] = d,
                        None => {
                            self.project.departments.remove(i);
                        }
                    }
                    self.replace_diags(|f| f.starts_with(&dir), diags);
                }
                Change::Files(_) if !reload_depts.contains(name) => {
                    let diags = Diagnostics::new();
                    let abs = self.root.join(&dir);
                    self.project.departments[i].files =
                        load::list_files(&self.root, &abs.join("files"), &abs, &diags);
                    self.replace_diags(|f| f.starts_with(dir.join("files")), diags);
                }
                Change::Doc(_, kind, path) if !reload_depts.contains(name) => {
                    if self.root.join(path).is_dir() {
                        let diags = Diagnostics::new();
                        if let Some(d) =
                            load::load_department(&self.root, &self.root.join(&dir), &diags)
                        {
                            self.project.departments[i] = d;
                        }
                        self.replace_diags(|f| f.starts_with(&dir), diags);
                        continue;
                    }
                    let diags = Diagnostics::new();
                    let d = &mut self.project.departments[i];
                    let root = self.root.clone();
                    match kind {
                        0 => reload_doc(&root, d, |d| &mut d.roadmaps, path, &diags),
                        1 => reload_doc(&root, d, |d| &mut d.practices, path, &diags),
                        2 => reload_doc(&root, d, |d| &mut d.contests, path, &diags),
                        3 => reload_doc(&root, d, |d| &mut d.mentoring, path, &diags),
                        _ => reload_doc(&root, d, |d| &mut d.pages, path, &diags),
                    }
                    self.replace_diags(|f| f == path.as_path(), diags);
                }
                _ => {}
            }
        }
        Touched::Departments(touched)
    }

    fn replace_diags(&mut self, gone: impl Fn(&Path) -> bool, new: Diagnostics) {
        self.load_diags.retain(|d| !gone(&d.file));
        self.load_diags.extend(new.into_sorted());
    }
}

/// Reloads the document at `path` (relative to the root) into its section, in the order a
/// full load gives (paths compared component by component, as the loader walks folders).
fn reload_doc<T: DeserializeOwned>(
    root: &Path,
    dept: &mut DepartmentSource,
    section: impl Fn(&mut DepartmentSource) -> &mut Vec<Doc<T>>,
    path: &Path,
    diags: &Diagnostics,
) {
    let abs = root.join(path);
    let dept_dir = root.join(&dept.dir);
    let doc = if abs.is_file() {
        load::load_doc::<T>(root, &abs, &dept_dir, diags)
    } else {
        None
    };
    let docs = section(dept);
    let at = docs.binary_search_by(|d| d.source.as_path().cmp(path));
    match (at, doc) {
        (Ok(i), Some(doc)) => docs[i] = doc,
        (Ok(i), None) => {
            docs.remove(i);
        }
        (Err(i), Some(doc)) => docs.insert(i, doc),
        (Err(_), None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changes() {
        assert_eq!(classify(Path::new("metodist.yaml")), Change::Full);
        assert_eq!(
            classify(Path::new("themes/default/templates/base.html")),
            Change::Full
        );
        assert_eq!(classify(Path::new("content")), Change::Full);
        assert_eq!(classify(Path::new("content/v")), Change::Full);
        assert_eq!(
            classify(Path::new("content/v/department.yaml")),
            Change::Department("v".into())
        );
        assert_eq!(
            classify(Path::new("content/v/files/plan.pdf")),
            Change::Files("v".into())
        );
        assert_eq!(
            classify(Path::new("content/v/practices/a.md")),
            Change::Doc("v".into(), 1, "content/v/practices/a.md".into())
        );
        assert_eq!(
            classify(Path::new("content/v/practices/sub/a.MD")),
            Change::Doc("v".into(), 1, "content/v/practices/sub/a.MD".into())
        );
        assert_eq!(
            classify(Path::new("content/v/practices/sub")),
            Change::Other("v".into(), "content/v/practices/sub".into())
        );
        assert_eq!(
            classify(Path::new("content/v/practices/sedX1a")),
            Change::Other("v".into(), "content/v/practices/sedX1a".into())
        );
        assert_eq!(
            classify(Path::new("content/v/practices")),
            Change::Department("v".into())
        );
        assert_eq!(
            classify(Path::new("content/v/misc/a.md")),
            Change::Department("v".into())
        );
    }
}
