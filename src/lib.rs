//! metodist: a static site generator for Russian municipal education departments.
//!
//! The modules follow the pipeline, and data flows one way (no module uses one that uses it;
//! `tests/architecture.rs` checks it):
//! [`load`] (read and parse content) → [`validate`] (cross-field checks) → [`site`] (the site
//! model: URLs, statuses, taxonomies, rendered Markdown) → [`render`] (the table of page kinds,
//! rendered with Tera templates) and [`export`] (open data, spreadsheets, calendars, feeds) →
//! [`outputs`] (every file of the site, written into an [`output::Sink`]: the atomic staging
//! folder of [`output`] for `build`). [`build`] runs the pipeline; [`serve`] keeps its results
//! in memory for live preview, renders pages on request from the same table and rebuilds only
//! what a saved file changes; [`cmd`] holds one thin file per subcommand.
//!
//! Below the stages: [`text`] (escaping, percent coding, HTML to text, Russian word lists),
//! [`spelling`] (typo suggestions, mixed-script words), [`slug`], [`deadline`], [`chart`],
//! [`feeds`] (reading other districts' feeds), [`search`] (the index and its browser export),
//! [`timing`]. Every problem is a [`diagnostics::Diagnostic`]. The one deliberate back-flow:
//! practice bodies are not kept in the model but read again when their page renders (bounded
//! memory), see [`outputs::pages`]. `ARCHITECTURE.md` has the map.

pub mod alloc;
pub mod build;
pub mod chart;
pub mod cli;
pub mod cmd;
pub mod deadline;
pub mod diagnostics;
pub mod export;
pub mod feeds;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod outputs;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod spelling;
pub mod text;
pub mod timing;
pub mod validate;
