//! Command-line interface (clap), with help in Russian.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

const TEMPLATE: &str =
    "{about-with-newline}\n\x1b[1mИспользование:\x1b[0m {usage}\n\n{all-args}{after-help}";
const SUB_TEMPLATE: &str =
    "{about-with-newline}\n\x1b[1mИспользование:\x1b[0m {usage}\n\n{all-args}{after-help}";

/// metodist — сайты управлений образованием из Markdown и YAML.
#[derive(Debug, Parser)]
#[command(
    name = "metodist",
    version,
    about = "metodist — генератор сайтов управлений образованием и методических центров.\n\
             Дорожные карты, банк практик, конкурсы и наставничество из Markdown и YAML.",
    help_template = TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Команды",
    after_help = "\nПримеры:\n  metodist build                 собрать сайт в public/\n  metodist check                 проверить содержимое, ничего не записывая\n  metodist serve --open          показать сайт в браузере и обновлять при правках\n  metodist new vidyaevo          создать папку нового управления\n  metodist import roadmap plan.docx --department vidyaevo\n                                 перенести дорожную карту из документа Word\n\nФормат содержимого описан в README.md."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Папка проекта: в ней content/, templates/, themes/, metodist.yaml [по умолчанию: текущая]
    #[arg(
        long,
        global = true,
        value_name = "ПАПКА",
        default_value = ".",
        hide_default_value = true,
        help_heading = "Общие параметры"
    )]
    pub root: PathBuf,
    /// Показать справку
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true, help_heading = "Общие параметры")]
    pub help: Option<bool>,
    /// Показать версию
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "Общие параметры")]
    pub version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Собрать сайты всех управлений в public/
    #[command(help_template = SUB_TEMPLATE, next_help_heading = "Параметры")]
    Build {
        /// Папка для готового сайта [по умолчанию: public/ в папке проекта]
        #[arg(long, value_name = "ПАПКА")]
        out: Option<PathBuf>,
        /// Собирать и черновики (draft: true)
        #[arg(long)]
        drafts: bool,
    },
    /// Проверить всё, что проверяет сборка, ничего не записывая (код выхода 1 при ошибках)
    #[command(help_template = SUB_TEMPLATE, next_help_heading = "Параметры")]
    Check {
        /// Проверять и черновики (draft: true)
        #[arg(long)]
        drafts: bool,
    },
    /// Создать папку нового управления с примером каждого типа материалов
    #[command(help_template = SUB_TEMPLATE, next_help_heading = "Параметры")]
    New {
        /// Имя папки управления латиницей, например vidyaevo (станет адресом сайта)
        #[arg(value_name = "УПРАВЛЕНИЕ")]
        department: String,
    },
    /// Найти материалы в собранном поисковом индексе (сначала выполните build)
    #[command(help_template = SUB_TEMPLATE, next_help_heading = "Параметры")]
    Search {
        /// Что искать: слова в любой форме («молодых педагогов», «наставника»)
        #[arg(value_name = "ЗАПРОС", required = true, num_args = 1..)]
        query: Vec<String>,
        /// Искать только в одном управлении (имя папки, например vidyaevo) [по умолчанию: по всему региону]
        #[arg(long, value_name = "УПРАВЛЕНИЕ")]
        department: Option<String>,
        /// Тип материалов: event, indicator, roadmap, practice, contest, mentoring, page
        #[arg(long = "type", value_name = "ТИП")]
        kind: Option<String>,
        /// Вывести результаты в JSON
        #[arg(long)]
        json: bool,
        /// Сколько результатов показать
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Папка собранного сайта [по умолчанию: public/ в папке проекта]
        #[arg(long, value_name = "ПАПКА")]
        out: Option<PathBuf>,
    },
    /// Показать сайт в браузере и обновлять его при каждом сохранении файла
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Параметры",
        after_help = "\nПример:\n  metodist serve --open          собрать, открыть http://127.0.0.1:1111/ и следить за правками\n\nСтраницы в браузере обновляются сами после каждого сохранения; ошибка в файле\nпоказывается поверх страницы и в терминале, а сайт остаётся прежним, пока ошибку не исправят.\nПапка public/ не изменяется: сайт собирается в памяти."
    )]
    Serve {
        /// Порт (0 — любой свободный) [по умолчанию: 1111]
        #[arg(
            long,
            default_value_t = 1111,
            hide_default_value = true,
            value_name = "ПОРТ"
        )]
        port: u16,
        /// Адрес, на котором принимать запросы; 0.0.0.0 — открыть сайт для других компьютеров сети [по умолчанию: 127.0.0.1, только этот компьютер]
        #[arg(
            long,
            default_value = "127.0.0.1",
            hide_default_value = true,
            value_name = "АДРЕС"
        )]
        bind: String,
        /// Открыть сайт в браузере
        #[arg(long)]
        open: bool,
        /// Показывать и черновики (draft: true)
        #[arg(long)]
        drafts: bool,
    },
    /// Перенести готовый документ (Word, Excel, текст) в материалы сайта
    #[command(help_template = SUB_TEMPLATE, subcommand_help_heading = "Что импортировать", disable_help_subcommand = true)]
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Записать JSON Schema всех YAML-типов для автодополнения в редакторе (VS Code)
    #[command(help_template = SUB_TEMPLATE, next_help_heading = "Параметры")]
    Schema {
        /// Куда записать схемы [по умолчанию: schemas/ в папке проекта]
        #[arg(long, value_name = "ПАПКА")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// Дорожную карту из таблицы документа: текст из Word (таблица с табуляциями), Markdown, .docx, .xlsx, .xls, .ods
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Параметры",
        after_help = "\nПример:\n  metodist import roadmap prikaz-146.docx --department krasnoufimsk\n\nКоманда печатает отчёт: что распознано, сколько разделов и мероприятий, какие ячейки\nне удалось разместить и какие сроки не разобраны (с номером строки документа)."
    )]
    Roadmap {
        /// Файл документа: .txt, .md, .docx, .xlsx, .xls или .ods
        #[arg(value_name = "ФАЙЛ")]
        file: PathBuf,
        /// Управление: имя папки в content/, например krasnoufimsk
        #[arg(long, value_name = "УПРАВЛЕНИЕ")]
        department: String,
        /// Куда записать дорожную карту [по умолчанию: content/УПРАВЛЕНИЕ/roadmaps/<имя файла>.md]
        #[arg(long, value_name = "ПУТЬ")]
        out: Option<PathBuf>,
        /// Заменить существующий файл
        #[arg(long)]
        force: bool,
        /// Строка (номер строки файла или строки листа), где начинается заголовок таблицы
        #[arg(long, value_name = "N")]
        header_line: Option<usize>,
        /// Столбцы слева направо: №, мероприятие, срок, начало, окончание, исполнители, результат, отметка, отчёт, раздел, - (пропустить)
        #[arg(long, value_name = "СПИСОК")]
        columns: Option<String>,
        /// Номер столбца (с 1), ячейки которого — разделы (уровни, направления)
        #[arg(long, value_name = "N")]
        sections_from_column: Option<usize>,
        /// Только показать распознанное (разделы, мероприятия, ячейки, реквизиты); ничего не записывать
        #[arg(long)]
        dry_run: bool,
    },
}
