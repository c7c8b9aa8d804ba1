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
