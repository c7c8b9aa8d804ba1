//! How far a long build has come, for the command line to show: the stage
//! and its counts ("Đọc văn bản 41.200/100.000").
//!
//! One counter for the process, as the `log` crate has one logger: the
//! stages report from deep inside the pipeline (a parallel loop over files,
//! the index's batches, the pages), and threading a reporter through every
//! stage's signature would couple them all to the terminal. The counts are
//! only ever shown: nothing the build writes depends on them.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::messages::{Lang, Localized, count};

/// A stage of the build that is worth counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Loading and checking the Markdown files.
    Reading,
    /// Indexing the documents for search.
    Indexing,
    /// Rendering the pages.
    Writing,
}

impl Stage {
    const ALL: [Stage; 3] = [Stage::Reading, Stage::Indexing, Stage::Writing];
}

/// Per stage: whether it has begun in this build, how many of its items
/// are done, and how many it has.
static STARTED: [AtomicBool; 3] = [const { AtomicBool::new(false) }; 3];
static DONE: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];
static TOTAL: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];

fn index(stage: Stage) -> usize {
    stage as usize
}

/// A stage begins, with `total` items to do.
pub(crate) fn start(stage: Stage, total: usize) {
    let i = index(stage);
    DONE[i].store(0, Ordering::Relaxed);
    TOTAL[i].store(total, Ordering::Relaxed);
    STARTED[i].store(true, Ordering::Release);
}

/// `n` more items of `stage` are done.
pub(crate) fn advance(stage: Stage, n: usize) {
    DONE[index(stage)].fetch_add(n, Ordering::Relaxed);
}

/// Forgets the counts of a previous build (`serve` builds many times).
pub fn reset() {
    for started in &STARTED {
        started.store(false, Ordering::Relaxed);
    }
}

/// The stages begun so far, in order, with their counts (done, total).
pub fn stages() -> Vec<(Stage, usize, usize)> {
    Stage::ALL
        .iter()
        .filter(|s| STARTED[index(**s)].load(Ordering::Acquire))
        .map(|s| {
            let total = TOTAL[index(*s)].load(Ordering::Relaxed);
            (
                *s,
                DONE[index(*s)].load(Ordering::Relaxed).min(total),
                total,
            )
        })
        .collect()
}

/// The line shown for a stage: `Đọc văn bản 41.200/100.000`.
pub fn line(stage: Stage, done: usize, total: usize) -> String {
    line_in(crate::messages::current(), stage, done, total)
}

fn line_in(lang: Lang, stage: Stage, done: usize, total: usize) -> String {
    format!(
        "{} {}/{}",
        stage.text(lang),
        count(lang, done),
        count(lang, total)
    )
}

/// With `KETLUAN_TIMINGS` set, prints to stderr how long the build spent
/// since the previous mark (wall and CPU time of the process): the profile
/// of a build's stages, for whoever tunes them.
pub(crate) fn mark(what: &str) {
    use std::sync::Mutex;
    use std::time::Instant;
    static ENABLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    static LAST: Mutex<Option<(Instant, f64)>> = Mutex::new(None);
    if !*ENABLED.get_or_init(|| std::env::var_os("KETLUAN_TIMINGS").is_some()) {
        return;
    }
    let now = (Instant::now(), cpu_seconds());
    let Ok(mut last) = LAST.lock() else {
        return;
    };
    if let Some((wall, cpu)) = *last {
        eprintln!(
            "timing {what:<28} wall {:>7.3} s  cpu {:>7.3} s",
            now.0.duration_since(wall).as_secs_f64(),
            now.1 - cpu
        );
    }
    *last = Some(now);
}

/// User and system CPU time of the process so far (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 here.
    (ticks(11) + ticks(12)) / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_has_the_stage_and_its_counts() {
        assert_eq!(
            line_in(Lang::Vi, Stage::Reading, 41_200, 100_000),
            "Đọc văn bản 41.200/100.000"
        );
        assert_eq!(
            line_in(Lang::En, Stage::Writing, 1_000, 2_500),
            "Writing pages 1,000/2,500"
        );
    }
}
