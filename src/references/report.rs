//! The maintainer's worklist: cited numbers no archived document has, and
//! citations that could name several. Its text is in `messages/cli.rs`.

use std::path::PathBuf;

/// Where a citation is: file, line, and the citation as written.
#[derive(Clone, Debug)]
pub struct Place {
    pub path: PathBuf,
    pub line: usize,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct MissingNumber {
    pub number: String,
    pub places: Vec<Place>,
}

#[derive(Clone, Debug)]
pub struct AmbiguousCitation {
    pub place: Place,
    pub candidates: Vec<PathBuf>,
}

/// The maintainer's worklist printed by `ketluan check`.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Cited numbers no archived document has, by number.
    pub missing: Vec<MissingNumber>,
    pub ambiguous: Vec<AmbiguousCitation>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.ambiguous.is_empty()
    }

    /// One line for `ketluan build`, which leaves the details to `check`.
    pub fn summary(&self) -> crate::messages::cli::Line {
        crate::messages::cli::Line::References {
            missing: self.missing.len(),
            ambiguous: self.ambiguous.len(),
        }
    }
}

/// The worklist in a build's summary: whole when the build resolved the
/// citations, only its size when the build found nothing changed and
/// repeats what the last one said.
#[derive(Clone, Debug)]
pub enum Worklist {
    Whole(Report),
    Counted { missing: usize, ambiguous: usize },
}

impl Worklist {
    pub fn is_empty(&self) -> bool {
        match self {
            Worklist::Whole(report) => report.is_empty(),
            Worklist::Counted { missing, ambiguous } => *missing == 0 && *ambiguous == 0,
        }
    }

    /// The one line `ketluan build` prints.
    pub fn summary(&self) -> crate::messages::cli::Line {
        match self {
            Worklist::Whole(report) => report.summary(),
            Worklist::Counted { missing, ambiguous } => crate::messages::cli::Line::References {
                missing: *missing,
                ambiguous: *ambiguous,
            },
        }
    }

    /// The list itself, for `ketluan check` (which always resolves).
    pub fn whole(&self) -> Option<&Report> {
        match self {
            Worklist::Whole(report) => Some(report),
            Worklist::Counted { .. } => None,
        }
    }
}
