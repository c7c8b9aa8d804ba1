//! The maintainer's worklist: cited numbers no archived document has, and
//! citations that could name several.

use std::fmt;
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
    pub fn summary(&self) -> String {
        format!(
            "{} cited number(s) match no archived document, {} citation(s) are ambiguous; `ketluan check` lists them",
            self.missing.len(),
            self.ambiguous.len()
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.missing.is_empty() {
            writeln!(
                f,
                "cảnh báo (warning): {} cited number(s) match no archived document (văn bản được dẫn chiếu chưa có trong lưu trữ)",
                self.missing.len()
            )?;
            writeln!(
                f,
                "  = help: add the document to content/, or check the number and date in the citing text"
            )?;
            for m in &self.missing {
                writeln!(f, "  {} — cited {} time(s)", m.number, m.places.len())?;
                for p in &m.places {
                    writeln!(f, "      {}:{}  {}", p.path.display(), p.line, p.text)?;
                }
            }
        }
        if !self.ambiguous.is_empty() {
            writeln!(
                f,
                "cảnh báo (warning): {} citation(s) could name several archived documents and were not linked (dẫn chiếu chưa xác định)",
                self.ambiguous.len()
            )?;
            writeln!(
                f,
                "  = help: add the date (\", ngày dd/mm/yyyy\") to the citation"
            )?;
            for a in &self.ambiguous {
                writeln!(
                    f,
                    "  {}:{}  {}",
                    a.place.path.display(),
                    a.place.line,
                    a.place.text
                )?;
                for c in &a.candidates {
                    writeln!(f, "      candidate: {}", c.display())?;
                }
            }
        }
        Ok(())
    }
}
