//! The module graph has no cycles: for every top-level module of `src/` (`load`, `site`,
//! `render`…), the modules it names through `crate::` (in `use` or in paths) are collected, and
//! any cycle among them fails the test with the files that close it. Unit-test modules
//! (`#[cfg(test)] mod … { … }`) may use the whole pipeline and are left out, as are comments
//! and string literals.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → module it uses → files where it does.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// `src` without comments, string and character literals (their contents become spaces).
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), or else a lifetime.
            if next == Some('\\') {
                let end = (i + 3..b.len()).find(|&k| b[k] == '\'').unwrap_or(b.len());
                i = end + 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `code` without its `#[cfg(test)] mod name { … }` blocks.
fn without_test_modules(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let is_mod = trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ");
        match (is_mod, trimmed.find('{')) {
            (true, Some(open)) if !trimmed[..open].contains(';') => {
                let start = after.len() - trimmed.len() + open;
                let mut depth = 0;
                let mut end = after.len();
                for (k, ch) in after[start..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = start + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Top-level names inside the braces of `use crate::{…}` starting at `s` (just after `{`).
fn group_names(s: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0;
    let mut item = String::new();
    for ch in s.chars() {
        match ch {
            '{' => {
                depth += 1;
                item.push(ch);
            }
            '}' if depth == 0 => break,
            '}' => {
                depth -= 1;
                item.push(ch);
            }
            ',' if depth == 0 => {
                names.push(std::mem::take(&mut item));
            }
            _ => item.push(ch),
        }
    }
    names.push(item);
    names
        .iter()
        .filter_map(|n| {
            let n = n.trim();
            let end = n
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(n.len());
            (end > 0).then(|| n[..end].to_string())
        })
        .collect()
}

/// Top-level modules named through `crate::` in `code`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let ok_before = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        rest = &rest[i + "crate::".len()..];
        if !ok_before {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            out.extend(group_names(group));
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end > 0 {
                out.insert(rest[..end].to_string());
            }
        }
    }
    out
}

/// The module graph of the crate in `src`.
fn graph(src: &Path) -> Graph {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules: BTreeSet<String> = code_only(&lib)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("pub(crate) mod "))
                .or_else(|| l.strip_prefix("mod "))?;
            Some(l.trim_end_matches(';').trim().to_string())
        })
        .collect();
    assert!(
        modules.len() > 1,
        "modules of lib.rs not found: {modules:?}"
    );
    let mut g = Graph::new();
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = first.trim_end_matches(".rs").to_string();
        if !modules.contains(&top) {
            continue; // lib.rs, main.rs, build scripts
        }
        let code = without_test_modules(&code_only(&std::fs::read_to_string(path).unwrap()));
        for used in used_modules(&code) {
            if used != top && modules.contains(&used) {
                g.entry(top.clone())
                    .or_default()
                    .entry(used)
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    g
}

/// Every edge that lies on a cycle, as `a → b (files)`.
fn cycles(g: &Graph) -> Vec<String> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(m) = stack.pop() {
            if m == to {
                return true;
            }
            if seen.insert(m.clone()) {
                if let Some(next) = g.get(&m) {
                    stack.extend(next.keys().cloned());
                }
            }
        }
        false
    };
    let mut out = Vec::new();
    for (a, uses) in g {
        for (b, files) in uses {
            if reaches(b, a) {
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                out.push(format!("{a} → {b} ({})", files.join(", ")));
            }
        }
    }
    out
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_cycles_between_modules() {
    let g = graph(&src());
    assert!(
        g.get("build").is_some_and(|u| u.contains_key("site")),
        "the parser must see build → site: {g:?}"
    );
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "modules that depend on each other (move the helper that closes the cycle into a \
         lower module):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_finds_a_cycle_and_ignores_tests_comments_and_strings() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("lib.rs", "pub mod a;\npub mod b;\npub mod c;\n");
    write(
        "a.rs",
        "use crate::{b::{X, Y}, text};\n// crate::c in a comment\nfn f() { let s = \"crate::c\"; }\n",
    );
    write("b/mod.rs", "pub mod inner;\n");
    write(
        "b/inner.rs",
        "fn g() { crate::c::h() }\n#[cfg(test)]\nmod tests { use crate::a; }\n",
    );
    write("c.rs", "pub fn h() { let _ = '{'; }\n");
    let g = graph(src);
    assert!(cycles(&g).is_empty(), "{g:?}");
    write("c.rs", "pub fn h() { crate::a::f() }\n");
    let found = cycles(&graph(src));
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found.iter().any(|e| e.starts_with("b → c (b/inner.rs)")),
        "{found:?}"
    );
}
