//! The templates and static files a site is rendered with: the built-in theme,
//! overridden file by file by the site's own `templates/` and `static/`.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::Diagnostic;

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme");

/// Why the site's theme files could not be read.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(test, derive(strum::EnumDiscriminants))]
#[cfg_attr(test, strum_discriminants(derive(strum::EnumIter)))]
pub enum ThemeError {
    NotUtf8(PathBuf),
    Io(#[from] io::Error),
}

/// A template's source and where it came from (for error messages).
#[derive(Clone, Debug)]
pub struct Template {
    pub source: String,
    pub origin: PathBuf,
}

#[derive(Clone, Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, Template>,
    /// Site-relative output path (under `static/`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The theme, and the site's files that were refused (symbolic links
    /// out of the site's folder), to be reported with the content's errors.
    pub fn load(root: &Path) -> Result<(Theme, Vec<Diagnostic>), ThemeError> {
        let mut theme = Theme::default();
        let mut refused = Vec::new();
        theme.add_built_in();
        // A site's own `theme/` is not read: where the site is this
        // repository, that folder is the built-in theme itself.
        theme.add_folder(root, "templates", &mut refused, |t, name, bytes, origin| {
            let source =
                String::from_utf8(bytes).map_err(|_| ThemeError::NotUtf8(origin.clone()))?;
            t.templates.insert(name, Template { source, origin });
            Ok(())
        })?;
        theme.add_folder(root, "static", &mut refused, |t, name, bytes, _| {
            t.statics.insert(format!("static/{name}"), bytes);
            Ok(())
        })?;
        Ok((theme, refused))
    }

    fn add_built_in(&mut self) {
        let mut stack = vec![&BUILT_IN];
        while let Some(dir) = stack.pop() {
            stack.extend(dir.dirs());
            for file in dir.files() {
                let path = file.path().to_string_lossy().replace('\\', "/");
                if let Some(name) = path.strip_prefix("templates/") {
                    let source = file.contents_utf8().unwrap_or_default().to_string();
                    let origin = PathBuf::from("(built-in theme)").join(&path);
                    self.templates
                        .insert(name.to_string(), Template { source, origin });
                } else if let Some(name) = path.strip_prefix("static/") {
                    // The wasm's record of the sources it was built from is
                    // for the repository's staleness test, not for readers.
                    if !name.ends_with(".wasm.sources") {
                        self.statics
                            .insert(format!("static/{name}"), file.contents().to_vec());
                    }
                }
            }
        }
    }

    fn add_folder(
        &mut self,
        root: &Path,
        folder: &str,
        refused: &mut Vec<Diagnostic>,
        mut add: impl FnMut(&mut Theme, String, Vec<u8>, PathBuf) -> Result<(), ThemeError>,
    ) -> Result<(), ThemeError> {
        let walked = crate::walk::site_files(root, folder);
        refused.extend(walked.diagnostics);
        for rel in walked.files {
            let within = rel.strip_prefix(folder).unwrap_or(&rel);
            let name = within.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(root.join(&rel))?;
            add(self, name, bytes, rel)?;
        }
        Ok(())
    }
}

/// A short content hash for cache-busting URLs (`style.css?v=…`). FNV-1a:
/// not for security, only to change when the bytes change.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:010x}", h & 0xff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_files_override_the_built_in_theme() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
        std::fs::write(tmp.path().join("templates/404.html"), "mine").unwrap();
        std::fs::create_dir_all(tmp.path().join("static/img")).unwrap();
        std::fs::write(tmp.path().join("static/img/logo.png"), [1, 2]).unwrap();
        let (theme, refused) = Theme::load(tmp.path()).unwrap();
        assert!(refused.is_empty());
        assert_eq!(theme.templates["404.html"].source, "mine");
        assert!(theme.templates.contains_key("document.html"));
        assert_eq!(theme.statics["static/img/logo.png"], [1, 2]);
        assert!(theme.statics.contains_key("static/style.css"));
        assert!(
            theme
                .statics
                .contains_key("static/search/ketluan-search.wasm")
        );
        assert!(!theme.statics.keys().any(|k| k.ends_with(".sources")));
    }
}
