//! Machine-readable exports of a department: open data sets, roadmap spreadsheets and
//! calendars, Atom feeds. Each function turns the site model into bytes; `render` writes them.

pub mod atom;
pub mod feed;
pub mod ics;
pub mod opendata;
pub mod xlsx;

/// One file of an export: path relative to the department folder and its bytes.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A large file of an export, written piece by piece (the data files of a bank of 100 000
/// practices are tens of megabytes each).
pub struct Stream<'a> {
    pub path: String,
    pub write: WriteFn<'a>,
}

/// Writes a [`Stream`]'s bytes.
pub type WriteFn<'a> =
    Box<dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'a>;

/// Absolute department address with a trailing slash, if `base_url` is set.
pub(crate) fn base_of(d: &crate::site::Department) -> Option<String> {
    d.site.base_url.as_deref().map(|b| {
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    })
}
