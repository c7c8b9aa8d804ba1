//! A read-only tantivy `Directory` made of byte ranges fetched so far.
//!
//! In the browser nothing can block on the network, so a read of a range
//! that was not fetched fails, and the range is recorded. [`Session::step`]
//! first *touches* everything a query will read, returns the recorded
//! ranges for JS to fetch (in parallel), and runs the search synchronously
//! once they are all there: two dependent rounds per query (index data, then
//! the doc-store blocks of the hits), three when a number query first needs
//! a lazily loaded term dictionary.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{HasLen, Index, IndexReader, ReloadPolicy};

use crate::manifest::Manifest;
use crate::schema::{self, Fields};
use crate::search::{self, Request, Response};

/// Ranges closer than this are fetched as one: a request costs more than a
/// few hundred bytes.
const COALESCE_GAP: usize = 512;

#[derive(Debug, Default)]
struct State {
    names: HashMap<PathBuf, usize>,
    lens: Vec<usize>,
    /// Per file: start → bytes.
    chunks: Vec<BTreeMap<usize, OwnedBytes>>,
    misses: Vec<(usize, Range<usize>)>,
}

impl State {
    fn read(&mut self, file: usize, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if let Some(bytes) = self.covered(file, &range) {
            return Ok(bytes);
        }
        self.misses.push((file, range.clone()));
        Err(io::Error::other(format!(
            "bytes {range:?} of index file {file} not fetched yet"
        )))
    }

    /// The range from one chunk, or pieced together from adjacent chunks.
    fn covered(&self, file: usize, range: &Range<usize>) -> Option<OwnedBytes> {
        let chunks = &self.chunks[file];
        let (&start, bytes) = chunks.range(..=range.start).next_back()?;
        if start + bytes.len() >= range.end {
            return Some(bytes.slice(range.start - start..range.end - start));
        }
        let mut out = Vec::with_capacity(range.len());
        let mut pos = range.start;
        for (&s, b) in chunks.range(..range.end) {
            if s + b.len() <= pos {
                continue;
            }
            if s > pos {
                return None;
            }
            let end = (s + b.len()).min(range.end);
            out.extend_from_slice(&b.as_slice()[pos - s..end - s]);
            pos = end;
        }
        (pos == range.end).then(|| OwnedBytes::new(out))
    }
}

/// The directory; clones share their state.
#[derive(Clone, Debug, Default)]
pub struct RangeDir(Arc<Mutex<State>>);

impl RangeDir {
    /// A directory of the manifest's files, with nothing fetched yet.
    pub fn new(manifest: &Manifest) -> RangeDir {
        let state = State {
            names: manifest
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (PathBuf::from(&f.name), i))
                .collect(),
            lens: manifest.files.iter().map(|f| f.len as usize).collect(),
            chunks: vec![BTreeMap::new(); manifest.files.len()],
            misses: Vec::new(),
        };
        RangeDir(Arc::new(Mutex::new(state)))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps half-updated
        // in a way that matters: at worst a chunk is missing and refetched.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds fetched bytes of file number `file` starting at `start`.
    pub fn add(&self, file: usize, start: usize, bytes: Vec<u8>) -> Result<(), String> {
        let mut state = self.state();
        let len = *state
            .lens
            .get(file)
            .ok_or(format!("no index file {file}"))?;
        if start + bytes.len() > len {
            return Err(format!("bytes past the end of index file {file}"));
        }
        state.chunks[file].insert(start, OwnedBytes::new(bytes));
        Ok(())
    }

    /// Adds the hot cache: the manifest's ranges, concatenated in `blob`.
    pub fn add_hot(&self, manifest: &Manifest, blob: &[u8]) -> Result<(), String> {
        let mut pos = 0usize;
        for &[file, start, end] in &manifest.hot.ranges {
            let len = (end - start) as usize;
            let bytes = blob
                .get(pos..pos + len)
                .ok_or("the hot cache is shorter than the manifest says")?;
            self.add(file as usize, start as usize, bytes.to_vec())?;
            pos += len;
        }
        Ok(())
    }

    /// The ranges reads missed since the last call, merged.
    pub fn take_misses(&self) -> Vec<Need> {
        let mut misses = std::mem::take(&mut self.state().misses);
        misses.sort_by_key(|(f, r)| (*f, r.start, r.end));
        let mut out: Vec<Need> = Vec::new();
        for (file, r) in misses {
            match out.last_mut() {
                Some(last) if last.file == file && r.start <= last.end + COALESCE_GAP => {
                    last.end = last.end.max(r.end)
                }
                _ => out.push(Need {
                    file,
                    start: r.start,
                    end: r.end,
                }),
            }
        }
        out
    }

    /// Everything fetched so far, as merged ranges per file.
    pub fn fetched_ranges(&self) -> Vec<(usize, Range<usize>)> {
        let state = self.state();
        let mut out: Vec<(usize, Range<usize>)> = Vec::new();
        for (file, chunks) in state.chunks.iter().enumerate() {
            for (&start, bytes) in chunks {
                let end = start + bytes.len();
                match out.last_mut() {
                    Some((f, last)) if *f == file && start <= last.end => {
                        last.end = last.end.max(end)
                    }
                    _ => out.push((file, start..end)),
                }
            }
        }
        out
    }

    fn file(&self, path: &Path) -> Result<(usize, usize), OpenReadError> {
        let state = self.state();
        let file = *state
            .names
            .get(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))?;
        Ok((file, state.lens[file]))
    }
}

/// A byte range of index file number `file` for JS to fetch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Need {
    pub file: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug)]
struct RangeFile {
    dir: RangeDir,
    file: usize,
    len: usize,
}

impl HasLen for RangeFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for RangeFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.dir.state().read(self.file, range)
    }
}

impl Directory for RangeDir {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let (file, len) = self.file(path)?;
        Ok(Arc::new(RangeFile {
            dir: self.clone(),
            file,
            len,
        }))
    }

    fn delete(&self, _: &Path) -> Result<(), DeleteError> {
        Ok(())
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.state().names.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::FileAlreadyExists(path.to_path_buf()))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let (file, len) = self.file(path)?;
        let bytes = self
            .state()
            .read(file, 0..len)
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
        Ok(bytes.to_vec())
    }

    /// Read-only: tantivy only writes here when asked to modify the index.
    fn atomic_write(&self, _: &Path, _: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn watch(&self, _: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }

    fn acquire_lock(&self, _: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }
}

/// An open index over a [`RangeDir`].
pub struct Session {
    pub dir: RangeDir,
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// What a search step needs next.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Step {
    Need { need: Vec<Need> },
    Done(Response),
}

impl Session {
    /// Opens the index; `dir` must already hold what opening reads (the hot
    /// cache, or whole files).
    pub fn open(dir: RangeDir) -> tantivy::Result<Session> {
        let index = Index::open(dir.clone())?;
        schema::register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let fields = Fields::new(&index.schema())?;
        Ok(Session {
            dir,
            index,
            reader,
            fields,
        })
    }

    /// Opens the term dictionaries every query may use (for the hot cache).
    pub fn open_hot_dictionaries(&self) -> tantivy::Result<()> {
        search::open_dictionaries(&self.reader.searcher(), &self.fields.hot_dictionaries())
    }

    /// Either the ranges to fetch before calling again, or the results.
    pub fn step(&self, request: &Request) -> tantivy::Result<Step> {
        let searcher = self.reader.searcher();
        self.dir.take_misses();
        search::touch(&self.index, &searcher, &self.fields, request);
        let need = self.dir.take_misses();
        if !need.is_empty() {
            return Ok(Step::Need { need });
        }
        let result = search::search(&searcher, &self.fields, request);
        let need = self.dir.take_misses();
        if !need.is_empty() {
            return Ok(Step::Need { need });
        }
        result.map(Step::Done)
    }
}
