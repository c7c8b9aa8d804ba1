//! Documents by identity. A [`DocId`] names one document of the archive (its
//! place in the newest-first order loading returns), and a [`PerDoc`] holds
//! one value per document: it is indexed by `DocId` only, so a table of
//! something else, or a bare position, cannot be used by mistake.

use std::ops::Index;

use rayon::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(usize);

/// Only tests name documents by position: the archive hands out every
/// other `DocId`.
#[cfg(test)]
impl DocId {
    pub(crate) fn at(index: usize) -> DocId {
        DocId(index)
    }

    pub(crate) fn index(self) -> usize {
        self.0
    }
}

/// One `T` per document, in archive order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PerDoc<T>(Vec<T>);

impl<T> PerDoc<T> {
    pub(crate) fn get(&self, id: DocId) -> Option<&T> {
        self.0.get(id.0)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (DocId, &T)> {
        self.0.iter().enumerate().map(|(i, t)| (DocId(i), t))
    }

    pub(crate) fn values(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = DocId> + use<T> {
        (0..self.0.len()).map(DocId)
    }

    /// The values in archive order, for work that goes by runs of
    /// consecutive documents (index batches).
    pub(crate) fn as_slice(&self) -> &[T] {
        &self.0
    }

    pub(crate) fn par_iter(&self) -> impl IndexedParallelIterator<Item = (DocId, &T)>
    where
        T: Sync,
    {
        self.0.par_iter().enumerate().map(|(i, t)| (DocId(i), t))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn index_mut(&mut self, id: DocId) -> &mut T {
        &mut self.0[id.0]
    }
}

impl<T> FromIterator<T> for PerDoc<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> PerDoc<T> {
        PerDoc(iter.into_iter().collect())
    }
}

impl<T> From<Vec<T>> for PerDoc<T> {
    fn from(values: Vec<T>) -> PerDoc<T> {
        PerDoc(values)
    }
}

impl<T> Index<DocId> for PerDoc<T> {
    type Output = T;

    fn index(&self, id: DocId) -> &T {
        &self.0[id.0]
    }
}
