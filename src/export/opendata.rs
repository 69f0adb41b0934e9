//! Open data sets of a department (`opendata/`), following the Russian methodical
//! recommendations on publishing open data (version 3.0): a registry `list.csv`, and per set
//! `meta.csv` (passport), `structure-<date>.csv` and `data-<date>-structure-<date>.csv`, plus
//! JSON copies. UTF-8, comma separator, dates in ISO 8601.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::site::Department;

const STANDARD_VERSION: &str = "http://opendata.gosmonitor.ru/standard/3.0";
const DEFAULT_LICENCE: &str =
    "Открытая лицензия Creative Commons «С указанием авторства» 4.0 (CC BY 4.0)";

/// One field of a set: name (ASCII), Russian title, format (`string`, `date`, `number`).
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub title: &'static str,
    pub format: &'static str,
}

/// One open data set, ready to write.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    /// `<ИНН or department>-<code>`.
    pub identifier: String,
    pub code: &'static str,
    pub title: String,
    pub description: String,
    pub subject: &'static str,
    pub fields: Vec<Field>,
    #[serde(skip)]
    pub rows: Rows,
    pub rows_count: usize,
    pub created: String,
    pub modified: String,
    /// Folder URL relative to the department root: `opendata/<identifier>/`.
    pub url: String,
    pub data_csv: String,
    pub data_json: String,
    pub structure_csv: String,
    pub meta_csv: String,
    pub meta_json: String,
}

/// The rows of a set: listed, or made one at a time from the practice bank when written (a
/// bank of 100 000 practices would otherwise be copied whole into memory, twice).
#[derive(Debug, Clone)]
pub enum Rows {
    Listed(Vec<Vec<String>>),
    Practices,
}

impl Dataset {
    /// Calls `f` with every row, in order.
    fn for_each_row(&self, d: &Department, f: &mut dyn FnMut(Vec<String>)) {
        match &self.rows {
            Rows::Listed(rows) => rows.iter().cloned().for_each(f),
            Rows::Practices => d.practices.iter().map(|p| practice_row(d, p)).for_each(f),
        }
    }
}

fn practice_row(d: &Department, p: &crate::site::PracticeView) -> Vec<String> {
    vec![
        crate::slug::practice_id(&d.site.slug, &p.url),
        p.title.clone(),
        p.organization.clone(),
        p.authors.join("; "),
        p.date_iso.clone(),
        opt(&p.level),
        p.tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        opt(&p.summary),
        p.url.clone(),
    ]
}

const fn f(name: &'static str, title: &'static str, format: &'static str) -> Field {
    Field {
        name,
        title,
        format,
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// The department's data sets. `stamp` is the build date (ISO).
pub(crate) fn datasets(d: &Department, stamp: &str) -> Vec<Dataset> {
    let od = d.site.opendata.clone();
    let prefix = od
        .as_ref()
        .and_then(|o| o.inn.clone())
        .unwrap_or_else(|| d.site.slug.clone());
    let names = od.as_ref().is_some_and(|o| o.mentoring_names);
    let mut sets = Vec::new();
    let mut add = |code: &'static str,
                   title: &str,
                   description: String,
                   subject: &'static str,
                   fields: Vec<Field>,
                   rows: Rows,
                   dates: Vec<String>| {
        let identifier = format!("{prefix}-{code}");
        let created = dates
            .iter()
            .filter(|x| !x.is_empty())
            .min()
            .cloned()
            .unwrap_or_else(|| stamp.to_string());
        let modified = dates
            .iter()
            .filter(|x| !x.is_empty())
            .max()
            .cloned()
            .unwrap_or_else(|| stamp.to_string())
            .max(created.clone());
        let ymd = modified.replace('-', "");
        sets.push(Dataset {
            url: format!("opendata/{identifier}/"),
            data_csv: format!("data-{ymd}-structure-{ymd}.csv"),
            data_json: format!("data-{ymd}-structure-{ymd}.json"),
            structure_csv: format!("structure-{ymd}.csv"),
            meta_csv: "meta.csv".into(),
            meta_json: "meta.json".into(),
            identifier,
            code,
            title: title.to_string(),
            description,
            subject,
            rows_count: match &rows {
                Rows::Listed(r) => r.len(),
                Rows::Practices => d.practices.len(),
            },
            fields,
            rows,
            created,
            modified,
        });
    };

    // Roadmap events.
    let mut rows = Vec::new();
    let mut dates = Vec::new();
    for r in &d.roadmaps {
        dates.push(r.document.date_iso.clone());
        for s in &r.sections {
            for e in &s.events {
                rows.push(vec![
                    r.title.clone(),
                    r.document.reference.clone(),
                    r.document.date_iso.clone(),
                    s.title.clone(),
                    opt(&e.no),
                    e.title.clone(),
                    e.executors.join("; "),
                    opt(&e.deadline),
                    opt(&e.from_iso),
                    opt(&e.to_iso),
                    opt(&e.result),
                    e.status_label.to_string(),
                    opt(&e.done_iso),
                ]);
            }
        }
    }
    add(
        "roadmap-events",
        "Мероприятия дорожных карт",
        format!("Мероприятия дорожных карт (планов мероприятий) органа «{}»: сроки, исполнители, ожидаемые результаты и отметки о выполнении", d.site.name),
        "Образование",
        vec![
            f("roadmap", "Дорожная карта", "string"),
            f("act", "Утверждающий документ", "string"),
            f("act_date", "Дата утверждающего документа", "date"),
            f("section", "Раздел", "string"),
            f("no", "Номер мероприятия", "string"),
            f("title", "Мероприятие", "string"),
            f("executors", "Ответственные исполнители", "string"),
            f("deadline", "Срок (как в документе)", "string"),
            f("date_from", "Начало срока", "date"),
            f("date_to", "Окончание срока", "date"),
            f("result", "Ожидаемый результат", "string"),
            f("status", "Статус", "string"),
            f("done_date", "Дата выполнения", "date"),
        ],
        Rows::Listed(rows),
        dates,
    );

    // Indicators.
    let mut rows = Vec::new();
    for r in &d.roadmaps {
        for i in &r.indicators {
            for y in &i.rows {
                rows.push(vec![
                    r.title.clone(),
                    i.name.clone(),
                    opt(&i.unit),
                    i.baseline.map(|b| b.year.to_string()).unwrap_or_default(),
                    i.baseline.map(|b| num(b.value)).unwrap_or_default(),
                    y.year.to_string(),
                    dot(&y.target),
                    dot(&y.actual),
                ]);
            }
        }
    }
    add(
        "indicators",
        "Целевые показатели дорожных карт",
        format!(
            "Целевые и фактические значения показателей дорожных карт органа «{}» по годам",
            d.site.name
        ),
        "Образование",
        vec![
            f("roadmap", "Дорожная карта", "string"),
            f("indicator", "Показатель", "string"),
            f("unit", "Единица измерения", "string"),
            f("baseline_year", "Год базового значения", "number"),
            f("baseline_value", "Базовое значение", "number"),
            f("year", "Год", "number"),
            f("target", "Целевое значение", "number"),
            f("actual", "Фактическое значение", "number"),
        ],
        Rows::Listed(rows),
        d.roadmaps
            .iter()
            .map(|r| r.document.date_iso.clone())
            .collect(),
    );

    // Practice bank.
    add(
        "practices",
        "Банк лучших практик",
        format!("Лучшие педагогические и управленческие практики образовательных организаций, опубликованные органом «{}»", d.site.name),
        "Образование",
        vec![
            f("id", "Идентификатор практики", "string"),
            f("title", "Название", "string"),
            f("organization", "Образовательная организация", "string"),
            f("authors", "Авторы", "string"),
            f("date", "Дата публикации", "date"),
            f("level", "Уровень образования", "string"),
            f("tags", "Темы", "string"),
            f("summary", "Краткое описание", "string"),
            f("url", "Адрес страницы практики", "string"),
        ],
        Rows::Practices,
        d.practices.iter().map(|p| p.date_iso.clone()).collect(),
    );

    // Contest results.
    let mut rows = Vec::new();
    for c in &d.contests {
        for r in &c.results {
            rows.push(vec![
                c.title.clone(),
                c.year.to_string(),
                c.level.to_string(),
                opt(&r.nomination),
                r.participant.clone(),
                opt(&r.organization),
                r.status_label.to_string(),
            ]);
        }
    }
    add(
        "contest-results",
        "Результаты конкурсов профессионального мастерства",
        format!("Победители, призёры и участники конкурсов профессионального мастерства, проведённых органом «{}» или с участием его педагогов", d.site.name),
        "Образование",
        vec![
            f("contest", "Конкурс", "string"),
            f("year", "Год", "number"),
            f("level", "Уровень конкурса", "string"),
            f("nomination", "Номинация", "string"),
            f("participant", "Участник", "string"),
            f("organization", "Организация", "string"),
            f("status", "Результат", "string"),
        ],
        Rows::Listed(rows),
        d.contests.iter().map(|c| format!("{}-12-31", c.year).min(stamp.to_string())).collect(),
    );

    // Mentoring.
    let mut fields = vec![
        f("title", "Название", "string"),
        f("form", "Форма наставничества", "string"),
        f("organization", "Организация", "string"),
        f("period_from", "Начало", "date"),
        f("period_to", "Окончание", "date"),
    ];
    if names {
        fields.push(f("mentor", "Наставник", "string"));
        fields.push(f("mentee", "Наставляемый", "string"));
    }
    let rows = d
        .mentoring
        .iter()
        .map(|m| {
            let mut row = vec![
                m.title.clone(),
                m.form.clone(),
                opt(&m.organization),
                opt(&m.period_from_iso),
                opt(&m.period_to_iso),
            ];
            if names {
                row.push(m.mentor.name.clone());
                row.push(m.mentee.name.clone());
            }
            row
        })
        .collect();
    add(
        "mentoring",
        "Наставнические пары",
        if names {
            format!("Наставнические пары органа «{}»: формы, организации, сроки, имена наставников и наставляемых", d.site.name)
        } else {
            format!("Наставнические пары органа «{}»: формы, организации и сроки (имена не публикуются)", d.site.name)
        },
        "Образование",
        fields,
        Rows::Listed(rows),
        d.mentoring
            .iter()
            .filter_map(|m| m.period_from_iso.clone())
            .collect(),
    );
    sets
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A preformatted number («12,5», «—») as open data wants it («12.5», empty).
fn dot(s: &str) -> String {
    if s == "—" {
        String::new()
    } else {
        s.replace(',', ".")
    }
}

/// One CSV field (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    for r in rows {
        out.push_str(&r.iter().map(|x| csv_field(x)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The passport rows (property, value) of a set.
pub fn passport(d: &Department, s: &Dataset) -> Vec<(String, String)> {
    let od = d.site.opendata.as_ref();
    let responsible = od
        .and_then(|o| o.responsible.as_ref())
        .map(|p| match &p.position {
            Some(pos) => format!("{}, {pos}", p.name),
            None => p.name.clone(),
        });
    let phone = od
        .and_then(|o| o.phone.clone())
        .or_else(|| d.site.phones.first().cloned());
    let email = od
        .and_then(|o| o.email.clone())
        .or_else(|| d.site.email.clone());
    let licence = od
        .and_then(|o| o.licence.clone())
        .unwrap_or_else(|| DEFAULT_LICENCE.into());
    let ymd = s.modified.replace('-', "");
    vec![
        ("standardversion".into(), STANDARD_VERSION.into()),
        ("identifier".into(), s.identifier.clone()),
        ("title".into(), s.title.clone()),
        ("description".into(), s.description.clone()),
        (
            "creator".into(),
            d.site
                .full_name
                .clone()
                .unwrap_or_else(|| d.site.name.clone()),
        ),
        ("created".into(), s.created.clone()),
        ("modified".into(), s.modified.clone()),
        ("subject".into(), s.subject.into()),
        ("format".into(), "csv".into()),
        (format!("data-{ymd}-structure-{ymd}"), s.data_csv.clone()),
        (format!("structure-{ymd}"), s.structure_csv.clone()),
        (
            "publishername".into(),
            responsible.unwrap_or_else(|| {
                d.site
                    .head
                    .as_ref()
                    .map(|h| h.name.clone())
                    .unwrap_or_default()
            }),
        ),
        ("publisherphone".into(), phone.unwrap_or_default()),
        ("publishermbox".into(), email.unwrap_or_default()),
        ("valid".into(), String::new()),
        (
            "provenance".into(),
            "Обновляется при каждой публикации сайта".into(),
        ),
        ("license".into(), licence),
    ]
}

/// One data row as a JSON object (field name → value; numbers as numbers, empty as null).
fn row_object(fields: &[Field], r: &[String]) -> Value {
    let m: Map<String, Value> = fields
        .iter()
        .zip(r)
        .map(|(f, v)| {
            let val = if v.is_empty() {
                Value::Null
            } else if f.format == "number" {
                v.parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(|n| {
                        if n.as_f64().is_some_and(|x| x.fract() == 0.0) {
                            json!(n.as_f64().unwrap_or_default() as i64)
                        } else {
                            Value::Number(n)
                        }
                    })
                    .unwrap_or_else(|| json!(v))
            } else {
                json!(v)
            };
            (f.name.to_string(), val)
        })
        .collect();
    Value::Object(m)
}

/// The data files of every set (`data-….csv` and `data-….json`), written a row at a time.
pub(crate) fn data_files<'a>(d: &'a Department, sets: &[Dataset]) -> Vec<super::Stream<'a>> {
    let mut out = Vec::new();
    for s in sets {
        let dir = &s.url;
        // Each writer owns its data set: the plan outlives the list it was made from.
        let set = std::sync::Arc::new(s.clone());
        let s = set.clone();
        out.push(super::Stream {
            path: format!("{dir}{}", s.data_csv),
            write: Box::new(move |w| {
                w.write_all(
                    csv(std::iter::once(
                        s.fields.iter().map(|f| f.name.to_string()).collect(),
                    ))
                    .as_bytes(),
                )?;
                let mut result = Ok(());
                s.for_each_row(d, &mut |r| {
                    if result.is_ok() {
                        result = w.write_all(csv(std::iter::once(r)).as_bytes());
                    }
                });
                result
            }),
        });
        let s = set;
        out.push(super::Stream {
            path: format!("{dir}{}", s.data_json),
            write: Box::new(move |w| {
                /// The rows as a JSON array, made while it is written.
                struct Objects<'a>(&'a Department, &'a Dataset);
                impl Serialize for Objects<'_> {
                    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
                        use serde::ser::SerializeSeq;
                        let mut seq = ser.serialize_seq(Some(self.1.rows_count))?;
                        let mut result = Ok(());
                        self.1.for_each_row(self.0, &mut |r| {
                            if result.is_ok() {
                                result = seq.serialize_element(&row_object(&self.1.fields, &r));
                            }
                        });
                        result?;
                        seq.end()
                    }
                }
                serde_json::to_writer_pretty(w, &Objects(d, &s)).map_err(std::io::Error::other)
            }),
        });
    }
    out
}

/// Every other file of `opendata/` (paths relative to the department folder): structures,
/// passports and the registry.
pub fn files(d: &Department, sets: &[Dataset]) -> Vec<super::File> {
    let mut out = Vec::new();
    let mut list = vec![
        vec![
            "property".into(),
            "title".into(),
            "value".into(),
            "format".into(),
        ],
        vec![
            "standardversion".into(),
            "Версия методических рекомендаций".into(),
            STANDARD_VERSION.into(),
            String::new(),
        ],
    ];
    for s in sets {
        let dir = &s.url;
        let mut st = vec![vec![
            "field name".into(),
            "english description".into(),
            "russian description".into(),
            "format".into(),
        ]];
        st.extend(s.fields.iter().map(|f| {
            vec![
                f.name.to_string(),
                f.name.replace('_', " "),
                f.title.to_string(),
                f.format.to_string(),
            ]
        }));
        out.push(super::File {
            path: format!("{dir}{}", s.structure_csv),
            bytes: csv(st).into_bytes(),
        });
        let pass = passport(d, s);
        let mut meta = vec![vec!["property".into(), "value".into()]];
        meta.extend(pass.iter().map(|(k, v)| vec![k.clone(), v.clone()]));
        out.push(super::File {
            path: format!("{dir}meta.csv"),
            bytes: csv(meta).into_bytes(),
        });
        let mut mj = Map::new();
        for (k, v) in &pass {
            mj.insert(k.clone(), json!(v));
        }
        mj.insert("structure".into(), json!(s.fields));
        out.push(super::File {
            path: format!("{dir}meta.json"),
            bytes: serde_json::to_vec_pretty(&Value::Object(mj)).unwrap_or_default(),
        });
        list.push(vec![
            s.identifier.clone(),
            s.title.clone(),
            format!("{}/meta.csv", s.identifier),
            "csv".into(),
        ]);
    }
    out.push(super::File {
        path: "opendata/list.csv".into(),
        bytes: csv(list).into_bytes(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The data files written a row at a time are the CSV and the pretty JSON of all the rows.
    #[test]
    fn streamed_data_files_equal_the_whole_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::build::check(root, false)
            .site
            .expect("the demo builds");
        for d in &site.departments {
            let sets = datasets(d, "2024-01-01");
            let streams = data_files(d, &sets);
            assert_eq!(streams.len(), sets.len() * 2);
            for (s, pair) in sets.iter().zip(streams.chunks(2)) {
                let mut rows = Vec::new();
                s.for_each_row(d, &mut |r| rows.push(r));
                assert_eq!(rows.len(), s.rows_count);
                let mut table = vec![s
                    .fields
                    .iter()
                    .map(|f| f.name.to_string())
                    .collect::<Vec<_>>()];
                table.extend(rows.iter().cloned());
                let objects: Vec<Value> = rows.iter().map(|r| row_object(&s.fields, r)).collect();
                let (mut csv_out, mut json_out) = (Vec::new(), Vec::new());
                (pair[0].write)(&mut csv_out).unwrap();
                (pair[1].write)(&mut json_out).unwrap();
                assert_eq!(
                    String::from_utf8(csv_out).unwrap(),
                    csv(table),
                    "{}",
                    s.identifier
                );
                assert_eq!(
                    json_out,
                    serde_json::to_vec_pretty(&objects).unwrap(),
                    "{}",
                    s.identifier
                );
            }
        }
    }
}
