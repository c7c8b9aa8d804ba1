//! Errors and warnings about the user's files, with the position and the
//! offending line, printed the way `just` and `rustc` do.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file. `line` and `column` are 1-based; `column` counts
/// characters, not bytes, so the caret lands under Vietnamese text correctly.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The text of the line, for display; empty when the problem concerns the
    /// whole file.
    pub source_line: String,
    /// How many characters to underline.
    pub width: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// A problem with the file as a whole (unreadable, empty, …).
    pub fn file(path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            source_line: String::new(),
            width: 0,
            message: message.into(),
            help: None,
        }
    }
}

/// A file's text with the means to turn byte offsets into positions.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl SourceFile<'_> {
    /// An error pointing at `span` (byte offsets into the whole file).
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let start = floor_char_boundary(self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(self.text, span.end.clamp(start, self.text.len()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let source_line = self.text[line_start..line_end].trim_end_matches('\r');
        let column = self.text[line_start..start].chars().count() + 1;
        let width = self.text[start..end.min(line_end)].chars().count().max(1);
        Diagnostic {
            severity: Severity::Error,
            path: self.path.to_path_buf(),
            line: self.text[..start].matches('\n').count() + 1,
            column,
            source_line: source_line.to_string(),
            width,
            message: message.into(),
            help: None,
        }
    }

    /// An error pointing at the start of 1-based `line`.
    pub fn error_at_line(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        let offset: usize = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let len = self.text[offset..]
            .find('\n')
            .unwrap_or(self.text.len() - offset);
        self.error(offset..offset + len, message)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "lỗi (error)",
            Severity::Warning => "cảnh báo (warning)",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let gutter = " ".repeat(self.line.to_string().len());
        writeln!(
            f,
            "{gutter}--> {}:{}:{}",
            self.path.display(),
            self.line,
            self.column
        )?;
        if !self.source_line.is_empty() {
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{} | {}", self.line, self.source_line)?;
            let pad = " ".repeat(self.column - 1);
            writeln!(f, "{gutter} | {pad}{}", "^".repeat(self.width))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{gutter} = help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "+++\ntitle = \"Kết luận\"\nnuber = 1\n+++\n";
        let file = SourceFile {
            path: Path::new("content/a.md"),
            text,
        };
        let at = text.find("nuber").unwrap();
        let d = file.error(at..at + 5, "unknown field `nuber`");
        assert_eq!((d.line, d.column, d.width), (3, 1, 5));
        assert_eq!(d.source_line, "nuber = 1");
        let at = text.find("\"Kết").unwrap() + 1;
        let d = file.error(at..at + "Kết".len(), "x");
        assert_eq!((d.line, d.column, d.width), (2, 10, 3));
        let shown = d.to_string();
        assert!(shown.contains("--> content/a.md:2:10"), "{shown}");
        assert!(shown.contains("2 | title = \"Kết luận\""), "{shown}");
        assert!(shown.contains("  |          ^^^"), "{shown}");
    }

    #[test]
    fn error_at_line_points_at_that_line() {
        let file = SourceFile {
            path: Path::new("a.md"),
            text: "one\r\ntwo\r\nthree",
        };
        let d = file.error_at_line(2, "x");
        assert_eq!((d.line, d.column), (2, 1));
        assert_eq!(d.source_line, "two");
        assert_eq!(file.error_at_line(3, "x").source_line, "three");
    }
}
