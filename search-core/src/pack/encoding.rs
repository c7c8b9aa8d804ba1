//! The bytes of a `.terms` chunk: entries of a key and its postings, each
//! column varint-coded.

use std::collections::BTreeMap;

use super::{PackError, field};

/// Appends `value` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Names the chunk in errors.
    url: &'a str,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Result<u64, PackError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self
                .bytes
                .get(self.pos)
                .ok_or_else(|| PackError::Truncated(self.url.to_string()))?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(PackError::Damaged(self.url.to_string()))
    }

    fn count(&mut self) -> Result<u32, PackError> {
        u32::try_from(self.varint()?).map_err(|_| PackError::Damaged(self.url.to_string()))
    }

    fn take(&mut self, len: usize) -> Result<&[u8], PackError> {
        let end = self.pos.checked_add(len).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| PackError::Truncated(self.url.to_string()))?;
        let bytes = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

/// One key's postings: documents in index order, with what BM25 needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Postings {
    /// tantivy's idf of the term, computed at build time; for a filter, the
    /// score its term query adds (the same for every document).
    pub idf: f32,
    /// The documents, ascending.
    pub docs: Vec<u32>,
    /// Occurrences in each document; empty for filters.
    pub tfs: Vec<u32>,
    /// Field-norm ids (tantivy's one-byte lengths); empty for filters and
    /// pairs ([`field::has_norms`]).
    pub norms: Vec<u8>,
    /// The documents not listed yet, when the list is a head
    /// ([`super::tier`]).
    pub tail: Option<Tail>,
}

/// What a head says of the rest of its list: the tail, in parts by impact
/// (each a record of its own after the chunk's), fetched part by part
/// while the parts read cannot decide a query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tail {
    /// Documents in the whole list, head and tail.
    pub df: u32,
    /// The parts not read yet, highest impact first.
    pub parts: Vec<TailPart>,
    /// The [`super::tier::SKETCH`] smallest [`super::tier::doc_hash`]es
    /// of the whole list, ascending: what counts are estimated from.
    pub sketch: Vec<u32>,
}

/// A part of a tail.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TailPart {
    /// Where its record starts, counted from the end of its chunk's record.
    pub start: u32,
    /// The record's length.
    pub len: u32,
    /// The best entry of this part and those after it ([`super::tier`]):
    /// for a word's text, the frequency and norm of its text and title in
    /// the document where the word scores most; for a pair, its largest
    /// count.
    pub top: [u32; 4],
}

impl Postings {
    /// Documents in the whole list, listed or in the tail.
    pub fn df(&self) -> u32 {
        self.tail.as_ref().map_or(self.docs.len() as u32, |t| t.df)
    }

    /// Adds the entries of the tail's part that starts at `start` (`rest`:
    /// its record, decoded); the list is whole once every part is.
    pub fn absorb(&mut self, start: u32, rest: Postings) {
        let mut tail = self.tail.take();
        if let Some(t) = &mut tail {
            t.parts.retain(|p| p.start != start);
        }
        let mut all = Postings {
            idf: self.idf,
            tail: tail.filter(|t| !t.parts.is_empty()),
            ..Postings::default()
        };
        let (mut i, mut j) = (0, 0);
        let (a, b) = (&*self, &rest);
        while i < a.docs.len() || j < b.docs.len() {
            let from_a = j == b.docs.len() || (i < a.docs.len() && a.docs[i] < b.docs[j]);
            let (p, k) = if from_a { (a, &mut i) } else { (b, &mut j) };
            all.docs.push(p.docs[*k]);
            if let Some(&tf) = p.tfs.get(*k) {
                all.tfs.push(tf);
            }
            if let Some(&n) = p.norms.get(*k) {
                all.norms.push(n);
            }
            *k += 1;
        }
        *self = all;
    }
}

/// Appends a list's columns: its length, then gaps, frequencies and norms
/// (each when the list has them).
fn encode_columns(out: &mut Vec<u8>, postings: &Postings, tail: bool) {
    put_varint(out, ((postings.docs.len() as u64) << 1) | u64::from(tail));
    // Column by column (gaps, then frequencies, then norms): gzip finds
    // the repeats within each column; interleaved, the entry is a fifth
    // larger once compressed.
    let mut previous = 0;
    for &doc in &postings.docs {
        put_varint(out, u64::from(doc - previous));
        previous = doc;
    }
    if postings.tfs.len() == postings.docs.len() {
        for &tf in &postings.tfs {
            put_varint(out, u64::from(tf));
        }
    }
    if postings.norms.len() == postings.docs.len() {
        out.extend_from_slice(&postings.norms);
    }
}

/// The bytes of a tail record (before gzip): the rest of a list.
pub fn encode_tail(rest: &Postings) -> Vec<u8> {
    let mut out = Vec::new();
    encode_columns(&mut out, rest, false);
    out
}

/// Appends one entry of a `.terms` chunk.
pub fn encode_entry(out: &mut Vec<u8>, key: &str, postings: &Postings) {
    put_varint(out, key.len() as u64);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&postings.idf.to_le_bytes());
    encode_columns(out, postings, postings.tail.is_some());
    if let Some(t) = &postings.tail {
        put_varint(out, u64::from(t.df));
        put_varint(out, t.parts.len() as u64);
        for part in &t.parts {
            for n in [part.start, part.len].into_iter().chain(part.top) {
                put_varint(out, u64::from(n));
            }
        }
        put_varint(out, t.sketch.len() as u64);
        let mut previous = 0;
        for &h in &t.sketch {
            put_varint(out, u64::from(h - previous));
            previous = h;
        }
    }
}

/// Reads the tables (inflated) of groups of `counts` documents, one after
/// the other: the offsets of each group's records, and where its last
/// ends.
pub fn decode_tables(bytes: &[u8], counts: &[u32]) -> Option<Vec<Vec<u64>>> {
    let mut c = Cursor {
        bytes,
        pos: 0,
        url: "",
    };
    let mut tables = Vec::with_capacity(counts.len());
    for &count in counts {
        let mut offsets = Vec::with_capacity(count.min(1 << 20) as usize + 1);
        let mut end = 0u64;
        offsets.push(end);
        for _ in 0..count {
            let len = c
                .varint()
                .ok()?
                .checked_mul(u64::from(super::RECORD_ALIGN))?;
            end = end.checked_add(len)?;
            offsets.push(end);
        }
        tables.push(offsets);
    }
    c.done().then_some(tables)
}

/// A decoded chunk: its keys in order (a pair's readings are found by
/// scanning from the pair).
pub(crate) type Chunk = BTreeMap<String, Postings>;

/// Reads a chunk (inflated) that came from `url`.
pub(crate) fn decode_chunk(bytes: &[u8], url: &str) -> Result<Chunk, PackError> {
    let mut c = Cursor { bytes, pos: 0, url };
    let mut chunk = Chunk::new();
    let damaged = || PackError::Damaged(url.to_string());
    while !c.done() {
        let len = c.varint()? as usize;
        let key = std::str::from_utf8(c.take(len)?)
            .map_err(|_| damaged())?
            .to_string();
        let idf = f32::from_le_bytes(c.take(4)?.try_into().map_err(|_| damaged())?);
        let tag = key.as_bytes().last().copied().unwrap_or(0);
        let (mut p, tailed) = c.columns(tag)?;
        p.idf = idf;
        if tailed {
            let df = c.count()?;
            let count = c.count()? as usize;
            if count > bytes.len() {
                return Err(damaged());
            }
            let mut parts = Vec::with_capacity(count);
            for _ in 0..count {
                let mut n = [0u32; 6];
                for v in &mut n {
                    *v = c.count()?;
                }
                parts.push(TailPart {
                    start: n[0],
                    len: n[1],
                    top: [n[2], n[3], n[4], n[5]],
                });
            }
            let len = c.count()? as usize;
            if len > bytes.len() {
                return Err(damaged());
            }
            let mut sketch = Vec::with_capacity(len);
            let mut h = 0u32;
            for _ in 0..len {
                h = h.checked_add(c.count()?).ok_or_else(damaged)?;
                sketch.push(h);
            }
            p.tail = Some(Tail { df, parts, sketch });
        }
        chunk.insert(key, p);
    }
    Ok(chunk)
}

/// Reads a tail record (inflated) of a key of field `tag`.
pub(crate) fn decode_tail(bytes: &[u8], tag: u8, url: &str) -> Result<Postings, PackError> {
    let mut c = Cursor { bytes, pos: 0, url };
    let (rest, _) = c.columns(tag)?;
    if !c.done() {
        return Err(PackError::Damaged(url.to_string()));
    }
    Ok(rest)
}

impl Cursor<'_> {
    /// A list's columns ([`encode_columns`]), and whether a tail follows.
    fn columns(&mut self, tag: u8) -> Result<(Postings, bool), PackError> {
        let damaged = || PackError::Damaged(self.url.to_string());
        let head = self.varint()?;
        let (count, tailed) = ((head >> 1) as usize, head & 1 == 1);
        // Never more documents than bytes left: a damaged count must not
        // make the reader reserve gigabytes.
        if count > self.bytes.len() {
            return Err(damaged());
        }
        let mut p = Postings {
            docs: Vec::with_capacity(count),
            ..Postings::default()
        };
        let mut doc = 0u32;
        for _ in 0..count {
            doc = doc
                .checked_add(self.count()?)
                .ok_or_else(|| PackError::Damaged(self.url.to_string()))?;
            p.docs.push(doc);
        }
        if !field::is_filter(tag) {
            for _ in 0..count {
                p.tfs.push(self.count()?);
            }
        }
        if field::has_norms(tag) {
            p.norms = self.take(count)?.to_vec();
        }
        Ok((p, tailed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::key;

    #[test]
    fn chunks_round_trip() {
        let text = Postings {
            idf: 1.5,
            docs: vec![3, 7, 300],
            tfs: vec![1, 2, 1],
            norms: vec![10, 20, 30],
            tail: None,
        };
        let head = Postings {
            idf: 0.5,
            docs: vec![2, 9],
            tfs: vec![4, 3],
            norms: vec![5, 6],
            tail: Some(Tail {
                df: 6,
                parts: vec![
                    TailPart {
                        start: 0,
                        len: 21,
                        top: [2, 7, 1, 3],
                    },
                    TailPart {
                        start: 21,
                        len: 9,
                        top: [1, 9, 0, 0],
                    },
                ],
                sketch: vec![17, 900, 4_000_000_000],
            }),
        };
        let rest = Postings {
            docs: vec![0, 4, 11],
            tfs: vec![2, 1, 1],
            norms: vec![7, 8, 9],
            ..Postings::default()
        };
        let year = Postings {
            idf: 0.25,
            docs: vec![0, 1, 2],
            ..Postings::default()
        };
        let mut bytes = Vec::new();
        encode_entry(&mut bytes, &key("2023", field::YEAR), &year);
        encode_entry(&mut bytes, &key("ngân", field::TEXT), &text);
        encode_entry(&mut bytes, &key("sách", field::TEXT), &head);
        let chunk = decode_chunk(&bytes, "c.terms").unwrap();
        assert_eq!(chunk[&key("ngân", field::TEXT)], text);
        assert_eq!(chunk[&key("sách", field::TEXT)], head);
        let last = Postings {
            docs: vec![5],
            tfs: vec![1],
            norms: vec![9],
            ..Postings::default()
        };
        let mut whole = head.clone();
        whole.absorb(
            0,
            decode_tail(&encode_tail(&rest), field::TEXT, "t").unwrap(),
        );
        assert_eq!(whole.docs, [0, 2, 4, 9, 11]);
        assert_eq!(whole.tfs, [2, 4, 1, 3, 1]);
        assert_eq!(whole.norms, [7, 5, 8, 6, 9]);
        assert_eq!(
            whole.tail.as_ref().map(|t| t.parts.len()),
            Some(1),
            "one part left"
        );
        whole.absorb(
            21,
            decode_tail(&encode_tail(&last), field::TEXT, "t").unwrap(),
        );
        assert_eq!(whole.docs, [0, 2, 4, 5, 9, 11]);
        assert_eq!((whole.idf, whole.tail), (0.5, None));
        assert_eq!(chunk[&key("2023", field::YEAR)], year);
        let cut = decode_chunk(&bytes[..bytes.len() - 1], "c.terms");
        assert!(matches!(cut, Err(PackError::Truncated(url)) if url == "c.terms"));
        let mut huge = Vec::new();
        put_varint(&mut huge, 3);
        huge.extend_from_slice(b"a\0t");
        huge.extend_from_slice(&1f32.to_le_bytes());
        put_varint(&mut huge, u64::from(u32::MAX));
        assert!(matches!(
            decode_chunk(&huge, "h.terms"),
            Err(PackError::Damaged(_))
        ));
    }

    #[test]
    fn tables_give_offsets_and_refuse_other_counts() {
        let table = crate::pack::encode_table(&[3008, 192, 70_016]).unwrap();
        assert_eq!(
            decode_tables(&table, &[3]),
            Some(vec![vec![0, 3008, 3200, 73_216]])
        );
        assert_eq!(
            decode_tables(&table, &[1, 2]),
            Some(vec![vec![0, 3008], vec![0, 192, 70_208]]),
            "two groups' tables in one record"
        );
        assert_eq!(crate::pack::encode_table(&[3000]), None, "not aligned");
        assert_eq!(decode_tables(&table, &[2]), None, "bytes left over");
        assert_eq!(decode_tables(&table, &[4]), None, "too few lengths");
    }
}
