//! A roadmap as an `.xlsx` workbook laid out like the official table: the act's details above,
//! then «№ | Мероприятие | Ответственные исполнители | Срок | Ожидаемый результат | Отметка о
//! выполнении», a merged row per section; landscape A4, header row repeated on every page.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use crate::site::{Department, RoadmapView};

const HEADERS: [&str; 6] = [
    "№ п/п",
    "Мероприятие",
    "Ответственные исполнители",
    "Срок",
    "Ожидаемый результат",
    "Отметка о выполнении",
];

/// The workbook's bytes.
pub fn roadmap(d: &Department, r: &RoadmapView) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // The same content gives the same bytes (the file's «created» is the act's date, not the
    // build's time), so that an unchanged roadmap is an unchanged file for uploads and tests.
    let ymd: Vec<u16> = r
        .document
        .date_iso
        .split('-')
        .filter_map(|x| x.parse().ok())
        .collect();
    if let [y, m, d] = ymd[..] {
        if let Ok(created) = ExcelDateTime::from_ymd(y, m as u8, d as u8) {
            wb.set_properties(
                &DocProperties::new()
                    .set_title(&r.title)
                    .set_creation_datetime(&created),
            );
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("Дорожная карта")?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let section = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let title = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let right = Format::new().set_text_wrap().set_align(FormatAlign::Right);
    for (c, w) in [6.0, 48.0, 32.0, 18.0, 36.0, 24.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    let doc = &r.document;
    let mut row = 0u32;
    let mut line =
        |ws: &mut rust_xlsxwriter::Worksheet, text: &str, f: &Format| -> Result<(), XlsxError> {
            ws.merge_range(row, 0, row, 5, text, f)?;
            row += 1;
            Ok(())
        };
    // Only what the document says, with no case form of a name needed: the sentence of the
    // site, then the issuer on its own line, in the nominative.
    let approval = match doc.approval.strip_prefix("Утверждена") {
        // The heading of an approved document is set in capitals: «УТВЕРЖДЕНА приказом …».
        Some(rest) => format!("УТВЕРЖДЕНА{rest}"),
        None => doc.approval.clone(),
    };
    line(ws, &approval, &right)?;
    if let Some(issuer) = &doc.issued_by {
        line(ws, issuer, &right)?;
    }
    if let Some(t) = &doc.title {
        line(ws, &format!("«{t}»"), &right)?;
    }
    if let Some(s) = &doc.signed_by {
        line(ws, &format!("Подписал: {s}"), &right)?;
    }
    line(ws, &r.title, &title)?;
    line(
        ws,
        &format!(
            "{} · срок реализации {}",
            d.site.full_name.as_deref().unwrap_or(&d.site.name),
            r.period
        ),
        &title,
    )?;
    row += 1;
    let header_row = row;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &head)?;
    }
    ws.set_repeat_rows(header_row, header_row)?;
    row += 1;
    for s in &r.sections {
        let t = match &s.no {
            Some(no) => format!("{no} {}", s.title),
            None => s.title.clone(),
        };
        ws.merge_range(row, 0, row, 5, &t, &section)?;
        row += 1;
        for e in &s.events {
            let mark = match (&e.done_date, &e.report) {
                (Some(d), Some(rep)) => format!("{} ({d}). {rep}", e.status_label),
                (Some(d), None) => format!("{} ({d})", e.status_label),
                (None, Some(rep)) => format!("{}. {rep}", e.status_label),
                (None, None) => e.status_label.to_string(),
            };
            let cells = [
                e.no.clone().unwrap_or_default(),
                e.title.clone(),
                e.executors.join(";\n"),
                e.deadline.clone().unwrap_or_default(),
                e.result.clone().unwrap_or_default(),
                mark,
            ];
            for (c, v) in cells.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, v, &wrap)?;
            }
            row += 1;
        }
    }
    wb.save_to_buffer()
}
