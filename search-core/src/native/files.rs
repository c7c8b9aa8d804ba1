//! Native directories: a read-only one that reads a merged index range by
//! range, for the export's single pass over it, and the build's scratch
//! directory.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, WatchCallback, WatchHandle, WritePtr,
};

/// Read-only view of an index folder whose files are read with `pread`
/// instead of mapped: pages of the page cache do not count in the
/// process's memory, mapped pages do (a 100,000-document index is hundreds
/// of megabytes, all read once by the export).
#[derive(Clone, Debug)]
pub struct ReadingDirectory {
    files: tantivy::directory::MmapDirectory,
    root: PathBuf,
    reads: Reads,
}

/// How a [`ReadingDirectory`] reads its files.
#[derive(Clone, Copy, Debug)]
enum Reads {
    /// Each range asked for, on its own: for readers on several threads
    /// that jump between parts of a file (the export).
    Ranges,
    /// Through a block of [`BLOCK`] bytes per file: for one reader going
    /// front to back through many small ranges (the merge, a term's
    /// postings at a time), which would otherwise pay a system call each.
    Blocks,
}

/// The block a file read in [`Reads::Blocks`] keeps. Every input of the
/// merge has one at a time (a few hundred files at 100,000 documents).
const BLOCK: usize = 256 * 1024;

impl ReadingDirectory {
    pub fn open(dir: &Path) -> Result<ReadingDirectory, OpenDirectoryError> {
        Self::with(dir, Reads::Ranges)
    }

    /// For a reader that goes through each file in order, on one thread.
    pub fn sequential(dir: &Path) -> Result<ReadingDirectory, OpenDirectoryError> {
        Self::with(dir, Reads::Blocks)
    }

    fn with(dir: &Path, reads: Reads) -> Result<ReadingDirectory, OpenDirectoryError> {
        Ok(ReadingDirectory {
            files: tantivy::directory::MmapDirectory::open(dir)?,
            root: dir.to_path_buf(),
            reads,
        })
    }
}

impl Directory for ReadingDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        #[cfg(unix)]
        {
            let file = std::fs::File::open(self.root.join(path))
                .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
            let len = file
                .metadata()
                .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
                .len() as usize;
            Ok(Arc::new(ReadFile {
                file,
                len,
                block: match self.reads {
                    Reads::Ranges => None,
                    Reads::Blocks => Some(Mutex::new(None)),
                },
            }))
        }
        #[cfg(not(unix))]
        self.files.get_file_handle(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.files.exists(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.files.atomic_read(path)
    }
    fn delete(&self, _: &Path) -> Result<(), DeleteError> {
        Ok(())
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::FileAlreadyExists(path.to_path_buf()))
    }
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

/// A file read with `pread`, one range at a time, or through its last
/// block read (where it starts, and its bytes).
#[cfg(unix)]
#[derive(Debug)]
struct ReadFile {
    file: std::fs::File,
    len: usize,
    block: Option<Mutex<Option<(usize, tantivy::directory::OwnedBytes)>>>,
}

#[cfg(unix)]
impl tantivy::HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(unix)]
impl FileHandle for ReadFile {
    fn read_bytes(
        &self,
        range: std::ops::Range<usize>,
    ) -> io::Result<tantivy::directory::OwnedBytes> {
        let Some(block) = self.block.as_ref().filter(|_| range.len() < BLOCK) else {
            return self.read_at(range);
        };
        let mut block = block
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((start, bytes)) = &*block
            && range.start >= *start
            && range.end <= start + bytes.len()
        {
            return Ok(bytes.slice(range.start - start..range.end - start));
        }
        let end = (range.start + BLOCK).min(self.len).max(range.end);
        let bytes = self.read_at(range.start..end)?;
        let wanted = bytes.slice(0..range.len());
        *block = Some((range.start, bytes));
        Ok(wanted)
    }
}

#[cfg(unix)]
impl ReadFile {
    fn read_at(&self, range: std::ops::Range<usize>) -> io::Result<tantivy::directory::OwnedBytes> {
        use std::os::unix::fs::FileExt;
        let mut bytes = vec![0; range.len()];
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        Ok(tantivy::directory::OwnedBytes::new(bytes))
    }
}

/// The build's scratch directory: tantivy's own, minus the fsync calls. The
/// index is built in a temporary folder and copied into the site, whose
/// swap-in is what makes a build atomic; syncing every segment file only
/// made builds slow on busy disks.
#[derive(Clone, Debug)]
pub struct ScratchDirectory {
    inner: tantivy::directory::MmapDirectory,
    root: PathBuf,
}

impl ScratchDirectory {
    pub fn open(root: &Path) -> tantivy::Result<ScratchDirectory> {
        let inner = tantivy::directory::MmapDirectory::open(root)
            .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?;
        Ok(ScratchDirectory {
            inner,
            root: root.to_path_buf(),
        })
    }
}

struct PlainFile(std::fs::File);

impl io::Write for PlainFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl tantivy::directory::TerminatingWrite for PlainFile {
    fn terminate_ref(&mut self, _: tantivy::directory::AntiCallToken) -> io::Result<()> {
        io::Write::flush(self)
    }
}

impl Directory for ScratchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let full = self.root.join(path);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(|e| OpenWriteError::wrap_io_error(e, full.clone()))?;
        Ok(io::BufWriter::new(Box::new(PlainFile(file))))
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        std::fs::write(self.root.join(path), data)
    }
    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Ranges inside a block, across its end, longer than a block and at
    /// the end of the file read the file's bytes, in either mode.
    #[test]
    fn blocks_read_what_the_file_holds() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..BLOCK * 3 + 1234).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(dir.path().join("f"), &bytes).unwrap();
        let ranges = [
            0..10,
            5..BLOCK - 1,
            BLOCK - 5..BLOCK + 5,
            10..20,
            BLOCK + 5..BLOCK + 6,
            100..BLOCK * 2 + 100,
            bytes.len() - 3..bytes.len(),
            bytes.len()..bytes.len(),
            0..bytes.len(),
        ];
        for directory in [
            ReadingDirectory::open(dir.path()).unwrap(),
            ReadingDirectory::sequential(dir.path()).unwrap(),
        ] {
            let file = directory.get_file_handle(Path::new("f")).unwrap();
            for range in ranges.clone() {
                let read = file.read_bytes(range.clone()).unwrap();
                assert_eq!(read.as_slice(), &bytes[range.clone()], "{range:?}");
            }
        }
    }
}
