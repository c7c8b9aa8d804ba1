//! Native directories: a read-only one that reads a merged index range by
//! range, for the export's single pass over it, and the build's scratch
//! directory.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

impl ReadingDirectory {
    pub fn open(dir: &Path) -> Result<ReadingDirectory, OpenDirectoryError> {
        Ok(ReadingDirectory {
            files: tantivy::directory::MmapDirectory::open(dir)?,
            root: dir.to_path_buf(),
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
            Ok(Arc::new(ReadFile { file, len }))
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

/// A file read with `pread`, one range at a time.
#[cfg(unix)]
#[derive(Debug)]
struct ReadFile {
    file: std::fs::File,
    len: usize,
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
