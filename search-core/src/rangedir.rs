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

use tantivy::directory::CompositeFile;
use tantivy::index::SegmentComponent;
use tantivy::query::Query;

use crate::manifest::Manifest;
use crate::query::{self, Request, Results};
use crate::schema::Fields;

/// Ranges closer than this are fetched as one: a request costs more than a
/// few hundred bytes.
const COALESCE_GAP: usize = 512;

const META: &str = "meta.json";

#[derive(Debug, Default)]
struct State {
    /// tantivy's `meta.json`, which the manifest carries.
    meta: Vec<u8>,
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
            meta: manifest.meta.clone().into_bytes(),
            names: manifest
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (PathBuf::from(&f.name), i))
                .collect(),
            lens: manifest.files.iter().map(|f| f.len).collect(),
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

    /// Adds the hot cache: the manifest's ranges, packed in `blob`.
    pub fn add_hot(&self, manifest: &Manifest, blob: &[u8]) -> Result<(), String> {
        for r in &manifest.hot.ranges {
            let file = self
                .state()
                .names
                .get(Path::new(&r.name))
                .copied()
                .ok_or_else(|| format!("the hot cache names an unknown file {}", r.name))?;
            let bytes = blob
                .get(r.offset..r.offset + (r.end - r.start))
                .ok_or("the hot cache is shorter than the manifest says")?;
            self.add(file, r.start, bytes.to_vec())?;
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
        Ok(path == Path::new(META) || self.state().names.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::FileAlreadyExists(path.to_path_buf()))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        if path == Path::new(META) {
            return Ok(self.state().meta.clone());
        }
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

/// An open index over a [`RangeDir`]: what the browser searches with.
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
    Done(Results),
}

impl Session {
    /// Opens the index; `dir` must already hold what opening reads (the hot
    /// cache).
    pub fn open(dir: RangeDir) -> tantivy::Result<Session> {
        let index = crate::open_index(dir.clone())?;
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

    /// Either the ranges to fetch before calling again, or the results.
    pub fn step(&self, request: &Request) -> tantivy::Result<Step> {
        let searcher = self.reader.searcher();
        self.dir.take_misses();
        touch(&self.index, &searcher, &self.fields, request);
        let need = self.dir.take_misses();
        if !need.is_empty() {
            return Ok(Step::Need { need });
        }
        let result = query::search_with(&searcher, request);
        let need = self.dir.take_misses();
        if !need.is_empty() {
            return Ok(Step::Need { need });
        }
        result.map(Step::Done)
    }
}

/// Reads what scoring `request` will read: posting lists, positions and
/// field norms of its terms. Errors are ignored: the point is the reads
/// themselves, which name the byte ranges to fetch before the synchronous
/// search.
fn touch(index: &Index, searcher: &tantivy::Searcher, fields: &Fields, request: &Request) {
    let clauses = query::parse(&request.query);
    let Some(q) = query::build_query(fields, &clauses, request) else {
        return;
    };
    let mut terms = Vec::new();
    q.query_terms(&mut |term, positions| terms.push((term.clone(), positions)));
    let Ok(segments) = index.searchable_segments() else {
        return;
    };
    for (segment, reader) in segments.iter().zip(searcher.segment_readers()) {
        let composite = |c| {
            segment
                .open_read(c)
                .ok()
                .and_then(|f| CompositeFile::open(&f).ok())
        };
        let (Some(postings), Some(positions), Some(dictionaries)) = (
            composite(SegmentComponent::Postings),
            composite(SegmentComponent::Positions),
            composite(SegmentComponent::Terms),
        ) else {
            continue;
        };
        for (term, with_positions) in &terms {
            let field = term.field();
            if let Some(norms) = reader
                .fieldnorms_readers()
                .get_inner_file()
                .open_read(field)
            {
                let _ = norms.read_bytes();
            }
            let Ok(inverted) = reader.inverted_index(field) else {
                // Not in the hot cache: ask for the whole dictionary and the
                // field's token count at once, not one piece per round.
                if let Some(file) = dictionaries.open_read(field) {
                    let _ = file.read_bytes();
                }
                if let Some(file) = postings.open_read(field) {
                    let _ = file.slice(0..8).read_bytes();
                }
                continue;
            };
            let Ok(Some(info)) = inverted.get_term_info(term) else {
                continue;
            };
            if let Some(file) = postings.open_read(field) {
                // A field's postings start with its token count (8 bytes);
                // term ranges count from after it.
                let body = file.slice_from(8);
                let _ = body.slice(info.postings_range.clone()).read_bytes();
            }
            if *with_positions && let Some(file) = positions.open_read(field) {
                let _ = file.slice(info.positions_range.clone()).read_bytes();
            }
        }
    }
}
