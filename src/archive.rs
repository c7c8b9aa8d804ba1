//! Groups documents the ways citizens browse them: by quarter, year, issuing
//! body, term and tag, and links each conclusion to the previous and next
//! session of the same body.

use std::collections::BTreeMap;

use crate::calendar::Quarter;
use crate::content::Document;
use crate::docs::{DocId, PerDoc};
use crate::references::References;
use crate::slug::Slug;

/// A set of documents under one name, e.g. all of `Quý II/2023`.
#[derive(Clone, Debug)]
pub struct Group {
    pub slug: Slug,
    pub name: String,
    /// Newest first.
    pub members: Vec<DocId>,
}

#[derive(Debug)]
pub struct Archive {
    /// Newest first (the order [`crate::content::load`] returns).
    pub documents: PerDoc<Document>,
    pub quarters: Vec<(Quarter, Vec<DocId>)>,
    pub years: Vec<(u16, Vec<DocId>)>,
    pub issuers: Vec<Group>,
    pub terms: Vec<Group>,
    pub tags: Vec<Group>,
    /// For each document: the previous and next session of the same body.
    pub neighbours: PerDoc<(Option<DocId>, Option<DocId>)>,
    /// What each document cites and what cites it.
    pub references: References,
}

impl Archive {
    pub fn new(documents: Vec<Document>) -> Archive {
        let documents = PerDoc::from(documents);
        let mut quarters: BTreeMap<Quarter, Vec<DocId>> = BTreeMap::new();
        let mut years: BTreeMap<u16, Vec<DocId>> = BTreeMap::new();
        for (id, doc) in documents.iter() {
            quarters.entry(doc.quarter).or_default().push(id);
            years.entry(doc.date.year).or_default().push(id);
        }
        let issuers = group_by(&documents, |d| vec![d.issuer.as_str()]);
        let mut terms = group_by(&documents, |d| d.term.as_deref().into_iter().collect());
        terms.sort_by_key(|g| std::cmp::Reverse(roman_value(&g.name)));
        let tags = group_by(&documents, |d| d.tags.iter().map(String::as_str).collect());
        let neighbours = neighbours(&documents, &issuers);
        let references = References::new(&documents);
        Archive {
            documents,
            quarters: quarters.into_iter().rev().collect(),
            years: years.into_iter().rev().collect(),
            issuers,
            terms,
            tags,
            neighbours,
            references,
        }
    }

    pub(crate) fn document(&self, id: DocId) -> &Document {
        &self.documents[id]
    }
}

/// Groups by the slug of a name, so spellings that differ only in case,
/// diacritics or tone placement (`Thị ủy` / `Thị uỷ`) share one page; the
/// group shows the most used spelling.
fn group_by<'d>(
    docs: &'d PerDoc<Document>,
    names: impl Fn(&'d Document) -> Vec<&'d str>,
) -> Vec<Group> {
    let mut groups: BTreeMap<Slug, (BTreeMap<&str, usize>, Vec<DocId>)> = BTreeMap::new();
    for (id, doc) in docs.iter() {
        for name in names(doc) {
            let Some(slug) = Slug::from_text(name) else {
                continue;
            };
            let (spellings, members) = groups.entry(slug).or_default();
            *spellings.entry(name).or_default() += 1;
            if members.last() != Some(&id) {
                members.push(id);
            }
        }
    }
    groups
        .into_iter()
        .map(|(slug, (spellings, members))| {
            // Most used first; among equals the first in sort order, for determinism.
            let name = spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map_or("", |(n, _)| n)
                .to_string();
            Group {
                slug,
                name,
                members,
            }
        })
        .collect()
}

fn neighbours(
    docs: &PerDoc<Document>,
    issuers: &[Group],
) -> PerDoc<(Option<DocId>, Option<DocId>)> {
    let mut out: PerDoc<_> = docs.values().map(|_| (None, None)).collect();
    for group in issuers {
        let mut chronological = group.members.clone();
        chronological.sort_by(|a, b| {
            let (x, y) = (&docs[*a], &docs[*b]);
            (x.date, x.session, &x.slug).cmp(&(y.date, y.session, &y.slug))
        });
        for (pos, &id) in chronological.iter().enumerate() {
            let prev = pos.checked_sub(1).map(|p| chronological[p]);
            *out.index_mut(id) = (prev, chronological.get(pos + 1).copied());
        }
    }
    out
}

/// `XXIII` → 23, so terms list newest first; anything else sorts last.
fn roman_value(text: &str) -> u32 {
    let digit = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
    let values: Vec<u32> = text.trim().to_uppercase().chars().map(digit).collect();
    if values.contains(&0) {
        return 0;
    }
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    total.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use crate::diagnostic::SourceFile;

    fn doc(slug: &str, date: (u16, u8, u8), issuer: &str, session: u32, term: &str) -> Document {
        let text = format!(
            "+++\ntitle = \"t\"\ndate = {:04}-{:02}-{:02}\nbody = \"{issuer}\"\nsession = {session}\nterm = \"{term}\"\ntags = [\"Ngân sách\"]\n+++\nx\n",
            date.0, date.1, date.2
        );
        let path = std::path::PathBuf::from(format!("content/{slug}.md"));
        let file = SourceFile {
            path: &path,
            text: &text,
        };
        let (d, diags) = crate::content::parse_document(
            &file,
            Slug::from_text(slug),
            Date::new(2030, 1, 1).unwrap(),
        );
        assert!(diags.is_empty(), "{diags:?}");
        d.unwrap()
    }

    #[test]
    fn groups_and_neighbours() {
        let docs = vec![
            doc("c", (2023, 7, 20), "Ban Thường vụ Thị ủy", 12, "XXIII"),
            doc("b", (2023, 4, 26), "Ban Thường vụ Thị uỷ", 11, "XXIII"),
            doc("x", (2023, 4, 1), "Huyện ủy", 3, "XXII"),
            doc("a", (2019, 1, 10), "Ban Thường vụ Thị ủy", 2, "XXII"),
        ];
        let archive = Archive::new(docs);
        assert_eq!(archive.issuers.len(), 2, "tone variants share a group");
        let thi_uy = archive
            .issuers
            .iter()
            .find(|g| g.slug.as_str() == "ban-thuong-vu-thi-uy")
            .unwrap();
        assert_eq!(thi_uy.name, "Ban Thường vụ Thị ủy");
        let id = DocId::at;
        assert_eq!(thi_uy.members, [id(0), id(1), id(3)]);
        assert_eq!(archive.neighbours[id(1)], (Some(id(3)), Some(id(0))));
        assert_eq!(archive.neighbours[id(2)], (None, None));
        let quarters: Vec<_> = archive
            .quarters
            .iter()
            .map(|(q, m)| (q.to_string(), m.len()))
            .collect();
        assert_eq!(
            quarters,
            [
                ("2023-Q3".into(), 1),
                ("2023-Q2".into(), 2),
                ("2019-Q1".into(), 1)
            ]
        );
        let terms: Vec<_> = archive.terms.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(terms, ["XXIII", "XXII"]);
        assert_eq!(archive.tags[0].members.len(), 4);
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman_value("XXIII"), 23);
        assert_eq!(roman_value("XIX"), 19);
        assert_eq!(roman_value("iv"), 4);
        assert_eq!(roman_value("23"), 0);
    }
}
