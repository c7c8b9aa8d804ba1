//! The pipeline: load → validate → group → render → write, and the `check`
//! variant that runs the same steps but writes nothing.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use std::time::{Duration, Instant};

use crate::archive::Archive;
use crate::cache::{Cache, FileId, Key};
use crate::calendar::Date;
use crate::config::{BaseUrl, SiteConfig};
use crate::content::{self, BodyError};
use crate::diagnostic::{Diagnostic, Problem};
use crate::output::{Entry, OutputError, SiteLog, Spare, Staging, recordable};
use crate::references::Worklist;
use crate::render::{self, PlannedFile, RenderError};
use crate::search::{Batches, SearchError};
use crate::theme::{Theme, ThemeError};

mod unchanged;

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
    pub references: Worklist,
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
    /// Bringing the spare copy of the site up to date.
    UpdateOutput(PathBuf),
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

/// Whether loading may take unchanged documents from the last build's
/// records beside the output folder (and record this load there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reuse {
    LastBuild,
    Nothing,
}

/// Loads and validates the whole site, collecting every problem.
pub(crate) fn prepare(options: &BuildOptions, reuse: Reuse) -> Result<Prepared, BuildError> {
    let root = &options.root;
    crate::progress::mark("start");
    let config = SiteConfig::load(root);
    let known = match (&reuse, &config) {
        (Reuse::LastBuild, Ok(config)) => content::Known::open(&output_dir(options, config), root),
        _ => content::Known::none(),
    };
    crate::progress::mark("config + known documents");
    let (loaded, update) = content::load_known(root, options.drafts, Date::today(), &known);
    crate::progress::mark("load");
    if let Some(update) = update {
        known.save(update);
        crate::progress::mark("known documents saved");
    }
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
    crate::progress::mark("theme");
    match config {
        Some(config) if !diagnostics.iter().any(Diagnostic::is_error) => {
            let archive = Archive::new(loaded.documents);
            crate::progress::mark("archive");
            Ok(Prepared {
                config,
                archive,
                theme,
                warnings: diagnostics,
            })
        }
        _ => Err(BuildError::Invalid(diagnostics)),
    }
}

/// Builds the site into its output folder, replacing the previous version
/// only if every step succeeds.
pub fn build(options: &BuildOptions) -> Result<Summary, BuildError> {
    let started = Instant::now();
    crate::progress::mark("start");
    let first_look = match SiteConfig::load(&options.root) {
        Ok(config) => Some(output_dir(options, &config)),
        Err(_) => None,
    };
    // Held until the new records are saved: one build of a site at a time.
    let mut log_cache = None;
    let mut inputs = None;
    if let Some(output) = &first_look {
        refuse_dangerous_output(&options.root, output)?;
        log_cache = Cache::beside(output, "site").ok();
        inputs = unchanged::Inputs::take(options, output);
        crate::progress::mark("inputs");
        let last = log_cache
            .as_ref()
            .zip(inputs.as_ref())
            .and_then(|(cache, inputs)| {
                unchanged::last_build(cache, inputs, output, Date::today())
            });
        crate::progress::mark("last build's output");
        if let Some(last) = last {
            return Ok(Summary {
                documents: last.documents,
                files: last.files,
                output: output.clone(),
                warnings: Vec::new(),
                references: Worklist::Counted {
                    missing: last.missing,
                    ambiguous: last.ambiguous,
                },
                elapsed: started.elapsed(),
            });
        }
    }
    let prepared = prepare(options, Reuse::LastBuild)?;
    render::check_templates(&prepared.theme).map_err(render_failed)?;
    crate::progress::mark("check templates");
    let output = output_dir(options, &prepared.config);
    refuse_dangerous_output(&options.root, &output)?;
    if first_look.as_ref() != Some(&output) {
        // `site.toml` changed under the build: its first fingerprint is not
        // of this build's inputs.
        inputs = None;
        drop(log_cache.take());
        log_cache = Cache::beside(&output, "site").ok();
    }
    let plan = render::Plan::new(&prepared.config, &prepared.archive, &prepared.theme)
        .map_err(render_failed)?;
    let log = log_cache.as_ref().map(SiteLog::load).unwrap_or_default();
    let index = IndexTarget::new(&output)?;
    crate::progress::mark("plan + site log");
    let batches = index.batches(&prepared.archive)?;
    let search_key = crate::search::published_key(&prepared.archive, &batches)?;
    let search_key =
        Key::parse(&search_key).unwrap_or_else(|| Key::of_bytes(search_key.as_bytes()));
    crate::progress::mark("index batches");
    let items = plan.files().map_err(render_failed)?;
    let changes = Changes::find(&log, &items, search_key, &output);
    crate::progress::mark("page keys + live files");
    let files = items.iter().map(Vec::len).sum();
    let summary = |prepared: Prepared| summarise(prepared, files, output.clone(), started);
    let latest = prepared.archive.documents.iter().map(|(_, d)| d.date).max();
    // Only a build without warnings: every build tells them again.
    let remember = |summary: &Summary| {
        if let (Some(cache), Some(inputs), true) =
            (&log_cache, &inputs, summary.warnings.is_empty())
        {
            let (missing, ambiguous) = match &summary.references {
                Worklist::Whole(r) => (r.missing.len(), r.ambiguous.len()),
                Worklist::Counted { missing, ambiguous } => (*missing, *ambiguous),
            };
            let outcome = unchanged::Outcome {
                documents: summary.documents,
                files: summary.files,
                missing,
                ambiguous,
                latest,
            };
            unchanged::save(cache, inputs, outcome);
        }
    };
    if changes.none() && output.is_dir() {
        // The live site is what this build would make, file for file: it
        // stays, and so do the spare and the record.
        let summary = summary(prepared);
        remember(&summary);
        return Ok(summary);
    }
    // A build stopped from here on leaves the spare in a state no record
    // describes; without the mark the next build could trust it.
    if let Some(cache) = &log_cache {
        unchanged::forget(cache);
        if SiteLog::mark_spare_dirty(cache).is_err() {
            SiteLog::remove(cache);
        }
    }
    let mut staging = Staging::new(&output).map_err(|source| BuildError::Output {
        step: Step::PrepareOutput(output.clone()),
        source,
    })?;
    let pending = match &log.spare {
        Spare::Differs { inode, paths } if staging.recycled_inode() == Some(*inode) => Some(paths),
        _ => None,
    };
    let output_failed = |source| BuildError::Output {
        step: Step::UpdateOutput(output.clone()),
        source,
    };
    let stale = |path: &str| pending.is_none_or(|p| p.contains(path));
    // Unchanged files the spare does not share with the live site.
    items
        .par_iter()
        .zip(&changes.items)
        .filter(|(_, changed)| !**changed)
        .flat_map(|(files, _)| files)
        .filter(|f| stale(&f.path))
        .try_for_each(|f| staging.keep_previous(&f.path))
        .map_err(output_failed)?;
    for path in changes.removed.iter().chain(
        pending
            .into_iter()
            .flatten()
            .filter(|p| !changes.planned.contains(p.as_str()) && p.as_str() != crate::search::DIR),
    ) {
        staging.remove(path).map_err(output_failed)?;
    }
    let remake_search = changes.search || stale(crate::search::DIR);
    let sink = |path: &str, bytes: &[u8]| staging.write(path, bytes);
    let changed = |item: usize| changes.items[item];
    // Indexing the batches kept every core busy; the merge that follows runs
    // on one, so the pages are rendered beside it.
    let (rendered, indexed) = rayon::join(
        || {
            let done = plan.render(&changed, &sink);
            crate::progress::mark("pages (beside the merge)");
            done
        },
        || {
            if !remake_search {
                return staging.keep_dir(crate::search::DIR).map_err(output_failed);
            }
            let done = index.publish(&staging, &prepared.archive, batches);
            crate::progress::mark("search merge + export");
            done
        },
    );
    rendered.map_err(render_failed)?;
    indexed?;
    if pending.is_some() {
        staging.complete();
    }
    let spare = staging.commit().map_err(|source| BuildError::Output {
        step: Step::PlaceSite(output.clone()),
        source,
    })?;
    crate::progress::mark("commit");
    // Once the new site is in place. A record that cannot be written only
    // means the next build renders every page.
    if let Some(cache) = &log_cache {
        let record = changes.record(&log, &items, search_key, remake_search, spare, &output);
        if record.and_then(|r| r.save(cache).ok()).is_none() {
            SiteLog::remove(cache);
            return Ok(summary(prepared));
        }
    }
    crate::progress::mark("site log saved");
    let summary = summary(prepared);
    remember(&summary);
    Ok(summary)
}

/// What differs between the live site and the one this build makes.
struct Changes<'p> {
    /// Per plan item: whether it must be rendered.
    items: Vec<bool>,
    /// Every path of the new site.
    planned: HashSet<&'p str>,
    /// Paths of the live site the new one does not have.
    removed: Vec<String>,
    /// Whether the search index differs.
    search: bool,
    /// Whether files of the live site were changed by hand: then it may
    /// hold anything (files the record does not list), and once it is the
    /// spare, the next build walks it for leftovers.
    by_hand: bool,
}

impl<'p> Changes<'p> {
    /// An item changed when any of its files has a new key, or a live file
    /// that is no longer the one the last build left (removed, replaced or
    /// edited by hand: a new inode or time).
    fn find(
        log: &SiteLog,
        items: &'p [Vec<PlannedFile>],
        search_key: Key,
        output: &Path,
    ) -> Changes<'p> {
        // Per item: changed, and changed by hand (the same key, another
        // file in the live site).
        let states: Vec<(bool, bool)> = items
            .par_iter()
            .map(|files| {
                let (mut changed, mut by_hand) = (false, false);
                for f in files {
                    match log.files.get(&f.path) {
                        Some(e) if e.key == f.key => {
                            if FileId::of(&output.join(&f.path)) != Some(e.file) {
                                (changed, by_hand) = (true, true);
                            }
                        }
                        _ => changed = true,
                    }
                }
                (changed, by_hand)
            })
            .collect();
        let by_hand = states.iter().any(|s| s.1);
        let changed = states.into_iter().map(|s| s.0).collect();
        let planned: HashSet<&str> = items.iter().flatten().map(|f| f.path.as_str()).collect();
        let removed = log
            .files
            .keys()
            .filter(|p| !planned.contains(p.as_str()))
            .cloned()
            .collect();
        let manifest = output
            .join(crate::search::DIR)
            .join(ketluan_search::manifest::FILE_NAME);
        let search = log
            .search
            .is_none_or(|e| e.key != search_key || FileId::of(&manifest) != Some(e.file));
        Changes {
            items: changed,
            planned,
            removed,
            search,
            by_hand,
        }
    }

    fn none(&self) -> bool {
        !self.search && self.removed.is_empty() && !self.items.contains(&true)
    }

    /// The record of the site just put in place: unchanged files are the
    /// ones the last record names (the spare shares them, so they are now
    /// live), changed ones are looked at. The spare (the site replaced)
    /// differs exactly where this build changed something (unless the live
    /// site was changed by hand: then it is unknown). None when a
    /// file cannot be recorded.
    fn record(
        &self,
        log: &SiteLog,
        items: &[Vec<PlannedFile>],
        search_key: Key,
        search_remade: bool,
        spare: Option<u64>,
        output: &Path,
    ) -> Option<SiteLog> {
        let mut differs: HashSet<String> = self.removed.iter().cloned().collect();
        let mut files = std::collections::HashMap::with_capacity(self.planned.len());
        for (files_of, &changed) in items.iter().zip(&self.items) {
            for f in files_of {
                if !recordable(&f.path) {
                    return None;
                }
                let file = if changed {
                    differs.insert(f.path.clone());
                    FileId::of(&output.join(&f.path))?
                } else {
                    log.files.get(&f.path)?.file
                };
                files.insert(f.path.clone(), Entry { key: f.key, file });
            }
        }
        if search_remade {
            differs.insert(crate::search::DIR.to_string());
        }
        let manifest = output
            .join(crate::search::DIR)
            .join(ketluan_search::manifest::FILE_NAME);
        Some(SiteLog {
            files,
            search: Some(Entry {
                key: search_key,
                file: FileId::of(&manifest)?,
            }),
            spare: match spare.filter(|_| !self.by_hand) {
                Some(inode) => Spare::Differs {
                    inode,
                    paths: differs,
                },
                None => Spare::Unknown,
            },
        })
    }
}

/// The search index's batches, kept in the cache beside the output.
struct IndexTarget {
    cache: Cache,
    previous: PathBuf,
}

impl IndexTarget {
    fn new(output: &Path) -> Result<IndexTarget, BuildError> {
        Ok(IndexTarget {
            cache: Cache::beside(output, "search").map_err(|source| BuildError::Io {
                step: Step::WriteIndex,
                source,
            })?,
            previous: output.join(crate::search::DIR),
        })
    }

    fn batches(&self, archive: &Archive) -> Result<Batches, BuildError> {
        Ok(crate::search::index_batches(archive, &self.cache)?)
    }

    /// Merges the batches into a fresh `search/` in `staging`.
    fn publish(
        &self,
        staging: &Staging,
        archive: &Archive,
        batches: Batches,
    ) -> Result<(), BuildError> {
        let out = staging
            .fresh_dir(crate::search::DIR)
            .map_err(|source| BuildError::Output {
                step: Step::WriteIndex,
                source,
            })?;
        Ok(crate::search::publish(
            archive,
            batches,
            &out,
            &self.previous,
            &self.cache,
        )?)
    }
}

/// Runs every step of a build without writing anything.
pub fn check(options: &BuildOptions) -> Result<Summary, BuildError> {
    let started = Instant::now();
    let prepared = prepare(options, Reuse::Nothing)?;
    let files = render::render_site(
        &prepared.config,
        &prepared.archive,
        &prepared.theme,
        &|_, _| Ok(()),
    )
    .map_err(render_failed)?;
    let output = output_dir(options, &prepared.config);
    Ok(summarise(prepared, files, output, started))
}

fn summarise(prepared: Prepared, files: usize, output: PathBuf, started: Instant) -> Summary {
    Summary {
        documents: prepared.archive.documents.len(),
        files,
        output,
        references: Worklist::Whole(
            prepared
                .archive
                .references
                .report(&prepared.archive.documents),
        ),
        warnings: prepared.warnings,
        elapsed: started.elapsed(),
    }
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
