//! The plan of a site: every file it has, in a fixed order, and the
//! addresses the sitemap lists.

use super::Renderer;
use crate::archive::Group;
use crate::docs::DocId;
use crate::routes::{self, Section};
use crate::views::{self, GroupView};

/// One page of a listing: `members` of the group at `base`.
pub(super) struct Listing {
    pub base: String,
    pub title: String,
    pub kind: Section,
    pub members: Vec<DocId>,
    pub page: usize,
    pub pages: usize,
}

/// One file to produce.
pub(super) enum Page {
    Home,
    Document(DocId),
    Listing(Listing),
    Index {
        section: Section,
        sections: Vec<views::Section>,
    },
    NotFound,
    /// `tim-kiem/`, when the theme has a `search.html`.
    Search,
    Feed,
    Sitemap,
    Robots,
}

impl Renderer<'_> {
    /// Every file of the site, in a fixed order.
    pub(super) fn plan(&self) -> Vec<Page> {
        let a = self.archive;
        let mut pages = vec![
            Page::Home,
            Page::NotFound,
            Page::Feed,
            Page::Sitemap,
            Page::Robots,
        ];
        if self.theme.templates.contains_key("search.html") {
            pages.push(Page::Search);
        }
        pages.extend(self.views.ids().map(Page::Document));
        let all: Vec<DocId> = self.views.ids().collect();
        self.listing(
            &mut pages,
            Section::All.url().into(),
            Section::All.title().into(),
            Section::All,
            &all,
        );
        for (q, members) in &a.quarters {
            self.listing(
                &mut pages,
                routes::quarter(*q),
                q.vietnamese(),
                Section::Quarter,
                members,
            );
        }
        for (y, members) in &a.years {
            self.listing(
                &mut pages,
                routes::year(*y),
                routes::year_title(*y),
                Section::Year,
                members,
            );
        }
        for (section, groups) in [
            (Section::Issuer, &a.issuers),
            (Section::Term, &a.terms),
            (Section::Tag, &a.tags),
        ] {
            for g in groups.iter() {
                self.listing(
                    &mut pages,
                    section.group_url(&g.slug),
                    section.group_title(&g.name),
                    section,
                    &g.members,
                );
            }
        }
        let named = |section: Section, groups: &[Group]| {
            vec![views::Section {
                title: String::new(),
                url: None,
                groups: groups
                    .iter()
                    .map(|g| GroupView {
                        name: g.name.clone(),
                        url: section.group_url(&g.slug),
                        count: g.members.len(),
                    })
                    .collect(),
            }]
        };
        let years = vec![views::Section {
            title: String::new(),
            url: None,
            groups: a
                .years
                .iter()
                .map(|(y, m)| GroupView {
                    name: routes::year_title(*y),
                    url: routes::year(*y),
                    count: m.len(),
                })
                .collect(),
        }];
        pages.extend([
            Page::Index {
                section: Section::Quarter,
                sections: views::quarter_sections(a),
            },
            Page::Index {
                section: Section::Year,
                sections: years,
            },
            Page::Index {
                section: Section::Issuer,
                sections: named(Section::Issuer, &a.issuers),
            },
            Page::Index {
                section: Section::Term,
                sections: named(Section::Term, &a.terms),
            },
            Page::Index {
                section: Section::Tag,
                sections: named(Section::Tag, &a.tags),
            },
        ]);
        pages
    }

    fn listing(
        &self,
        pages: &mut Vec<Page>,
        base: String,
        title: String,
        kind: Section,
        members: &[DocId],
    ) {
        let size = self.config.page_size;
        let count = members.len().div_ceil(size).max(1);
        for page in 1..=count {
            let chunk = members[(page - 1) * size..(page * size).min(members.len())].to_vec();
            pages.push(Page::Listing(Listing {
                base: base.clone(),
                title: title.clone(),
                kind,
                members: chunk,
                page,
                pages: count,
            }));
        }
    }

    /// The addresses (and dates) of the pages in `plan`, sorted.
    pub(super) fn sitemap_urls(&self, plan: &[Page]) -> Vec<(String, Option<String>)> {
        let mut urls = Vec::new();
        for page in plan {
            match page {
                Page::Home => urls.push((String::new(), None)),
                Page::Document(i) => urls.push((
                    self.views[*i].url.clone(),
                    Some(self.views[*i].date.clone()),
                )),
                Page::Listing(l) => urls.push((views::page_url(&l.base, l.page), None)),
                Page::Index { section, .. } => urls.push((section.url().to_string(), None)),
                Page::Search => urls.push((routes::SEARCH.to_string(), None)),
                Page::NotFound | Page::Feed | Page::Sitemap | Page::Robots => {}
            }
        }
        urls.sort();
        urls.dedup();
        urls
    }
}
