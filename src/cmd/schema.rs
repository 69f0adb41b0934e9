//! `metodist schema`: JSON Schemas of every YAML type, generated from the same structs the
//! parser uses, so editor validation and the build never disagree.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diagnostics::display_path;
use crate::model;

/// (file name, schema) of every content type.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn s<T: schemars::JsonSchema>(title: &str) -> serde_json::Value {
        let mut v = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.insert("title".into(), serde_json::Value::String(title.into()));
        }
        v
    }
    vec![
        (
            "metodist.schema.json",
            s::<model::Config>("metodist.yaml — настройки портала"),
        ),
        (
            "department.schema.json",
            s::<model::Department>("department.yaml — сведения об управлении"),
        ),
        (
            "roadmap.schema.json",
            s::<model::Roadmap>("Дорожная карта (roadmaps/*.md)"),
        ),
        (
            "practice.schema.json",
            s::<model::Practice>("Практика (practices/*.md)"),
        ),
        (
            "contest.schema.json",
            s::<model::Contest>("Конкурс (contests/*.md)"),
        ),
        (
            "mentoring.schema.json",
            s::<model::Mentoring>("Наставничество (mentoring/*.md)"),
        ),
        (
            "page.schema.json",
            s::<model::Page>("Страница (pages/*.md)"),
        ),
    ]
}

/// Writes the schemas into `dir` and a VS Code settings file that maps them to content files.
pub fn write(root: &Path, dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let all = schemas();
    for (name, schema) in &all {
        let text = serde_json::to_string_pretty(schema).unwrap_or_default();
        std::fs::write(dir.join(name), text + "\n")?;
    }
    // VS Code (YAML extension by Red Hat): associate schemas with files by glob.
    let rel = dir
        .strip_prefix(root)
        .map(display_path)
        .unwrap_or_else(|_| display_path(dir));
    let vscode = root.join(".vscode");
    let settings = vscode.join("settings.json");
    if !settings.exists() {
        std::fs::create_dir_all(&vscode)?;
        let json = serde_json::json!({
            "yaml.schemas": {
                format!("./{rel}/metodist.schema.json"): "metodist.yaml",
                format!("./{rel}/department.schema.json"): "content/*/department.yaml",
            }
        });
        std::fs::write(
            settings,
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n",
        )?;
    }
    Ok(all.len())
}

pub fn run(root: &Path, out: Option<PathBuf>) -> ExitCode {
    let dir = out.unwrap_or_else(|| root.join("schemas"));
    match write(root, &dir) {
        Ok(n) => {
            eprintln!("записано схем: {n} в {}", display_path(&dir));
            eprintln!("файлы department.yaml подключают их строкой: # yaml-language-server: $schema=../../schemas/department.schema.json");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "ошибка: не удалось записать схемы в {}: {e}",
                display_path(&dir)
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn schemas_describe_required_fields() {
        let all = super::schemas();
        assert_eq!(all.len(), 7);
        let roadmap = &all
            .iter()
            .find(|(n, _)| *n == "roadmap.schema.json")
            .unwrap()
            .1;
        let required: Vec<&str> = roadmap["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert!(
            required.contains(&"title")
                && required.contains(&"document")
                && required.contains(&"period"),
            "{required:?}"
        );
        assert_eq!(roadmap["additionalProperties"], serde_json::json!(false));
    }
}
