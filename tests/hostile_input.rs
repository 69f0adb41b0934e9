//! Broken and hostile input files: a YAML «billion laughs» bomb, 10 000-deep nesting, a 50 MB
//! Markdown file, reserved Windows names and paths that try to leave the content folder. Each
//! gets a clear Russian error naming the file (and line where there is one) — never a panic,
//! a hang or a stack overflow — and a failed build writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A project with one department `d` and the given files (path relative to `content/d/`).
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dept = tmp.path().join("content/d");
    std::fs::create_dir_all(&dept).unwrap();
    std::fs::write(
        dept.join("department.yaml"),
        "name: \"Управление образованием\"\nbase_url: \"https://example.ru/\"\n",
    )
    .unwrap();
    for (rel, bytes) in files {
        let p = dept.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    tmp
}

/// Runs `metodist build` with a time limit (a hang fails the test instead of blocking it).
fn build(root: &Path, out: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_metodist"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("metodist build hangs on {}", root.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Builds a project that must fail; returns stderr. Asserts: exit code 1 (not a crash: a panic
/// gives 101, a signal none), nothing written, and every `expected` fragment in the message.
fn fails(files: &[(&str, &[u8])], expected: &[&str]) -> String {
    let tmp = project(files);
    let out = tmp.path().join("public");
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(
        o.status.code(),
        Some(1),
        "exit code 1 expected, stderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "a failed build writes nothing");
    for e in expected {
        assert!(err.contains(e), "«{e}» expected in:\n{err}");
    }
    err
}

fn page(front: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: \"Страница\"\n{front}---\n{body}\n").into_bytes()
}

#[test]
fn yaml_alias_bomb_is_refused_at_once() {
    // «Billion laughs»: 9 levels of 9 references expand to 9^9 strings.
    let mut front = String::from(
        "slug: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut nested = String::new();
    for i in 1..10 {
        nested.push_str(&format!(
            "  - &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(",")
        ));
    }
    front = format!("menu:\n  - {}{nested}", front.trim_start_matches("slug: "));
    fails(
        &[("pages/bomb.md", &page(&front, "Текст"))],
        &["content/d/pages/bomb.md:"],
    );
    // The same bomb in department.yaml.
    let tmp = project(&[]);
    let mut dept = String::from("name: \"У\"\nbase_url: \"https://example.ru/\"\nphones:\n  - &a0 [\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\"]\n");
    dept.push_str(&nested);
    std::fs::write(tmp.path().join("content/d/department.yaml"), dept).unwrap();
    let o = build(tmp.path(), &tmp.path().join("public"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("content/d/department.yaml:"), "{err}");
}

#[test]
fn yaml_alias_repeating_a_long_string_is_refused_before_it_is_expanded() {
    // A 200 KB string behind an anchor, repeated a thousand times: 200 MB once expanded.
    let long = "ж".repeat(100_000);
    let refs = vec!["*t"; 1000].join(", ");
    let front = format!("summary: &t \"{long}\"\ntags: [{refs}]\n");
    let err = fails(
        &[("pages/long.md", &page(&front, "Текст"))],
        &["content/d/pages/long.md:4", "якоря", "КБ"],
    );
    assert!(
        err.len() < 10_000,
        "the message does not quote the string: {} bytes",
        err.len()
    );
}

#[test]
fn yaml_anchors_used_a_few_times_are_still_accepted() {
    // An anchored list of authors reused for tags: legitimate, if odd.
    let practice = "---\ntitle: \"Практика\"\norganization: \"МАОУ СОШ № 1\"\n\
                    authors: &a [\"Иванова А. П.\", \"Петрова О. Н.\"]\ndate: 2024-04-15\n\
                    tags: *a\nresults: *a\n---\nТекст\n";
    let tmp = project(&[("practices/p.md", practice.as_bytes())]);
    let out = tmp.path().join("public");
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("якоря"), "{err}");
}

#[test]
fn ten_thousand_deep_nesting_is_an_error_not_a_stack_overflow() {
    let front = format!("menu: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    fails(
        &[("pages/deep.md", &page(&front, "Текст"))],
        &["content/d/pages/deep.md:", "вложенность"],
    );
    let front = format!("menu: {}1\n", "- ".repeat(10_000));
    fails(
        &[("pages/deep.md", &page(&front, "Текст"))],
        &["content/d/pages/deep.md:"],
    );
}

#[test]
fn deeply_nested_markdown_renders() {
    // 10 000 nested block quotes and list items: pulldown-cmark handles them without recursion;
    // the build must not overflow the stack either.
    let tmp = project(&[
        ("pages/quotes.md", &page("", &">".repeat(10_000))),
        ("pages/lists.md", &page("", &"- ".repeat(10_000))),
    ]);
    let o = build(tmp.path(), &tmp.path().join("public"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn fifty_megabyte_markdown_is_refused_with_its_size() {
    let mut big = page("", "");
    big.extend(
        "Очень длинный текст. "
            .repeat(50 * 1024 * 1024 / 36)
            .into_bytes(),
    );
    let err = fails(
        &[("pages/big.md", &big)],
        &["content/d/pages/big.md", "слишком велик", "МБ"],
    );
    assert!(
        err.lines().count() < 10,
        "one clear message, not a flood:\n{err}"
    );
}

#[test]
fn invalid_utf8_and_windows_1251_are_named() {
    fails(
        &[("pages/bad.md", b"---\ntitle: \"\xff\xfe\xfd\"\n---\n")],
        &["content/d/pages/bad.md"],
    );
    // «Привет» in Windows-1251: detected, and the message says how to convert.
    let cp1251 = [
        b"---\ntitle: \"".as_slice(),
        &[0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2],
        b"\"\n---\n",
    ]
    .concat();
    fails(
        &[("pages/cp.md", &cp1251)],
        &["content/d/pages/cp.md", "UTF-8"],
    );
}

#[test]
fn reserved_windows_names_are_refused() {
    for name in ["con", "NUL", "aux", "com1", "lpt9", "prn"] {
        let file = format!("pages/{name}.md");
        fails(
            &[(file.as_str(), &page("", "Текст"))],
            &[&format!("content/d/pages/{name}.md"), "Windows"],
        );
    }
    fails(
        &[("pages/stranitsa.md", &page("slug: \"nul\"\n", "Текст"))],
        &["content/d/pages/stranitsa.md:3", "slug", "Windows"],
    );
    fails(
        &[(
            "pages/stranitsa.md",
            &page(
                "attachments:\n  - title: \"Приказ\"\n    file: \"files/CON.pdf\"\n",
                "Текст",
            ),
        )],
        &["content/d/pages/stranitsa.md:5", "Windows"],
    );
}

#[test]
fn percent_sign_in_a_link_is_a_file_name_not_a_panic() {
    // «100%-ный»: a `%` before a two-byte letter once made the link decoder slice a character.
    let tmp = project(&[
        (
            "pages/stranitsa.md",
            &page("", "Текст\n\n[отчёт](../files/100%-ный.pdf)"),
        ),
        ("files/100%-ный.pdf", b"%PDF-1.4"),
    ]);
    let out = tmp.path().join("public");
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let html = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().ends_with("stranitsa/index.html"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .next()
        .expect("the page is written");
    // The link points at the published file, its `%` and letters percent-encoded.
    assert!(
        html.contains("files/100%25-%D0%BD%D1%8B%D0%B9.pdf"),
        "encoded link expected in:\n{html}"
    );
    // A link to a missing file of the same kind is an error with its line, not a crash.
    fails(
        &[(
            "pages/stranitsa.md",
            &page("", "Текст\n\n[отчёт](../files/50%-ный.pdf)"),
        )],
        &["content/d/pages/stranitsa.md:6"],
    );
}

#[test]
fn paths_that_leave_the_department_are_refused() {
    for (file, line) in [
        ("/etc/passwd", 5),
        ("files\\\\prikaz.pdf", 5),
        ("C:/Windows/win.ini", 5),
        ("files/../../../etc/passwd", 5),
        ("//server/share/x.pdf", 5),
    ] {
        let front = format!("attachments:\n  - title: \"Приказ\"\n    file: \"{file}\"\n");
        fails(
            &[("pages/stranitsa.md", &page(&front, "Текст"))],
            &[
                &format!("content/d/pages/stranitsa.md:{line}"),
                "недопустимый путь",
            ],
        );
    }
    for link in [
        "../../../../etc/passwd",
        "/etc/passwd",
        "file:///etc/passwd",
        "..\\..\\secret.md",
    ] {
        fails(
            &[(
                "pages/stranitsa.md",
                &page("", &format!("Текст\n\n[ссылка]({link})")),
            )],
            &["content/d/pages/stranitsa.md:6"],
        );
    }
}

#[test]
fn nothing_outside_content_and_output_is_touched() {
    // A symlink to a folder outside the project inside content/ is refused, and the build does
    // not follow it (the target's file is not published).
    let tmp = project(&[("pages/stranitsa.md", &page("", "Текст"))]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), page("", "СЕКРЕТ")).unwrap();
    std::os::unix::fs::symlink(outside.path(), tmp.path().join("content/d/practices")).unwrap();
    let out: PathBuf = tmp.path().join("public");
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("content/d/practices"), "{err}");
    if out.exists() {
        for e in walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let text = std::fs::read(e.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&text).contains("СЕКРЕТ"),
                "{} publishes the symlinked file",
                e.path().display()
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_as_content_are_refused_without_hanging() {
    // A FIFO nobody writes to would block a reader forever; /dev/zero would fill the memory.
    let tmp = project(&[]);
    let dept = tmp.path().join("content/d");
    std::fs::create_dir_all(dept.join("practices")).unwrap();
    let fifo = dept.join("practices/fifo.md");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    std::fs::create_dir_all(dept.join("files")).unwrap();
    let status = Command::new("mkfifo")
        .arg(dept.join("files/pipe.pdf"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = tmp.path().join("public");
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!out.exists(), "a failed build writes nothing");
    for name in ["content/d/practices/fifo.md", "content/d/files/pipe.pdf"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("не обычный файл")),
            "{name} refused as not a regular file:\n{err}"
        );
    }
    // The same for department.yaml.
    std::fs::remove_file(&fifo).unwrap();
    std::fs::remove_file(dept.join("files/pipe.pdf")).unwrap();
    std::fs::remove_file(dept.join("department.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dept.join("department.yaml")).unwrap();
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("content/d/department.yaml"), "{err}");
    // A department.yaml linked to a file outside the project is not followed, nor quoted.
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "name: [секрет-12345\n").unwrap();
    std::fs::remove_file(dept.join("department.yaml")).unwrap();
    std::os::unix::fs::symlink(&secret, dept.join("department.yaml")).unwrap();
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("символическая ссылка"), "{err}");
    assert!(!err.contains("секрет-12345"), "{err}");
}

/// Adds a department folder `name` to the project.
fn add_department(root: &Path, name: &str) {
    let dir = root.join("content").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("department.yaml"),
        "name: \"Управление образованием\"\nbase_url: \"https://example.ru/\"\n",
    )
    .unwrap();
}

#[test]
fn department_folders_named_like_the_portal_s_own_parts_are_refused() {
    for name in ["search", "static", "Search"] {
        let tmp = project(&[]);
        add_department(tmp.path(), name);
        let out = tmp.path().join("public");
        let o = build(tmp.path(), &out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!("content/{name}:")) && err.contains("занято самим сайтом"),
            "{name}: {err}"
        );
        assert!(!out.exists(), "a failed build writes nothing");
    }
}

#[test]
fn department_folders_differing_only_in_case_are_refused() {
    let tmp = project(&[]);
    add_department(tmp.path(), "D");
    let out = tmp.path().join("public");
    let o = build(tmp.path(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("без учёта регистра"), "{err}");
}

#[test]
fn thousands_of_tags_are_refused_before_thousands_of_pages_are_written() {
    let tags: Vec<String> = (0..5000).map(|i| format!("\"тег {i}\"")).collect();
    let practice = format!(
        "---\ntitle: \"Практика\"\norganization: \"МАОУ СОШ № 1\"\nauthors: [\"Иванова А. П.\"]\n\
         date: 2024-04-15\ntags: [{}]\n---\nТекст\n",
        tags.join(", ")
    );
    fails(
        &[("practices/p.md", practice.as_bytes())],
        &[
            "content/d/practices/p.md:6",
            "`tags`",
            "слишком много тегов",
            "до 50",
        ],
    );
    // Fifty are fine.
    let practice = format!(
        "---\ntitle: \"Практика\"\norganization: \"МАОУ СОШ № 1\"\nauthors: [\"Иванова А. П.\"]\n\
         date: 2024-04-15\ntags: [{}]\n---\nТекст\n",
        tags[..50].join(", ")
    );
    let tmp = project(&[("practices/p.md", practice.as_bytes())]);
    let o = build(tmp.path(), &tmp.path().join("public"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
