//! What templates see: plain serialisable data, every URL already made
//! site-relative (`ket-luan/a/`) so templates only prefix `root`.

use serde::Serialize;

use crate::archive::Archive;
use crate::calendar::Date;
use crate::content::Document;
use crate::docs::{DocId, PerDoc};
use crate::routes::{self, Section as Route};

pub(crate) fn document_url(doc: &Document) -> String {
    routes::document(&doc.slug)
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Link {
    pub name: String,
    pub url: String,
}

fn link(section: Route, name: &str) -> Option<Link> {
    routes::named(section, name).map(|url| Link {
        name: name.to_string(),
        url,
    })
}

/// A conclusion as listings, feeds and its own page show it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct DocView {
    pub url: String,
    pub title: String,
    pub number: Option<String>,
    pub date: String,
    pub date_vi: String,
    pub date_long: String,
    pub year: u16,
    pub quarter: Link,
    pub issuer: Option<Link>,
    pub session: Option<u32>,
    pub term: Option<Link>,
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    pub recipients: Vec<String>,
    pub summary: Option<String>,
    pub tags: Vec<Link>,
}

impl DocView {
    pub(crate) fn new(doc: &Document) -> DocView {
        DocView {
            url: document_url(doc),
            title: doc.title.clone(),
            number: doc.number.as_ref().map(ToString::to_string),
            date: doc.date.to_string(),
            date_vi: doc.date.vietnamese(),
            date_long: long_date(doc.date),
            year: doc.date.year,
            quarter: Link {
                name: doc.quarter.vietnamese(),
                url: routes::quarter(doc.quarter),
            },
            issuer: link(Route::Issuer, &doc.issuer),
            session: doc.session,
            term: doc.term.as_deref().and_then(|t| link(Route::Term, t)),
            signer: doc.signer.clone(),
            signer_title: doc.signer_title.clone(),
            recipients: doc.recipients.clone(),
            summary: doc.summary.clone(),
            tags: doc
                .tags
                .iter()
                .filter_map(|t| link(Route::Tag, t))
                .collect(),
        }
    }
}

/// One entry of "Văn bản được dẫn chiếu": a cited document, with the link
/// and title when it is in the archive.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct CitationView {
    /// `Kết luận số 706-KL/TU`, as the citing text names it.
    pub text: String,
    pub number: String,
    /// The cited date, if the text gives one.
    pub date: Option<String>,
    pub date_vi: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
}

/// What document `id` cites, in order of first mention.
pub(crate) fn citations(
    archive: &Archive,
    views: &PerDoc<DocView>,
    id: DocId,
) -> Vec<CitationView> {
    let Some(cites) = archive.references.cites.get(id) else {
        return Vec::new();
    };
    cites
        .iter()
        .map(|c| {
            let target = c.target().and_then(|t| views.get(t));
            CitationView {
                text: format!("{} số {}", c.mention.kind, c.mention.number),
                number: c.mention.number.clone(),
                date: c.mention.date.map(|d| d.to_string()),
                date_vi: c.mention.date.map(Date::vietnamese),
                url: target.map(|t| t.url.clone()),
                title: target.map(|t| t.title.clone()),
            }
        })
        .collect()
}

/// `ngày 05 tháng 02 năm 2023`: the form of the date line of an official
/// document, which pads days below 10 and the months January and February.
pub(crate) fn long_date(d: Date) -> String {
    let month = if d.month <= 2 {
        format!("{:02}", d.month)
    } else {
        d.month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day, d.year)
}

/// One entry of an index page ("Quý II/2023 — 12 kết luận").
#[derive(Clone, Debug, Serialize)]
pub(crate) struct GroupView {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// A titled block of an index page (the quarters of one year).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Section {
    pub title: String,
    pub url: Option<String>,
    pub groups: Vec<GroupView>,
}

pub(crate) fn quarter_sections(archive: &Archive) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for (q, members) in &archive.quarters {
        let view = GroupView {
            name: q.vietnamese(),
            url: routes::quarter(*q),
            count: members.len(),
        };
        match sections.last_mut() {
            Some(s) if s.title == q.year.to_string() => s.groups.push(view),
            _ => sections.push(Section {
                title: q.year.to_string(),
                url: Some(routes::year(q.year)),
                groups: vec![view],
            }),
        }
    }
    sections
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

/// Where a listing page sits among its siblings.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// `quy/2023-q2/` page 1, `quy/2023-q2/trang/2/` page 2 …
pub(crate) fn page_url(base: &str, number: usize) -> String {
    if number == 1 {
        base.to_string()
    } else {
        format!("{base}trang/{number}/")
    }
}

impl Pager {
    pub(crate) fn new(base: &str, current: usize, total: usize) -> Pager {
        Pager {
            current,
            total,
            prev: (current > 1).then(|| page_url(base, current - 1)),
            next: (current < total).then(|| page_url(base, current + 1)),
            pages: window(current, total)
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: page_url(base, n),
                    current: n == current,
                })
                .collect(),
        }
    }
}

/// The page numbers worth a link: the first, the last, and two on each side
/// of the current one. Linking all would make a listing of 5,000 pages
/// quadratic to build and useless to read.
fn window(current: usize, total: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_long_dates() {
        assert_eq!(
            long_date(Date::new(2023, 4, 26).unwrap()),
            "ngày 26 tháng 4 năm 2023"
        );
        assert_eq!(
            long_date(Date::new(2023, 2, 5).unwrap()),
            "ngày 05 tháng 02 năm 2023"
        );
        assert_eq!(
            long_date(Date::new(2023, 12, 1).unwrap()),
            "ngày 01 tháng 12 năm 2023"
        );
    }

    #[test]
    fn pager_links_neighbours() {
        let p = Pager::new("quy/2023-q2/", 2, 3);
        assert_eq!(p.prev.as_deref(), Some("quy/2023-q2/"));
        assert_eq!(p.next.as_deref(), Some("quy/2023-q2/trang/3/"));
        assert!(p.pages[1].current);
        let numbers = |c, t| window(c, t);
        assert_eq!(numbers(1, 1), [1]);
        assert_eq!(numbers(1, 9), [1, 2, 3, 9]);
        assert_eq!(numbers(5, 5000), [1, 3, 4, 5, 6, 7, 5000]);
        assert_eq!(numbers(5000, 5000), [1, 4998, 4999, 5000]);
    }
}
