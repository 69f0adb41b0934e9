//! Stage timings for benchmarks: with `METODIST_TIMINGS=1`, each stage prints how long it took.

use std::time::Instant;

/// With `METODIST_TIMINGS=1`, prints how long the stage that started at `since` took.
pub(crate) fn timing(stage: &str, since: Instant) {
    if std::env::var_os("METODIST_TIMINGS").is_some() {
        eprintln!("[время] {stage}: {:.3} с", since.elapsed().as_secs_f64());
    }
}
