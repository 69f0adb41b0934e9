//! `metodist import roadmap`: the three seed documents give the sections, numbers, anchors,
//! executors and deadlines of the golden files (checked against the seed text by hand); a
//! .docx and an .xlsx with merged cells, made here, are imported; bad inputs give clear errors.
//!
//! To rewrite the golden files after a deliberate change: `UPDATE_GOLDEN=1 cargo test --test
//! import`, then read the diff line by line against the seed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use metodist::import::{import_bytes, import_roadmap, Imported};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_metodist"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed(name: &str) -> PathBuf {
    let dir = repo().join("tests").join("fixtures").join("seeds");
    let p = dir.join(name);
    assert!(p.exists(), "seed {} not found", p.display());
    p
}

/// A compact, reviewable summary: act, period, then per section its events with anchor,
/// printed number, executors and deadline.
fn summary(im: &Imported) -> String {
    let r = &im.roadmap;
    let d = &r.document;
    let mut o = String::new();
    o += &format!(
        "document: {} № {} от {}\n",
        d.kind.map(|k| k.label()).unwrap_or("-"),
        d.number.as_deref().unwrap_or("-"),
        d.date.map(|x| x.to_string()).unwrap_or_else(|| "-".into())
    );
    o += &format!("issued_by: {}\n", d.issued_by.as_deref().unwrap_or("-"));
    o += &format!("signed_by: {}\n", d.signed_by.as_deref().unwrap_or("-"));
    o += &format!("title: {}\n", r.title);
    o += &format!("period: {:?} – {:?}\n", r.period.from, r.period.to);
    let events: usize = r.sections.iter().map(|s| s.events.len()).sum();
    o += &format!("sections: {}, events: {}\n", r.sections.len(), events);
    for (si, s) in r.sections.iter().enumerate() {
        o += &format!(
            "\n[{}] {} ({})\n",
            s.no.as_deref().unwrap_or("-"),
            s.title,
            s.events.len()
        );
        for (ei, e) in s.events.iter().enumerate() {
            o += &format!(
                "  s{}-e{} | {} | {} | {}\n",
                si + 1,
                ei + 1,
                e.no.as_deref().unwrap_or("-"),
                e.executors.join(" ; "),
                e.deadline.as_deref().unwrap_or("-")
            );
        }
    }
    o += "\nwarnings:\n";
    for w in &im.warnings {
        o += &format!(
            "  {}: {}\n",
            w.line.map(|l| l.to_string()).unwrap_or_default(),
            w.message
        );
    }
    o
}

fn golden(name: &str, actual: &str) {
    let path = repo()
        .join("tests/golden/import")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if expected != actual {
        for (i, (a, b)) in expected.lines().zip(actual.lines()).enumerate() {
            if a != b {
                panic!(
                    "{name}: golden differs at line {}:\n  expected: {a}\n  actual:   {b}",
                    i + 1
                );
            }
        }
        panic!(
            "{name}: golden differs in length ({} vs {} lines)",
            expected.lines().count(),
            actual.lines().count()
        );
    }
}

fn import_seed(file: &str) -> Imported {
    let p = seed(file);
    import_roadmap(&p, Path::new(file)).unwrap_or_else(|d| panic!("{file}: {d}"))
}

#[test]
fn krasnoufimsk_seed() {
    let im = import_seed("krasnoufimsk-roadmap-2023-2025.txt");
    let counts: Vec<usize> = im.roadmap.sections.iter().map(|s| s.events.len()).collect();
    assert_eq!(counts, [20, 15, 13]);
    let e = &im.roadmap.sections[1].events[7];
    assert_eq!(
        e.executors,
        [
            "Ведущий специалист МО Управление образованием ГО Красноуфимск О.И. Ботова",
            "Муниципальный куратор Щербакова Е.А., зам. Директора МАОУ СПЗ"
        ]
    );
    // A row wrapped over two lines (10. «Участие молодых педагогов в / профессиональных конкурсах»).
    let e = &im.roadmap.sections[0].events[9];
    assert_eq!(
        e.title,
        "Участие молодых педагогов в профессиональных конкурсах"
    );
    assert_eq!(
        e.deadline.as_deref(),
        Some("Ноябрь апрель 2023,2024, 2025гг.")
    );
    assert_eq!(im.roadmap.document.number.as_deref(), Some("146"));
    golden("krasnoufimsk", &summary(&im));
}

#[test]
fn okoneshnikovo_seed() {
    let im = import_seed("okoneshnikovo-model-2021-2024.txt");
    let counts: Vec<usize> = im.roadmap.sections.iter().map(|s| s.events.len()).collect();
    assert_eq!(counts, [7, 13, 3, 3, 9, 4, 10, 5]);
    assert_eq!(im.roadmap.document.number.as_deref(), Some("209 «Б»"));
    assert!(
        im.roadmap
            .document
            .signed_by
            .as_deref()
            .unwrap()
            .starts_with("Е.Н. Совенко"),
        "Latin letters replaced"
    );
    assert!(
        im.warnings.iter().any(|w| w.message.contains("Сovenko")),
        "the replacement is reported"
    );
    let e = &im.roadmap.sections[0].events[5];
    assert_eq!(e.no.as_deref(), Some("1.7"));
    assert_eq!(
        e.executors,
        ["Управление образования", "МКУ «ЦФЭХИМОСО»", "ОО"]
    );
    assert_eq!(
        e.result.as_deref(),
        Some(
            "Повышение профессиональной компетенции руководителей. Принятие управленческих решений"
        )
    );
    golden("okoneshnikovo", &summary(&im));
}

#[test]
fn vidyaevo_seed() {
    let im = import_seed("vidyaevo-roadmap-2021-2024.txt");
    assert_eq!(im.roadmap.sections.len(), 1);
    assert_eq!(im.roadmap.sections[0].events.len(), 11);
    let r = &im.roadmap;
    assert_eq!(r.document.kind.map(|k| k.label()).unwrap_or("-"), "Постановление");
    assert_eq!(r.document.number.as_deref(), Some("895"));
    assert_eq!(r.document.date.map(|d| d.to_string()).unwrap_or_default(), "2021-11-23");
    // HTML in cells and rows wrapped over lines are joined.
    let e5 = &r.sections[0].events[4];
    assert_eq!(e5.deadline.as_deref(), Some("апрель 2021 года, ежегодно"));
    assert_eq!(
        r.sections[0].events[9].deadline.as_deref(),
        Some("май 2021 года, ежегодно")
    );
    assert_eq!(e5.executors.len(), 2);
    golden("vidyaevo", &summary(&im));
}

/// A project with one department, for running the binary.
fn project(dept: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("content").join(dept);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("department.yaml"), "name: \"Управление (тест)\"\n").unwrap();
    tmp
}

#[test]
fn imported_seeds_pass_check_and_are_not_overwritten() {
    let tmp = project("demo");
    for f in [
        "krasnoufimsk-roadmap-2023-2025.txt",
        "okoneshnikovo-model-2021-2024.txt",
        "vidyaevo-roadmap-2021-2024.txt",
    ] {
        let o = bin()
            .args(["import", "roadmap"])
            .arg(seed(f))
            .args(["--department", "demo", "--root"])
            .arg(tmp.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{f}: {err}");
        assert!(err.contains("мероприятий:"), "report printed: {err}");
    }
    let roadmaps = tmp.path().join("content/demo/roadmaps");
    assert!(roadmaps.join("krasnoufimsk-roadmap-2023-2025.md").exists());
    let o = bin()
        .args(["check", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success() && !err.contains("ошибка"),
        "check failed:\n{err}"
    );

    // A second import without --force leaves the file alone.
    let target = roadmaps.join("vidyaevo-roadmap-2021-2024.md");
    std::fs::write(&target, "---\ntitle: x\n---\n").unwrap_or_default();
    let before = std::fs::read(&target).unwrap();
    let o = bin()
        .args(["import", "roadmap"])
        .arg(seed("vidyaevo-roadmap-2021-2024.txt"))
        .args(["--department", "demo", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read(&target).unwrap(), before);
    let o = bin()
        .args(["import", "roadmap"])
        .arg(seed("vidyaevo-roadmap-2021-2024.txt"))
        .args(["--department", "demo", "--force", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_ne!(std::fs::read(&target).unwrap(), before);
}

// ---- .docx made here: header row, a section spanning all columns (gridSpan), executors merged
// down two rows (vMerge), a cell of two paragraphs, a repeated header and the «1 2 3 4» row.

fn para(text: &str, bold: bool) -> String {
    let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    format!(
        "<w:p><w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        text.replace('&', "&amp;").replace('<', "&lt;")
    )
}

fn tc(paras: &[&str], props: &str, bold: bool) -> String {
    let ps: String = if paras.is_empty() {
        "<w:p/>".into()
    } else {
        paras.iter().map(|p| para(p, bold)).collect()
    };
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{ps}</w:tc>")
}

fn docx_bytes() -> Vec<u8> {
    let header = [
        "№ п/п",
        "Наименование мероприятия",
        "Срок исполнения",
        "Ответственный исполнитель",
        "Ожидаемый результат",
    ];
    let mut rows = String::new();
    rows += &format!(
        "<w:tr>{}</w:tr>",
        header
            .iter()
            .map(|h| tc(&[h], "", true))
            .collect::<String>()
    );
    rows += &format!(
        "<w:tr>{}</w:tr>",
        (1..=5)
            .map(|i| tc(&[&i.to_string()], "", false))
            .collect::<String>()
    );
    rows += &format!(
        "<w:tr>{}</w:tr>",
        tc(
            &["1. Организационные мероприятия"],
            "<w:gridSpan w:val=\"5\"/>",
            true
        )
    );
    rows += &format!(
        "<w:tr>{}{}{}{}{}</w:tr>",
        tc(&["1.1"], "", false),
        tc(&["Утверждение положения о наставничестве"], "", false),
        tc(&["февраль 2024 года"], "", false),
        tc(
            &["Управление образования", "МБОУ СОШ № 1"],
            "<w:vMerge w:val=\"restart\"/>",
            false
        ),
        tc(&["Положение утверждено"], "", false)
    );
    rows += &format!(
        "<w:tr>{}{}{}{}{}</w:tr>",
        tc(&["1.2"], "", false),
        tc(
            &["Мониторинг наставнических пар", "(по итогам четверти)"],
            "",
            false
        ),
        tc(&["1 раз в четверть"], "", false),
        tc(&[], "<w:vMerge/>", false),
        tc(&["Аналитическая справка"], "", false)
    );
    rows += &format!(
        "<w:tr>{}</w:tr>",
        header
            .iter()
            .map(|h| tc(&[h], "", true))
            .collect::<String>()
    );
    rows += &format!(
        "<w:tr>{}</w:tr>",
        tc(&["2. Кадры"], "<w:gridSpan w:val=\"5\"/>", true)
    );
    rows += &format!(
        "<w:tr>{}{}{}{}{}</w:tr>",
        tc(&["2.1"], "", false),
        tc(&["Конкурс «Педагог года» & «Дебют»"], "", false),
        tc(&["когда-нибудь потом"], "", false),
        tc(&["Методический центр; Руководители ОО"], "", false),
        tc(&[], "", false)
    );
    let body = [
        para("АДМИНИСТРАЦИЯ ПРИМЕРНОГО РАЙОНА", true),
        para("ПРИКАЗ", true),
        para("от 12 мая 2024 г. № 45-од", false),
        para("Об утверждении плана мероприятий по наставничеству", true),
        para("ПРИКАЗЫВАЮ:", false),
        para("1. Утвердить план.", false),
        para("Начальник управления", false),
        para("И.И. Петрова", false),
        para(
            "План мероприятий по развитию наставничества на 2024–2026 годы",
            true,
        ),
        format!(
            "<w:tbl><w:tblGrid>{}</w:tblGrid>{rows}</w:tbl>",
            "<w:gridCol/>".repeat(5)
        ),
        para("Конец документа.", false),
    ]
    .concat();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(xml.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn docx_with_merged_cells() {
    let im = import_bytes(&docx_bytes(), Path::new("plan.docx")).unwrap_or_else(|d| panic!("{d}"));
    let r = &im.roadmap;
    assert_eq!(im.format, "документ Word (.docx)");
    assert_eq!(r.document.kind.map(|k| k.label()).unwrap_or("-"), "Приказ");
    assert_eq!(r.document.number.as_deref(), Some("45-од"));
    assert_eq!(r.document.date.map(|d| d.to_string()).unwrap_or_default(), "2024-05-12");
    assert_eq!(
        r.document.signed_by.as_deref(),
        Some("И.И. Петрова, Начальник управления")
    );
    assert_eq!(
        r.document.title.as_deref(),
        Some("Об утверждении плана мероприятий по наставничеству")
    );
    assert_eq!(
        r.title,
        "План мероприятий по развитию наставничества на 2024–2026 годы"
    );
    assert_eq!(
        (format!("{:?}", r.period.from), format!("{:?}", r.period.to)),
        ("Year(2024)".into(), "Year(2026)".into())
    );
    assert_eq!(r.sections.len(), 2, "{:#?}", r.sections);
    assert_eq!(r.sections[0].no.as_deref(), Some("1."));
    assert_eq!(r.sections[0].title, "Организационные мероприятия");
    let e = &r.sections[0].events;
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].executors, ["Управление образования", "МБОУ СОШ № 1"]);
    assert_eq!(
        e[1].executors,
        ["Управление образования", "МБОУ СОШ № 1"],
        "vMerge repeats the cell above"
    );
    assert_eq!(
        e[1].title,
        "Мониторинг наставнических пар (по итогам четверти)"
    );
    assert_eq!(e[1].result.as_deref(), Some("Аналитическая справка"));
    let e = &r.sections[1].events[0];
    assert_eq!(e.title, "Конкурс «Педагог года» & «Дебют»");
    assert_eq!(e.executors, ["Методический центр", "Руководители ОО"]);
    assert!(
        im.warnings
            .iter()
            .any(|w| w.message.contains("когда-нибудь потом") && w.message.contains("строка 8")),
        "{:?}",
        im.warnings
    );
}

#[test]
fn xlsx_with_merged_cells() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("План").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 4, "ПРИКАЗ от 01.09.2022 № 17", &f)
        .unwrap();
    ws.merge_range(
        1,
        0,
        1,
        4,
        "План мероприятий («дорожная карта») на 2022-2023 годы",
        &f,
    )
    .unwrap();
    for (c, h) in [
        "№",
        "Мероприятия (содержание деятельности)",
        "Сроки",
        "Координатор, исполнитель",
        "Ожидаемые результаты",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.merge_range(3, 0, 3, 4, "Раздел 1. Методическое сопровождение", &f)
        .unwrap();
    ws.write_string(4, 0, "1.1").unwrap();
    ws.write_string(4, 1, "Семинар для молодых педагогов")
        .unwrap();
    ws.write_string(4, 2, "Октябрь").unwrap();
    ws.merge_range(4, 3, 5, 3, "МКУ «ИМЦ», Управление образования", &f)
        .unwrap();
    ws.write_string(4, 4, "Проведён семинар").unwrap();
    ws.write_string(5, 0, "1.2").unwrap();
    ws.write_string(5, 1, "Мониторинг дефицитов").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2022, 12, 15).unwrap();
    ws.write_datetime_with_format(5, 2, &date, &Format::new().set_num_format("dd.mm.yyyy"))
        .unwrap();
    ws.write_number(6, 0, 2.0).unwrap();
    ws.write_string(6, 2, "Декабрь").unwrap();
    ws.write_string(6, 5, "лишняя ячейка").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let im = import_bytes(&bytes, Path::new("plan.xlsx")).unwrap_or_else(|d| panic!("{d}"));
    let r = &im.roadmap;
    assert_eq!(im.format, "таблица Excel (.xlsx)");
    assert_eq!(r.document.number.as_deref(), Some("17"));
    assert_eq!(r.document.date.map(|d| d.to_string()).unwrap_or_default(), "2022-09-01");
    assert_eq!(
        r.title,
        "План мероприятий («дорожная карта») на 2022-2023 годы"
    );
    assert_eq!(r.sections.len(), 1);
    assert_eq!(r.sections[0].no.as_deref(), Some("Раздел 1"));
    assert_eq!(r.sections[0].title, "Методическое сопровождение");
    let e = &r.sections[0].events;
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].executors, ["МКУ «ИМЦ»", "Управление образования"]);
    assert_eq!(
        e[1].executors,
        ["МКУ «ИМЦ»", "Управление образования"],
        "merged down"
    );
    assert_eq!(e[0].result.as_deref(), Some("Проведён семинар"));
    assert_eq!(
        e[1].deadline.as_deref(),
        Some("15.12.2022"),
        "a date cell is written as a date"
    );
    let msgs: Vec<&str> = im.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("лист «План», строка 7") && m.contains("без названия")),
        "{msgs:?}"
    );
}

#[test]
fn markdown_table() {
    let md = "ПОСТАНОВЛЕНИЕ\n\n«5» марта 2024 года № 12\n\nПлан мероприятий на 2024 год\n\n| № | Мероприятие | Срок | Исполнители |\n|---|---|---|---|\n| **1.** | **Раздел** | | |\n| 1.1 | Совещание | март 2024 года | Отдел образования<br>Методисты |\n";
    let im = import_bytes(md.as_bytes(), Path::new("plan.md")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(im.format, "таблица Markdown");
    let r = &im.roadmap;
    assert_eq!(r.document.kind.map(|k| k.label()).unwrap_or("-"), "Постановление");
    assert_eq!(r.document.date.map(|d| d.to_string()).unwrap_or_default(), "2024-03-05");
    assert_eq!(r.sections[0].title, "Раздел");
    assert_eq!(
        r.sections[0].events[0].executors,
        ["Отдел образования", "Методисты"]
    );
    assert_eq!(
        r.sections[0].events[0].deadline.as_deref(),
        Some("март 2024 года")
    );
}

#[test]
fn missing_act_details_make_a_draft() {
    let text = "№\tМероприятие\tСрок\n1\tСовещание\tмай 2024 года\n";
    let im = import_bytes(text.as_bytes(), Path::new("t.txt")).unwrap();
    assert!(im.roadmap.draft);
    assert!(im.text.contains("draft: true"));
    assert!(im.warnings.iter().any(|w| w.message.contains("утверждение плана не найдено")));
    // Nothing invented: no «б/н», no date, the period from the deadlines only.
    assert!(!im.text.contains("б/н"));
    assert!(im.roadmap.document.number.is_none());
    assert!(im.roadmap.document.date.is_none());
    assert_eq!(im.roadmap.period.from, metodist::model::PeriodBound::Year(2024));
}

fn import_error(bytes: &[u8], name: &str) -> String {
    match import_bytes(bytes, Path::new(name)) {
        Ok(_) => panic!("{name}: imported, an error was expected"),
        Err(d) => {
            assert!(d.is_error());
            assert!(d.hint.is_some(), "{name}: every error says what to do: {d}");
            d.to_string()
        }
    }
}

#[test]
fn malformed_inputs_give_clear_errors() {
    let e = import_error(b"", "empty.txt");
    assert!(e.contains("файл пуст"), "{e}");
    let e = import_error(b"  \n\n", "blank.txt");
    assert!(e.contains("файл пуст"), "{e}");
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let e = import_error(&garbage, "garbage.bin");
    assert!(e.contains("формат файла не распознан"), "{e}");
    let e = import_error("Просто текст\nбез таблицы\n".as_bytes(), "prose.txt");
    assert!(e.contains("нет таблицы"), "{e}");
    let e = import_error(
        "1\tЦЕЛЬ\tСтановление\n2\tЗАДАЧИ\tОбеспечение\n".as_bytes(),
        "noheader.txt",
    );
    assert!(e.contains("строка заголовков"), "{e}");
    let e = import_error(b"PK\x03\x04broken zip", "broken.docx");
    assert!(
        e.contains("не удалось открыть") || e.contains("повреждён"),
        "{e}"
    );
    let e = import_error(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old office", "old.doc");
    assert!(e.contains(".doc"), "{e}");
    let cp1251: Vec<u8> = vec![0xCF, 0xF0, 0xE8, 0xEA, 0xE0, 0xE7, b'\t', 0xB9, b'\n'];
    let e = import_error(&cp1251, "cp1251.txt");
    assert!(e.contains("Windows-1251"), "{e}");
}

#[test]
fn huge_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("big.txt");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(20 * 1024 * 1024).unwrap();
    let d = import_roadmap(&p, Path::new("big.txt")).expect_err("refused");
    assert!(d.to_string().contains("слишком велик"), "{d}");
    let proj = project("demo");
    let o = bin()
        .args(["import", "roadmap"])
        .arg(&p)
        .args(["--department", "demo", "--root"])
        .arg(proj.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("слишком велик") && err.contains("подсказка"),
        "{err}"
    );
    assert!(
        !proj.path().join("content/demo/roadmaps").exists(),
        "nothing written"
    );
}

#[test]
fn unknown_department_is_refused() {
    let proj = project("demo");
    let o = bin()
        .args(["import", "roadmap"])
        .arg(seed("vidyaevo-roadmap-2021-2024.txt"))
        .args(["--department", "nope", "--root"])
        .arg(proj.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("metodist new nope"));
}

#[test]
fn text_report_names_source_lines() {
    let text = "ПРИКАЗ\nот 01.02.2024 № 5\n\nПлан мероприятий на 2024 год\n\n№\tМероприятие\tСрок\tИсполнитель\tПримечание\n1.\tРаздел\t\t\t\n1.1\tСовещание\tкогда-нибудь потом\tОтдел\tзаметка\n\t\t\t\t\n\tпо итогам года\t\t\t\n";
    let im = import_bytes(text.as_bytes(), Path::new("p.txt")).unwrap_or_else(|d| panic!("{d}"));
    let at = |needle: &str| {
        im.warnings
            .iter()
            .find(|w| w.message.contains(needle))
            .map(|w| w.line)
    };
    assert_eq!(at("столбец 5 «Примечание» не распознан"), Some(Some(6)));
    assert_eq!(at("«заметка»"), Some(Some(8)), "{:?}", im.warnings);
    assert_eq!(at("срок «когда-нибудь потом» не разобран"), Some(Some(8)));
    assert_eq!(
        im.roadmap.sections[0].events[0].title, "Совещание по итогам года",
        "wrapped row joined"
    );
}

/// Odd inputs never panic: each gives a roadmap or an error.
#[test]
fn odd_inputs_do_not_panic() {
    let cases: Vec<Vec<u8>> = vec![
        b"\t\t\t\n\t\n".to_vec(),
        "№\tМероприятие\tСрок\n".as_bytes().to_vec(),
        "№\tМероприятие\tСрок\n\t\tмай\n".as_bytes().to_vec(),
        "| a | b |\n|---|\n| | |\n".as_bytes().to_vec(),
        "|№|Мероприятие|Срок|\n|-|-|-|\n|**|**|**|\n|1|«|»»»|\n"
            .as_bytes()
            .to_vec(),
        "ПРИКАЗ\n№\n\n№\tМероприятие\tСрок\n1\t<p\t<b>\n2\tА\t31.02.2024\n"
            .as_bytes()
            .to_vec(),
        "\u{feff}№\tНаименование мероприятия\tСроки\r\n1\tА\tмай\r\n"
            .as_bytes()
            .to_vec(),
        "ПЛАН\n\n№\tМероприятие\tИсполнитель\n1\tА\tО.И. Б В.Г. Д, , ;;\n"
            .as_bytes()
            .to_vec(),
        b"PK\x03\x04\x14\x00\x00\x00".to_vec(),
        {
            let mut buf = std::io::Cursor::new(Vec::new());
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            z.write_all(b"<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>&bogus;</w:t></w:r></w:p></w:tc></w:tr>").unwrap();
            z.finish().unwrap();
            buf.into_inner()
        },
    ];
    for (i, c) in cases.iter().enumerate() {
        let r = std::panic::catch_unwind(|| import_bytes(c, Path::new("odd.txt")));
        assert!(r.is_ok(), "case {i} panicked");
    }
}
