//! The manifest: one CSV row per image/mask pair, read the same way by `radsurv extract
//! --manifest`, the study and `radsurv predict`.
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `case_id` | yes | patient id (matches the clinical table) |
//! | `image` | yes | image file (NRRD, NIfTI or a DICOM folder) |
//! | `mask` | yes | mask file: a label map, a `.seg.nrrd`, a DICOM RTSTRUCT or a DICOM-SEG |
//! | `label` | no | ROI label in a label map; empty or absent: the parameter file's `label` |
//! | `segment` or `roi` | no | name or number of the segment or ROI in a `.seg.nrrd`, RTSTRUCT or SEG; empty or absent: the file's only one |
//! | `reader` | no | who drew the mask; empty or absent: [`DEFAULT_READER`] |
//!
//! Relative paths resolve against the manifest's folder. Headers and cells are trimmed; an empty
//! cell of an optional column means "not given". A column that picks the region inside the mask
//! file (`segment`, or its synonym `roi`) is one more optional field of [`ManifestEntry`], read in
//! [`read_manifest`] and honoured in [`crate::batch::load_mask`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The reader of a row whose manifest has no `reader` column (or an empty cell): a manifest
/// without readers is one reader's.
pub const DEFAULT_READER: &str = "A";

/// One image/mask pair of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// Patient id (matches the clinical table).
    pub case_id: String,
    /// Image file.
    pub image: PathBuf,
    /// Mask file.
    pub mask: PathBuf,
    /// ROI label in the mask; `None`: the parameter file's label.
    pub label: Option<u32>,
    /// Name or number of the segment or ROI in a `.seg.nrrd`, RTSTRUCT or DICOM-SEG mask;
    /// `None`: the file's only one (see [`radsurv_image::regions`]).
    pub segment: Option<String>,
    /// Reader who drew the mask, when the manifest names one.
    pub reader: Option<String>,
}

impl ManifestEntry {
    /// An entry for one image and mask, with no label, segment or reader.
    pub fn new(case_id: impl Into<String>, image: PathBuf, mask: PathBuf) -> Self {
        ManifestEntry {
            case_id: case_id.into(),
            image,
            mask,
            label: None,
            segment: None,
            reader: None,
        }
    }

    /// The reader, [`DEFAULT_READER`] when the manifest names none.
    pub fn reader(&self) -> &str {
        self.reader.as_deref().unwrap_or(DEFAULT_READER)
    }
}

/// Why a manifest could not be read; each names the file and, for a cell, its line and column.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// The file could not be opened or is not valid CSV.
    #[error("{}: {source}", .path.display())]
    Csv {
        /// The manifest.
        path: PathBuf,
        /// The CSV reader's error.
        #[source]
        source: csv::Error,
    },
    /// The header is unusable (empty, or not comma-separated).
    #[error("{}: {problem}", .path.display())]
    Header {
        /// The manifest.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// A required column is absent.
    #[error("{}: needs columns case_id, image, mask; no column {column:?} (found {found:?})", .path.display())]
    MissingColumn {
        /// The manifest.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
        /// The columns the file has.
        found: Vec<String>,
    },
    /// A required cell is empty.
    #[error("{}: line {line}, column {column}: must not be empty", .path.display())]
    EmptyCell {
        /// The manifest.
        path: PathBuf,
        /// 1-based line of the file (the header is line 1).
        line: u64,
        /// The column.
        column: &'static str,
    },
    /// Two rows name the same case and reader: their features would be indistinguishable rows.
    #[error(
        "{}: line {line}: case {case_id:?}, reader {reader:?} is already on line {first_line}; \
         each case has one row per reader",
        .path.display()
    )]
    Duplicate {
        /// The manifest.
        path: PathBuf,
        /// 1-based line of the repeated row.
        line: u64,
        /// 1-based line of the first row of that case and reader.
        first_line: u64,
        /// The case id.
        case_id: String,
        /// The reader ([`DEFAULT_READER`] when none is named).
        reader: String,
    },
    /// A `label` cell is not a positive integer (0 is the background).
    #[error("{}: line {line}, column label: {value:?} is not a positive integer", .path.display())]
    BadLabel {
        /// The manifest.
        path: PathBuf,
        /// 1-based line of the file.
        line: u64,
        /// The cell.
        value: String,
    },
}

/// Column positions of one manifest's header.
struct Columns {
    case_id: usize,
    image: usize,
    mask: usize,
    label: Option<usize>,
    segment: Option<usize>,
    roi: Option<usize>,
    reader: Option<usize>,
}

impl Columns {
    fn find(path: &Path, header: &csv::StringRecord) -> Result<Columns, ManifestError> {
        let optional = |name: &str| header.iter().position(|h| h == name);
        let required = |name: &'static str| {
            optional(name).ok_or_else(|| ManifestError::MissingColumn {
                path: path.to_path_buf(),
                column: name,
                found: header.iter().map(str::to_string).collect(),
            })
        };
        Ok(Columns {
            case_id: required("case_id")?,
            image: required("image")?,
            mask: required("mask")?,
            label: optional("label"),
            segment: optional("segment"),
            roi: optional("roi"),
            reader: optional("reader"),
        })
    }
}

/// Reads a manifest (columns in the module table) in file order; a case has at most one row
/// per reader.
///
/// # Errors
/// [`ManifestError`] naming the file, and the line and column of a bad cell or the lines of a
/// repeated (case, reader) pair.
pub fn read_manifest(path: &Path) -> Result<Vec<ManifestEntry>, ManifestError> {
    let csv_error = |source| ManifestError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(csv_error)?;
    let header = reader.headers().map_err(csv_error)?;
    if let Some(problem) = radsurv_stats::table::header_problem(&header.iter().collect::<Vec<_>>())
    {
        return Err(ManifestError::Header {
            path: path.to_path_buf(),
            problem,
        });
    }
    let columns = Columns::find(path, header)?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut entries = Vec::new();
    let mut first_lines: HashMap<(String, String), u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, csv::Position::line);
        let entry = parse_row(path, base, &columns, &record)?;
        let key = (entry.case_id.clone(), entry.reader().to_string());
        if let Some(&first_line) = first_lines.get(&key) {
            return Err(ManifestError::Duplicate {
                path: path.to_path_buf(),
                line,
                first_line,
                case_id: key.0,
                reader: key.1,
            });
        }
        first_lines.insert(key, line);
        entries.push(entry);
    }
    Ok(entries)
}

fn parse_row(
    path: &Path,
    base: &Path,
    columns: &Columns,
    record: &csv::StringRecord,
) -> Result<ManifestEntry, ManifestError> {
    let line = record.position().map_or(0, csv::Position::line);
    let cell = |column: Option<usize>| {
        column
            .and_then(|c| record.get(c))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let required = |column: usize, name: &'static str| {
        cell(Some(column)).ok_or_else(|| ManifestError::EmptyCell {
            path: path.to_path_buf(),
            line,
            column: name,
        })
    };
    let label =
        cell(columns.label)
            .map(|value| {
                // 0 is the background, never a region of interest.
                value.parse::<u32>().ok().filter(|&l| l > 0).ok_or_else(|| {
                    ManifestError::BadLabel {
                        path: path.to_path_buf(),
                        line,
                        value,
                    }
                })
            })
            .transpose()?;
    Ok(ManifestEntry {
        case_id: required(columns.case_id, "case_id")?,
        image: base.join(required(columns.image, "image")?),
        mask: base.join(required(columns.mask, "mask")?),
        label,
        segment: cell(columns.segment).or_else(|| cell(columns.roi)),
        reader: cell(columns.reader),
    })
}

/// The readers of a manifest in order of first appearance.
pub fn readers(entries: &[ManifestEntry]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in entries {
        if !out.iter().any(|r| r == e.reader()) {
            out.push(e.reader().to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn a_semicolon_separated_or_empty_manifest_is_named_as_such() {
        let (_dir, path) = manifest("case_id;image;mask\nP1;i1.nrrd;m1.nrrd\n");
        let err = read_manifest(&path).unwrap_err().to_string();
        assert!(err.contains("separated by semicolons"), "{err}");
        let (_dir, path) = manifest("");
        let err = read_manifest(&path).unwrap_err().to_string();
        assert!(err.contains("the file is empty"), "{err}");
    }

    #[test]
    fn optional_columns_and_relative_paths() {
        let (dir, path) = manifest(
            "case_id, image ,mask,label,segment,reader\n\
             P1,i1.nrrd,/abs/m1.nrrd,2,,B\n\
             P2,i2.nrrd,m2.seg.nrrd,,tumour,\n",
        );
        let entries = read_manifest(&path).unwrap();
        assert_eq!(entries[0].image, dir.path().join("i1.nrrd"));
        assert_eq!(entries[0].mask, PathBuf::from("/abs/m1.nrrd"));
        assert_eq!((entries[0].label, entries[0].reader()), (Some(2), "B"));
        assert_eq!(entries[1].segment.as_deref(), Some("tumour"));
        assert_eq!((entries[1].label, entries[1].reader()), (None, "A"));
        assert_eq!(readers(&entries), ["B", "A"]);
    }

    #[test]
    fn errors_name_line_and_column() {
        let (_dir, path) = manifest("case_id,image\nP1,i.nrrd\n");
        let err = read_manifest(&path).unwrap_err().to_string();
        assert!(err.contains("no column \"mask\""), "{err}");
        let (_dir, path) = manifest("case_id,image,mask,label\nP1,i,m,1\nP2,i,m,x\n");
        let err = read_manifest(&path).unwrap_err().to_string();
        assert!(err.contains("line 3, column label"), "{err}");
        let (_dir, path) = manifest("case_id,image,mask\nP1,,m\n");
        let err = read_manifest(&path).unwrap_err().to_string();
        assert!(err.contains("line 2, column image"), "{err}");
    }
}
