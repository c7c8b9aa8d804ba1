//! Originals published beside a conclusion: `content/2023/45-kl-tu.docx`
//! (kept by `ketluan import`) or a signed scan `45-kl-tu.pdf` put there by
//! hand is copied into the page's folder and offered as "Văn bản gốc" with
//! its format, size and SHA-256, so a reader can check a copy.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::{Body, Document};

/// Extensions published, with the name readers know the format by. Only
/// these: a file beside the Markdown with any other extension stays
/// private.
const FORMATS: &[(&str, &str)] = &[
    ("pdf", "PDF"),
    ("docx", "Word (.docx)"),
    ("doc", "Word 97–2003 (.doc)"),
    ("odt", "OpenDocument (.odt)"),
];

/// One original as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Original {
    /// The file's name in the page's folder: `<slug>.<ext>`, made of the
    /// document's slug and a fixed extension, so it cannot leave the folder.
    pub file: String,
    pub format: &'static str,
    pub size: u64,
    /// `1,2 MB`, `38 kB`.
    pub size_text: String,
    pub sha256: String,
}

/// The originals in the folders of the archive's documents, found with one
/// listing per folder rather than a lookup per document and format (which
/// cost 0.2–0.4 s per 10,000 documents).
#[derive(Default)]
pub(crate) struct Index(HashSet<PathBuf>);

impl Index {
    /// Lists the folders of `documents`. Only regular files count: a
    /// symbolic link beside the Markdown could point anywhere on the
    /// machine.
    pub(crate) fn new(documents: &[Document]) -> Index {
        let folders: BTreeSet<&Path> = documents
            .iter()
            .filter_map(|d| match &d.body {
                Body::File { path, .. } => path.parent(),
                Body::Text(_) => None,
            })
            .collect();
        let mut found = HashSet::new();
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(folder) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let published = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| FORMATS.iter().any(|(x, _)| *x == e));
                if published && entry.file_type().is_ok_and(|t| t.is_file()) {
                    found.insert(path);
                }
            }
        }
        Index(found)
    }

    /// A document's originals and their bytes, in the order of [`FORMATS`].
    pub(crate) fn of(&self, doc: &Document) -> std::io::Result<Vec<(Original, Vec<u8>)>> {
        let Body::File { path, .. } = &doc.body else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (ext, format) in FORMATS {
            let candidate = path.with_extension(ext);
            if !self.0.contains(&candidate) {
                continue;
            }
            let bytes = std::fs::read(&candidate)?;
            use sha2::Digest;
            let sha256 = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            out.push((
                Original {
                    file: format!("{}.{ext}", doc.slug),
                    format,
                    size: bytes.len() as u64,
                    size_text: size_text(bytes.len() as u64),
                    sha256,
                },
                bytes,
            ));
        }
        Ok(out)
    }
}

/// Whether a file under `content/` is one the build publishes as an
/// original: a format of [`FORMATS`] beside a `.md` of the same name.
pub(crate) fn is_original(path: &Path) -> bool {
    let published = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| FORMATS.iter().any(|(x, _)| *x == e));
    published && path.with_extension("md").is_file()
}

/// Sizes as Vietnamese write them: a decimal comma.
fn size_text(bytes: u64) -> String {
    if bytes < 1000 {
        format!("{bytes} byte")
    } else if bytes < 1_000_000 {
        format!("{} kB", (bytes + 500) / 1000)
    } else {
        let tenths = (bytes + 50_000) / 100_000;
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn originals_are_regular_files_of_the_published_formats_beside_a_document() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("content/2024");
        std::fs::create_dir_all(&dir).unwrap();
        let doc = "+++\ntitle = \"K\"\ndate = 2024-01-02\nbody = \"Thị ủy\"\n+++\nVăn bản.\n";
        std::fs::write(dir.join("a.md"), doc).unwrap();
        std::fs::write(dir.join("a.pdf"), b"%PDF scan").unwrap();
        std::fs::write(dir.join("a.txt"), b"note").unwrap();
        std::fs::write(dir.join("b.pdf"), b"no document").unwrap();
        // A link could name any file of the machine.
        std::os::unix::fs::symlink("/etc/hostname", dir.join("a.odt")).unwrap();
        let loaded = crate::content::load(root.path(), true, crate::calendar::Date::today());
        let index = Index::new(&loaded.documents);
        let found = index.of(&loaded.documents[0]).unwrap();
        let names: Vec<_> = found.iter().map(|(o, _)| o.file.as_str()).collect();
        assert_eq!(names, ["2024-a.pdf"]);
        assert_eq!(found[0].1, b"%PDF scan");
        assert_eq!(found[0].0.sha256.len(), 64);
        assert!(is_original(&dir.join("a.pdf")));
        assert!(!is_original(&dir.join("b.pdf")) && !is_original(&dir.join("a.txt")));
    }

    #[test]
    fn sizes_read_the_vietnamese_way() {
        assert_eq!(size_text(512), "512 byte");
        assert_eq!(size_text(38_400), "38 kB");
        assert_eq!(size_text(1_230_000), "1,2 MB");
    }
}
