//! The content model: plain data exactly as a methodist writes it in YAML.
//!
//! Every struct here is deserialized from `department.yaml` or from the YAML front matter of a
//! Markdown file. Unknown fields are rejected (`deny_unknown_fields`) so that a typo such as
//! `titel:` is reported instead of silently ignored. The same structs generate the JSON Schemas
//! written by `metodist schema`, so the editor's autocompletion always matches the parser.
//!
//! Behaviour lives in the stages that need it (`validate`, `site`, `render`), not here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `metodist.yaml` at the root of a project: optional portal-wide settings.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Title of the portal page `public/index.html` that lists every department.
    #[serde(default = "default_portal_title")]
    pub title: String,
    /// Short description shown under the portal title.
    #[serde(default)]
    pub description: Option<String>,
    /// Theme folder name under `themes/` (the built-in theme is `default`).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Practices per page in the practice bank lists.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    /// Absolute URL of the portal (used in sitemap.xml), e.g. `https://imc.example.ru/`.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Date used as "today" for event statuses (ISO 8601). Default: the build date.
    #[serde(default)]
    pub today: Option<NaiveDate>,
    /// Build the search index, the search pages and the search box (default: true).
    #[serde(default = "default_true")]
    pub search: bool,
}

fn default_true() -> bool {
    true
}

fn default_portal_title() -> String {
    "Методические порталы управлений образованием".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_page_size() -> usize {
    20
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: default_portal_title(),
            description: None,
            theme: default_theme(),
            page_size: default_page_size(),
            base_url: None,
            today: None,
            search: true,
        }
    }
}

/// `content/<slug>/department.yaml`: one municipal education department or methodical centre.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Short name shown in the header, e.g. «Управление образованием ГО Красноуфимск».
    pub name: String,
    /// Full official name as in the charter.
    #[serde(default)]
    pub full_name: Option<String>,
    /// Region (субъект РФ), e.g. «Свердловская область».
    #[serde(default)]
    pub region: Option<String>,
    /// Municipality, e.g. «Городской округ Красноуфимск».
    #[serde(default)]
    pub municipality: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// Phone numbers as they should be printed.
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Working hours, free text: «Пн–Пт 8:00–17:00, обед 12:00–13:00».
    #[serde(default)]
    pub working_hours: Option<String>,
    /// Head of the department.
    #[serde(default)]
    pub head: Option<Person>,
    /// Absolute URL where this department's site will be published (for sitemap.xml).
    #[serde(default)]
    pub base_url: Option<String>,
    /// Logo file, relative to the department folder (e.g. `files/logo.png`).
    #[serde(default)]
    pub logo: Option<String>,
    /// Free-text description shown on the home page.
    #[serde(default)]
    pub description: Option<String>,
    /// Structure of the body (8-ФЗ): divisions with their heads and contacts, shown on the page
    /// «Сведения об органе».
    #[serde(default)]
    pub divisions: Vec<Division>,
    /// Normative documents that govern the body (положение, устав, регламенты …).
    #[serde(default)]
    pub documents: Vec<NormativeDocument>,
    /// Settings of the open data section (`opendata/`).
    #[serde(default)]
    pub opendata: Option<OpenData>,
    /// Practice bank feeds of other districts: paths to downloaded copies of their
    /// `feeds/practices.json`, relative to the department folder (e.g. `feeds/vidyaevo.json`).
    #[serde(default)]
    pub feeds: Vec<String>,
}

/// A division (отдел, сектор, подведомственное учреждение) of the body.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Division {
    pub name: String,
    #[serde(default)]
    pub head: Option<Person>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// What the division does, one or two sentences.
    #[serde(default)]
    pub functions: Option<String>,
}

/// A normative document of the body: a link to the text or a file in `files/`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NormativeDocument {
    /// Title as printed: «Положение об Управлении образованием».
    pub title: String,
    /// Kind of the act, free text: «постановление», «решение Думы».
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Text of the act in `files/`.
    #[serde(default)]
    pub file: Option<String>,
    /// Or a link to the official publication (https://…).
    #[serde(default)]
    pub url: Option<String>,
}

/// Passport data of the open data sets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenData {
    /// ИНН of the body: the first part of every dataset identifier (`<ИНН>-roadmap-events`).
    /// Default: the department's folder name.
    #[serde(default)]
    pub inn: Option<String>,
    /// Person responsible for the open data.
    #[serde(default)]
    pub responsible: Option<Person>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Licence of the data. Default: «Открытая лицензия (CC BY 4.0)».
    #[serde(default)]
    pub licence: Option<String>,
    /// Publish the names of mentors and mentees in the mentoring dataset (default: false —
    /// only forms, organizations and periods).
    #[serde(default)]
    pub mentoring_names: bool,
}

/// A named person with a position.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub position: Option<String>,
}

/// Kind of the approving act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum DocumentKind {
    #[serde(rename = "приказ")]
    Prikaz,
    #[serde(rename = "постановление")]
    Postanovlenie,
    #[serde(rename = "распоряжение")]
    Rasporyazhenie,
    #[serde(rename = "решение")]
    Reshenie,
}

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Prikaz => "Приказ",
            DocumentKind::Postanovlenie => "Постановление",
            DocumentKind::Rasporyazhenie => "Распоряжение",
            DocumentKind::Reshenie => "Решение",
        }
    }
}

/// How a roadmap was approved, as the document itself says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Approval {
    /// By an act (приказ, постановление …): kind, number, date, issuer.
    #[default]
    #[serde(rename = "акт")]
    Act,
    /// By a stamp «УТВЕРЖДАЮ»: the signatory's position and name, a date, no number.
    #[serde(rename = "гриф")]
    Stamp,
    /// As an appendix to an act: «Приложение № 4 к приказу … от … № …».
    #[serde(rename = "приложение")]
    Appendix,
}

/// The approval of a roadmap: the act (приказ, постановление …), the stamp «УТВЕРЖДАЮ» or the act
/// the plan is an appendix to. A detail the document does not give stays empty; a roadmap whose
/// approval lacks a detail it needs must stay a draft (`metodist check` refuses it otherwise).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// `акт` (default), `гриф` («УТВЕРЖДАЮ») or `приложение` (to an act).
    #[serde(default)]
    pub approval: Approval,
    /// Kind of the act; not used by a stamp.
    #[serde(default)]
    pub kind: Option<DocumentKind>,
    /// Number as printed, e.g. «146» or «209 "Б"»; a stamp has none.
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Number of the appendix («4» in «Приложение № 4 к приказу …»).
    #[serde(default)]
    pub appendix: Option<String>,
    /// Body that issued the act.
    #[serde(default)]
    pub issued_by: Option<String>,
    /// Who signed it, with position: «Е.А. Вахрушева, начальник управления»; for a stamp, who
    /// approved the plan.
    #[serde(default)]
    pub signed_by: Option<String>,
    /// Title of the act: «Об утверждении Плана мероприятий …».
    #[serde(default)]
    pub title: Option<String>,
    /// Scan or text of the act in `files/`.
    #[serde(default)]
    pub file: Option<String>,
}

impl DocumentKind {
    /// Instrumental case: «приказом».
    pub fn instrumental(self) -> &'static str {
        match self {
            DocumentKind::Prikaz => "приказом",
            DocumentKind::Postanovlenie => "постановлением",
            DocumentKind::Rasporyazhenie => "распоряжением",
            DocumentKind::Reshenie => "решением",
        }
    }
    /// Dative case: «к приказу».
    pub fn dative(self) -> &'static str {
        match self {
            DocumentKind::Prikaz => "приказу",
            DocumentKind::Postanovlenie => "постановлению",
            DocumentKind::Rasporyazhenie => "распоряжению",
            DocumentKind::Reshenie => "решению",
        }
    }
}

impl Document {
    /// Details the approval needs but lacks, as the YAML field names.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        match self.approval {
            Approval::Act | Approval::Appendix => {
                if self.kind.is_none() {
                    m.push("kind");
                }
                if self.number.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    m.push("number");
                }
                if self.date.is_none() {
                    m.push("date");
                }
            }
            Approval::Stamp => {
                if self
                    .signed_by
                    .as_deref()
                    .is_none_or(|n| n.trim().is_empty())
                {
                    m.push("signed_by");
                }
                if self.date.is_none() {
                    m.push("date");
                }
            }
        }
        m
    }

    /// The act in a few words, nominative: «приказ от 21.06.2023 № 146», «гриф «УТВЕРЖДАЮ» от
    /// 23.11.2021»; only the details the document gives.
    pub fn reference(&self) -> String {
        let mut o = match (self.approval, self.kind) {
            (Approval::Stamp, _) => "гриф «УТВЕРЖДАЮ»".to_string(),
            (_, Some(k)) => k.label().to_lowercase(),
            (_, None) => "акт".to_string(),
        };
        if let Some(d) = self.date {
            o += &format!(" от {}", d.format("%d.%m.%Y"));
        }
        if let Some(n) = self.number.as_deref().filter(|n| !n.trim().is_empty()) {
            o += &format!(" № {}", n.trim());
        }
        o
    }

    /// The sentence a page prints about the approval, true to the document and with no case
    /// form of a name needed (the issuer is printed apart, in the nominative; a stamp's
    /// signatory follows a colon).
    pub fn sentence(&self) -> String {
        let date = self.date.map(|d| format!(" от {}", d.format("%d.%m.%Y")));
        let number = self
            .number
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .map(|n| format!(" № {}", n.trim()));
        let tail = format!(
            "{}{}",
            date.clone().unwrap_or_default(),
            number.unwrap_or_default()
        );
        match self.approval {
            Approval::Act => match self.kind {
                Some(k) => format!("Утверждена {}{tail}", k.instrumental()),
                None => format!("Утверждена актом{tail}"),
            },
            Approval::Appendix => {
                let app = self
                    .appendix
                    .as_deref()
                    .filter(|a| !a.trim().is_empty())
                    .map(|a| format!(" № {}", a.trim()))
                    .unwrap_or_default();
                match self.kind {
                    Some(k) => format!("Приложение{app} к {}{tail}", k.dative()),
                    None => format!("Приложение{app} к акту{tail}"),
                }
            }
            Approval::Stamp => {
                let mut s = "Утверждена".to_string();
                if let Some(d) = self.date {
                    s += &format!(" {}", d.format("%d.%m.%Y"));
                }
                match self.signed_by.as_deref().filter(|s| !s.trim().is_empty()) {
                    Some(who) => s + &format!(" (гриф «УТВЕРЖДАЮ»: {})", who.trim()),
                    None => s + " (гриф «УТВЕРЖДАЮ»)",
                }
            }
        }
    }
}

/// A year (`2023`) or a date (`2023-09-01`): the bound of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum PeriodBound {
    Year(i32),
    Date(NaiveDate),
}

impl PeriodBound {
    /// First day the bound covers.
    pub(crate) fn first_day(self) -> NaiveDate {
        match self {
            PeriodBound::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default(),
            PeriodBound::Date(d) => d,
        }
    }
    /// Last day the bound covers.
    pub(crate) fn last_day(self) -> NaiveDate {
        match self {
            PeriodBound::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default(),
            PeriodBound::Date(d) => d,
        }
    }
}

/// A period of validity: `from: 2023`, `to: 2025` or exact dates.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: PeriodBound,
    pub to: PeriodBound,
}

/// Front matter of `roadmaps/*.md`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Roadmap {
    pub title: String,
    /// The approving act.
    pub document: Document,
    pub period: Period,
    /// Responsible coordinator: «О.И. Ботова, ведущий специалист».
    #[serde(default)]
    pub coordinator: Option<String>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Attachments in `files/`.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// A draft is built only with `metodist build --drafts`.
    #[serde(default)]
    pub draft: bool,
    /// URL name override (ASCII letters, digits and hyphens). Default: transliterated file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Date of the last update shown on the page (ISO 8601).
    #[serde(default)]
    pub updated: Option<NaiveDate>,
}

/// A section of a roadmap's table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Number as printed («1.», «IV»), may be empty.
    #[serde(default)]
    pub no: Option<String>,
    pub title: String,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One row (мероприятие) of a roadmap.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Number as printed in the document («1.1», «7»). Kept for display only.
    #[serde(default)]
    pub no: Option<String>,
    /// Stable anchor (ASCII letters, digits, hyphens). Default: `s<section>-e<position>`.
    #[serde(default)]
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub executors: Vec<String>,
    /// Deadline in the document's own words: «В течение года», «ноябрь 2021 года».
    #[serde(default)]
    pub deadline: Option<String>,
    /// Expected result.
    #[serde(default)]
    pub result: Option<String>,
    /// The event is done (or the date it was done).
    #[serde(default)]
    pub done: Option<Done>,
    /// Short report on what was done.
    #[serde(default)]
    pub report: Option<String>,
}

/// `done: true` or `done: 2024-05-20`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Done {
    Flag(bool),
    On(NaiveDate),
}

impl Done {
    pub(crate) fn is_done(self) -> bool {
        !matches!(self, Done::Flag(false))
    }
}

/// A target indicator (показатель) of a roadmap.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub name: String,
    /// Unit: «%», «чел.», «ед.».
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// Target value per year: `{2022: 20, 2023: 30}`.
    #[serde(default)]
    pub targets: BTreeMap<i32, f64>,
    /// Actual value per year.
    #[serde(default)]
    pub actual: BTreeMap<i32, f64>,
}

/// The starting value of an indicator.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub year: i32,
    pub value: f64,
}

/// A file in the department's `files/` folder, or an external link.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub title: String,
    /// Path relative to the department folder: `files/plan.pdf`.
    pub file: String,
    /// Date of publication (ISO 8601), shown next to the file.
    #[serde(default)]
    pub published: Option<NaiveDate>,
}

/// Front matter of `practices/*.md`: one entry of the practice bank.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub title: String,
    /// Educational organization where the practice is used.
    pub organization: String,
    #[serde(default)]
    pub authors: Vec<String>,
    /// Date of publication.
    pub date: NaiveDate,
    /// Level of education: дошкольное, начальное общее, основное общее, среднее общее,
    /// дополнительное …
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default, deserialize_with = "bounded_tags")]
    #[schemars(length(max = 50))]
    pub tags: Vec<String>,
    /// One or two sentences for lists and search results.
    #[serde(default)]
    pub summary: Option<String>,
    /// Results achieved.
    #[serde(default)]
    pub results: Vec<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// A draft is built only with `metodist build --drafts`.
    #[serde(default)]
    pub draft: bool,
    /// URL name override (ASCII letters, digits and hyphens). Default: transliterated file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Date of the last update shown on the page (ISO 8601).
    #[serde(default)]
    pub updated: Option<NaiveDate>,
}

/// Level of a contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ContestLevel {
    #[serde(rename = "школьный")]
    School,
    #[serde(rename = "муниципальный")]
    Municipal,
    #[serde(rename = "региональный")]
    Regional,
    #[serde(rename = "всероссийский")]
    National,
}

impl ContestLevel {
    pub fn label(self) -> &'static str {
        match self {
            ContestLevel::School => "школьный",
            ContestLevel::Municipal => "муниципальный",
            ContestLevel::Regional => "региональный",
            ContestLevel::National => "всероссийский",
        }
    }
}

/// Status of a contest participant.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum ResultStatus {
    #[serde(rename = "победитель")]
    Winner,
    #[serde(rename = "призёр", alias = "призер")]
    Prizewinner,
    #[serde(rename = "лауреат")]
    Laureate,
    #[serde(rename = "участник")]
    Participant,
}

impl ResultStatus {
    pub fn label(self) -> &'static str {
        match self {
            ResultStatus::Winner => "победитель",
            ResultStatus::Prizewinner => "призёр",
            ResultStatus::Laureate => "лауреат",
            ResultStatus::Participant => "участник",
        }
    }
}

/// Front matter of `contests/*.md`: a professional skills contest and its results.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contest {
    pub title: String,
    pub year: i32,
    pub level: ContestLevel,
    #[serde(default)]
    pub nominations: Vec<String>,
    #[serde(default)]
    pub results: Vec<ContestResult>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// A draft is built only with `metodist build --drafts`.
    #[serde(default)]
    pub draft: bool,
    /// URL name override (ASCII letters, digits and hyphens). Default: transliterated file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Date of the last update shown on the page (ISO 8601).
    #[serde(default)]
    pub updated: Option<NaiveDate>,
}

/// One line of a contest's results table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContestResult {
    pub participant: String,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub nomination: Option<String>,
    pub status: ResultStatus,
}

/// Front matter of `mentoring/*.md`: one mentoring case (наставническая пара).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mentoring {
    pub title: String,
    /// Form of mentoring: «педагог – педагог», «руководитель – педагог», «студент – педагог» …
    pub form: String,
    pub mentor: Person,
    pub mentee: Person,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub goals: Vec<String>,
    #[serde(default)]
    pub results: Vec<String>,
    #[serde(default, deserialize_with = "bounded_tags")]
    #[schemars(length(max = 50))]
    pub tags: Vec<String>,
    /// A draft is built only with `metodist build --drafts`.
    #[serde(default)]
    pub draft: bool,
    /// URL name override (ASCII letters, digits and hyphens). Default: transliterated file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Date of the last update shown on the page (ISO 8601).
    #[serde(default)]
    pub updated: Option<NaiveDate>,
}

/// Front matter of `pages/*.md`: a free page.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub title: String,
    /// Position in the navigation (smaller first); pages without it are not in the menu.
    #[serde(default)]
    pub menu: Option<i32>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// A draft is built only with `metodist build --drafts`.
    #[serde(default)]
    pub draft: bool,
    /// URL name override (ASCII letters, digits and hyphens). Default: transliterated file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Date of the last update shown on the page (ISO 8601).
    #[serde(default)]
    pub updated: Option<NaiveDate>,
}

// Hand-written deserializers for the two «either-or» values: an untagged enum would lose the
// field's path and line in its error, and its message would be in English. These messages
// start with «значение не подходит», which `load::yaml` passes through as they are.

/// Most tags one document may have. Every tag has a page listing its documents with their tags,
/// so the site grows with tags × documents: 5 000 tags on one practice made 5 000 pages of
/// 5 000 links each (1.4 GB). Real documents have a handful.
pub const MAX_TAGS: usize = 50;

/// `tags`, refused past [`MAX_TAGS`] before the rest is read. (Messages that start with
/// «слишком много» get their hint in `load::yaml`.)
fn bounded_tags<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Tags;
    impl<'de> serde::de::Visitor<'de> for Tags {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut tags = Vec::new();
            while let Some(tag) = seq.next_element::<String>()? {
                if tags.len() == MAX_TAGS {
                    return Err(serde::de::Error::custom(format!(
                        "слишком много тегов: больше {MAX_TAGS}"
                    )));
                }
                tags.push(tag);
            }
            Ok(tags)
        }
    }
    d.deserialize_seq(Tags)
}

struct DoneVisitor;

impl serde::de::Visitor<'_> for DoneVisitor {
    type Value = Done;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("true, false или дата выполнения")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Done, E> {
        Ok(Done::Flag(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Done, E> {
        match v.trim() {
            "да" | "yes" => Ok(Done::Flag(true)),
            "нет" => Ok(Done::Flag(false)),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Done::On).map_err(|_| {
                E::custom(format!("значение не подходит: «{v}» — ожидается «true», «false» или дата выполнения"))
            }),
        }
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Done, E> {
        Err(E::custom(format!(
            "значение не подходит: {v} — ожидается «true», «false» или дата выполнения"
        )))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Done, E> {
        self.visit_i64(v as i64)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Done, E> {
        Err(E::custom(format!(
            "значение не подходит: {v} — ожидается «true», «false» или дата выполнения"
        )))
    }
}

impl<'de> Deserialize<'de> for Done {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DoneVisitor)
    }
}

struct BoundVisitor;

impl serde::de::Visitor<'_> for BoundVisitor {
    type Value = PeriodBound;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("год (2023) или дата (2023-09-01)")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PeriodBound, E> {
        if (1900..=2200).contains(&v) {
            Ok(PeriodBound::Year(v as i32))
        } else {
            Err(E::custom(format!(
                "значение не подходит: {v} — ожидается год (2023) или дата (2023-09-01)"
            )))
        }
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PeriodBound, E> {
        self.visit_i64(v.min(i64::MAX as u64) as i64)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PeriodBound, E> {
        let t = v.trim();
        if let Ok(y) = t.parse::<i64>() {
            return self.visit_i64(y);
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(PeriodBound::Date)
            .map_err(|_| {
                E::custom(format!(
                    "значение не подходит: «{v}» — ожидается год (2023) или дата (2023-09-01)"
                ))
            })
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<PeriodBound, E> {
        Err(E::custom(format!(
            "значение не подходит: {v} — ожидается год (2023) или дата (2023-09-01)"
        )))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<PeriodBound, E> {
        Err(E::custom(format!(
            "значение не подходит: {v} — ожидается год (2023) или дата (2023-09-01)"
        )))
    }
}

impl<'de> Deserialize<'de> for PeriodBound {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoundVisitor)
    }
}
