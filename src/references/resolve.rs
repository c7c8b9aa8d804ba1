//! Resolving one citation against the archive: the holders of the cited
//! number, narrowed by date, issuer, organisation and term.

use std::collections::HashMap;

use super::Resolution;
use crate::calendar::Date;
use crate::citation::{Mention, NumberKey};
use crate::content::Document;
use crate::docs::{DocId, PerDoc};
use crate::organisation::{organisation, same_or_within};
use crate::slug::Slug;

/// Archived documents by number key, with what resolution compares.
pub(super) struct Index<'d> {
    by_key: HashMap<NumberKey, Holders>,
    organisations: PerDoc<String>,
    terms: PerDoc<Option<Slug>>,
    docs: &'d PerDoc<Document>,
}

/// The documents that carry one number key, in archive order. Numbers
/// restart with every committee and term, so a common one is carried by a
/// share of the whole archive: a citation looks among the holders of its
/// date, or of the organisation it names or is cited from, or resolving
/// every citation would take time growing with the square of the archive.
#[derive(Default)]
struct Holders {
    all: Vec<DocId>,
    by_date: HashMap<Date, Vec<DocId>>,
    /// Sorted by organisation: an organisation and those its name prefixes
    /// (`huyen` and `huyen-yen-thanh`, as [`same_or_within`] reads them) are
    /// one run.
    by_organisation: Vec<DocId>,
}

impl Holders {
    /// The holders whose organisation starts with `prefix`, in archive order.
    fn in_organisations(&self, organisations: &PerDoc<String>, prefix: &str) -> Vec<DocId> {
        let first = self
            .by_organisation
            .partition_point(|&k| organisations[k].as_str() < prefix);
        let mut found: Vec<DocId> = self.by_organisation[first..]
            .iter()
            .copied()
            .take_while(|&k| organisations[k].starts_with(prefix))
            .collect();
        found.sort_unstable();
        found
    }
}

impl<'d> Index<'d> {
    pub(super) fn new(docs: &'d PerDoc<Document>) -> Index<'d> {
        let mut by_key: HashMap<NumberKey, Holders> = HashMap::new();
        for (i, doc) in docs.iter() {
            if let Some(n) = &doc.number {
                let holders = by_key.entry(NumberKey::of(n.as_str())).or_default();
                holders.all.push(i);
                holders.by_date.entry(doc.date).or_default().push(i);
            }
        }
        let organisations: PerDoc<String> =
            docs.values().map(|d| organisation(&d.issuer)).collect();
        for holders in by_key.values_mut() {
            holders.by_organisation = holders.all.clone();
            holders
                .by_organisation
                .sort_by(|&a, &b| organisations[a].cmp(&organisations[b]));
        }
        Index {
            by_key,
            organisations,
            terms: docs
                .values()
                .map(|d| d.term.as_deref().and_then(Slug::from_text))
                .collect(),
            docs,
        }
    }

    /// Narrows the documents with the cited number step by step: the issuer
    /// the text names and the cited date, which must fit; then the citing
    /// organisation, then what was in force when the citing document was
    /// issued, which only choose among several.
    pub(super) fn resolve(&self, citing: DocId, m: &Mention) -> Resolution {
        self.choose(citing, m, self.candidates(citing, m))
    }

    /// The holders of the cited number that fit its date and issuer (for a
    /// citation with neither, already narrowed as [`Self::choose`] would).
    fn candidates(&self, citing: DocId, m: &Mention) -> Vec<DocId> {
        let holders = self.by_key.get(&m.key);
        let named = m.issuer.as_deref().map(organisation);
        let mut found: Vec<DocId> = match (holders, m.date, &named) {
            (None, ..) => Vec::new(),
            (Some(h), Some(date), _) => h.by_date.get(&date).cloned().unwrap_or_default(),
            (Some(h), None, Some(named)) => h.in_organisations(&self.organisations, named),
            (Some(h), None, None) => self.undated(citing, h, &m.key),
        };
        found.retain(|&k| k != citing);
        if let Some(named) = &named {
            found.retain(|&k| same_or_within(named, &self.organisations[k]));
        }
        found
    }

    fn choose(&self, citing: DocId, m: &Mention, mut found: Vec<DocId>) -> Resolution {
        if found.len() > 1 || m.date.is_none() {
            found = self.same_organisation(citing, &m.key, found);
        }
        if found.len() > 1 {
            found = self.in_force(citing, found);
        }
        match found.len() {
            0 => Resolution::Missing,
            1 => Resolution::Found(found[0]),
            _ => Resolution::Ambiguous(found),
        }
    }

    /// When the citing document's own number has the same issuer code
    /// (`…/TU` citing `…/TU`), the cited number is read as one of its own
    /// organisation's: another committee's document with that number is not
    /// what it means. Otherwise the code says nothing about which committee.
    fn same_organisation(&self, citing: DocId, key: &NumberKey, found: Vec<DocId>) -> Vec<DocId> {
        let org = &self.organisations[citing];
        let same: Vec<DocId> = found
            .iter()
            .copied()
            .filter(|&k| &self.organisations[k] == org)
            .collect();
        if self.same_code(citing, key) || !same.is_empty() {
            same
        } else {
            found
        }
    }

    fn same_code(&self, citing: DocId, key: &NumberKey) -> bool {
        let own_code = self.docs[citing]
            .number
            .as_ref()
            .map(|n| NumberKey::of(n.as_str()));
        own_code.is_some_and(|own| own.issuer_code() == key.issuer_code())
    }

    /// What [`Self::same_organisation`] keeps of every holder of the number,
    /// for a citation without date or issuer: the citing organisation's are
    /// looked up rather than sought among all.
    fn undated(&self, citing: DocId, holders: &Holders, key: &NumberKey) -> Vec<DocId> {
        let org = &self.organisations[citing];
        let mut own = holders.in_organisations(&self.organisations, org);
        own.retain(|&k| &self.organisations[k] == org && k != citing);
        if !own.is_empty() || self.same_code(citing, key) {
            own
        } else {
            holders.all.clone()
        }
    }

    /// Numbers restart every term: the one meant is of the citing document's
    /// term and issued before it; without terms, the latest issued before it.
    fn in_force(&self, citing: DocId, found: Vec<DocId>) -> Vec<DocId> {
        let day = self.docs[citing].date;
        let before: Vec<DocId> = found
            .iter()
            .copied()
            .filter(|&k| self.docs[k].date <= day)
            .collect();
        let term = &self.terms[citing];
        let same_term: Vec<DocId> = before
            .iter()
            .copied()
            .filter(|&k| term.is_some() && &self.terms[k] == term)
            .collect();
        if !same_term.is_empty() {
            return same_term;
        }
        let Some(latest) = before.iter().map(|&k| self.docs[k].date).max() else {
            return found;
        };
        before
            .into_iter()
            .filter(|&k| self.docs[k].date == latest)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn numbered(i: usize, body: &str, number: &str, day: Date, term: &str) -> Document {
        let text = format!(
            "+++\ntitle = \"Kết luận {i}\"\ndate = {day}\nbody = \"{body}\"\nnumber = \"{number}\"\nterm = \"{term}\"\n+++\n\nVăn bản.\n"
        );
        let path = PathBuf::from(format!("content/d{i}.md"));
        let file = crate::diagnostic::SourceFile {
            path: &path,
            text: &text,
        };
        let today = Date::new(2030, 1, 1).unwrap();
        let (doc, diags) = crate::content::parse_document(&file, Slug::from_text("d"), today);
        assert!(diags.is_empty(), "{diags:?}");
        doc.unwrap()
    }

    /// The lookups by date and organisation must choose what filtering
    /// every holder of the number did (the quadratic way).
    #[test]
    fn lookups_choose_what_filtering_every_holder_would() {
        let bodies = [
            ("Ban Chấp hành Đảng bộ huyện Yên Thành", "KL/HU"),
            ("Ban Thường vụ Huyện ủy Yên Thành", "KL/HU"),
            ("Ban Thường vụ Huyện ủy Tân Yên", "KL/HU"),
            ("Ban Thường vụ Tỉnh ủy Nghệ An", "KL/TU"),
            ("Ban Chấp hành Trung ương", "KL/TW"),
        ];
        let docs: PerDoc<Document> = (0..90)
            .map(|i| {
                let (body, code) = bodies[i % bodies.len()];
                let day = Date::new(2020 + (i % 3) as u16, 1 + (i % 4) as u8, 1 + (i % 2) as u8);
                let term = ["XX", "XXI"][i / 45];
                numbered(
                    i,
                    body,
                    &format!("{}-{code}", 1 + i % 3),
                    day.unwrap(),
                    term,
                )
            })
            .collect();
        let index = Index::new(&docs);
        // "Huyện ủy" names every district committee, "Ban Thường vụ" any body.
        let issuers = [
            None,
            Some("Huyện ủy Yên Thành"),
            Some("Huyện ủy"),
            Some("Tỉnh ủy Nghệ An"),
            Some("Ban Thường vụ"),
        ];
        let mut seen = [0; 3];
        for citing in docs.ids() {
            for (n, code) in [(1, "KL/HU"), (2, "KL/HU"), (3, "KL/TU"), (1, "KL/TW")] {
                let key = NumberKey::of(&format!("{n}-{code}"));
                for day in [
                    None,
                    Some(docs[DocId::at((citing.index() * 7 + n) % docs.len())].date),
                ] {
                    for issuer in issuers {
                        let m = Mention {
                            written: String::new(),
                            kind: "Kết luận".into(),
                            number: String::new(),
                            key: key.clone(),
                            date: day,
                            issuer: issuer.map(String::from),
                            line: 1,
                        };
                        let named = issuer.map(organisation);
                        let every: Vec<DocId> = docs
                            .ids()
                            .filter(|&k| k != citing)
                            .filter(|&k| {
                                docs[k].number.as_ref().map(|n| NumberKey::of(n.as_str()))
                                    == Some(key.clone())
                            })
                            .filter(|&k| {
                                named
                                    .as_ref()
                                    .is_none_or(|n| same_or_within(n, &index.organisations[k]))
                            })
                            .filter(|&k| day.is_none_or(|d| docs[k].date == d))
                            .collect();
                        let want = index.choose(citing, &m, every);
                        seen[match want {
                            Resolution::Missing => 0,
                            Resolution::Found(_) => 1,
                            Resolution::Ambiguous(_) => 2,
                        }] += 1;
                        assert_eq!(index.resolve(citing, &m), want, "{citing:?} {m:?}");
                    }
                }
            }
        }
        assert!(seen.iter().all(|&n| n > 20), "{seen:?}");
    }
}
