//! `ketluan search`: the browser's [`Session`], reading the byte ranges it asks
//! for from a built site's `search/` folder instead of fetching them. The
//! command line and the browser answer from one implementation.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::pack::{Fetch, PackError, Session, Step};
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

/// Answers `request` from `dir`, a built site's `search/` folder (all it
/// needs: the build cache is not read, so a copied site answers too).
pub fn search(dir: &Path, request: &Request) -> Result<Results, FolderError> {
    let manifest = dir.join(crate::manifest::FILE_NAME);
    if !manifest.is_file() {
        return Err(FolderError::Missing(dir.to_path_buf()));
    }
    let mut session = Session::open(&read(&manifest)?)?;
    let mut files = HashMap::new();
    // Chunks, tables, documents: three rounds at most, as in the browser.
    for _ in 0..5 {
        match session.step(request)? {
            Step::Done(results) => return Ok(results),
            Step::Need { need } => {
                for fetch in need {
                    let path = dir.join(&fetch.url);
                    let bytes = read_range(&mut files, &path, &fetch)
                        .and_then(|gz| gunzip(&gz))
                        .map_err(|source| FolderError::Read { path, source })?;
                    session.add(&fetch, &bytes)?;
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

/// The bytes of `fetch`, from `path`, opened once per search.
fn read_range(
    files: &mut HashMap<PathBuf, File>,
    path: &Path,
    fetch: &Fetch,
) -> io::Result<Vec<u8>> {
    let file = match files.entry(path.to_path_buf()) {
        Entry::Occupied(e) => e.into_mut(),
        Entry::Vacant(e) => e.insert(File::open(path)?),
    };
    let len = usize::try_from(fetch.end.saturating_sub(fetch.start))
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "range too large"))?;
    let mut bytes = vec![0; len];
    file.seek(SeekFrom::Start(fetch.start))?;
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Every record is a gzip member (the browser inflates them with
/// `DecompressionStream`).
fn gunzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}
