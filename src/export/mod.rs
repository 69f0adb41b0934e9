//! Machine-readable exports of a department: open data sets, roadmap spreadsheets and
//! calendars, Atom feeds. Each function turns the site model into bytes; `render` writes them.

pub mod atom;
pub mod ics;
pub mod opendata;
pub mod xlsx;

/// One file of an export: path relative to the department folder and its bytes.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Absolute department address with a trailing slash, if `base_url` is set.
pub fn base_of(d: &crate::site::Department) -> Option<String> {
    d.site.base_url.as_deref().map(|b| if b.ends_with('/') { b.to_string() } else { format!("{b}/") })
}
