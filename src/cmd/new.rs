//! `metodist new DEPARTMENT`: a department folder with one commented example of each content
//! type, which builds as it is.

use std::path::Path;
use std::process::ExitCode;

use crate::diagnostics::display_path;

const DEPARTMENT: &str = r#"# yaml-language-server: $schema=../../schemas/department.schema.json
# Сведения об управлении образованием. Обязательно только поле name.
name: "Управление образования (пример)"
full_name: "Управление образования администрации муниципального района (пример)"
region: "Свердловская область"
municipality: "Муниципальный район"
address: "620000, г. Примерный, ул. Ленина, д. 1"
phones: ["+7 (000) 000-00-00"]
email: "uo@example.ru"
working_hours: "Пн–Пт 8:00–17:00, обед 12:00–13:00"
head:
  name: "Иванова Мария Петровна"
  position: "Начальник управления"
# Адрес, по которому сайт будет опубликован (нужен для sitemap.xml):
base_url: "https://uo.example.ru/"
description: "Сайт создан командой metodist new. Замените примеры своими материалами."
"#;

const ROADMAP: &str = r#"---
# Дорожная карта: реквизиты утвердившего акта, период, разделы с мероприятиями, показатели.
title: "План мероприятий («дорожная карта») по развитию наставничества на 2024–2026 годы"
document:
  kind: приказ              # приказ | постановление | распоряжение | решение
  number: "1"
  date: 2024-01-15
  issued_by: "Управление образования"
  signed_by: "М.П. Иванова, начальник управления"
  file: "files/prikaz-1.txt"
period: { from: 2024, to: 2026 }
coordinator: "А.А. Петрова, методист"
sections:
  - no: "1."
    title: "Организационные мероприятия"
    events:
      - no: "1.1"
        title: "Утверждение положения о системе наставничества"
        executors: ["Управление образования"]
        deadline: "февраль 2024 года"     # слова документа, как напечатано
        result: "Положение утверждено"
        done: 2024-02-20
      - no: "1.2"
        id: monitoring             # необязательный постоянный якорь
        title: "Мониторинг наставнических пар"
        executors: ["Методический центр", "Руководители ОО"]
        deadline: "1 раз в четверть"
        result: "Аналитическая справка"
indicators:
  - name: "Доля молодых педагогов, закреплённых за наставниками"
    unit: "%"
    baseline: { year: 2023, value: 40 }
    targets: { 2024: 60, 2025: 80, 2026: 100 }
    actual: { 2024: 65 }
attachments:
  - { title: "Приказ № 1", file: "files/prikaz-1.txt" }
---
Пояснительная записка в Markdown. Ссылка на мероприятие: [мониторинг](#monitoring).
"#;

const PRACTICE: &str = r#"---
# Практика банка лучших практик.
title: "Школа молодого педагога (пример)"
organization: "МАОУ СОШ № 1"
authors: ["Иванова А. П."]
date: 2024-03-01
level: "основное общее"     # дошкольное, начальное общее, основное общее, среднее общее, дополнительное
tags: ["наставничество", "молодые педагоги"]
summary: "Система сопровождения педагогов первых трёх лет работы."
results: ["Все молодые педагоги остались в профессии"]
---
## Описание практики

Текст в Markdown. Ссылка на дорожную карту: [план](../roadmaps/plan.md#monitoring).
"#;

const CONTEST: &str = r#"---
# Конкурс профессионального мастерства и его итоги.
title: "Учитель года – 2024 (пример)"
year: 2024
level: муниципальный        # школьный | муниципальный | региональный | всероссийский
nominations: ["Учитель года", "Педагогический дебют"]
results:
  - participant: "Смирнова Татьяна Игоревна"
    organization: "МАОУ СОШ № 1"
    nomination: "Учитель года"
    status: победитель      # победитель | призёр | лауреат | участник
  - participant: "Петров Пётр Петрович"
    organization: "МАОУ СОШ № 2"
    nomination: "Педагогический дебют"
    status: призёр
---
Итоги конкурса.
"#;

const MENTORING: &str = r#"---
# Наставническая пара.
title: "Вхождение в профессию учителя начальных классов (пример)"
form: "педагог – педагог"   # руководитель – педагог, студент – педагог …
mentor: { name: "Кузнецова Е. А.", position: "учитель высшей категории" }
mentee: { name: "Новикова И. Ю.", position: "учитель, стаж 1 год" }
organization: "МАОУ СОШ № 1"
period: { from: 2024-09-01, to: 2025-05-31 }
goals: ["Освоение рабочей программы"]
results: ["Проведён открытый урок"]
tags: ["наставничество"]
---
Описание случая.
"#;

const PAGE: &str = r#"---
# Свободная страница; menu — место в меню сайта.
title: "О методической службе"
menu: 1
---
Текст страницы в Markdown.
"#;

const FILE: &str = "Приказ № 1 от 15.01.2024 (пример вложения; замените файлом PDF или DOCX).\n";

pub fn run(root: &Path, name: &str) -> ExitCode {
    if !crate::slug::is_valid_slug(name) {
        eprintln!("ошибка: имя «{name}» не годится для адреса сайта");
        eprintln!(
            "  подсказка: используйте латинские буквы, цифры и дефис, например: metodist new {}",
            crate::slug::slugify(name)
        );
        return ExitCode::from(2);
    }
    let dir = root.join("content").join(name);
    if dir.exists() {
        eprintln!(
            "ошибка: папка {} уже существует; ничего не изменено",
            display_path(&dir)
        );
        eprintln!("  подсказка: выберите другое имя или удалите папку");
        return ExitCode::FAILURE;
    }
    let files = [
        ("department.yaml", DEPARTMENT),
        ("roadmaps/plan.md", ROADMAP),
        ("practices/shkola-molodogo-pedagoga.md", PRACTICE),
        ("contests/uchitel-goda-2024.md", CONTEST),
        ("mentoring/para-nachalnye-klassy.md", MENTORING),
        ("pages/o-metodicheskoy-sluzhbe.md", PAGE),
        ("files/prikaz-1.txt", FILE),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        let result = path
            .parent()
            .map(std::fs::create_dir_all)
            .unwrap_or(Ok(()))
            .and_then(|_| std::fs::write(&path, text));
        if let Err(e) = result {
            eprintln!("ошибка: не удалось записать {}: {e}", display_path(&path));
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = super::schema::write(root, &root.join("schemas")) {
        eprintln!("предупреждение: схемы для редактора не записаны: {e}");
    }
    eprintln!(
        "создано управление {}: по одному примеру каждого типа материалов",
        display_path(&dir)
    );
    eprintln!("дальше: отредактируйте department.yaml и запустите metodist build");
    ExitCode::SUCCESS
}
