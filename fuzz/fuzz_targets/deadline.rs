//! The free-text deadline parser («В течение года», «ноябрь 2021 года», «2021–2024 годы», «1 раз
//! в четверть»…) and the status computed from it, for any text and any period.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use metodist::deadline::{parse, status, Span};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let period = Span { from, to };
    let d = parse(text, period);
    let _ = d.normalized_label();
    let _ = d.outside(period);
    for today in [from, to, NaiveDate::from_ymd_opt(2023, 6, 1).unwrap()] {
        let _ = status(&d, false, today, period);
        let _ = status(&d, true, today, period);
    }
});
