//! Loading a theme: templates and static files, with the project's overrides.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};
use serde_json::Value;
use tera::Tera;

use crate::diagnostics::Diagnostic;

/// The default theme, built into the binary so that `metodist` works in any folder.
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates compiled by Tera and the static files to copy.
pub struct Theme {
    tera: Tera,
    statics: BTreeMap<String, Vec<u8>>,
    /// Template name → file it came from (for error messages).
    origins: BTreeMap<String, String>,
}

fn collect_embedded(dir: &Dir<'_>, out: &mut Vec<(String, Vec<u8>)>) {
    for f in dir.files() {
        out.push((
            f.path().to_string_lossy().replace('\\', "/"),
            f.contents().to_vec(),
        ));
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn collect_disk(base: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), Diagnostic> {
    for entry in walkdir::WalkDir::new(base)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry
            .map_err(|e| Diagnostic::error(base, format!("не удалось прочитать тему: {e}")))?;
        if entry.path_is_symlink() {
            return Err(Diagnostic::error(
                entry.path(),
                "символическая ссылка в теме не допускается",
            )
            .hint("скопируйте сам файл вместо ссылки"));
        }
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(base)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(entry.path()).map_err(|e| {
                Diagnostic::error(entry.path(), format!("не удалось прочитать: {e}"))
            })?;
            out.push((rel, bytes));
        }
    }
    Ok(())
}

impl Theme {
    /// Loads theme `name`: `<root>/themes/<name>/` if present (over the built-in default
    /// theme, so a partial theme works), then `<root>/templates/*` over it, and
    /// `<root>/static/*` over its static files.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut files: Vec<(String, Vec<u8>, String)> = Vec::new();
        let mut embedded = Vec::new();
        collect_embedded(&DEFAULT_THEME, &mut embedded);
        files.extend(
            embedded
                .into_iter()
                .map(|(p, b)| (p.clone(), b, format!("(встроенная тема)/{p}"))),
        );
        let theme_dir = root.join("themes").join(name);
        if theme_dir.is_dir() {
            let mut disk = Vec::new();
            collect_disk(&theme_dir, &mut disk).map_err(|e| vec![e])?;
            files.extend(
                disk.into_iter()
                    .map(|(p, b)| (p.clone(), b, format!("themes/{name}/{p}"))),
            );
        } else if name != "default" {
            return Err(vec![Diagnostic::error(
                "metodist.yaml",
                format!("тема «{name}» не найдена: нет папки themes/{name}/"),
            )
            .field("theme")
            .hint(
                "уберите поле theme, чтобы использовать встроенную тему, или создайте папку темы",
            )]);
        }
        for (dir, prefix) in [("templates", "templates/"), ("static", "static/")] {
            let p = root.join(dir);
            if p.is_dir() {
                let mut disk = Vec::new();
                collect_disk(&p, &mut disk).map_err(|e| vec![e])?;
                files.extend(
                    disk.into_iter()
                        .map(|(rel, b)| (format!("{prefix}{rel}"), b, format!("{dir}/{rel}"))),
                );
            }
        }
        // Later entries override earlier ones.
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut errors = Vec::new();
        for (path, bytes, origin) in files {
            if let Some(t) = path.strip_prefix("templates/") {
                match String::from_utf8(bytes) {
                    Ok(s) => {
                        templates.insert(t.to_string(), (s, origin));
                    }
                    Err(_) => errors.push(
                        Diagnostic::error(origin, "шаблон не в кодировке UTF-8")
                            .hint("пересохраните файл в UTF-8"),
                    ),
                }
            } else if let Some(s) = path.strip_prefix("static/") {
                let bytes = minified(s, bytes);
                statics.insert(s.to_string(), bytes);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::text::escape_html);
        let origins: BTreeMap<String, String> = templates
            .iter()
            .map(|(k, (_, o))| (k.clone(), o.clone()))
            .collect();
        let raw: Vec<(String, String)> = templates.into_iter().map(|(k, (s, _))| (k, s)).collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(vec![template_error(&e, &origins)]);
        }
        Ok(Theme {
            tera,
            statics,
            origins,
        })
    }

    /// Renders template `name` with `ctx` (a JSON object).
    pub fn render(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        let context = tera::Context::from_value(ctx)
            .map_err(|e| Diagnostic::error(name, format!("ошибка контекста шаблона: {e}")))?;
        self.tera
            .render(name, &context)
            .map_err(|e| template_error(&e, &self.origins))
    }

    /// Static files of the theme (path relative to `static/`, contents).
    pub fn static_files(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.statics.iter()
    }
}

/// A static file as published: scripts and style sheets without comments and spaces
/// (a third of the bytes of the search page's first load), anything else as it is. Files
/// named `*.min.js` / `*.min.css` are taken as already minified; a style sheet the minifier
/// cannot read is published as written.
fn minified(path: &str, bytes: Vec<u8>) -> Vec<u8> {
    let is = |ext: &str| path.ends_with(ext) && !path.ends_with(&format!(".min{ext}"));
    if !is(".js") && !is(".css") {
        return bytes;
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return bytes;
    };
    if is(".js") {
        minifier::js::minify(text).to_string().into_bytes()
    } else {
        match minifier::css::minify(text) {
            Ok(css) => css.to_string().into_bytes(),
            Err(_) => bytes,
        }
    }
}

/// A Tera error with its whole cause chain, attributed to the template file.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, String>) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let text = chain.join(": ");
    let file = origins
        .iter()
        .find(|(name, _)| text.contains(&format!("'{name}'")))
        .map(|(_, o)| o.clone())
        .unwrap_or_else(|| "templates".into());
    Diagnostic::error(file, format!("ошибка шаблона: {text}")).hint("проверьте синтаксис Tera ({{ … }}, {% … %}) и имена переменных (см. themes/default/CONTEXT.md)")
}
