//! Watches the site's sources and calls back once per burst of changes.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::messages::cli::Line;

/// What a build reads. The output folder and anything else in the root
/// (`target/`, `.git/`) is not watched: that would be slow, and a build
/// writing its own output would trigger itself.
const FOLDERS: [&str; 4] = ["content", "theme", "templates", "static"];
const CONFIG: &str = crate::config::FILE_NAME;

/// Saving a file is often several events (truncate, write, rename, chmod);
/// one rebuild follows once they have been quiet for this long.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// A steady stream of changes (a `git checkout` of many files) still gets
/// a rebuild at least this often.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// Starts watching `root` (an absolute path) on a thread of its own, which
/// runs `on_change` with the changed paths after each quiet burst.
pub(super) fn start(
    root: PathBuf,
    on_change: impl Fn(&[PathBuf]) + Send + 'static,
) -> notify::Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    // Non-recursive on the root: sees site.toml replaced by editors that
    // save by renaming, and watched folders being created.
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    for folder in FOLDERS {
        let dir = root.join(folder);
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    std::thread::Builder::new()
        .name("ketluan-watch".into())
        .spawn(move || run(&root, &mut watcher, &rx, on_change))
        .map_err(notify::Error::io)?;
    Ok(())
}

fn run(
    root: &Path,
    watcher: &mut RecommendedWatcher,
    rx: &mpsc::Receiver<notify::Result<Event>>,
    on_change: impl Fn(&[PathBuf]),
) {
    while let Ok(first) = rx.recv() {
        let mut changed = Vec::new();
        take(root, watcher, first, &mut changed);
        if changed.is_empty() {
            continue;
        }
        let started = Instant::now();
        while started.elapsed() < MAX_DELAY {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(next) => take(root, watcher, next, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        changed.sort();
        changed.dedup();
        on_change(&changed);
    }
}

/// Keeps the relevant paths of one event, and starts watching a watched
/// folder that has just been created.
fn take(
    root: &Path,
    watcher: &mut RecommendedWatcher,
    event: notify::Result<Event>,
    changed: &mut Vec<PathBuf>,
) {
    let event = match event {
        Ok(event) => event,
        Err(e) => {
            // Lost events (a full inotify queue): rebuild to be safe.
            eprintln!(
                "{}",
                Line::WatchFailed {
                    reason: e.to_string()
                }
            );
            changed.push(root.to_path_buf());
            return;
        }
    };
    if !is_change(&event.kind) {
        return;
    }
    for path in event.paths {
        if !is_source(root, &path) {
            continue;
        }
        let is_new_folder = matches!(event.kind, EventKind::Create(_))
            && path.parent() == Some(root)
            && path.is_dir();
        if is_new_folder && let Err(e) = watcher.watch(&path, RecursiveMode::Recursive) {
            eprintln!(
                "{}",
                Line::CannotWatch {
                    path: path.to_path_buf(),
                    reason: e.to_string()
                }
            );
        }
        changed.push(path);
    }
}

/// Reads are not changes: the build itself opens every source file.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    match (parts.next(), parts.next()) {
        (Some(first), rest) => {
            let first = first.as_os_str();
            FOLDERS.iter().any(|f| first == *f) || (rest.is_none() && first == CONFIG)
        }
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.toml",
            "/site/content/2023/a.md",
            "/site/content",
            "/site/templates/base.html",
            "/site/static/logo.png",
            "/site/theme/templates/x.html",
        ] {
            assert!(is_source(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/.public.ketluan-staging-1",
            "/site/README.md",
            "/site/target/x",
            "/other/content/a.md",
            "/site",
        ] {
            assert!(!is_source(root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn reads_do_not_count() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Create(
            notify::event::CreateKind::File
        )));
    }
}
