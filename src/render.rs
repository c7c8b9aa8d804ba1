//! Renders every page of the site through the theme's templates and hands
//! each file to a sink (the staging folder, or nothing for `ketluan check`).

use std::collections::BTreeMap;

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::archive::{Archive, Group};
use crate::cache::Key;
use crate::citation::Citation;
use crate::config::SiteConfig;
use crate::content::BodyError;
use crate::diagnostic::Diagnostic;
use crate::docs::{DocId, PerDoc};
use crate::markdown;
use crate::output::OutputError;
use crate::progress::{self, Stage};
use crate::routes::{self, Section};
use crate::theme::Theme;
use crate::views::{self, DocView, Pager};

mod plan;
mod templates;

use plan::Page;
use templates::{asset_urls, environment, template_diagnostic};
pub(crate) use templates::{check_templates, escape_html};

/// Receives each output file: a site-relative path and its bytes.
pub(crate) type Sink<'s> = dyn Fn(&str, &[u8]) -> Result<(), OutputError> + Sync + 's;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum RenderError {
    Template(Vec<Diagnostic>),
    Read {
        path: String,
        source: BodyError,
    },
    Write {
        path: String,
        source: OutputError,
    },
    /// An original published beside a page (`content/2023/a.docx`).
    Original {
        path: String,
        source: std::io::Error,
    },
    /// What a page is rendered from could not be hashed into its cache key.
    Key {
        path: String,
        source: serde_json::Error,
    },
}

/// Renders the whole site; returns the number of files written.
pub fn render_site(
    config: &SiteConfig,
    archive: &Archive,
    theme: &Theme,
    sink: &Sink<'_>,
) -> Result<usize, RenderError> {
    let plan = Plan::new(config, archive, theme)?;
    plan.render(&|_| true, sink)?;
    Ok(plan.len())
}

/// One output file a plan item makes, with the key of its inputs.
pub(crate) struct PlannedFile {
    pub path: String,
    pub key: Key,
}

/// The site before anything is rendered: its items (pages, then the theme's
/// static files), each with the files it makes and the keys of their inputs,
/// so that a rebuild renders only the items whose inputs changed.
pub(crate) struct Plan<'a> {
    site: Renderer<'a>,
    pages: Vec<Page>,
    statics: Vec<(&'a String, &'a Vec<u8>)>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(
        config: &'a SiteConfig,
        archive: &'a Archive,
        theme: &'a Theme,
    ) -> Result<Plan<'a>, RenderError> {
        let env = environment(theme)?;
        let assets = asset_urls(theme);
        let views: Vec<DocView> = archive
            .documents
            .par_iter()
            .map(|(_, doc)| DocView::new(doc))
            .collect();
        let view_keys = views
            .par_iter()
            .map(Key::of)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| RenderError::Key {
                path: "views".into(),
                source,
            })?;
        let mut site = Renderer {
            site_key: site_key(config, theme, &assets),
            env,
            config,
            archive,
            theme,
            assets,
            views: views.into(),
            view_keys: view_keys.into(),
            sitemap: Vec::new(),
            originals: crate::originals::Index::new(archive.documents.as_slice()),
        };
        progress::mark("render: views");
        let pages = site.plan();
        site.sitemap = site.sitemap_urls(&pages);
        progress::mark("render: plan");
        Ok(Plan {
            site,
            pages,
            statics: theme.statics.iter().collect(),
        })
    }

    /// How many items the plan has.
    pub(crate) fn len(&self) -> usize {
        self.pages.len() + self.statics.len()
    }

    /// Each item's files and their keys, in item order.
    pub(crate) fn files(&self) -> Result<Vec<Vec<PlannedFile>>, RenderError> {
        let pages = self.pages.len();
        (0..self.len())
            .into_par_iter()
            .map(|item| match self.statics.get(item.wrapping_sub(pages)) {
                Some((path, bytes)) if item >= pages => Ok(vec![PlannedFile {
                    path: (*path).clone(),
                    key: Key::of_bytes(bytes),
                }]),
                _ => self.site.page_files(&self.pages[item]),
            })
            .collect()
    }

    /// Renders the items `which` selects into `sink`.
    pub(crate) fn render(
        &self,
        which: &(dyn Fn(usize) -> bool + Sync),
        sink: &Sink<'_>,
    ) -> Result<(), RenderError> {
        let chosen: Vec<usize> = (0..self.len()).filter(|i| which(*i)).collect();
        progress::start(Stage::Writing, chosen.len());
        let pages = self.pages.len();
        chosen.par_iter().try_for_each(|&item| {
            let done = match self.statics.get(item.wrapping_sub(pages)) {
                Some((path, bytes)) if item >= pages => write(sink, path, bytes),
                _ => self.site.render_page(&self.pages[item], sink),
            };
            progress::advance(Stage::Writing, 1);
            done
        })?;
        progress::mark("render: pages");
        Ok(())
    }
}

/// What every page depends on besides its own data: the templates, the
/// static files' addresses and the site's settings (the page hash adds the
/// ketluan binary).
fn site_key(config: &SiteConfig, theme: &Theme, assets: &BTreeMap<String, String>) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (name, template) in &theme.templates {
        h.update(format!("{name}\0{}\0", template.source.len()));
        h.update(&template.source);
    }
    h.update(format!("{assets:?}\0{config:?}\0"));
    h.finalize().to_vec()
}

struct Renderer<'a> {
    /// See [`site_key`].
    site_key: Vec<u8>,
    env: Environment<'static>,
    config: &'a SiteConfig,
    archive: &'a Archive,
    theme: &'a Theme,
    assets: BTreeMap<String, String>,
    views: PerDoc<DocView>,
    /// A key of each view: what listings and neighbours' pages show of a
    /// document, so their keys need not serialise the views again.
    view_keys: PerDoc<Key>,
    /// What `sitemap.xml` lists, from the plan of the whole site.
    sitemap: Vec<(String, Option<String>)>,
    /// The originals published beside the documents' pages.
    originals: crate::originals::Index,
}

impl<'a> Renderer<'a> {
    fn render_page(&self, page: &Page, sink: &Sink<'_>) -> Result<(), RenderError> {
        if let Page::Document(id) = page {
            return self.render_document(*id, sink);
        }
        let Some((path, template, ctx)) = self.page_context(page) else {
            return Ok(());
        };
        let html = self.render_template(template, ctx)?;
        write(sink, &path, html.as_bytes())
    }

    /// The files of `page` and the keys of their inputs. A document's and a
    /// listing's keys are made from the keys of the views they show (and,
    /// for a document, its Markdown's digest), which costs a fraction of
    /// rendering; other pages are few and hash their whole context.
    fn page_files(&self, page: &Page) -> Result<Vec<PlannedFile>, RenderError> {
        let keyed = |path: String, key: Result<Key, serde_json::Error>| {
            key.map(|key| PlannedFile {
                path: path.clone(),
                key,
            })
            .map_err(|source| RenderError::Key { path, source })
        };
        match page {
            Page::Document(id) => self.document_files(*id),
            Page::Listing(l) => {
                let url = views::page_url(&l.base, l.page);
                let members: Vec<Key> = l.members.iter().map(|&id| self.view_keys[id]).collect();
                let key = Key::of(&(
                    &self.site_key,
                    "list.html",
                    &l.base,
                    &l.title,
                    l.kind.kind(),
                    l.page,
                    l.pages,
                    members,
                ));
                Ok(vec![keyed(html_path(&url), key)?])
            }
            _ => {
                let Some((path, template, ctx)) = self.page_context(page) else {
                    return Ok(Vec::new());
                };
                let key = Key::of(&(&self.site_key, template, ctx));
                Ok(vec![keyed(path, key)?])
            }
        }
    }

    /// The file, template and context of a page other than a document's
    /// (whose context needs its body: [`Self::render_document`]).
    fn page_context(&self, page: &Page) -> Option<(String, &'static str, Value)> {
        Some(match page {
            Page::Home => self.home(),
            Page::Document(_) => return None,
            Page::Listing(l) => {
                let url = views::page_url(&l.base, l.page);
                let docs: Vec<&DocView> = l.members.iter().map(|&id| &self.views[id]).collect();
                let ctx = context! { title => &l.title, kind => l.kind.kind(), documents => v(docs), pager => v(Pager::new(&l.base, l.page, l.pages)), list_url => &l.base };
                (html_path(&url), "list.html", self.with_globals(&url, ctx))
            }
            Page::Index { section, sections } => {
                let url = section.url();
                let ctx = context! { title => section.title(), sections => v(sections) };
                (html_path(url), "groups.html", self.with_globals(url, ctx))
            }
            Page::NotFound => {
                let mut ctx =
                    self.with_globals("404.html", context! { title => "Không tìm thấy trang" });
                // Served at any depth, so links must start from the site's own path.
                ctx = context! { root => self.config.base_url.path(), ..ctx };
                ("404.html".into(), "404.html", ctx)
            }
            Page::Search => {
                let ctx = context! { title => "Tìm kiếm", filters => v(self.search_filters()) };
                (
                    html_path(routes::SEARCH),
                    "search.html",
                    self.with_globals(routes::SEARCH, ctx),
                )
            }
            Page::Feed => self.feed(),
            Page::Sitemap => (
                "sitemap.xml".into(),
                "sitemap.xml",
                self.with_globals("sitemap.xml", context! { pages => v(&self.sitemap) }),
            ),
            Page::Robots => (
                "robots.txt".into(),
                "robots.txt",
                self.with_globals("robots.txt", context! {}),
            ),
        })
    }

    fn render_template(&self, template: &str, ctx: Value) -> Result<String, RenderError> {
        self.env
            .get_template(template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| RenderError::Template(vec![template_diagnostic(self.theme, &e)]))
    }

    /// A conclusion's page and its originals, with the keys of their
    /// inputs: everything [`Self::document_context`] and the body's links
    /// read, through the keys of the views involved.
    fn document_files(&self, id: DocId) -> Result<Vec<PlannedFile>, RenderError> {
        let doc = self.archive.document(id);
        let view = &self.views[id];
        let path = html_path(&view.url);
        let originals = self.originals_of(id)?;
        let refs = &self.archive.references;
        let (prev, next) = self.archive.neighbours[id];
        let key = |id: Option<DocId>| id.map(|i| self.view_keys[i]);
        let cites: Vec<_> = refs.cites[id]
            .iter()
            .map(|c| {
                let m = &c.mention;
                (&m.kind, &m.number, m.date, &m.key, key(c.target()))
            })
            .collect();
        let cited_by: Vec<Key> = refs.cited_by[id]
            .iter()
            .map(|&k| self.view_keys[k])
            .collect();
        let originals_shown: Vec<_> = originals.iter().map(|(o, _)| o).collect();
        let inputs = Key::of(&(
            &self.site_key,
            "document.html",
            doc.digest,
            self.view_keys[id],
            key(prev),
            key(next),
            cites,
            cited_by,
            &originals_shown,
        ))
        .map_err(|source| RenderError::Key {
            path: path.clone(),
            source,
        })?;
        let mut files = vec![PlannedFile { path, key: inputs }];
        for (original, bytes) in &originals {
            files.push(PlannedFile {
                path: format!("{}{}", view.url, original.file),
                key: Key::of_bytes(bytes),
            });
        }
        Ok(files)
    }

    fn originals_of(
        &self,
        id: DocId,
    ) -> Result<Vec<(crate::originals::Original, Vec<u8>)>, RenderError> {
        let doc = self.archive.document(id);
        self.originals
            .of(doc)
            .map_err(|source| RenderError::Original {
                path: doc.source.display().to_string(),
                source,
            })
    }

    /// A conclusion's page and its originals.
    fn render_document(&self, id: DocId, sink: &Sink<'_>) -> Result<(), RenderError> {
        let doc = self.archive.document(id);
        let view = &self.views[id];
        let path = html_path(&view.url);
        let originals = self.originals_of(id)?;
        for (original, bytes) in &originals {
            write(sink, &format!("{}{}", view.url, original.file), bytes)?;
        }
        let originals: Vec<_> = originals.into_iter().map(|(o, _)| o).collect();
        let ctx = context! { originals => v(originals), ..self.document_context(id) };
        let markdown = doc.markdown().map_err(|source| RenderError::Read {
            path: doc.source.display().to_string(),
            source,
        })?;
        let refs = &self.archive.references;
        let root = "../".repeat(view.url.matches('/').count());
        let link = |c: &Citation| {
            refs.target_of(id, &c.key, c.date)
                .map(|t| format!("{root}{}", self.views[t].url))
        };
        let body = markdown::render_linked(&markdown, self.config.allow_raw_html, &link);
        let ctx = context! {
            content => Value::from_safe_string(body.html),
            toc => v(body.toc),
            ..ctx
        };
        let html = self.render_template("document.html", ctx)?;
        write(sink, &path, html.as_bytes())
    }

    fn home(&self) -> (String, &'static str, Value) {
        let latest: Vec<&DocView> = self.views.values().take(self.config.page_size).collect();
        let quarters: Vec<views::Section> = views::quarter_sections(self.archive)
            .into_iter()
            .take(3)
            .collect();
        let ctx = context! {
            title => &self.config.title,
            latest => v(latest),
            quarters => v(quarters),
            total => self.views.len(),
            issuers => self.archive.issuers.len(),
            years => self.archive.years.len(),
        };
        (
            "index.html".into(),
            "index.html",
            self.with_globals("", ctx),
        )
    }

    /// What a conclusion's page shows besides its body. Every link target
    /// the body's citations can have is in `cites`.
    fn document_context(&self, id: DocId) -> Value {
        let doc = self.archive.document(id);
        let view = &self.views[id];
        let refs = &self.archive.references;
        let (prev, next) = self.archive.neighbours[id];
        let cites = views::citations(self.archive, &self.views, id);
        let cited_by: Vec<&DocView> = refs.cited_by[id].iter().map(|&k| &self.views[k]).collect();
        // Absolute addresses of the archived documents it cites, for JSON-LD.
        let cites_permalinks: Vec<String> = cites
            .iter()
            .filter_map(|c| c.url.as_deref())
            .map(|u| self.config.base_url.join(u))
            .collect();
        let ctx = context! {
            title => &doc.title,
            doc => v(view),
            prev => v(prev.map(|p| &self.views[p])),
            next => v(next.map(|n| &self.views[n])),
            cites => v(cites),
            cited_by => v(cited_by),
            cites_permalinks => v(cites_permalinks),
            // The archive is of conclusions: that is the kind unless the number says otherwise.
            legislation_type => doc
                .number
                .as_ref()
                .and_then(|n| crate::citation::kind_of_number(n.as_str()))
                .unwrap_or("Kết luận"),
            description => doc.summary.clone().unwrap_or_else(|| doc.title.clone()),
        };
        self.with_globals(&view.url, ctx)
    }

    fn feed(&self) -> (String, &'static str, Value) {
        let entries: Vec<&DocView> = self.views.values().take(self.config.feed_limit).collect();
        // The newest document's date, not the clock: rebuilds stay identical.
        let updated = entries
            .first()
            .map_or_else(|| "1970-01-01".to_string(), |d| d.date.clone());
        let ctx = context! { entries => v(entries), updated };
        (
            "atom.xml".into(),
            "atom.xml",
            self.with_globals("atom.xml", ctx),
        )
    }

    /// Years, quarters, issuing bodies and terms for the search filters, so
    /// the page shows them before any script runs.
    fn search_filters(&self) -> BTreeMap<&'static str, Vec<(String, String)>> {
        let a = self.archive;
        let named = |groups: &[Group], section: Section| {
            groups
                .iter()
                .map(|g| (g.slug.to_string(), section.group_title(&g.name)))
                .collect()
        };
        BTreeMap::from([
            (
                "years",
                a.years
                    .iter()
                    .map(|(y, _)| (y.to_string(), y.to_string()))
                    .collect(),
            ),
            (
                "quarters",
                a.quarters
                    .iter()
                    .map(|(q, _)| (q.slug(), q.vietnamese()))
                    .collect(),
            ),
            ("issuers", named(&a.issuers, Section::Issuer)),
            ("terms", named(&a.terms, Section::Term)),
        ])
    }

    /// Adds what every template may use: the site settings, the relative
    /// path back to the site root, asset URLs and the page's own addresses.
    fn with_globals(&self, url: &str, ctx: Value) -> Value {
        let depth = url.matches('/').count();
        let root = if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        };
        let c = self.config;
        context! {
            site => context! {
                title => &c.title,
                description => &c.description,
                base_url => c.base_url.as_str(),
                language => &c.language,
            },
            root,
            page_url => url,
            permalink => c.base_url.join(url),
            assets => v(&self.assets),
            routes => v(routes::sections()),
            navigation => v(routes::navigation()),
            search_url => routes::SEARCH,
            ..ctx
        }
    }
}

fn v<T: Serialize>(value: T) -> Value {
    Value::from(Serde(value))
}

/// `ket-luan/a/` → `ket-luan/a/index.html` (pretty URLs on any static host).
fn html_path(url: &str) -> String {
    format!("{url}index.html")
}

fn write(sink: &Sink<'_>, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
    sink(path, bytes).map_err(|source| RenderError::Write {
        path: path.to_string(),
        source,
    })
}
