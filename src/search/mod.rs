//! Search: the tantivy index built with the site ([`index`]), the analyzer shared with the
//! browser ([`analyzer`]), and the static export the browser reads ([`export`]).

pub mod analyzer;
pub mod export;
pub mod index;
pub mod stopwords;
