//! The build cache: work a later build may reuse, kept beside the output
//! folder (`.public.ketluan-cache/` for `public/`), like the staging folder,
//! so that building never writes into the site's sources. An entry is named by a hash of everything that went
//! into it and of the ketluan binary that made it, so reusing one gives the
//! bytes a clean build would make; deleting the folder only costs time.

use std::collections::BTreeSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

const MARK: &str = ".ketluan-cache";

/// One area of the cache (e.g. the search index's batches), locked for the
/// duration of a build so that two builds of the same site (a `serve` and a
/// `build`) never evict entries the other is using.
pub struct Cache {
    dir: PathBuf,
    used: Mutex<BTreeSet<String>>,
    _lock: File,
    /// Set when the site's folder is not writable: a cache for this build only.
    _scratch: Option<tempfile::TempDir>,
}

impl Cache {
    /// Opens the cache of the site built into `output`, or a throwaway folder
    /// when that cannot be created.
    pub fn beside(output: &Path, area: &str) -> io::Result<Cache> {
        let name = output.file_name().unwrap_or_default().to_string_lossy();
        let dir = output.with_file_name(format!(".{name}{MARK}")).join(area);
        match Cache::open_in(dir, None) {
            Ok(cache) => Ok(cache),
            Err(_) => {
                let scratch = tempfile::tempdir()?;
                Cache::open_in(scratch.path().to_path_buf(), Some(scratch))
            }
        }
    }

    fn open_in(dir: PathBuf, scratch: Option<tempfile::TempDir>) -> io::Result<Cache> {
        std::fs::create_dir_all(&dir)?;
        let lock = File::create(dir.join(".lock"))?;
        lock.lock()?;
        Ok(Cache {
            dir,
            used: Mutex::default(),
            _lock: lock,
            _scratch: scratch,
        })
    }

    /// A key for `value`: its JSON form, hashed with the binary's identity.
    pub(crate) fn key<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
        let mut hasher = Sha256::new();
        hasher.update(binary_stamp());
        serde_json::to_writer(&mut hasher, value)?;
        Ok(hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }

    /// The folder of entry `key`, made by `make` (into an empty folder) unless
    /// an earlier build left it.
    pub fn entry<E: From<io::Error>>(
        &self,
        key: &str,
        make: impl FnOnce(&Path) -> Result<(), E>,
    ) -> Result<PathBuf, E> {
        let path = self.dir.join(key);
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.to_string());
        }
        if path.is_dir() {
            return Ok(path);
        }
        // Made aside and renamed: a build killed halfway leaves no entry
        // that looks complete.
        let partial = self.dir.join(format!(".partial-{key}"));
        if partial.exists() {
            std::fs::remove_dir_all(&partial)?;
        }
        std::fs::create_dir(&partial)?;
        // A failure is often a full disk: what was made goes at once.
        if let Err(e) = make(&partial) {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(e);
        }
        std::fs::rename(&partial, &path)?;
        Ok(path)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Removes the entries this build did not use: the cache holds one site's
    /// worth, not every version ever built.
    pub fn evict_unused(&self) -> io::Result<()> {
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != ".lock" && !used.contains(&name) {
                std::fs::remove_dir_all(entry.path())?;
            }
        }
        Ok(())
    }
}

/// A hash of everything an output file is made from (and of the binary):
/// equal keys give equal bytes.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub(crate) struct Key([u8; 16]);

impl Key {
    /// The key of `value`'s JSON form.
    pub(crate) fn of<T: serde::Serialize + ?Sized>(value: &T) -> Result<Key, serde_json::Error> {
        let mut hasher = Sha256::new();
        hasher.update(binary_stamp());
        serde_json::to_writer(&mut hasher, value)?;
        Ok(Key::from_hasher(hasher))
    }

    /// The key of some bytes (a static file).
    pub(crate) fn of_bytes(bytes: &[u8]) -> Key {
        let mut hasher = Sha256::new();
        hasher.update(binary_stamp());
        hasher.update(bytes);
        Key::from_hasher(hasher)
    }

    /// The key of what `feed` puts into the hash: for inputs too many to
    /// serialise first (a stamp per file of the site).
    pub(crate) fn of_fed(feed: impl FnOnce(&mut Sha256)) -> Key {
        let mut hasher = Sha256::new();
        hasher.update(binary_stamp());
        feed(&mut hasher);
        Key::from_hasher(hasher)
    }

    fn from_hasher(hasher: Sha256) -> Key {
        let mut out = [0; 16];
        out.copy_from_slice(&hasher.finalize()[..16]);
        Key(out)
    }

    pub(crate) fn parse(hex: &str) -> Option<Key> {
        let mut out = [0; 16];
        if hex.len() != 32 {
            return None;
        }
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Key(out))
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// An output file as the site's record knows it: size, inode and
/// modification time. A file replaced (new inode) or rewritten in place (new
/// time) by anyone is rendered again.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub(crate) struct FileId {
    pub len: u64,
    pub inode: u64,
    /// Nanoseconds since 1970.
    pub modified: i128,
}

impl FileId {
    #[cfg(unix)]
    pub(crate) fn of(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(path)
            .ok()
            .filter(|m| m.is_file())?;
        Some(FileId {
            len: m.len(),
            inode: m.ino(),
            modified: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &Path) -> Option<FileId> {
        None
    }
}

/// Size and modification time of the running executable: a rebuilt ketluan
/// (whose indexer may have changed) never reuses an older one's work.
fn binary_stamp() -> &'static [u8] {
    static STAMP: OnceLock<Vec<u8>> = OnceLock::new();
    STAMP.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        let stamp = match meta {
            Ok(m) => format!(
                "{}:{}:{:?}",
                env!("CARGO_PKG_VERSION"),
                m.len(),
                m.modified().ok()
            ),
            Err(_) => format!("{}:unknown", env!("CARGO_PKG_VERSION")),
        };
        stamp.into_bytes()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_reused_and_unused_ones_evicted() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let make = |dir: &Path| std::fs::write(dir.join("x"), "made");
        let cache = Cache::beside(&out, "t").unwrap();
        let a = cache.entry("a", make).unwrap();
        cache.entry("b", make).unwrap();
        cache.evict_unused().unwrap();
        drop(cache);

        let cache = Cache::beside(&out, "t").unwrap();
        let again = cache
            .entry("a", |_| Err(io::Error::other("must not be made again")))
            .unwrap();
        assert_eq!(a, again);
        cache.evict_unused().unwrap();
        assert!(again.join("x").exists());
        assert!(root.path().join(".public.ketluan-cache/t/a").exists());
        assert!(!root.path().join(".public.ketluan-cache/t/b").exists());
    }

    #[test]
    fn a_failed_entry_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::beside(&root.path().join("public"), "t").unwrap();
        let failed = cache.entry("a", |dir: &Path| {
            std::fs::write(dir.join("half"), "")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        let left: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [".lock"], "the half-made entry is removed at once");
        let made = cache
            .entry("a", |dir: &Path| std::fs::write(dir.join("x"), ""))
            .unwrap();
        assert!(!made.join("half").exists());
    }
}
