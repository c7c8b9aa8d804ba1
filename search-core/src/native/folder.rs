//! `ketluan search`: the browser's [`Session`], reading the files it asks
//! for from a built site's `search/` folder instead of fetching them. The
//! command line and the browser answer from one implementation.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::pack::{PackError, Session, Step};
use crate::{Request, Results};

/// Why a built site could not be searched.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder has no `manifest.json`.
    #[error("no search index in {0}: run `ketluan build` first")]
    Missing(PathBuf),
    /// A file of the index could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A file of the index is not what the reader expects.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// The session asked for files again and again (a damaged index).
    #[error("the search index in {0} keeps asking for more files; build the site again")]
    Endless(PathBuf),
}

/// Answers `request` from `dir`, a built site's `search/` folder.
pub fn search(dir: &Path, request: &Request) -> Result<Results, FolderError> {
    let manifest = dir.join(crate::manifest::FILE_NAME);
    if !manifest.is_file() {
        return Err(FolderError::Missing(dir.to_path_buf()));
    }
    let mut session = Session::open(&read(&manifest)?)?;
    // Chunks, then documents: two rounds, as in the browser.
    for _ in 0..4 {
        match session.step(request)? {
            Step::Done(results) => return Ok(results),
            Step::Need { need } => {
                for url in need {
                    let path = dir.join(&url);
                    let bytes = read(&path)?;
                    let bytes = if url.ends_with(".json") {
                        bytes
                    } else {
                        gunzip(&bytes).map_err(|source| FolderError::Read { path, source })?
                    };
                    session.add(&url, &bytes)?;
                }
            }
        }
    }
    Err(FolderError::Endless(dir.to_path_buf()))
}

fn read(path: &Path) -> Result<Vec<u8>, FolderError> {
    std::fs::read(path).map_err(|source| FolderError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Chunks are gzip files (the browser inflates them with
/// `DecompressionStream`).
fn gunzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}
