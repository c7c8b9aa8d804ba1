//! Writes the site into a staging folder beside the output folder and swaps it
//! in only when everything succeeded: a failed or killed build leaves the
//! previous site as it was, and files of removed documents disappear.
//!
//! The site replaced by a build is kept as a spare (`.public.ketluan-spare`)
//! and becomes the next build's staging folder: unchanged files and folders
//! are already there, so a rebuild creates only what changed. Files are never
//! rewritten in place (the spare shares unchanged files with the live site
//! through hard links): a changed file is a new file.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

mod log;
pub(crate) use log::{Entry, SiteLog, Spare, folder_inode, recordable};

/// Why the output folder could not be prepared, written or put in place.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum OutputError {
    NoParent,
    NoName,
    NotAFolder(PathBuf),
    Outside(String),
    Walk(#[from] walkdir::Error),
    Io(#[from] io::Error),
}

const STAGING_MARK: &str = ".ketluan-staging-";
const SPARE_MARK: &str = ".ketluan-spare";

/// A folder being filled with the next version of the site.
pub(crate) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    spare: PathBuf,
    committed: bool,
    /// Whether the folder is the previous build's spare (else it began
    /// empty, and holds only what this build wrote).
    recycled: bool,
    /// Set when the caller has put every path of the new site in its state
    /// and removed every other: the folder need not be walked for leftovers.
    complete: bool,
    /// Paths written by this build (in a recycled folder everything else is
    /// removed before the swap).
    written: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Creates the staging folder next to `target` (same file system, so
    /// the final rename is atomic) after removing any left behind by killed
    /// builds.
    pub(crate) fn new(target: &Path) -> Result<Staging, OutputError> {
        let target = absolute(target)?;
        let parent = target.parent().ok_or(OutputError::NoParent)?;
        let name = target
            .file_name()
            .ok_or(OutputError::NoName)?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(parent)?;
        if target.exists() && !target.is_dir() {
            return Err(OutputError::NotAFolder(target));
        }
        remove_stale(parent, &name);
        let dir = parent.join(format!(".{name}{STAGING_MARK}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        let spare = parent.join(format!(".{name}{SPARE_MARK}"));
        let recycled = spare.is_dir() && std::fs::rename(&spare, &dir).is_ok();
        if !recycled {
            std::fs::create_dir(&dir)?;
        }
        Ok(Staging {
            dir,
            target,
            spare,
            committed: false,
            recycled,
            complete: false,
            written: Mutex::default(),
        })
    }

    /// The inode of the recycled spare, to match it with the record of
    /// what it holds; None when the folder began empty.
    pub(crate) fn recycled_inode(&self) -> Option<u64> {
        self.recycled.then(|| folder_inode(&self.dir)).flatten()
    }

    /// Says that every path of the new site has been written, kept or
    /// removed, so committing need not walk the folder for leftovers.
    pub(crate) fn complete(&mut self) {
        self.complete = true;
    }

    /// Removes a file or folder the new site does not have, and the
    /// folders it leaves empty.
    pub(crate) fn remove(&self, rel: &str) -> Result<(), OutputError> {
        let rel = checked_relative(rel)?;
        let path = self.dir.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path)?,
            Ok(_) => std::fs::remove_file(&path)?,
            Err(_) => return Ok(()),
        }
        for folder in rel
            .ancestors()
            .skip(1)
            .filter(|p| !p.as_os_str().is_empty())
        {
            if std::fs::remove_dir(self.dir.join(folder)).is_err() {
                break;
            }
        }
        Ok(())
    }

    /// Keeps the folder at `rel` as the recycled spare has it (a stage's
    /// output known to be unchanged).
    pub(crate) fn keep_dir(&self, rel: &str) -> Result<(), OutputError> {
        self.mark_written(checked_relative(rel)?);
        Ok(())
    }

    /// Writes one file at a site-relative path such as `ket-luan/a/index.html`.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let rel = checked_relative(rel)?;
        let path = self.dir.join(rel);
        self.mark_written(rel);
        if same_file_bytes(&path, bytes) {
            return Ok(());
        }
        self.make_room(rel)?;
        if self.reuse(rel, bytes, &path) {
            return Ok(());
        }
        Ok(std::fs::write(&path, bytes)?)
    }

    /// Keeps the previous build's file at `rel` (a hard link), for a page
    /// whose inputs have not changed.
    pub(crate) fn keep_previous(&self, rel: &str) -> Result<(), OutputError> {
        let rel = checked_relative(rel)?;
        self.mark_written(rel);
        let (old, path) = (self.target.join(rel), self.dir.join(rel));
        let ids = |p: &Path| crate::cache::FileId::of(p);
        if ids(&old).is_some() && ids(&old) == ids(&path) {
            return Ok(());
        }
        self.make_room(rel)?;
        Ok(std::fs::hard_link(&old, &path)?)
    }

    /// An empty folder at `rel` for a stage that writes its own files (the
    /// search index); it is kept whole.
    pub(crate) fn fresh_dir(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let rel = checked_relative(rel)?;
        self.mark_written(rel);
        self.make_room(rel)?;
        let path = self.dir.join(rel);
        std::fs::create_dir(&path)?;
        Ok(path)
    }

    fn mark_written(&self, rel: &Path) {
        if let Ok(mut written) = self.written.lock() {
            written.insert(rel.to_path_buf());
        }
    }

    /// Removes whatever a recycled folder has at `rel` and makes its parent
    /// folders, replacing files that stand where a folder must be.
    fn make_room(&self, rel: &Path) -> io::Result<()> {
        let mut at = self.dir.clone();
        let parents: Vec<_> = rel.components().collect();
        for (i, part) in parents.iter().enumerate() {
            at.push(part);
            let last = i + 1 == parents.len();
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() && !last => continue,
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&at)?,
                Ok(_) => std::fs::remove_file(&at)?,
                Err(_) => {}
            }
            if !last {
                match std::fs::create_dir(&at) {
                    // Another thread made it first.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists && at.is_dir() => {}
                    made => made?,
                }
            }
        }
        Ok(())
    }

    /// Hard-links the previous build's copy of a file whose bytes are
    /// unchanged. Creating thousands of files is most of a rebuild's time on
    /// some file systems; a link creates no inode. Unchanged files also keep
    /// their modification time, so `rsync` and bucket syncs upload only what
    /// changed.
    fn reuse(&self, rel: &Path, bytes: &[u8], path: &Path) -> bool {
        let old = self.target.join(rel);
        same_file_bytes(&old, bytes) && std::fs::hard_link(&old, path).is_ok()
    }

    /// Removes what a recycled folder holds that this build did not write.
    fn remove_unwritten(&self) -> Result<(), OutputError> {
        if !self.recycled || self.complete {
            return Ok(());
        }
        let written = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        let mut emptied = std::collections::BTreeSet::new();
        let mut walk = walkdir::WalkDir::new(&self.dir).min_depth(1).into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry?;
            let rel = entry.path().strip_prefix(&self.dir).unwrap_or(entry.path());
            if written.contains(rel) {
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_dir() {
                continue;
            }
            std::fs::remove_file(entry.path())?;
            emptied.extend(rel.parent().map(Path::to_path_buf));
        }
        // Folders left empty: only those that lost a file, and their
        // parents, deepest first (a folder sorts before what it holds).
        for dir in emptied.iter().rev() {
            for folder in dir.ancestors().filter(|p| !p.as_os_str().is_empty()) {
                if std::fs::remove_dir(self.dir.join(folder)).is_err() {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Puts the staged site in place of the target; the previous site
    /// becomes the spare, whose inode is returned (None when none was kept).
    pub(crate) fn commit(mut self) -> Result<Option<u64>, OutputError> {
        self.remove_unwritten()?;
        crate::progress::mark("remove unwritten");
        if self.target.exists() {
            swap(&self.dir, &self.target)?;
            // After the swap the staging path holds the previous site. The
            // new site is in place whatever happens to it now.
            self.committed = true;
            if self.keep_as_spare().is_err() {
                let _ = std::fs::remove_dir_all(&self.dir);
            }
        } else {
            std::fs::rename(&self.dir, &self.target)?;
        }
        self.committed = true;
        Ok(folder_inode(&self.spare))
    }

    fn keep_as_spare(&self) -> io::Result<()> {
        if self.spare.exists() {
            std::fs::remove_dir_all(&self.spare)?;
        }
        std::fs::rename(&self.dir, &self.spare)
    }
}

impl Staging {
    /// Removes what this build wrote that the live site does not share, so
    /// that a build that failed because the disk was full leaves the disk
    /// as it found it. Files linked with the live site cost no space and
    /// make the next build cheaper, so they stay.
    fn remove_written(&self) {
        let written = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        for rel in written {
            let path = self.dir.join(&rel);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => {
                    let _ = std::fs::remove_dir_all(&path);
                }
                Ok(_) => {
                    let ids = crate::cache::FileId::of;
                    let shared = ids(&path).is_some() && ids(&path) == ids(&self.target.join(&rel));
                    if !shared {
                        let _ = std::fs::remove_file(&path);
                    }
                }
                Err(_) => {}
            }
        }
    }
}

impl Drop for Staging {
    /// A build that did not commit failed: the previous site stays as it
    /// was, and the staging folder gives back the space this build took.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if !self.recycled {
            let _ = std::fs::remove_dir_all(&self.dir);
            return;
        }
        self.remove_written();
        if self.keep_as_spare().is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Whether `path` is a regular file holding exactly `bytes`.
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    let same_len =
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_len && std::fs::read(path).is_ok_and(|b| b == bytes)
}

/// Only plain relative paths: nothing generated from content may climb out
/// of the output folder.
fn checked_relative(rel: &str) -> Result<&Path, OutputError> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(path)
    } else {
        Err(OutputError::Outside(rel.to_string()))
    }
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

/// Atomically exchanges two folders, so there is no moment without a site.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Elsewhere: two renames, with a short window in which the output is absent
/// (but never half-written).
#[cfg(not(target_os = "linux"))]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    let old = a.with_extension("old");
    std::fs::rename(b, &old)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&old, a)
}

/// Removes staging folders of builds that are no longer running.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}{STAGING_MARK}");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        if !process_alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn process_alive(pid: &str) -> bool {
    if cfg!(target_os = "linux") {
        pid != std::process::id().to_string() && Path::new("/proc").join(pid).exists()
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(checked_relative(bad).is_err(), "{bad}");
        }
        assert!(checked_relative("ket-luan/a/index.html").is_ok());
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();

        let staging = Staging::new(&out).unwrap();
        staging.write("new/index.html", b"new").unwrap();
        drop(staging);
        assert!(
            out.join("old.html").exists(),
            "an abandoned build leaves the site alone"
        );

        let staging = Staging::new(&out).unwrap();
        staging.write("new/index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert!(
            !out.join("old.html").exists(),
            "files of the previous build vanish"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("new/index.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("staging"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    /// Every file under `dir` with its text.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(Result::unwrap)
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                let text = std::fs::read_to_string(e.path()).unwrap_or_else(|_| "/".into());
                (rel, text)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_recycled_spare_ends_up_holding_exactly_the_new_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let spare = tmp.path().join(".public.ketluan-spare");
        for (rel, text) in [
            ("keep.html", "same"),
            ("stale.html", "gone"),
            ("a", "a file where a folder goes"),
            ("b/index.html", "a folder where a file goes"),
            ("old/deep/x.html", "gone"),
            ("search/old.idx", "gone"),
        ] {
            std::fs::create_dir_all(spare.join(rel).parent().unwrap()).unwrap();
            std::fs::write(spare.join(rel), text).unwrap();
        }
        let staging = Staging::new(&out).unwrap();
        assert!(!spare.exists(), "the spare is the staging folder");
        staging.write("keep.html", b"same").unwrap();
        staging.write("a/index.html", b"new").unwrap();
        staging.write("b", b"new").unwrap();
        let search = staging.fresh_dir("search").unwrap();
        std::fs::write(search.join("new.idx"), "new").unwrap();
        staging.commit().unwrap();
        let want = [
            ("a", "/"),
            ("a/index.html", "new"),
            ("b", "new"),
            ("keep.html", "same"),
            ("search", "/"),
            ("search/new.idx", "new"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(tree(&out), want);
    }

    /// The folders beside the output, and every file in them.
    fn beside(tmp: &Path) -> Vec<(String, String)> {
        let mut all = tree(tmp);
        all.retain(|(rel, _)| !rel.starts_with("public"));
        all
    }

    #[test]
    fn a_failed_build_takes_back_the_files_it_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"first").unwrap();
        staging.commit().unwrap();

        let staging = Staging::new(&out).unwrap();
        staging.write("b.html", b"never published").unwrap();
        let search = staging.fresh_dir("search").unwrap();
        std::fs::write(search.join("big.idx"), "x").unwrap();
        drop(staging);
        assert_eq!(beside(tmp.path()), [], "a fresh staging folder is removed");

        // The previous site, now the spare, is recycled by the next builds.
        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"second").unwrap();
        staging.commit().unwrap();
        let site = tree(&out);
        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"second").unwrap();
        staging.write("c.html", b"new and lost").unwrap();
        staging.fresh_dir("search").unwrap();
        drop(staging);
        assert_eq!(tree(&out), site, "the live site is untouched");
        assert_eq!(
            beside(tmp.path()),
            [
                (".public.ketluan-spare".to_string(), "/".to_string()),
                (
                    ".public.ketluan-spare/a.html".to_string(),
                    "second".to_string()
                ),
            ],
            "the spare keeps only what it shares with the live site"
        );
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_the_previous_ones_changed_files_are_new() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"same").unwrap();
        staging.write("b.html", b"before").unwrap();
        staging.commit().unwrap();
        let inode = |name: &str| std::fs::metadata(out.join(name)).unwrap().ino();
        let (a, b) = (inode("a.html"), inode("b.html"));

        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"same").unwrap();
        staging.write("b.html", b"after!").unwrap();
        drop(staging);
        assert_eq!(std::fs::read(out.join("b.html")).unwrap(), b"before");

        let staging = Staging::new(&out).unwrap();
        staging.write("a.html", b"same").unwrap();
        staging.write("b.html", b"after!").unwrap();
        staging.commit().unwrap();
        assert_eq!(inode("a.html"), a, "the unchanged file is reused");
        assert_ne!(inode("b.html"), b);
        assert_eq!(std::fs::read(out.join("b.html")).unwrap(), b"after!");
    }
}
