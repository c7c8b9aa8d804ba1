//! The files of one of the site's folders (`content/`, `static/`, …), with
//! symbolic links followed only while they stay inside the site's folder.
//!
//! A maintainer links a file into `content/` to publish it; a link that
//! points elsewhere (a colleague's folder, `/etc`) would publish a file the
//! maintainer never meant to, so it is refused, not skipped: a skipped file
//! is a document missing from the site without a word.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Problem};
use crate::messages::IoCause;

/// What walking a folder found: its regular files (paths relative to the
/// site's root, sorted), and the links and entries that were refused.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Every regular file under `root/folder`, following symbolic links whose
/// targets are inside `root`. A missing folder has no files.
pub(crate) fn site_files(root: &Path, folder: &str) -> Walked {
    let mut walked = Walked::default();
    let dir = root.join(folder);
    if !dir.is_dir() {
        return walked;
    }
    // Canonical, so that a root reached through a link itself, or written
    // with `..`, still contains the targets of links inside it.
    let Ok(inside) = std::fs::canonicalize(root) else {
        return walked;
    };
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut entries = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e.path().unwrap_or(&dir);
                let is_link = std::fs::symlink_metadata(at).is_ok_and(|m| m.is_symlink());
                let d = if is_link && e.loop_ancestor().is_none() {
                    broken(&relative(at))
                } else {
                    unreadable(&relative(at), &e)
                };
                walked.diagnostics.push(d);
                continue;
            }
        };
        let rel = relative(entry.path());
        if entry.path_is_symlink() {
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(&inside) => {}
                Ok(target) => {
                    walked.diagnostics.push(outside(&rel, &target));
                    if entry.file_type().is_dir() {
                        entries.skip_current_dir();
                    }
                    continue;
                }
                Err(_) => {
                    walked.diagnostics.push(broken(&rel));
                    continue;
                }
            }
        }
        if entry.file_type().is_file() {
            walked.files.push(rel);
        }
    }
    walked
}

fn outside(rel: &Path, target: &Path) -> Diagnostic {
    Diagnostic::file(
        rel,
        Problem::LinkOutside {
            target: target.to_path_buf(),
        },
    )
}

fn broken(rel: &Path) -> Diagnostic {
    Diagnostic::file(rel, Problem::BrokenLink)
}

fn unreadable(rel: &Path, e: &walkdir::Error) -> Diagnostic {
    if e.loop_ancestor().is_some() {
        return Diagnostic::file(rel, Problem::LinkLoop);
    }
    let cause = e
        .io_error()
        .map_or_else(|| IoCause::other(e.to_string()), IoCause::from);
    Diagnostic::file(rel, Problem::CannotRead { cause })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::messages::{Lang, Localized};
    use std::os::unix::fs::symlink;

    fn messages(walked: &Walked) -> Vec<String> {
        walked
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.path.display(), d.problem.text(Lang::En)))
            .collect()
    }

    #[test]
    fn links_inside_the_site_are_followed_links_outside_refused() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/2023")).unwrap();
        std::fs::create_dir_all(root.join("drafts/more")).unwrap();
        std::fs::write(root.join("content/2023/a.md"), "a").unwrap();
        std::fs::write(root.join("drafts/b.md"), "b").unwrap();
        std::fs::write(root.join("drafts/more/c.md"), "c").unwrap();
        std::fs::write(elsewhere.path().join("secret.md"), "s").unwrap();
        symlink(root.join("drafts/b.md"), root.join("content/2023/b.md")).unwrap();
        symlink(root.join("drafts/more"), root.join("content/more")).unwrap();
        symlink(
            elsewhere.path().join("secret.md"),
            root.join("content/s.md"),
        )
        .unwrap();
        symlink(elsewhere.path(), root.join("content/other")).unwrap();
        symlink(root.join("nothing.md"), root.join("content/gone.md")).unwrap();
        symlink(root.join("content"), root.join("content/2023/loop")).unwrap();

        let walked = site_files(root, "content");
        let files: Vec<_> = walked
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(
            files,
            [
                "content/2023/a.md",
                "content/2023/b.md",
                "content/more/c.md"
            ]
        );
        let outside_dir = std::fs::canonicalize(elsewhere.path()).unwrap();
        assert_eq!(
            messages(&walked),
            [
                "content/2023/loop: this symbolic link points to a folder that contains it"
                    .to_string(),
                "content/gone.md: this symbolic link points to nothing".to_string(),
                format!(
                    "content/other: this is a symbolic link to {}, outside the site's folder; it is not published",
                    outside_dir.display()
                ),
                format!(
                    "content/s.md: this is a symbolic link to {}, outside the site's folder; it is not published",
                    outside_dir.join("secret.md").display()
                ),
            ]
        );
    }

    #[test]
    fn a_missing_folder_has_no_files() {
        let site = tempfile::tempdir().unwrap();
        let walked = site_files(site.path(), "static");
        assert!(walked.files.is_empty() && walked.diagnostics.is_empty());
    }
}
