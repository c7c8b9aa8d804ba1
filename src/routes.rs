//! The site's URL scheme in one place: the sections (by quarter, year,
//! issuing body, term, topic, all), their addresses, their Vietnamese names
//! and the titles of their pages. Templates receive these as data
//! ([`sections`]); nothing else spells a section's path.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::calendar::Quarter;
use crate::slug::Slug;

/// The search page.
pub(crate) const SEARCH: &str = "tim-kiem/";

/// A section of the site: an index page listing its groups, and a listing
/// per group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    Quarter,
    Year,
    Issuer,
    Term,
    Tag,
    /// Every conclusion, newest first: one listing, no groups.
    All,
}

impl Section {
    /// In the order of the main navigation.
    pub(crate) const ALL: [Section; 6] = [
        Section::Quarter,
        Section::Year,
        Section::Issuer,
        Section::Term,
        Section::Tag,
        Section::All,
    ];

    /// What templates compare `kind` with.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Section::Quarter => "quarter",
            Section::Year => "year",
            Section::Issuer => "issuer",
            Section::Term => "term",
            Section::Tag => "tag",
            Section::All => "all",
        }
    }

    /// The section's address, site-relative.
    pub(crate) fn url(self) -> &'static str {
        match self {
            Section::Quarter => "quy/",
            Section::Year => "nam/",
            Section::Issuer => "co-quan/",
            Section::Term => "khoa/",
            Section::Tag => "chu-de/",
            Section::All => "ket-luan/",
        }
    }

    /// Its name in the navigation and in breadcrumbs.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Section::Quarter => "Theo quý",
            Section::Year => "Theo năm",
            Section::Issuer => "Cơ quan ban hành",
            Section::Term => "Theo khóa",
            Section::Tag => "Chủ đề",
            Section::All => "Tất cả",
        }
    }

    /// The title of its index page (of the listing, for [`Section::All`]).
    pub(crate) fn title(self) -> &'static str {
        match self {
            Section::Quarter => "Kết luận theo quý",
            Section::Year => "Kết luận theo năm",
            Section::Issuer => "Cơ quan ban hành",
            Section::Term => "Kết luận theo khóa",
            Section::Tag => "Chủ đề",
            Section::All => "Tất cả kết luận",
        }
    }

    /// The address of one group of a named section (issuer, term, tag).
    pub(crate) fn group_url(self, slug: &Slug) -> String {
        format!("{}{slug}/", self.url())
    }

    /// What a group of this section is called on its page, in search
    /// filters and in indexes: a term is `Khóa XXIII`, the rest their name.
    pub(crate) fn group_title(self, name: &str) -> String {
        match self {
            Section::Term => format!("Khóa {name}"),
            _ => name.to_string(),
        }
    }
}

pub(crate) fn document(slug: &Slug) -> String {
    format!("{}{slug}/", Section::All.url())
}

pub(crate) fn quarter(q: Quarter) -> String {
    format!("{}{}/", Section::Quarter.url(), q.slug())
}

pub(crate) fn year(year: u16) -> String {
    format!("{}{year}/", Section::Year.url())
}

/// The title of a year's listing.
pub(crate) fn year_title(year: u16) -> String {
    format!("Năm {year}")
}

/// URL of the group page for a name (issuing body, term, tag) in `section`.
pub(crate) fn named(section: Section, name: &str) -> Option<String> {
    Slug::from_text(name).map(|s| section.group_url(&s))
}

/// What every template gets as `routes`: by kind, each section's `url`
/// and `label`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SectionView {
    url: &'static str,
    label: &'static str,
}

pub(crate) fn sections() -> BTreeMap<&'static str, SectionView> {
    Section::ALL
        .iter()
        .map(|s| {
            let view = SectionView {
                url: s.url(),
                label: s.label(),
            };
            (s.kind(), view)
        })
        .collect()
}

/// The main navigation, in order: what `base.html` lists.
pub(crate) fn navigation() -> Vec<SectionView> {
    Section::ALL
        .iter()
        .map(|s| SectionView {
            url: s.url(),
            label: s.label(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_its_own_address() {
        let urls: std::collections::BTreeSet<_> = Section::ALL.iter().map(|s| s.url()).collect();
        assert_eq!(urls.len(), Section::ALL.len());
        assert!(!urls.contains(SEARCH));
        let slug = Slug::from_text("Khóa XXIII").unwrap();
        assert_eq!(Section::Term.group_url(&slug), "khoa/khoa-xxiii/");
        assert_eq!(Section::Term.group_title("XXIII"), "Khóa XXIII");
        assert_eq!(
            document(&Slug::from_text("45-kl-tu").unwrap()),
            "ket-luan/45-kl-tu/"
        );
    }
}
