//! `ketluan new`: a content file with every front-matter field, explained;
//! `ketluan init`: a new archive.

use std::io;
use std::path::{Path, PathBuf};

use crate::calendar::Date;
use crate::content::CONTENT_DIR;
use crate::messages::scaffold::Scaffold;
use crate::slug::Slug;

/// Why `ketluan new` wrote no file.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum NewError {
    NoLetters,
    Io(#[from] io::Error),
}

/// Writes `content/<year>/<slug>.md` for a new conclusion and returns its
/// path. Never overwrites an existing file.
pub fn new_document(root: &Path, title: &str, today: Date) -> Result<PathBuf, NewError> {
    let slug = Slug::from_text(title).ok_or(NewError::NoLetters)?;
    let dir = root.join(CONTENT_DIR).join(today.year.to_string());
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{slug}.md"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    io::Write::write_all(&mut file, template(title, today).as_bytes())?;
    Ok(path)
}

fn template(title: &str, today: Date) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    Scaffold::NewDocument {
        title: &title,
        today,
    }
    .to_string()
}

#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum InitError {
    Exists(String),
    Write { path: String, source: io::Error },
}

/// Starts an archive in `dir`: `site.toml`, `content/` and a `.gitignore`
/// for the output, cache and spare folders. Returns what it created; an
/// existing archive is left alone.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let site = dir.join(crate::config::FILE_NAME);
    if site.exists() {
        return Err(InitError::Exists(dir.display().to_string()));
    }
    let failed = |path: &Path| {
        let path = path.display().to_string();
        move |source| InitError::Write { path, source }
    };
    let content = dir.join(CONTENT_DIR);
    std::fs::create_dir_all(&content).map_err(failed(&content))?;
    let mut created = Vec::new();
    let mut write = |path: PathBuf, text: &str| -> Result<(), InitError> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(failed(&path))?;
        io::Write::write_all(&mut file, text.as_bytes()).map_err(failed(&path))?;
        created.push(path);
        Ok(())
    };
    write(site, &Scaffold::SiteToml.to_string())?;
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        write(gitignore, &Scaffold::Gitignore.to_string())?;
    }
    created.push(content);
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_file_loads_as_a_draft_and_is_not_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let today = Date::new(2024, 5, 2).unwrap();
        let path = new_document(tmp.path(), "Kết luận \"số 1\"", today).unwrap();
        assert!(path.ends_with("content/2024/ket-luan-so-1.md"));
        let loaded = crate::content::load(tmp.path(), true, today);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.documents[0].title, "Kết luận \"số 1\"");
        assert!(loaded.documents[0].draft);
        assert!(new_document(tmp.path(), "Kết luận \"số 1\"", today).is_err());
    }

    #[test]
    fn init_makes_an_archive_that_builds_and_is_not_made_twice() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("luu-tru");
        let created = init(&root).unwrap();
        assert!(created.contains(&root.join("site.toml")));
        assert!(root.join("content").is_dir());
        let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
        assert!(ignore.contains("/public/") && ignore.contains("ketluan-cache"));
        let config = crate::config::SiteConfig::load(&root).unwrap();
        assert_eq!(config.page_size, 20);
        // Every key of site.toml is in the file, explained.
        let text = std::fs::read_to_string(root.join("site.toml")).unwrap();
        for key in [
            "title",
            "base_url",
            "description",
            "language",
            "output_dir",
            "page_size",
            "feed_limit",
            "allow_raw_html",
        ] {
            assert!(text.contains(&format!("{key} = ")), "{key}");
        }
        assert!(matches!(init(&root), Err(InitError::Exists(_))));
    }

    #[test]
    fn both_languages_write_files_that_load() {
        use crate::diagnostic::SourceFile;
        use crate::messages::{Lang, Localized};
        let today = Date::new(2024, 5, 2).unwrap();
        for lang in [Lang::Vi, Lang::En] {
            let text = Scaffold::NewDocument {
                title: "Kết luận",
                today,
            }
            .text(lang);
            let file = SourceFile {
                path: Path::new("content/a.md"),
                text: &text,
            };
            let (doc, diagnostics) =
                crate::content::parse_document(&file, Slug::from_text("a"), today);
            assert!(diagnostics.is_empty(), "{lang:?}: {diagnostics:?}");
            assert!(doc.is_some_and(|d| d.draft));
            let site = Scaffold::SiteToml.text(lang);
            let file = SourceFile {
                path: Path::new("site.toml"),
                text: &site,
            };
            assert!(crate::config::SiteConfig::parse(&file).is_ok(), "{lang:?}");
        }
        let vi = Scaffold::SiteToml.text(Lang::Vi);
        assert!(vi.contains("# Tên trang (bắt buộc)") && !vi.contains("required"));
    }
}
