//! The record a build leaves of the site it put in place: for each file,
//! the key of its inputs and the file it left (size, inode, time); the key
//! of the search index; and where the spare copy of the site differs from
//! the live one. A rebuild renders only what has a new key or a file that
//! is no longer the one left, and brings the spare up to date by touching
//! only the paths where it differs, so its cost follows the change, not the
//! site's size.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::Path;

use crate::cache::{Cache, FileId, Key};

const FILE: &str = "site.tsv";
/// Present while a build is changing the spare: a build that did not finish
/// leaves the spare in a state no record describes.
const DIRTY: &str = "spare-dirty";
const HEADER: &str = "ketluan site log 1";

/// A file of the live site as the last build left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: Key,
    pub file: FileId,
}

/// What the spare copy of the site is known to hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Spare {
    /// Nothing is known (no record, or a build stopped while changing it):
    /// every file of the new site is put in it, and it is walked for
    /// leftovers.
    #[default]
    Unknown,
    /// The spare folder with this inode holds the live site except at these
    /// paths (site-relative; `search` stands for the whole index folder).
    Differs { inode: u64, paths: HashSet<String> },
}

#[derive(Debug, Default)]
pub(crate) struct SiteLog {
    pub files: HashMap<String, Entry>,
    /// The key of the published search index and its manifest's file.
    pub search: Option<Entry>,
    pub spare: Spare,
}

impl SiteLog {
    /// The last build's record in `cache`; empty when there is none or it
    /// cannot be read (every file is then rendered, as in a clean build).
    pub(crate) fn load(cache: &Cache) -> SiteLog {
        let dirty = cache.path().join(DIRTY).exists();
        let Ok(file) = std::fs::File::open(cache.path().join(FILE)) else {
            return SiteLog::default();
        };
        let mut lines = std::io::BufReader::new(file).lines();
        if !matches!(lines.next(), Some(Ok(h)) if h == HEADER) {
            return SiteLog::default();
        }
        let mut log = SiteLog::default();
        let mut spare: Option<(u64, HashSet<String>)> = None;
        for line in lines {
            let Ok(line) = line else {
                return SiteLog::default();
            };
            let mut parts = line.split('\t');
            match (parts.next(), parts.next()) {
                (Some("F"), Some(path)) => match entry(&mut parts) {
                    Some(e) => {
                        log.files.insert(path.to_string(), e);
                    }
                    None => return SiteLog::default(),
                },
                (Some("S"), Some(_)) => log.search = entry(&mut parts),
                (Some("spare"), Some(inode)) => {
                    spare = inode.parse().ok().map(|i| (i, HashSet::new()));
                }
                (Some("P"), Some(path)) => {
                    if let Some((_, paths)) = &mut spare {
                        paths.insert(path.to_string());
                    }
                }
                _ => return SiteLog::default(),
            }
        }
        if let (Some((inode, paths)), false) = (spare, dirty) {
            log.spare = Spare::Differs { inode, paths };
        }
        log
    }

    /// Says, before a build starts changing the spare, that it is no longer
    /// what the record describes.
    pub(crate) fn mark_spare_dirty(cache: &Cache) -> std::io::Result<()> {
        std::fs::write(cache.path().join(DIRTY), "")
    }

    /// Replaces the record with this one (after the site it describes is in
    /// place); only then is the spare trusted again.
    pub(crate) fn save(&self, cache: &Cache) -> std::io::Result<()> {
        let path = cache.path().join(FILE);
        let partial = path.with_extension("partial");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&partial)?);
        writeln!(out, "{HEADER}")?;
        let mut files: Vec<_> = self.files.iter().collect();
        files.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (path, e) in files {
            writeln!(out, "F\t{path}\t{}", format_entry(e))?;
        }
        if let Some(e) = &self.search {
            writeln!(out, "S\tsearch\t{}", format_entry(e))?;
        }
        if let Spare::Differs { inode, paths } = &self.spare {
            writeln!(out, "spare\t{inode}")?;
            let mut paths: Vec<_> = paths.iter().collect();
            paths.sort_unstable();
            for p in paths {
                writeln!(out, "P\t{p}")?;
            }
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_data()?;
        std::fs::rename(&partial, &path)?;
        match std::fs::remove_file(cache.path().join(DIRTY)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// The record's file as it is now: a later build recognises the record
    /// it saw by it.
    pub(crate) fn file(cache: &Cache) -> Option<FileId> {
        FileId::of(&cache.path().join(FILE))
    }

    /// Forgets the record (when the site could not be recorded: the next
    /// build renders everything).
    pub(crate) fn remove(cache: &Cache) {
        let _ = std::fs::remove_file(cache.path().join(FILE));
    }
}

fn entry<'a>(parts: &mut impl Iterator<Item = &'a str>) -> Option<Entry> {
    let key = Key::parse(parts.next()?)?;
    let len = parts.next()?.parse().ok()?;
    let inode = parts.next()?.parse().ok()?;
    let modified = parts.next()?.parse().ok()?;
    Some(Entry {
        key,
        file: FileId {
            len,
            inode,
            modified,
        },
    })
}

fn format_entry(e: &Entry) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        e.key, e.file.len, e.file.inode, e.file.modified
    )
}

/// The inode of a folder, to recognise the spare the record speaks of.
#[cfg(unix)]
pub(crate) fn folder_inode(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_dir())
        .map(|m| m.ino())
}

#[cfg(not(unix))]
pub(crate) fn folder_inode(_: &Path) -> Option<u64> {
    None
}

/// Paths are site-relative with `/`: a path holding a tab or a newline
/// cannot be recorded, so a site with one is not recorded at all.
pub(crate) fn recordable(path: &str) -> bool {
    !path.contains(['\t', '\n', '\r'])
}
