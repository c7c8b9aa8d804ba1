//! Builds the index at site build time: one segment, written by one thread
//! in the order the documents are given, so that two builds of the same
//! site produce the same bytes.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::{IndexBuilder, IndexSettings, TantivyDocument};

use crate::analysis;
use crate::manifest::{FORMAT, Facet, Facets, HotCache, IndexFile, Manifest};
use crate::rangedir::{RangeDir, Session};
use crate::schema::{self, Fields};

/// One published conclusion, as the site generator hands it over.
#[derive(Clone, Debug, Default)]
pub struct IndexDoc {
    pub title: String,
    pub number: Option<String>,
    pub summary: Option<String>,
    /// The Markdown body as plain text.
    pub body_text: String,
    pub issuer: String,
    pub term: Option<String>,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`
    pub date: String,
    pub year: u16,
    /// `2023-Q2`
    pub quarter: String,
    /// Site-relative, e.g. `ket-luan/45-kl-tu-thuan-thanh/`.
    pub url: String,
}

/// A file of the `search/` folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the `search/` folder.
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot build the search index: {context}: {source}")]
    Tantivy {
        context: &'static str,
        source: tantivy::TantivyError,
    },
    #[error("cannot build the search index: {context}: {source}")]
    Io { context: String, source: io::Error },
    #[error("cannot build the search index: {0}")]
    Invalid(String),
}

fn tantivy_err(context: &'static str) -> impl FnOnce(tantivy::TantivyError) -> WriteError {
    move |source| WriteError::Tantivy { context, source }
}

/// tantivy names files after a random segment id; a fixed one keeps the
/// manifest identical across builds.
const SEGMENT_ID: &str = "6b65746c75616e000000000000000001";

/// Small doc-store blocks: a hit then costs the browser about one
/// document's compressed bytes, not a 16 KB block of several documents.
const DOCSTORE_BLOCK: usize = 4 * 1024;

/// Only sizes the writer's initial hash table: the single-segment writer
/// never flushes early, whatever the budget.
const MEMORY_BUDGET: usize = 64 << 20;

/// The files of the `search/` folder for these documents, in order.
pub fn build_index(
    docs: impl IntoIterator<Item = IndexDoc>,
) -> Result<Vec<OutputFile>, WriteError> {
    let tmp = tempfile::tempdir().map_err(|source| WriteError::Io {
        context: "cannot create a temporary folder".into(),
        source,
    })?;
    let facets = write_segment(tmp.path(), docs)?;
    let files = read_files(tmp.path())?;
    package(files, facets)
}

fn write_segment(
    dir: &Path,
    docs: impl IntoIterator<Item = IndexDoc>,
) -> Result<FacetCounter, WriteError> {
    let directory = MmapDirectory::open(dir).map_err(|e| WriteError::Io {
        context: format!("cannot open {}", dir.display()),
        source: io::Error::other(e.to_string()),
    })?;
    let settings = IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK,
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    };
    let schema = schema::schema();
    let fields = Fields::new(&schema).map_err(tantivy_err("schema"))?;
    // The documented caveat ("dragons") is that it expects an empty
    // directory and does no garbage collection: both hold here.
    let mut writer = IndexBuilder::new()
        .schema(schema)
        .settings(settings)
        .tokenizers(schema::tokenizers())
        .single_segment_index_writer(directory, MEMORY_BUDGET)
        .map_err(tantivy_err("cannot create the index writer"))?;
    let mut facets = FacetCounter::default();
    for doc in docs {
        facets.count(&doc);
        writer
            .add_document(to_tantivy(&fields, &doc))
            .map_err(tantivy_err("cannot add a document"))?;
    }
    writer
        .finalize()
        .map_err(tantivy_err("cannot write the index"))?;
    Ok(facets)
}

fn to_tantivy(f: &Fields, doc: &IndexDoc) -> TantivyDocument {
    let mut t = TantivyDocument::new();
    let body = analysis::nfc(&doc.body_text);
    let title = analysis::nfc(&doc.title);
    let number = doc.number.as_deref().unwrap_or_default();
    let summary = doc.summary.as_deref().unwrap_or_default();
    let term = doc.term.as_deref().unwrap_or_default();
    for part in [&*title, number, summary, &doc.issuer, term]
        .into_iter()
        .chain(doc.tags.iter().map(String::as_str))
        .chain([&*body])
    {
        if !part.is_empty() {
            t.add_text(f.text, part);
            t.add_text(f.text_folded, part);
        }
    }
    t.add_text(f.title, &title);
    t.add_text(f.title_folded, &title);
    let own = analysis::number_key(number);
    if let Some(key) = &own {
        t.add_text(f.number_key, key);
    }
    for cited in analysis::cited_numbers(&body) {
        if Some(&cited) != own.as_ref() {
            t.add_text(f.cited, cited);
        }
    }
    t.add_text(f.year, doc.year.to_string());
    t.add_text(f.quarter, &doc.quarter);
    t.add_text(f.issuer_key, crate::facet_key(&doc.issuer));
    if !term.is_empty() {
        t.add_text(f.term_key, crate::facet_key(term));
    }
    t.add_text(f.s_title, &title);
    t.add_text(f.s_number, number);
    t.add_text(f.s_date, &doc.date);
    t.add_text(f.s_url, &doc.url);
    t.add_text(f.s_issuer, analysis::nfc(&doc.issuer));
    t.add_text(f.s_summary, analysis::nfc(summary));
    t.add_text(f.s_body, &body);
    t
}

/// tantivy's files by name, the segment renamed to [`SEGMENT_ID`].
fn read_files(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, WriteError> {
    let io_err = |context: String| move |source| WriteError::Io { context, source };
    let meta = std::fs::read_to_string(dir.join("meta.json"))
        .map_err(io_err("cannot read meta.json".into()))?;
    let mut files = BTreeMap::new();
    let mut segment = None;
    for entry in std::fs::read_dir(dir).map_err(io_err(format!("cannot list {}", dir.display())))? {
        let path = entry
            .map_err(io_err("cannot list the index".into()))?
            .path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Some((stem, ext)) = name.split_once('.') else {
            continue;
        };
        if stem.len() != 32 || !stem.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        if segment.replace(stem.to_string()).is_some_and(|s| s != stem) {
            return Err(WriteError::Invalid("the index has several segments".into()));
        }
        let bytes = std::fs::read(&path).map_err(io_err(format!("cannot read {name}")))?;
        files.insert(format!("{SEGMENT_ID}.{ext}"), bytes);
    }
    let segment = segment.ok_or_else(|| WriteError::Invalid("the index has no segment".into()))?;
    let hyphenated = format!(
        "{}-{}-{}-{}-{}",
        &segment[..8],
        &segment[8..12],
        &segment[12..16],
        &segment[16..20],
        &segment[20..]
    );
    let fixed = meta
        .replace(&segment, SEGMENT_ID)
        .replace(&hyphenated, SEGMENT_ID);
    files.insert("meta.json".into(), fixed.into_bytes());
    Ok(files)
}

/// Content-hashed files, the hot cache and the manifest.
fn package(
    files: BTreeMap<String, Vec<u8>>,
    facets: FacetCounter,
) -> Result<Vec<OutputFile>, WriteError> {
    let mut manifest = Manifest {
        format: FORMAT,
        documents: facets.documents,
        facets: facets.into_facets(),
        ..Manifest::default()
    };
    let mut out = Vec::new();
    for (name, bytes) in &files {
        let (stem, ext) = match name.split_once('.') {
            Some(("meta", "json")) => ("meta", "json"),
            Some((_, ext)) => (ext, "bin"),
            None => (name.as_str(), "bin"),
        };
        let path = format!("{stem}-{}.{ext}", crate::content_hash(bytes));
        manifest.files.push(IndexFile {
            name: name.clone(),
            path: path.clone(),
            len: bytes.len() as u64,
        });
        out.push(OutputFile {
            path,
            bytes: bytes.clone(),
        });
    }
    let contents: Vec<&[u8]> = files.values().map(Vec::as_slice).collect();
    let ranges = hot_ranges(&manifest, &contents)?;
    let mut blob = Vec::new();
    for &[file, start, end] in &ranges {
        blob.extend_from_slice(&contents[file as usize][start as usize..end as usize]);
    }
    let path = format!("hot-{}.bin", crate::content_hash(&blob));
    manifest.hot = HotCache {
        path: path.clone(),
        ranges,
    };
    out.push(OutputFile { path, bytes: blob });
    let json =
        serde_json::to_vec(&manifest).map_err(|e| WriteError::Invalid(format!("manifest: {e}")))?;
    out.push(OutputFile {
        path: "manifest.json".into(),
        bytes: json,
    });
    Ok(out)
}

/// What the browser must have before its first query: found by opening the
/// index exactly as the browser does, fetching whatever each attempt misses.
fn hot_ranges(manifest: &Manifest, contents: &[&[u8]]) -> Result<Vec<[u64; 3]>, WriteError> {
    let dir = RangeDir::new(manifest);
    let fetch = |dir: &RangeDir| -> Result<bool, WriteError> {
        let misses = dir.take_misses();
        for m in &misses {
            dir.add(m.file, m.start, contents[m.file][m.start..m.end].to_vec())
                .map_err(WriteError::Invalid)?;
        }
        Ok(!misses.is_empty())
    };
    let mut attempts = 0;
    let session = loop {
        match Session::open(dir.clone()) {
            Ok(session) => break session,
            Err(e) if !fetch(&dir)? || attempts > 100 => {
                return Err(WriteError::Tantivy {
                    context: "cannot open the new index",
                    source: e,
                });
            }
            Err(_) => attempts += 1,
        }
    };
    while let Err(e) = session.open_hot_dictionaries() {
        if !fetch(&dir)? || attempts > 200 {
            return Err(WriteError::Tantivy {
                context: "cannot open the term dictionaries",
                source: e,
            });
        }
        attempts += 1;
    }
    Ok(dir
        .fetched_ranges()
        .into_iter()
        .map(|(file, r)| [file as u64, r.start as u64, r.end as u64])
        .collect())
}

#[derive(Default)]
struct FacetCounter {
    documents: u64,
    years: BTreeMap<u16, u64>,
    quarters: BTreeMap<String, u64>,
    issuers: Named,
    terms: Named,
}

/// key → (first seen, spelling → count)
type Named = BTreeMap<String, (u64, BTreeMap<String, u64>)>;

impl FacetCounter {
    fn count(&mut self, doc: &IndexDoc) {
        let seen = self.documents;
        self.documents += 1;
        *self.years.entry(doc.year).or_default() += 1;
        *self.quarters.entry(doc.quarter.clone()).or_default() += 1;
        let add = |named: &mut Named, name: &str| {
            let name = analysis::nfc(name.trim()).into_owned();
            let (_, spellings) = named
                .entry(crate::facet_key(&name))
                .or_insert((seen, BTreeMap::new()));
            *spellings.entry(name).or_default() += 1;
        };
        add(&mut self.issuers, &doc.issuer);
        if let Some(term) = &doc.term {
            add(&mut self.terms, term);
        }
    }

    fn into_facets(self) -> Facets {
        let plain = |key: String, count| Facet {
            label: key.clone(),
            key,
            count,
        };
        let named = |named: Named| {
            let mut out: Vec<(u64, Facet)> = named
                .into_iter()
                .filter(|(key, _)| !key.is_empty())
                .map(|(key, (first, spellings))| {
                    let count = spellings.values().sum();
                    // The most used spelling; the first in order among equals.
                    let label = spellings
                        .iter()
                        .max_by_key(|(s, n)| (**n, std::cmp::Reverse(*s)))
                        .map(|(s, _)| s.clone())
                        .unwrap_or_default();
                    (first, Facet { key, label, count })
                })
                .collect();
            out.sort_by_key(|(first, _)| *first);
            out.into_iter().map(|(_, f)| f).collect::<Vec<_>>()
        };
        let mut issuers = named(self.issuers);
        issuers.sort_by(|a, b| a.key.cmp(&b.key));
        Facets {
            years: self
                .years
                .into_iter()
                .rev()
                .map(|(y, n)| plain(y.to_string(), n))
                .collect(),
            quarters: self
                .quarters
                .into_iter()
                .rev()
                .map(|(q, n)| plain(q, n))
                .collect(),
            issuers,
            // In order of first appearance: documents come newest first, so
            // the current term leads.
            terms: named(self.terms),
        }
    }
}

/// Opens a built `search/` folder with every file read whole (the command
/// line and tests: same session, same code as the browser).
pub fn open_folder(dir: &Path) -> Result<Session, WriteError> {
    let io_err = |context: String| move |source| WriteError::Io { context, source };
    let manifest_path = dir.join("manifest.json");
    let json = std::fs::read(&manifest_path).map_err(io_err(format!(
        "cannot read {} (was the site built?)",
        manifest_path.display()
    )))?;
    let manifest: Manifest = serde_json::from_slice(&json)
        .map_err(|e| WriteError::Invalid(format!("{}: {e}", manifest_path.display())))?;
    if manifest.format != FORMAT {
        return Err(WriteError::Invalid(format!(
            "{} has format {}, this ketluan reads {FORMAT}: rebuild the site",
            manifest_path.display(),
            manifest.format
        )));
    }
    let rangedir = RangeDir::new(&manifest);
    for (i, file) in manifest.files.iter().enumerate() {
        let path = dir.join(&file.path);
        let bytes =
            std::fs::read(&path).map_err(io_err(format!("cannot read {}", path.display())))?;
        rangedir.add(i, 0, bytes).map_err(WriteError::Invalid)?;
    }
    Session::open(rangedir).map_err(tantivy_err("cannot open the search index"))
}
