//! The pipeline: load → validate → group → render → write, and the `check`
//! variant that runs the same steps but writes nothing.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::archive::Archive;
use crate::cache::{Cache, FileId, PageLog};
use crate::calendar::Date;
use crate::config::{BaseUrl, SiteConfig};
use crate::content::{self, BodyError};
use crate::diagnostic::{Diagnostic, Problem};
use crate::output::{OutputError, Staging};
use crate::references::Report;
use crate::render::{self, RenderError};
use crate::search::{Batches, SearchError};
use crate::theme::{Theme, ThemeError};

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The folder with `site.toml` and `content/`.
    pub root: PathBuf,
    /// Overrides `output_dir` of `site.toml`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    pub drafts: bool,
}

#[derive(Debug)]
pub struct Summary {
    pub documents: usize,
    pub files: usize,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    /// Citations that were not linked: a worklist, not errors.
    pub references: Report,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum BuildError {
    /// Problems in the site's own files; each names its file and line.
    Invalid(Vec<Diagnostic>),
    Io {
        step: Step,
        source: io::Error,
    },
    Output {
        step: Step,
        source: OutputError,
    },
    Theme(#[from] ThemeError),
    Search(#[from] SearchError),
    Reread {
        path: String,
        source: BodyError,
    },
    Original {
        path: String,
        source: io::Error,
    },
    Key {
        path: String,
        source: serde_json::Error,
    },
    /// The output folder is, or is inside, the site's own files.
    DangerousOutput(PathBuf),
}

/// What the build was doing when the disk failed it.
#[derive(Debug)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum Step {
    PrepareOutput(PathBuf),
    PlaceSite(PathBuf),
    WriteIndex,
    WriteFile(String),
}

/// Everything the renderer needs, checked.
pub(crate) struct Prepared {
    pub config: SiteConfig,
    pub archive: Archive,
    pub theme: Theme,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates the whole site, collecting every problem.
pub(crate) fn prepare(options: &BuildOptions) -> Result<Prepared, BuildError> {
    let root = &options.root;
    let config = SiteConfig::load(root);
    let loaded = content::load(root, options.drafts, Date::today());
    let mut diagnostics = loaded.diagnostics;
    let mut config = match config {
        Ok(c) => Some(c),
        Err(errors) => {
            diagnostics.splice(0..0, errors);
            None
        }
    };
    if let (Some(c), Some(url)) = (config.as_mut(), &options.base_url) {
        match BaseUrl::parse(url) {
            Ok(url) => c.base_url = url,
            Err(e) => {
                let d = Diagnostic::file(Path::new("--base-url"), Problem::BadBaseUrl(e));
                diagnostics.insert(0, d);
            }
        }
    }
    let (theme, refused) = Theme::load(root)?;
    diagnostics.extend(refused);
    match config {
        Some(config) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Prepared {
            config,
            archive: Archive::new(loaded.documents),
            theme,
            warnings: diagnostics,
        }),
        _ => Err(BuildError::Invalid(diagnostics)),
    }
}

/// Builds the site into its output folder, replacing the previous version
/// only if every step succeeds.
pub fn build(options: &BuildOptions) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let prepared = prepare(options)?;
    render::check_templates(&prepared.theme).map_err(render_failed)?;
    let output = output_dir(options, &prepared.config);
    refuse_dangerous_output(&options.root, &output)?;
    let staging = Staging::new(&output).map_err(|source| BuildError::Output {
        step: Step::PrepareOutput(output.clone()),
        source,
    })?;
    let sink = |path: &str, bytes: &[u8]| staging.write(path, bytes);
    let kept = KeptPages::new(&staging);
    let index = IndexTarget::new(&staging)?;
    let batches = index.batches(&prepared.archive)?;
    // Indexing the batches kept every core busy; the merge that follows runs
    // on one, so the pages are rendered beside it.
    let (files, indexed) = rayon::join(
        || render_all(&prepared, &sink, &kept),
        || index.publish(&prepared.archive, batches),
    );
    let files = files?;
    indexed?;
    let log = kept.log;
    staging.commit().map_err(|source| BuildError::Output {
        step: Step::PlaceSite(output.clone()),
        source,
    })?;
    // Once the new site is in place. A log that cannot be written only
    // means the next build renders every page.
    if let Some((_, log)) = log {
        let _ = log.save();
    }
    Ok(Summary {
        documents: prepared.archive.documents.len(),
        files,
        output,
        references: prepared
            .archive
            .references
            .report(&prepared.archive.documents),
        warnings: prepared.warnings,
        elapsed: started.elapsed(),
    })
}

/// The previous build's document pages, kept when their inputs are unchanged
/// and their files untouched since.
struct KeptPages<'a> {
    staging: &'a Staging,
    /// None when the cache cannot be opened: every page is rendered.
    log: Option<(Cache, PageLog)>,
}

impl<'a> KeptPages<'a> {
    fn new(staging: &'a Staging) -> KeptPages<'a> {
        let log = Cache::beside(staging.target(), "pages").ok().map(|cache| {
            let log = PageLog::load(&cache);
            (cache, log)
        });
        KeptPages { staging, log }
    }
}

impl render::Previous for KeptPages<'_> {
    fn keep(&self, path: &str, inputs: &str) -> bool {
        let Some((_, log)) = &self.log else {
            return false;
        };
        let Some(file) = FileId::of(&self.staging.target().join(path)) else {
            return false;
        };
        let kept = log.unchanged(path, inputs, file) && self.staging.keep_previous(path).is_ok();
        if kept {
            log.record(path, inputs, file);
        }
        kept
    }

    fn rendered(&self, path: &str, inputs: &str) {
        if let (Some((_, log)), Some(file)) =
            (&self.log, FileId::of(&self.staging.path().join(path)))
        {
            log.record(path, inputs, file);
        }
    }
}

/// Where the search index is written, and the cache of its batches.
struct IndexTarget {
    cache: Cache,
    out: PathBuf,
    previous: PathBuf,
}

impl IndexTarget {
    fn new(staging: &Staging) -> Result<IndexTarget, BuildError> {
        Ok(IndexTarget {
            cache: Cache::beside(staging.target(), "search").map_err(|source| BuildError::Io {
                step: Step::WriteIndex,
                source,
            })?,
            previous: staging.target().join(crate::search::DIR),
            out: staging
                .fresh_dir(crate::search::DIR)
                .map_err(|source| BuildError::Output {
                    step: Step::WriteIndex,
                    source,
                })?,
        })
    }

    fn batches(&self, archive: &Archive) -> Result<Batches, BuildError> {
        Ok(crate::search::index_batches(archive, &self.cache)?)
    }

    fn publish(&self, archive: &Archive, batches: Batches) -> Result<(), BuildError> {
        Ok(crate::search::publish(
            archive,
            batches,
            &self.out,
            &self.previous,
            &self.cache,
        )?)
    }
}

/// Runs every step of a build without writing anything.
pub fn check(options: &BuildOptions) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let prepared = prepare(options)?;
    let files = render_all(&prepared, &|_, _| Ok(()), &render::NoPrevious)?;
    Ok(Summary {
        documents: prepared.archive.documents.len(),
        files,
        output: output_dir(options, &prepared.config),
        references: prepared
            .archive
            .references
            .report(&prepared.archive.documents),
        warnings: prepared.warnings,
        elapsed: started.elapsed(),
    })
}

fn render_all(
    p: &Prepared,
    sink: &render::Sink<'_>,
    previous: &dyn render::Previous,
) -> Result<usize, BuildError> {
    render::render_site_with(&p.config, &p.archive, &p.theme, sink, previous).map_err(render_failed)
}

fn render_failed(e: RenderError) -> BuildError {
    match e {
        RenderError::Template(diags) => BuildError::Invalid(diags),
        RenderError::Read { path, source } => BuildError::Reread { path, source },
        RenderError::Write { path, source } => BuildError::Output {
            step: Step::WriteFile(path),
            source,
        },
        RenderError::Key { path, source } => BuildError::Key { path, source },
        RenderError::Original { path, source } => BuildError::Original { path, source },
    }
}

/// The output folder is replaced wholesale, so it must not be (or contain)
/// the site's own sources.
fn refuse_dangerous_output(root: &Path, output: &Path) -> Result<(), BuildError> {
    let abs = |p: &Path| {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    };
    let (root, output) = (abs(root), abs(output));
    let sources = [
        "content",
        "templates",
        "static",
        "theme",
        crate::config::FILE_NAME,
    ];
    let clash =
        root.starts_with(&output) || sources.iter().any(|s| output.starts_with(root.join(s)));
    if clash {
        return Err(BuildError::DangerousOutput(output));
    }
    Ok(())
}

pub(crate) fn output_dir(options: &BuildOptions, config: &SiteConfig) -> PathBuf {
    match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&config.output_dir),
    }
}
