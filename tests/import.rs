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
    assert_eq!(
        r.document.kind.map(|k| k.label()).unwrap_or("-"),
        "Постановление"
    );
    assert_eq!(r.document.number.as_deref(), Some("895"));
    assert_eq!(
        r.document.date.map(|d| d.to_string()).unwrap_or_default(),
        "2021-11-23"
    );
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
    assert_eq!(
        r.document.date.map(|d| d.to_string()).unwrap_or_default(),
        "2024-05-12"
    );
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
    assert_eq!(
        r.document.date.map(|d| d.to_string()).unwrap_or_default(),
        "2022-09-01"
    );
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
    assert_eq!(
        r.document.kind.map(|k| k.label()).unwrap_or("-"),
        "Постановление"
    );
    assert_eq!(
        r.document.date.map(|d| d.to_string()).unwrap_or_default(),
        "2024-03-05"
    );
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
    assert!(im
        .warnings
        .iter()
        .any(|w| w.message.contains("утверждение плана не найдено")));
    // Nothing invented: no «б/н», no date, the period from the deadlines only.
    assert!(!im.text.contains("б/н"));
    assert!(im.roadmap.document.number.is_none());
    assert!(im.roadmap.document.date.is_none());
    assert_eq!(
        im.roadmap.period.from,
        metodist::model::PeriodBound::Year(2024)
    );
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

// ---------------------------------------------------------------------------------------------
// The corpus: 16 text documents in tests/fixtures/import/ and 8 Word and Excel documents built
// here, each a different layout of the same kind of plan (the seeds' content rearranged). Each
// has a golden summary in tests/golden/import/corpus/, read line by line against the document.

mod corpus {
    use super::*;
    use metodist::import::{columns, Options};

    /// A cell of a generated table: text over `span` grid columns, or the continuation of the
    /// cell above (merged down).
    #[derive(Clone)]
    pub enum C {
        T(String, usize),
        Down(usize),
    }

    pub fn t(s: &str) -> C {
        C::T(s.to_string(), 1)
    }

    pub struct Gen {
        pub before: Vec<String>,
        /// A borderless two-column table before the plan (a stamp beside a «ПРИНЯТО» note).
        pub stamp_table: Vec<[String; 2]>,
        pub rows: Vec<Vec<C>>,
        pub after: Vec<String>,
    }

    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    fn p(s: &str) -> String {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(s)
        )
    }

    pub fn docx(g: &Gen) -> Vec<u8> {
        let mut body = String::new();
        for l in &g.before {
            body += &p(l);
        }
        if !g.stamp_table.is_empty() {
            body += "<w:tbl>";
            for r in &g.stamp_table {
                body += "<w:tr>";
                for c in r {
                    body += &format!("<w:tc><w:tcPr/>{}</w:tc>", p(c));
                }
                body += "</w:tr>";
            }
            body += "</w:tbl>";
            body += &p("");
        }
        body += "<w:tbl>";
        for (ri, r) in g.rows.iter().enumerate() {
            body += "<w:tr>";
            for c in r {
                match c {
                    C::T(text, span) => {
                        let below = g
                            .rows
                            .get(ri + 1)
                            .is_some_and(|n| grid_col(r, c).is_some_and(|col| down_at(n, col)));
                        let mut pr = String::new();
                        if *span > 1 {
                            pr += &format!("<w:gridSpan w:val=\"{span}\"/>");
                        }
                        if below {
                            pr += "<w:vMerge w:val=\"restart\"/>";
                        }
                        let paras: String = text.split('\n').map(p).collect();
                        body += &format!("<w:tc><w:tcPr>{pr}</w:tcPr>{paras}</w:tc>");
                    }
                    C::Down(span) => {
                        let gs = if *span > 1 {
                            format!("<w:gridSpan w:val=\"{span}\"/>")
                        } else {
                            String::new()
                        };
                        body += &format!("<w:tc><w:tcPr>{gs}<w:vMerge/></w:tcPr><w:p/></w:tc>");
                    }
                }
            }
            body += "</w:tr>";
        }
        body += "</w:tbl>";
        for l in &g.after {
            body += &p(l);
        }
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

    /// Grid column where cell `c` of row `r` starts.
    fn grid_col(r: &[C], c: &C) -> Option<usize> {
        let mut col = 0;
        for x in r {
            if std::ptr::eq(x, c) {
                return Some(col);
            }
            col += match x {
                C::T(_, s) | C::Down(s) => *s,
            };
        }
        None
    }

    fn down_at(r: &[C], col: usize) -> bool {
        let mut at = 0;
        for x in r {
            if at == col {
                return matches!(x, C::Down(_));
            }
            at += match x {
                C::T(_, s) | C::Down(s) => *s,
            };
        }
        false
    }

    pub fn xlsx(g: &Gen) -> Vec<u8> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("План").unwrap();
        let f = Format::new();
        let mut row = 0u32;
        for l in &g.before {
            ws.write_string(row, 0, l).unwrap();
            row += 1;
        }
        for r in &g.stamp_table {
            // A stamp in the right-hand cells.
            if !r[1].is_empty() {
                ws.write_string(row, 4, &r[1]).unwrap();
                row += 1;
            }
        }
        let top = row;
        for (ri, r) in g.rows.iter().enumerate() {
            let mut col = 0u16;
            for c in r {
                match c {
                    C::T(text, span) => {
                        let mut down = 0u32;
                        while g
                            .rows
                            .get(ri + 1 + down as usize)
                            .is_some_and(|n| down_at(n, col as usize))
                        {
                            down += 1;
                        }
                        let (r0, r1) = (top + ri as u32, top + ri as u32 + down);
                        let c1 = col + *span as u16 - 1;
                        if r1 > r0 || c1 > col {
                            ws.merge_range(r0, col, r1, c1, text, &f).unwrap();
                        } else {
                            ws.write_string(r0, col, text).unwrap();
                        }
                        col += *span as u16;
                    }
                    C::Down(s) => col += *s as u16,
                }
            }
        }
        row = top + g.rows.len() as u32;
        for l in &g.after {
            ws.write_string(row, 0, l).unwrap();
            row += 1;
        }
        wb.save_to_buffer().unwrap()
    }

    /// One event: (title, deadline, executors, result).
    pub type Event = (&'static str, &'static str, &'static str, &'static str);

    /// The plan's content: sections of events.
    pub const S: [(&str, &[Event]); 3] = [
        (
            "Организационно-методическое обеспечение",
            &[
                (
                    "Проведение заседаний руководителей районных методических объединений",
                    "ежегодно, август",
                    "Управление образования; методическая служба",
                    "Согласованный план работы",
                ),
                (
                    "Формирование программ муниципальных августовских конференций",
                    "август 2022 года",
                    "Управление образования",
                    "Программа конференции",
                ),
                (
                    "Обеспечение информационной открытости муниципальной системы образования",
                    "в течение года",
                    "МКУ «ИМЦ»",
                    "Публикации на сайте",
                ),
            ],
        ),
        (
            "Развитие профессионального мастерства педагогов",
            &[
                (
                    "Методическое сопровождение участников конкурсов профессионального мастерства",
                    "2022-2024 годы",
                    "МКУ «ИМЦ»",
                    "Не менее 5 участников ежегодно",
                ),
                (
                    "Организация муниципального этапа конкурса «Учитель года»",
                    "февраль 2023 года",
                    "Управление образования",
                    "Победитель муниципального этапа",
                ),
            ],
        ),
        (
            "Поддержка молодых педагогов",
            &[
                (
                    "Работа школы молодого педагога",
                    "ежеквартально",
                    "МКУ «ИМЦ»",
                    "Снижение оттока молодых кадров",
                ),
                (
                    "Назначение наставников молодым специалистам",
                    "сентябрь 2022 года",
                    "руководители ОО",
                    "Приказы о наставничестве",
                ),
            ],
        ),
    ];

    const ROMAN: [&str; 3] = ["I", "II", "III"];

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    fn prikaz() -> Vec<String> {
        lines("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ СЕВЕРНОГО РАЙОНА\nПРИКАЗ\nот 14 марта 2022 года № 58\nОб утверждении плана мероприятий по развитию кадрового потенциала\nПРИКАЗЫВАЮ:\n1. Утвердить план мероприятий.\nНачальник управления\nА.В. Смирнова\nПлан мероприятий по развитию кадрового потенциала на 2022-2024 годы")
    }

    fn header(words: &[&str]) -> Vec<C> {
        words.iter().map(|w| t(w)).collect()
    }

    /// Standard layout: act above, full-width numbered section rows.
    pub fn standard() -> Gen {
        let mut rows = vec![header(&[
            "№",
            "Наименование мероприятия",
            "Срок",
            "Ответственные",
            "Ожидаемый результат",
        ])];
        for (si, (st, evs)) in S.iter().enumerate() {
            rows.push(vec![C::T(format!("{}. {st}", si + 1), 5)]);
            for (ei, (ti, d, e, r)) in evs.iter().enumerate() {
                rows.push(vec![
                    t(&format!("{}.{}", si + 1, ei + 1)),
                    t(ti),
                    t(d),
                    t(&e.replace("; ", "\n")),
                    t(r),
                ]);
            }
        }
        Gen {
            before: prikaz(),
            stamp_table: Vec::new(),
            rows,
            after: Vec::new(),
        }
    }

    /// Two-level header «Сроки реализации» over «начало | окончание», stamp above.
    pub fn two_level() -> Gen {
        fn se(d: &str) -> (&str, &str) {
            match d {
                "ежегодно, август" => ("август 2022", "август 2024"),
                "в течение года" => ("январь 2022", "декабрь 2022"),
                "2022-2024 годы" => ("январь 2022", "декабрь 2024"),
                "ежеквартально" => ("сентябрь 2022", "май 2023"),
                other => (other, other),
            }
        }
        let mut rows = vec![
            vec![
                t("№"),
                t("Наименование мероприятия"),
                C::T("Сроки реализации".into(), 2),
                t("Исполнители"),
                t("Отметка о выполнении"),
            ],
            vec![
                C::Down(1),
                C::Down(1),
                t("начало"),
                t("окончание"),
                C::Down(1),
                C::Down(1),
            ],
        ];
        for (si, (st, evs)) in S.iter().enumerate() {
            rows.push(vec![C::T(format!("{}. {st}", si + 1), 6)]);
            for (ei, (ti, d, e, _)) in evs.iter().enumerate() {
                let (a, b) = se(d);
                let done = if si == 0 && ei == 1 {
                    "выполнено"
                } else {
                    ""
                };
                rows.push(vec![
                    t(&format!("{}.{}", si + 1, ei + 1)),
                    t(ti),
                    t(a),
                    t(b),
                    t(e),
                    t(done),
                ]);
            }
        }
        Gen {
            before: lines("УТВЕРЖДАЮ\nНачальник отдела образования\nадминистрации Южного района\n__________ О.П. Кузнецова\n«23» ноября 2021 года\nПлан мероприятий («дорожная карта») по развитию кадрового потенциала на 2021-2025 гг."),
            stamp_table: Vec::new(),
            rows,
            after: Vec::new(),
        }
    }

    /// A column of directions merged down over its events; unnumbered events; an appendix.
    pub fn section_column() -> Gen {
        let mut rows = vec![header(&[
            "Направление",
            "Мероприятие",
            "Сроки",
            "Ответственные",
        ])];
        for (st, evs) in S.iter() {
            for (ei, (ti, d, e, _)) in evs.iter().enumerate() {
                let first = if ei == 0 { t(st) } else { C::Down(1) };
                rows.push(vec![first, t(ti), t(d), t(e)]);
            }
        }
        Gen {
            before: lines("Приложение № 2\nк постановлению администрации района\nот 05.02.2020 № 77\nДорожная карта по развитию кадрового потенциала\nСроки реализации: 2020-2024 гг."),
            stamp_table: Vec::new(),
            rows,
            after: Vec::new(),
        }
    }

    /// A stamp in a borderless table beside «ПРИНЯТО»; Roman section titles split over two
    /// full-width rows.
    pub fn stamp_table_split_titles() -> Gen {
        let mut rows = vec![header(&[
            "№ п/п",
            "Содержание деятельности",
            "Сроки исполнения",
            "Исполнитель",
        ])];
        for (si, (st, evs)) in S.iter().enumerate() {
            let words: Vec<&str> = st.split(' ').collect();
            let h = words.len().div_ceil(2);
            rows.push(vec![C::T(
                format!("{}. {}", ROMAN[si], words[..h].join(" ")),
                4,
            )]);
            if h < words.len() {
                rows.push(vec![C::T(words[h..].join(" "), 4)]);
            }
            for (ei, (ti, d, e, _)) in evs.iter().enumerate() {
                rows.push(vec![t(&format!("{}.", ei + 1)), t(ti), t(d), t(e)]);
            }
        }
        Gen {
            before: lines("План мероприятий на 2022–2024 годы"),
            stamp_table: vec![
                ["ПРИНЯТО".into(), "УТВЕРЖДАЮ".into()],
                [
                    "на заседании методического совета".into(),
                    "Заведующий отделом образования".into(),
                ],
                ["протокол № 3 от 28.08.2023".into(), "И.С. Волков".into()],
                ["".into(), "31.08.2023".into()],
            ],
            rows,
            after: lines("План составлен методическим кабинетом."),
        }
    }

    /// Roman full-width sections, no number column, the act in a footer after the table.
    pub fn footer_act() -> Gen {
        let mut rows = vec![header(&[
            "Мероприятие",
            "Срок",
            "Ответственный исполнитель",
            "Результат",
        ])];
        for (si, (st, evs)) in S.iter().enumerate() {
            rows.push(vec![C::T(format!("{}. {st}", ROMAN[si]), 4)]);
            for (ti, d, e, r) in evs.iter() {
                rows.push(vec![t(ti), t(d), t(e), t(r)]);
            }
        }
        Gen {
            before: lines("План мероприятий по развитию кадрового потенциала на 2022-2024 годы"),
            stamp_table: Vec::new(),
            rows,
            after: lines("УТВЕРЖДЕНО приказом отдела образования от 27 декабря 2019 г. № 88"),
        }
    }

    /// A document of the corpus: its name, bytes, the options that steer it (if it needs
    /// them), and whether the plain import (no options) is right as it is (checked by reading
    /// the golden summary against the document).
    pub struct Case {
        pub name: String,
        pub bytes: Vec<u8>,
        pub steer: Option<Options>,
        pub zero_fixes: bool,
    }

    pub fn cases() -> Vec<Case> {
        let dir = repo().join("tests/fixtures/import");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let name = f.file_stem().unwrap().to_string_lossy().to_string();
            let steer = match name.as_str() {
                "t13-unusual-header" => Some(Options {
                    header_line: Some(17),
                    columns: Some(columns::parse_list("№,мероприятие,срок,исполнители").unwrap()),
                    ..Default::default()
                }),
                "t14-no-header" => Some(Options {
                    columns: Some(columns::parse_list("№,мероприятие,срок,исполнители").unwrap()),
                    ..Default::default()
                }),
                _ => None,
            };
            let zero_fixes = steer.is_none() && !NEEDS_FIXES.contains(&name.as_str());
            out.push(Case {
                name,
                bytes: std::fs::read(&f).unwrap(),
                steer,
                zero_fixes,
            });
        }
        for (name, g) in [
            ("d01-standard", standard()),
            ("d02-two-level-stamp", two_level()),
            ("d03-section-column-appendix", section_column()),
            ("d04-stamp-table-split-titles", stamp_table_split_titles()),
        ] {
            out.push(Case {
                zero_fixes: !NEEDS_FIXES.contains(&name),
                name: name.into(),
                bytes: docx(&g),
                steer: None,
            });
        }
        for (name, g) in [
            ("x01-standard", standard()),
            ("x02-two-level-stamp", two_level()),
            ("x03-section-column-appendix", section_column()),
            ("x04-footer-act", footer_act()),
        ] {
            out.push(Case {
                zero_fixes: !NEEDS_FIXES.contains(&name),
                name: name.into(),
                bytes: xlsx(&g),
                steer: None,
            });
        }
        out
    }

    /// Documents whose plain import needs a hand fix (found by reading their golden summaries).
    pub const NEEDS_FIXES: &[&str] = &[];

    pub fn summary(im: &Imported) -> String {
        let r = &im.roadmap;
        let d = &r.document;
        let mut o = String::new();
        o += &format!("format: {}\n", im.format);
        o += &format!("header line: {}\n", im.header_line);
        o += &format!("approval: {}\n", d.sentence());
        o += &format!("missing: {:?}, draft: {}\n", d.missing(), r.draft);
        o += &format!("issued_by: {}\n", d.issued_by.as_deref().unwrap_or("-"));
        o += &format!("signed_by: {}\n", d.signed_by.as_deref().unwrap_or("-"));
        o += &format!("title: {}\n", r.title);
        o += &format!("period: {:?} – {:?}\n", r.period.from, r.period.to);
        let events: usize = r.sections.iter().map(|s| s.events.len()).sum();
        o += &format!("sections: {}, events: {}\n", r.sections.len(), events);
        for s in &r.sections {
            o += &format!(
                "\n[{}] {} ({})\n",
                s.no.as_deref().unwrap_or("-"),
                s.title,
                s.events.len()
            );
            for e in &s.events {
                o += &format!(
                    "  {} | {} | {} | {} | {} | {}\n",
                    e.no.as_deref().unwrap_or("-"),
                    e.title,
                    e.deadline.as_deref().unwrap_or("-"),
                    e.executors.join(" ; "),
                    e.result.as_deref().unwrap_or("-"),
                    e.done
                        .as_ref()
                        .map(|x| format!("{x:?}"))
                        .unwrap_or_else(|| "-".into())
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
}

#[test]
fn corpus_imports_as_the_goldens_say() {
    let cases = corpus::cases();
    assert!(cases.len() >= 24, "corpus has {} documents", cases.len());
    let mut zero = 0;
    for c in &cases {
        let shown = PathBuf::from(format!("{}.doc", c.name));
        let mut text = match import_bytes(&c.bytes, &shown) {
            Ok(im) => {
                assert!(!im.text.contains("б/н"), "{}: invented number", c.name);
                corpus::summary(&im)
            }
            Err(e) => format!("error: {e}\n"),
        };
        if let Some(opts) = &c.steer {
            text += "\n--- with options ---\n";
            text += &match metodist::import::import_bytes_with(&c.bytes, &shown, opts) {
                Ok(im) => corpus::summary(&im),
                Err(e) => format!("error: {e}\n"),
            };
        }
        golden(&format!("corpus/{}", c.name), &text);
        if c.zero_fixes {
            zero += 1;
        }
    }
    eprintln!("imported with zero hand fixes: {zero} of {}", cases.len());
    // The README states the measured share.
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let claim = format!("{zero} из {}", cases.len());
    assert!(readme.contains(&claim), "README must say «{claim}»");
}

/// A plan approved by a stamp, with no number: imported without invented details, checked,
/// built; the page says what the document says. Without its draft line, a plan missing the
/// act's number is refused by `check` with the file and line.
#[test]
fn stamp_plan_is_published_truthfully_and_a_missing_number_is_refused() {
    let tmp = project("demo");
    let src = repo().join("tests/fixtures/import/t02-cells-per-line-stamp-two-level.txt");
    let o = bin()
        .args(["import", "roadmap"])
        .arg(&src)
        .args(["--department", "demo", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = tmp
        .path()
        .join("content/demo/roadmaps/t02-cells-per-line-stamp-two-level.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("approval: гриф"), "{text}");
    assert!(!text.contains("number:"), "a stamp has no number: {text}");
    assert!(!text.contains("draft"), "{text}");
    let out = tmp.path().join("site");
    let o = bin()
        .args(["build", "--root"])
        .arg(tmp.path())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = walk(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .find(|t| t.contains("act-line"))
        .expect("roadmap page");
    assert!(
        page.contains("Утверждена 23.11.2021 (гриф «УТВЕРЖДАЮ»: О.П. Кузнецова"),
        "{}",
        &page[page.find("act-line").unwrap()..][..300]
    );
    assert!(!page.contains("б/н") && !page.contains("№ </"));
    // Every other output (calendar, open data, feeds, search, the .xlsx) says no more than the
    // document either: no «от» without a date, no «№» without a number.
    let missing_date = regex::Regex::new(r"\bот\s*(№|\)|$)").unwrap();
    let missing_number = regex::Regex::new(r"№\s*(\)|<|\x22|,|;|$)").unwrap();
    let mut seen = 0;
    for path in walk(&out) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let text = match ext {
            "ics" | "json" | "csv" | "xml" | "html" => std::fs::read_to_string(&path).unwrap(),
            "xlsx" => {
                let mut z = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
                let mut t = String::new();
                std::io::Read::read_to_string(
                    &mut z.by_name("xl/sharedStrings.xml").unwrap(),
                    &mut t,
                )
                .unwrap();
                t
            }
            _ => continue,
        };
        if !text.contains("Кузнецова") && !text.contains("УТВЕРЖДАЮ") {
            continue;
        }
        seen += 1;
        let about_approval =
            |l: &&str| l.contains("гриф") || l.contains("Кузнецова") || l.contains("Утвержден");
        for line in text.lines().filter(about_approval) {
            assert!(
                !missing_date.is_match(line)
                    && !missing_number.is_match(line)
                    && !line.contains("б/н"),
                "{}: {line}",
                path.display()
            );
        }
    }
    assert!(
        seen >= 3,
        "the approval is in the page, the .xlsx and the open data at least"
    );

    // An act without a number, its draft line removed by mistake: check refuses it.
    let src = "---\ntitle: \"План\"\ndocument:\n  approval: акт\n  kind: приказ\n  date: 2022-03-14\nperiod: { from: 2022, to: 2024 }\nsections:\n  - title: \"Раздел\"\n    events:\n      - title: \"Совещание\"\n        deadline: \"май 2022\"\n---\n";
    std::fs::write(&file, src).unwrap();
    let o = bin()
        .args(["check", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("t02-cells-per-line-stamp-two-level.md:3") && err.contains("document.number"),
        "{err}"
    );
    // As a draft it is accepted.
    std::fs::write(&file, src.replace("sections:", "draft: true\nsections:")).unwrap();
    let o = bin()
        .args(["check", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// `--dry-run` prints sections, events and their cells and writes nothing; `--columns` and
/// `--header-line` steer a table the importer cannot read alone.
#[test]
fn dry_run_and_steering_options() {
    let tmp = project("demo");
    let src = repo().join("tests/fixtures/import/t13-unusual-header.txt");
    let run = |extra: &[&str]| {
        bin()
            .args(["import", "roadmap"])
            .arg(&src)
            .args(["--department", "demo", "--root"])
            .arg(tmp.path())
            .args(extra)
            .output()
            .unwrap()
    };
    let o = run(&[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("похоже на заголовок таблицы: строка 17") && err.contains("--header-line 17"),
        "{err}"
    );
    let o = run(&[
        "--header-line",
        "17",
        "--columns",
        "№,мероприятие,срок,исполнители",
        "--dry-run",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("раздел: 2. Развитие профессионального мастерства педагогов (2 мероприятия)"),
        "{out}"
    );
    assert!(out.contains("  - 2.2 Организация муниципального этапа конкурса «Учитель года»\n      срок: февраль 2023 года\n      исполнители: Управление образования"), "{out}");
    assert!(
        out.contains("утверждение: Утверждена приказом от 14.03.2022 № 58"),
        "{out}"
    );
    assert!(
        !tmp.path().join("content/demo/roadmaps").exists(),
        "dry run wrote nothing"
    );
    let o = run(&["--columns", "№,что-то"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("«что-то» не понятен"));
}

/// Memory bombs stop early with a Russian error naming the file, before anything large is
/// allocated: a tiny .xlsx whose only cells are A1 and XFD1048576, an .xlsx whose sheet inflates
/// past the limit, an .ods whose repeated rows × columns make billions of cells, and inputs that
/// are not regular files.
#[test]
fn memory_bombs_stop_early() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "№").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let corners = wb.save_to_buffer().unwrap();
    assert!(corners.len() < 8 * 1024, "{} bytes", corners.len());
    let e = import_error(&corners, "corners.xlsx");
    assert!(
        e.contains("corners.xlsx") && e.contains("слишком велик"),
        "{e}"
    );

    type Part<'a> = (&'a str, &'a dyn Fn(&mut dyn Write));
    let zipped = |files: &[Part]| {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            for (name, write) in files {
                z.start_file(*name, opts).unwrap();
                write(&mut z);
            }
            z.finish().unwrap();
        }
        buf.into_inner()
    };
    // 128 MB of spaces inside the sheet: a few hundred KB compressed.
    let big = zipped(&[
        ("[Content_Types].xml", &|w| {
            w.write_all(b"<Types/>").unwrap()
        }),
        ("xl/workbook.xml", &|w| w.write_all(b"<workbook/>").unwrap()),
        ("xl/worksheets/sheet1.xml", &|w| {
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..128 {
                w.write_all(&chunk).unwrap();
            }
        }),
    ]);
    assert!(big.len() < 1 << 20, "{} bytes", big.len());
    let e = import_error(&big, "big.xlsx");
    assert!(
        e.contains("big.xlsx") && e.contains("слишком велика"),
        "{e}"
    );

    let ods = zipped(&[
        ("mimetype", &|w| {
            w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
                .unwrap()
        }),
        ("content.xml", &|w| {
            w.write_all(br#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="A"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap()
        }),
    ]);
    let e = import_error(&ods, "repeat.ods");
    assert!(
        e.contains("repeat.ods") && e.contains("слишком велик"),
        "{e}"
    );

    #[cfg(unix)]
    {
        let e = import_roadmap(Path::new("/dev/zero"), Path::new("/dev/zero")).unwrap_err();
        assert!(
            e.to_string().contains("/dev/zero") && e.to_string().contains("не обычный файл"),
            "{e}"
        );
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("plan.txt");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening a FIFO for reading would block; the check comes before any open.
            let e = import_roadmap(&fifo, Path::new("plan.txt")).unwrap_err();
            assert!(
                e.to_string().contains("plan.txt") && e.to_string().contains("не обычный файл"),
                "{e}"
            );
        }
    }
}
