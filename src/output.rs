//! Writes the site into a staging folder beside the output folder and swaps it
//! in only when everything succeeded: a failed or killed build leaves the
//! previous site as it was, and files of removed documents disappear.

use std::io;
use std::path::{Component, Path, PathBuf};

const STAGING_MARK: &str = ".ketluan-staging-";

/// A folder being filled with the next version of the site.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder next to `target` (same file system, so
    /// the final rename is atomic) after removing any left behind by killed
    /// builds.
    pub fn new(target: &Path) -> io::Result<Staging> {
        let target = absolute(target)?;
        let parent = target
            .parent()
            .ok_or_else(|| io::Error::other("the output folder has no parent folder"))?;
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::other("the output folder needs a name"))?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(parent)?;
        if target.exists() && !target.is_dir() {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder",
                target.display()
            )));
        }
        remove_stale(parent, &name);
        let dir = parent.join(format!(".{name}{STAGING_MARK}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            target,
            committed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes one file at a site-relative path such as `ket-luan/a/index.html`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let rel = checked_relative(rel)?;
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if self.reuse(rel, bytes, &path) {
            return Ok(());
        }
        std::fs::write(&path, bytes)
    }

    /// Hard-links the previous build's copy of a file whose bytes are
    /// unchanged. Creating thousands of files is most of a rebuild's time on
    /// some file systems; a link creates no inode. Unchanged files also keep
    /// their modification time, so `rsync` and bucket syncs upload only what
    /// changed.
    fn reuse(&self, rel: &Path, bytes: &[u8], path: &Path) -> bool {
        let old = self.target.join(rel);
        let same_len = std::fs::symlink_metadata(&old)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        same_len
            && std::fs::read(&old).is_ok_and(|b| b == bytes)
            && std::fs::hard_link(&old, path).is_ok()
    }

    /// The folder the staged site will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the staged site in place of the target.
    pub fn commit(mut self) -> io::Result<()> {
        if self.target.exists() {
            swap(&self.dir, &self.target)?;
            // After the swap the staging path holds the previous site.
            std::fs::remove_dir_all(&self.dir)?;
        } else {
            std::fs::rename(&self.dir, &self.target)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Only plain relative paths: nothing generated from content may climb out
/// of the output folder.
fn checked_relative(rel: &str) -> io::Result<&Path> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(path)
    } else {
        Err(io::Error::other(format!(
            "refusing to write outside the output folder: {rel:?}"
        )))
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
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder remains");
    }

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
