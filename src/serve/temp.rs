//! The temporary folder the preview is built in.

use std::io;
use std::path::Path;

const PREFIX: &str = "ketluan-serve-";

/// A fresh folder named after this process, after removing those left by
/// previews that were killed (which could not clean up after themselves).
///
/// The preview is disposable, so on Linux it goes to RAM (`/dev/shm`) when
/// that has room: writing ~1,500 files per rebuild to disk is about a third
/// of the rebuild time of a 1,000-document site. Containers often give
/// `/dev/shm` only 64 MiB, too little for two copies of a large site during
/// the swap; the ordinary temporary folder is used then.
pub(super) fn folder() -> io::Result<tempfile::TempDir> {
    let prefix = format!("{PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    if let Some(shm) = roomy_shm() {
        remove_stale(shm);
        if let Ok(dir) = builder.tempdir_in(shm) {
            return Ok(dir);
        }
    }
    remove_stale(&std::env::temp_dir());
    builder.tempdir()
}

#[cfg(target_os = "linux")]
fn roomy_shm() -> Option<&'static Path> {
    const ENOUGH: u64 = 1 << 30;
    let shm = Path::new("/dev/shm");
    let stat = rustix::fs::statvfs(shm).ok()?;
    (stat.f_bavail.saturating_mul(stat.f_frsize) >= ENOUGH).then_some(shm)
}

#[cfg(not(target_os = "linux"))]
fn roomy_shm() -> Option<&'static Path> {
    None
}

/// Removes `ketluan-serve-<pid>-…` folders whose process is gone. Only
/// where that can be told (`/proc`); elsewhere nothing is removed.
fn remove_stale(parent: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = owner(&name)
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id in a folder name made by [`folder`].
fn owner(name: &str) -> Option<&str> {
    let (pid, _) = name.strip_prefix(PREFIX)?.split_once('-')?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_folders_have_an_owner() {
        assert_eq!(owner("ketluan-serve-123-AbC"), Some("123"));
        assert_eq!(owner("ketluan-serve-AbC"), None);
        assert_eq!(owner("ketluan-serve--x"), None);
        assert_eq!(owner("other-123-x"), None);
    }

    #[test]
    fn folders_of_dead_processes_are_removed() {
        let parent = tempfile::tempdir().unwrap();
        // Beyond Linux's pid_max: no such process.
        let dead = parent.path().join("ketluan-serve-99999999-x");
        let alive = parent
            .path()
            .join(format!("ketluan-serve-{}-y", std::process::id()));
        let other = parent.path().join("keep-99999999-z");
        for dir in [&dead, &alive, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        remove_stale(parent.path());
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists());
        }
        assert!(alive.exists() && other.exists());
    }
}
