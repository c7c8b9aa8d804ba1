//! The whole-build shortcut: a build whose inputs are, stamp for stamp, those
//! of the last successful build, and whose output folder is still what that
//! build left, has nothing to do. It prints the last build's summary without
//! reading a document, grouping the archive or keying a page.
//!
//! The inputs are everything the output is made from: the ketluan binary
//! (with its built-in theme), the build's options, `site.toml` and every
//! file under `content/`, `templates/` and `static/`, each by its size,
//! inode, modification and change time, as the load record trusts them (so
//! an edit that keeps the size and all of these, which only a file system
//! with coarse times allows within a moment of the last read, is not seen;
//! such "racy" inputs are never recorded). A new, removed or renamed file
//! changes the list itself. The output is checked file by file against the
//! site log (size, inode, time), so a page edited or removed by hand makes
//! the build take the normal path, which renders it again.
//!
//! Only a build without warnings is recorded: a warning is told by every
//! build, in its language, so a site with one is rebuilt the normal way
//! (which reads the files with warnings again). The documents' dates are
//! checked against the day: a record is used only while no document is
//! dated after today, as the load record's own rule says.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::Digest;

use super::BuildOptions;
use crate::cache::{Cache, FileId, Key};
use crate::calendar::Date;
use crate::content::{self, SourceStamp};
use crate::output::SiteLog;

const FILE: &str = "inputs.bin";

/// The folders of the site whose files the build reads.
const FOLDERS: [&str; 3] = [content::CONTENT_DIR, "templates", "static"];

/// A fingerprint of a build's inputs, taken before anything is read.
pub(super) struct Inputs {
    key: Key,
    /// Some input changed too recently for its stamp to be trusted.
    racy: bool,
}

/// What the last build's summary said.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Outcome {
    pub(super) documents: usize,
    pub(super) files: usize,
    /// The size of the citations' worklist.
    pub(super) missing: usize,
    pub(super) ambiguous: usize,
    /// The newest document's date.
    pub(super) latest: Option<Date>,
}

/// The record the last successful build left.
#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    inputs: Key,
    /// The site log written with it: a record left beside another build's
    /// log is not trusted.
    site_log: FileId,
    outcome: Outcome,
}

impl Inputs {
    /// The fingerprint of the inputs of a build with `options` into
    /// `output`; None when a folder cannot be walked cleanly (a link
    /// refused, an unreadable folder) or a file vanishes: the normal path
    /// then says what is wrong.
    pub(super) fn take(options: &BuildOptions, output: &Path) -> Option<Inputs> {
        let root = &options.root;
        let now = content::now_ns();
        let mut files = vec![PathBuf::from(crate::config::FILE_NAME)];
        for folder in FOLDERS {
            let walked = crate::walk::site_files(root, folder);
            if !walked.diagnostics.is_empty() {
                return None;
            }
            files.extend(walked.files);
        }
        crate::progress::mark("inputs: walk");
        let stamps: Vec<SourceStamp> = files
            .par_iter()
            .map(|rel| SourceStamp::of(&root.join(rel)))
            .collect::<Option<_>>()?;
        let absolute = |p: &Path| std::path::absolute(p).ok();
        let options_part = serde_json::to_vec(&(
            absolute(root)?,
            absolute(output)?,
            &options.base_url,
            options.drafts,
        ))
        .ok()?;
        let key = Key::of_fed(|hasher| {
            hasher.update(&options_part);
            hasher.update(files.len().to_le_bytes());
            for (rel, stamp) in files.iter().zip(&stamps) {
                hasher.update(rel.as_os_str().as_encoded_bytes());
                hasher.update([0]);
                stamp.feed(hasher);
            }
        });
        let racy = stamps.iter().any(|s| s.racy(now));
        Some(Inputs { key, racy })
    }
}

/// The last build's outcome if it had these inputs and the output folder is
/// still, file for file, what it left.
pub(super) fn last_build(
    cache: &Cache,
    inputs: &Inputs,
    output: &Path,
    today: Date,
) -> Option<Outcome> {
    if inputs.racy {
        return None;
    }
    let bytes = std::fs::read(cache.path().join(FILE)).ok()?;
    let record: Record = postcard::from_bytes(&bytes).ok()?;
    crate::progress::mark("last build: record");
    if record.inputs != inputs.key
        || SiteLog::file(cache) != Some(record.site_log)
        || record.outcome.latest.is_some_and(|d| d > today)
    {
        return None;
    }
    let log = SiteLog::load(cache);
    crate::progress::mark("last build: site log");
    let manifest = output
        .join(crate::search::DIR)
        .join(ketluan_search::manifest::FILE_NAME);
    let search = log.search?;
    let intact = FileId::of(&manifest) == Some(search.file)
        && log
            .files
            .par_iter()
            .all(|(path, e)| FileId::of(&output.join(path)) == Some(e.file));
    intact.then_some(record.outcome)
}

/// Records a successful build without warnings whose site log is in
/// `cache`. A record that cannot be written only costs the next build the
/// normal path.
pub(super) fn save(cache: &Cache, inputs: &Inputs, outcome: Outcome) {
    let Some(site_log) = SiteLog::file(cache).filter(|_| !inputs.racy) else {
        forget(cache);
        return;
    };
    let record = Record {
        inputs: inputs.key,
        site_log,
        outcome,
    };
    let path = cache.path().join(FILE);
    let partial = path.with_extension("partial");
    let written = postcard::to_stdvec(&record)
        .ok()
        .is_some_and(|bytes| std::fs::write(&partial, bytes).is_ok())
        && std::fs::rename(&partial, &path).is_ok();
    if !written {
        let _ = std::fs::remove_file(&partial);
        forget(cache);
    }
}

/// Removes the record: before a build changes the output, which the record
/// would no longer describe.
pub(super) fn forget(cache: &Cache) {
    let _ = std::fs::remove_file(cache.path().join(FILE));
}
