//! Reading a TOML table field by field, so that every problem in it (unknown
//! key, wrong type, missing key) is reported with its own position instead of
//! stopping at the first one, as plain serde would.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::calendar::Date;
use crate::diagnostic::{Diagnostic, Problem, SourceFile};
use crate::messages::problems::{Expected, Found, Table};

/// A parsed TOML table inside a file, at byte `offset` of that file.
pub(crate) struct Fields<'a> {
    pub file: &'a SourceFile<'a>,
    pub table: DeTable<'a>,
    pub offset: usize,
    /// Where to point when a required key is missing.
    pub whole: Range<usize>,
    pub diagnostics: Vec<Diagnostic>,
    /// Spans (relative to the TOML) already reported as syntax errors, so a
    /// value is not blamed twice.
    broken: Vec<Range<usize>>,
}

/// Whether a TOML token is meant as a date or time (`2023-13-01`,
/// `10:99`): its error is then an impossible date, not a syntax error.
fn looks_like_datetime(token: &str) -> bool {
    let digits = token.chars().take_while(char::is_ascii_digit).count();
    let next = token[digits..].chars().next();
    (digits == 4 && next == Some('-')) || (digits == 2 && next == Some(':'))
}

impl<'a> Fields<'a> {
    /// Parses `toml` (a slice of `file` starting at `offset`), reporting every
    /// syntax error TOML's parser can recover from.
    pub(crate) fn parse(file: &'a SourceFile<'a>, toml: &'a str, offset: usize) -> Fields<'a> {
        let (table, errors) = DeTable::parse_recoverable(toml);
        let mut fields = Fields {
            file,
            table: table.into_inner(),
            offset,
            whole: offset..offset,
            diagnostics: Vec::new(),
            broken: Vec::new(),
        };
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            let problem = match toml.get(span.clone()) {
                Some(token) if looks_like_datetime(token) => date_problem(token),
                _ => Problem::TomlSyntax {
                    detail: first_line(error.message()),
                },
            };
            let d = fields.error(span.clone(), problem);
            fields.diagnostics.push(d);
            fields.broken.push(span);
        }
        fields
    }

    /// Reports keys that aren't in `known`, with a did-you-mean hint.
    pub(crate) fn deny_unknown(&mut self, known: &'static [&'static str], table: Table) {
        let mut unknown = Vec::new();
        for key in self.table.keys() {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                unknown.push((name.to_string(), key.span()));
            }
        }
        for (name, span) in unknown {
            let suggestion = closest(&name, known);
            let d = self.error(
                span,
                Problem::UnknownField {
                    name,
                    table,
                    suggestion,
                    known,
                },
            );
            self.diagnostics.push(d);
        }
    }

    /// The value of an optional key, converted to `T`; a conversion problem
    /// is recorded and gives `None`.
    pub(crate) fn optional<T: DeserializeOwned>(
        &mut self,
        key: &str,
        expected: Expected,
    ) -> Option<T> {
        let (_, value) = self.table.get_key_value(key)?;
        let span = value.span();
        if self
            .broken
            .iter()
            .any(|b| b.start < span.end.max(span.start + 1) && span.start < b.end.max(b.start + 1))
        {
            return None;
        }
        let shown = describe(value.get_ref());
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(v) => Some(v),
            Err(_) => {
                let d = self.error(
                    span,
                    Problem::WrongType {
                        key: key.to_string(),
                        expected,
                        found: shown,
                    },
                );
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Like [`Fields::optional`], but a missing key is an error.
    pub(crate) fn required<T: DeserializeOwned>(
        &mut self,
        key: &str,
        expected: Expected,
        example: &'static str,
    ) -> Option<T> {
        if !self.table.contains_key(key) {
            let d = self.file.error(
                self.whole.clone(),
                Problem::MissingField {
                    key: key.to_string(),
                    example,
                },
            );
            self.diagnostics.push(d);
            return None;
        }
        self.optional(key, expected)
    }

    /// The span of a key's value within the file.
    pub(crate) fn span_of(&self, key: &str) -> Range<usize> {
        self.table
            .get_key_value(key)
            .map_or(self.whole.clone(), |(_, v)| {
                v.span().start + self.offset..v.span().end + self.offset
            })
    }

    /// An error at `span`, relative to the TOML text.
    pub(crate) fn error(&self, span: Range<usize>, problem: Problem) -> Diagnostic {
        self.file
            .error(span.start + self.offset..span.end + self.offset, problem)
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// What a token TOML could not read as a date is wrong with: a day that
/// does not exist (`2023-02-30`), or a shape that is no date.
fn date_problem(token: &str) -> Problem {
    let token = token.trim();
    let parts: Vec<&str> = token.split('-').collect();
    if let [y, m, d] = parts[..]
        && [(y, 4), (m, 2), (d, 2)]
            .iter()
            .all(|(p, n)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse())
        && let Err(e) = Date::new(y, m, d)
    {
        return Problem::ImpossibleDate(e);
    }
    Problem::BadDateTime {
        token: token.to_string(),
    }
}

/// How a value looks to the user, for "must be X, not Y" messages.
fn describe(value: &DeValue<'_>) -> Found {
    match value {
        DeValue::String(s) => Found::Text(s.to_string()),
        DeValue::Integer(i) => Found::Number(i.to_string()),
        DeValue::Float(x) => Found::Number(x.to_string()),
        DeValue::Boolean(b) => Found::Bool(*b),
        DeValue::Datetime(d) => Found::DateTime(d.to_string()),
        DeValue::Array(_) => Found::List,
        DeValue::Table(_) => Found::Table,
    }
}

/// The known name nearest to a misspelt one, if any is near enough to be a
/// plausible typo.
pub(crate) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_field() {
        let known = ["title", "number", "date", "summary", "signer_title"];
        assert_eq!(closest("nuber", &known), Some("number"));
        assert_eq!(closest("tittle", &known), Some("title"));
        assert_eq!(closest("sumary", &known), Some("summary"));
        assert_eq!(closest("signer-title", &known), Some("signer_title"));
        assert_eq!(closest("xyz", &known), None);
    }
}
