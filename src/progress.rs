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
