//! The documents the last build loaded, by file: a rebuild takes an
//! unchanged file's [`Document`] from here instead of
//! reading and parsing it again.
//!
//! "Unchanged" is what git's index and Cargo trust: the same size, inode,
//! modification time and status-change time (ctime, which no tool can set
//! back, so `touch -r` or an archive extractor restoring the old mtime after
//! an edit is still seen). What this cannot see is an edit that keeps the
//! size and lands within the file system's timestamp granularity of the
//! moment the file was read: such files ("racy", as git calls them) are
//! never recorded, so they are read again by the next build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Document;
use crate::cache::Cache;
use crate::calendar::Date;

/// A file modified this recently when it was read may be modified again
/// with the same stamp (timestamps are coarser than a save).
const RACY_NS: i128 = 2_000_000_000;

/// A source file as a rebuild recognises it without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SourceStamp {
    len: u64,
    inode: u64,
    /// Nanoseconds since 1970.
    modified: i128,
    changed: i128,
}

impl SourceStamp {
    #[cfg(unix)]
    pub(crate) fn of(path: &Path) -> Option<SourceStamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(SourceStamp {
            len: m.len(),
            inode: m.ino(),
            modified: ns(m.mtime(), m.mtime_nsec()),
            changed: ns(m.ctime(), m.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn of(_: &Path) -> Option<SourceStamp> {
        None
    }

    /// Whether the file changed so shortly before `now` that a later edit
    /// could leave the same stamp.
    pub(crate) fn racy(&self, now: i128) -> bool {
        now - self.modified.max(self.changed) < RACY_NS
    }

    /// Adds the stamp to a fingerprint.
    pub(crate) fn feed(&self, hasher: &mut sha2::Sha256) {
        use sha2::Digest;
        hasher.update(self.len.to_le_bytes());
        hasher.update(self.inode.to_le_bytes());
        hasher.update(self.modified.to_le_bytes());
        hasher.update(self.changed.to_le_bytes());
    }
}

/// Nanoseconds since 1970, as stamps count them.
pub(crate) fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// What loading one file gave, and from which version of it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Record {
    pub rel: PathBuf,
    pub stamp: SourceStamp,
    pub doc: Document,
}

#[derive(Deserialize)]
struct Saved {
    /// The binary and the site folder the records were made by and for
    /// (documents hold absolute paths to their text).
    key: String,
    records: Vec<Record>,
}

/// [`Saved`], written from borrowed records (the same bytes).
#[derive(Serialize)]
struct SavedRef<'a> {
    key: &'a str,
    records: Vec<&'a Record>,
}

/// How this load's records differ from the last: the files taken from
/// them, and the records of files read.
#[derive(Default)]
pub(crate) struct Update {
    pub known: Vec<PathBuf>,
    pub read: Vec<Record>,
}

/// The last build's records, and where this build's go.
pub(crate) struct Known {
    /// None: nothing is reused or recorded (`ketluan check`, tests).
    cache: Option<Cache>,
    key: String,
    records: HashMap<PathBuf, Record>,
}

const FILE: &str = "documents.bin";

impl Known {
    pub(crate) fn none() -> Known {
        Known {
            cache: None,
            key: String::new(),
            records: HashMap::new(),
        }
    }

    /// The records kept beside the output folder `output` for the site at
    /// `root`; none if they are missing, unreadable or made by another
    /// binary.
    pub(crate) fn open(output: &Path, root: &Path) -> Known {
        let Ok(cache) = Cache::beside(output, "documents") else {
            return Known::none();
        };
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let Ok(key) = Cache::key(&root) else {
            return Known::none();
        };
        let records = std::fs::read(cache.path().join(FILE))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Saved>(&bytes).ok())
            .filter(|saved| saved.key == key)
            .map(|saved| {
                saved
                    .records
                    .into_iter()
                    .map(|r| (r.rel.clone(), r))
                    .collect()
            })
            .unwrap_or_default();
        Known {
            cache: Some(cache),
            key,
            records,
        }
    }

    /// The last load of `rel` if the file is still the one it read and its
    /// document would still load without a warning `today` (only files
    /// without one are recorded; a date in the future would give one).
    pub(crate) fn get(&self, rel: &Path, stamp: SourceStamp, today: Date) -> Option<&Record> {
        self.records
            .get(rel)
            .filter(|r| r.stamp == stamp && r.doc.date <= today)
    }

    pub(crate) fn records(&self) -> usize {
        self.records.len()
    }

    /// Whether records are kept at all.
    pub(crate) fn enabled(&self) -> bool {
        self.cache.is_some()
    }

    /// Replaces the records with this load's, leaving out racy files. A
    /// failure only costs the next build a full read.
    pub(crate) fn save(&self, update: Update) {
        self.save_at(update, now_ns());
    }

    /// [`Self::save`] at `now` (nanoseconds since 1970).
    fn save_at(&self, update: Update, now: i128) {
        let Some(cache) = &self.cache else {
            return;
        };
        let known = update.known.iter().filter_map(|rel| self.records.get(rel));
        let saved = SavedRef {
            key: &self.key,
            records: known
                .chain(&update.read)
                .filter(|r| !r.stamp.racy(now))
                .collect(),
        };
        let Ok(bytes) = postcard::to_stdvec(&saved) else {
            return;
        };
        let path = cache.path().join(FILE);
        let partial = path.with_extension("partial");
        if std::fs::write(&partial, bytes).is_err() || std::fs::rename(&partial, &path).is_err() {
            let _ = std::fs::remove_file(&partial);
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load_known;

    const DOC: &str =
        "+++\ntitle = \"Kết luận\"\ndate = 2024-01-02\nbody = \"Thị ủy\"\n+++\nVăn bản.\n";

    fn now() -> i128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as i128
    }

    #[test]
    fn an_unchanged_file_comes_from_the_record_and_an_edited_one_is_read() {
        let root = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let out = out.path().join("public");
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        let file = root.path().join("content/a.md");
        std::fs::write(&file, DOC).unwrap();
        let today = Date::new(2025, 1, 1).unwrap();

        let known = Known::open(&out, root.path());
        let (_, records) = load_known(root.path(), false, today, &known);
        // As if saved a minute later: the file is not racy any more.
        known.save_at(records.unwrap(), now() + 60_000_000_000);
        drop(known);

        // A title only the record has shows that the file was not read.
        let mut known = Known::open(&out, root.path());
        assert_eq!(known.records(), 1);
        for r in known.records.values_mut() {
            r.doc.title = "Từ bản ghi".into();
        }
        let (loaded, records) = load_known(root.path(), false, today, &known);
        assert_eq!(loaded.documents[0].title, "Từ bản ghi");
        assert!(records.is_none(), "nothing new to record");

        std::fs::write(&file, DOC.replace("Kết luận", "Kết luận mới")).unwrap();
        let (loaded, records) = load_known(root.path(), false, today, &known);
        assert_eq!(loaded.documents[0].title, "Kết luận mới");
        assert!(
            records.is_none(),
            "one edited file is read again rather than every record rewritten"
        );
    }

    #[test]
    fn a_file_with_a_warning_is_read_again_so_its_warning_follows_the_day() {
        let root = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        std::fs::write(root.path().join("content/a.md"), DOC).unwrap();
        let day = |d| Date::new(2024, 1, d).unwrap();
        // Loaded on 1 January: its date, 2 January, is in the future.
        let known = Known::open(&out.path().join("public"), root.path());
        let (loaded, records) = load_known(root.path(), false, day(1), &known);
        assert!(matches!(
            loaded.diagnostics[0].problem,
            crate::messages::Problem::FutureDate { .. }
        ));
        assert!(records.is_none(), "a file with a warning is not recorded");
        let (loaded, _) = load_known(root.path(), false, day(1), &known);
        assert_eq!(loaded.diagnostics.len(), 1, "the warning is told again");
        let (loaded, _) = load_known(root.path(), false, day(2), &known);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    }
}
