//! Originals published beside a conclusion: `content/2023/45-kl-tu.docx`
//! (kept by `ketluan import`) or a signed scan `45-kl-tu.pdf` put there by
//! hand is copied into the page's folder and offered as "Văn bản gốc" with
//! its format, size and SHA-256, so a reader can check a copy.

use std::path::Path;

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
pub struct Original {
    /// The file's name in the page's folder: `<slug>.<ext>`, made of the
    /// document's slug and a fixed extension, so it cannot leave the folder.
    pub file: String,
    pub format: &'static str,
    pub size: u64,
    /// `1,2 MB`, `38 kB`.
    pub size_text: String,
    pub sha256: String,
}

/// A document's originals and their bytes, in the order of [`FORMATS`].
/// Only regular files count: a symbolic link beside the Markdown could
/// point anywhere on the machine.
pub fn of(doc: &Document) -> std::io::Result<Vec<(Original, Vec<u8>)>> {
    let Body::File { path, .. } = &doc.body else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (ext, format) in FORMATS {
        let candidate = path.with_extension(ext);
        if !is_regular_file(&candidate) {
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

fn is_regular_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
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
    fn sizes_read_the_vietnamese_way() {
        assert_eq!(size_text(512), "512 byte");
        assert_eq!(size_text(38_400), "38 kB");
        assert_eq!(size_text(1_230_000), "1,2 MB");
    }
}
