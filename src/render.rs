//! Renders every page of the site through the theme's templates and hands
//! each file to a sink (the staging folder, or nothing for `ketluan check`).

use std::collections::BTreeMap;

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::archive::{Archive, Group};
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

/// The previous build's document pages, for a build to keep those whose
/// inputs have not changed instead of rendering them again.
pub(crate) trait Previous: Sync {
    /// Whether the previous build's file at `path`, made from inputs that
    /// hash to `inputs`, was kept for this build.
    fn keep(&self, path: &str, inputs: &str) -> bool;
    /// Records that `path` was rendered from inputs that hash to `inputs`.
    fn rendered(&self, path: &str, inputs: &str);
}

/// No previous build: every page is rendered.
pub(crate) struct NoPrevious;

impl Previous for NoPrevious {
    fn keep(&self, _: &str, _: &str) -> bool {
        false
    }
    fn rendered(&self, _: &str, _: &str) {}
}

/// Renders the whole site; returns the number of files written.
pub fn render_site(
    config: &SiteConfig,
    archive: &Archive,
    theme: &Theme,
    sink: &Sink<'_>,
) -> Result<usize, RenderError> {
    render_site_with(config, archive, theme, sink, &NoPrevious)
}

/// [`render_site`], keeping the document pages `previous` still has.
pub(crate) fn render_site_with(
    config: &SiteConfig,
    archive: &Archive,
    theme: &Theme,
    sink: &Sink<'_>,
    previous: &dyn Previous,
) -> Result<usize, RenderError> {
    let env = environment(theme)?;
    let assets = asset_urls(theme);
    let mut site = Renderer {
        site_key: site_key(config, theme, &assets),
        env,
        config,
        archive,
        theme,
        assets,
        views: archive.documents.values().map(DocView::new).collect(),
        sitemap: Vec::new(),
        originals: crate::originals::Index::new(archive.documents.as_slice()),
    };
    let pages = site.plan();
    site.sitemap = site.sitemap_urls(&pages);
    progress::start(Stage::Writing, pages.len());
    let written = pages
        .par_iter()
        .map(|page| {
            let done = site.render_page(page, sink, previous);
            progress::advance(Stage::Writing, 1);
            done
        })
        .collect::<Result<Vec<()>, RenderError>>()?;
    for (path, bytes) in &theme.statics {
        write(sink, path, bytes)?;
    }
    Ok(written.len() + theme.statics.len())
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
    /// What `sitemap.xml` lists, from the plan of the whole site.
    sitemap: Vec<(String, Option<String>)>,
    /// The originals published beside the documents' pages.
    originals: crate::originals::Index,
}

impl<'a> Renderer<'a> {
    fn render_page(
        &self,
        page: &Page,
        sink: &Sink<'_>,
        previous: &dyn Previous,
    ) -> Result<(), RenderError> {
        let (path, template, ctx) = match page {
            Page::Home => self.home(),
            Page::Document(id) => return self.render_document(*id, sink, previous),
            Page::Listing {
                base,
                title,
                kind,
                members,
                page,
                pages,
            } => {
                let url = views::page_url(base, *page);
                let docs: Vec<&DocView> = members.iter().map(|&id| &self.views[id]).collect();
                let ctx = context! { title, kind => kind.kind(), documents => v(docs), pager => v(Pager::new(base, *page, *pages)), list_url => base };
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
        };
        let html = self.render_template(template, ctx)?;
        write(sink, &path, html.as_bytes())
    }

    fn render_template(&self, template: &str, ctx: Value) -> Result<String, RenderError> {
        self.env
            .get_template(template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| RenderError::Template(vec![template_diagnostic(self.theme, &e)]))
    }

    /// A conclusion's page, unless `previous` keeps the last build's: its
    /// inputs (the Markdown's digest and everything else the template sees)
    /// are hashed first, which costs a fraction of rendering.
    fn render_document(
        &self,
        id: DocId,
        sink: &Sink<'_>,
        previous: &dyn Previous,
    ) -> Result<(), RenderError> {
        let doc = self.archive.document(id);
        let view = &self.views[id];
        let path = html_path(&view.url);
        let originals = self
            .originals
            .of(doc)
            .map_err(|source| RenderError::Original {
                path: doc.source.display().to_string(),
                source,
            })?;
        for (original, bytes) in &originals {
            write(sink, &format!("{}{}", view.url, original.file), bytes)?;
        }
        let originals: Vec<_> = originals.into_iter().map(|(o, _)| o).collect();
        let ctx = context! { originals => v(originals), ..self.document_context(id) };
        let inputs =
            crate::cache::Cache::key(&(&self.site_key, &ctx, doc.digest)).map_err(|source| {
                RenderError::Key {
                    path: path.clone(),
                    source,
                }
            })?;
        if previous.keep(&path, &inputs) {
            return Ok(());
        }
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
        write(sink, &path, html.as_bytes())?;
        previous.rendered(&path, &inputs);
        Ok(())
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
