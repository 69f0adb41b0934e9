//! metodist: a static site generator for Russian municipal education departments.
//!
//! The modules follow the pipeline, and data flows one way:
//! [`load`] (read and parse content) → [`validate`] (cross-field checks) → [`site`] (the site
//! model: URLs, statuses, taxonomies, rendered Markdown) → [`render`] (Tera templates) →
//! [`output`] (atomic replacement of `public/`). [`build`] runs the pipeline; [`serve`] keeps its
//! results in memory for live preview and rebuilds only what a saved file changes; [`cmd`] holds
//! one thin file per subcommand. Every problem is a [`diagnostics::Diagnostic`].

pub mod alloc;
pub mod build;
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
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod validate;
