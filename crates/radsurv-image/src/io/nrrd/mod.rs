//! NRRD reader and writer (teem's format, as 3D Slicer and PyRadiomics' test data use it).
//!
//! Reads what ITK's `NrrdImageIO` reads for scalar 3D images: every scalar `type`, `raw`, `gzip`
//! and `ascii` encodings, both endiannesses, attached headers (`.nrrd`) and detached ones
//! (`.nhdr` + `data file`), `line skip`/`byte skip`, and `key:=value` pairs.
//!
//! # Geometry, as ITK derives it
//! For each spatial axis with space direction $v$: spacing $= \lVert v \rVert$ and direction
//! column $= v \cdot (1/\lVert v \rVert)$ (teem's `nrrdSpacingCalculate` multiplies by the
//! reciprocal; the bits can differ from $v / \lVert v \rVert$). The origin is `space origin`.
//! In a `right-anterior-superior` space the first two components of every direction and of the
//! origin are negated (RAS → LPS); `left-anterior-superior` negates the second. Without `space
//! directions` the grid is axis-aligned with `spacings` (1 when absent) and origin 0.
//!
//! # Known differences
//! `bzip2`/`hex` encodings, multi-file `data file` lists and images with more than one component
//! per voxel are rejected with [`ImageError::Unsupported`] (ITK reads some of them).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;
use libdeflater::DecompressionError;

use super::raw;
use crate::error::{io_error, malformed, unsupported};
use crate::{Geometry, ImageError, PixelType, Result, Volume, VoxelData};

/// How the voxel bytes of a NRRD file are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// Packed binary values.
    Raw,
    /// Packed binary values, gzip-compressed.
    Gzip,
    /// Whitespace-separated decimal numbers.
    Ascii,
}

/// The fields of a NRRD header that radsurv uses.
#[derive(Debug, Clone, PartialEq)]
pub struct NrrdHeader {
    /// Scalar type of each value.
    pub pixel_type: PixelType,
    /// Size of each axis, fastest first.
    pub sizes: Vec<usize>,
    /// Encoding of the voxel bytes.
    pub encoding: Encoding,
    /// True when multi-byte values are big-endian.
    pub big_endian: bool,
    /// The `space` field, if any (e.g. `left-posterior-superior`).
    pub space: Option<String>,
    /// Space direction of each axis; `None` for a non-spatial axis (`none`) or when absent.
    pub space_directions: Vec<Option<[f64; 3]>>,
    /// The `space origin` field.
    pub space_origin: Option<[f64; 3]>,
    /// The `spacings` field (NaN for `nan`), empty when absent.
    pub spacings: Vec<f64>,
    /// The `kinds` field, empty when absent.
    pub kinds: Vec<String>,
    /// `key:=value` pairs in file order.
    pub key_values: Vec<(String, String)>,
    data_file: Option<String>,
    line_skip: usize,
    byte_skip: i64,
    data_offset: usize,
}

impl NrrdHeader {
    /// Value of a `key:=value` pair.
    pub fn key_value(&self, key: &str) -> Option<&str> {
        self.key_values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Number of values the header declares (product of all sizes).
    pub fn value_count(&self) -> u64 {
        self.sizes.iter().map(|&s| s as u64).product()
    }

    /// Indices of the spatial axes (those with a space direction, or all without directions).
    pub fn spatial_axes(&self) -> Vec<usize> {
        if self.space_directions.iter().all(Option::is_none) {
            (0..self.sizes.len()).collect()
        } else {
            (0..self.sizes.len())
                .filter(|&a| self.space_directions[a].is_some())
                .collect()
        }
    }

    /// The ITK geometry of the three spatial axes.
    ///
    /// # Errors
    /// [`ImageError::Unsupported`] unless there are exactly three spatial axes, or when the
    /// `space` is one ITK does not map to LPS.
    pub fn geometry(&self, path: &Path) -> Result<Geometry> {
        let axes = self.spatial_axes();
        let [ax, ay, az] = axes[..] else {
            return Err(unsupported(
                path,
                format!(
                    "{}-D image: radsurv reads 3-D volumes (save a single slice as a 3-D volume of depth 1)",
                    axes.len()
                ),
            ));
        };
        let flip = lps_flip(self.space.as_deref())
            .ok_or_else(|| unsupported(path, format!("space {:?}", self.space)))?;
        let mut geometry = Geometry::new(
            [self.sizes[ax], self.sizes[ay], self.sizes[az]],
            [1.0; 3],
            [0.0; 3],
        );
        for (c, &axis) in [ax, ay, az].iter().enumerate() {
            match self.space_directions.get(axis).copied().flatten() {
                Some(v) => {
                    let spacing = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                    if !(spacing > 0.0 && spacing.is_finite()) {
                        return Err(malformed(
                            path,
                            format!("axis {axis} has a zero space direction"),
                        ));
                    }
                    let scale = 1.0 / spacing;
                    geometry.spacing[c] = spacing;
                    for r in 0..3 {
                        geometry.direction[r][c] = flip[r] * (v[r] * scale);
                    }
                }
                None => {
                    let s = self.spacings.get(axis).copied().unwrap_or(f64::NAN);
                    geometry.spacing[c] = if s.is_finite() && s != 0.0 {
                        s.abs()
                    } else {
                        1.0
                    };
                }
            }
        }
        if let Some(o) = self.space_origin {
            geometry.origin = [flip[0] * o[0], flip[1] * o[1], flip[2] * o[2]];
        }
        Ok(geometry)
    }
}

/// Reads a scalar 3D NRRD image (`.nrrd`, or `.nhdr` with its data file).
///
/// # Errors
/// [`ImageError::Io`], [`ImageError::Malformed`], [`ImageError::Unsupported`],
/// [`ImageError::Truncated`], [`ImageError::TooLarge`], each naming the file.
pub fn read(path: impl AsRef<Path>) -> Result<Volume> {
    let path = path.as_ref();
    let (header, data) = read_parts(path)?;
    let geometry = header.geometry(path)?;
    if let Some(reason) = geometry.defect() {
        return Err(malformed(path, reason));
    }
    if geometry.voxel_count() as u64 != header.value_count() {
        return Err(unsupported(path, "more than one value per voxel"));
    }
    Volume::new(geometry, data)
}

/// Reads only the header of a NRRD file.
///
/// # Errors
/// As [`read`], for the header part.
pub fn read_header(path: impl AsRef<Path>) -> Result<NrrdHeader> {
    let path = path.as_ref();
    parse_header(path, &map_file(path)?)
}

/// Writes a volume as a gzip-encoded, little-endian NRRD with LPS geometry (as SimpleITK does
/// with compression on).
///
/// # Errors
/// [`ImageError::Io`] when the file cannot be written.
pub fn write(path: impl AsRef<Path>, volume: &Volume) -> Result<()> {
    write_with_key_values(path.as_ref(), volume.geometry(), volume.data(), &[], &[])
}

/// Reads header and values of any NRRD file (any dimension), without interpreting geometry.
pub(crate) fn read_parts(path: &Path) -> Result<(NrrdHeader, VoxelData)> {
    let file = map_file(path)?;
    let header = parse_header(path, &file)?;
    let count = checked_value_count(path, &header)?;
    let data = match &header.data_file {
        None => {
            let bytes = file.get(header.data_offset..).unwrap_or_default();
            decode_values(path, &header, bytes, count)?
        }
        Some(name) => {
            let data_path = detached_data_path(path, name)?;
            decode_values(&data_path, &header, &map_file(&data_path)?, count)?
        }
    };
    Ok((header, data))
}

/// The bytes of a file, mapped into memory: the pages are shared with the OS file cache and
/// fault in in batches of 16, instead of being copied into a fresh buffer (lung1's 12.5 MB:
/// ~200 page faults instead of ~3000).
fn map_file(path: &Path) -> Result<memmap2::Mmap> {
    let file = fs::File::open(path).map_err(io_error(path))?;
    // SAFETY: the map is only read, and only while this reader runs; like every reader, it
    // assumes no other process truncates or rewrites the image file meanwhile.
    unsafe { memmap2::Mmap::map(&file) }.map_err(io_error(path))
}

/// Writes a NRRD file: `extra_fields` are `field: value` lines added after the geometry (e.g.
/// a leading `none` axis), `key_values` become `key:=value` lines.
pub(crate) fn write_with_key_values(
    path: &Path,
    geometry: &Geometry,
    data: &VoxelData,
    sizes_prefix: &[usize],
    key_values: &[(String, String)],
) -> Result<()> {
    let mut text = String::from("NRRD0004\n# Complete NRRD file format specification at:\n");
    text += "# http://teem.sourceforge.net/nrrd/format.html\n";
    text += &format!("type: {}\n", type_name(data.pixel_type()));
    let sizes: Vec<String> = sizes_prefix
        .iter()
        .chain(geometry.size.iter())
        .map(|s| s.to_string())
        .collect();
    text += &format!("dimension: {}\n", sizes.len());
    text += "space: left-posterior-superior\n";
    text += &format!("sizes: {}\n", sizes.join(" "));
    let mut dirs: Vec<String> = sizes_prefix.iter().map(|_| "none".to_string()).collect();
    for c in 0..3 {
        let v: Vec<f64> = (0..3)
            .map(|r| geometry.direction[r][c] * geometry.spacing[c])
            .collect();
        dirs.push(format!("({},{},{})", v[0], v[1], v[2]));
    }
    text += &format!("space directions: {}\n", dirs.join(" "));
    let mut kinds: Vec<&str> = sizes_prefix.iter().map(|_| "list").collect();
    kinds.extend(["domain"; 3]);
    text += &format!("kinds: {}\n", kinds.join(" "));
    text += "endian: little\nencoding: gzip\n";
    let o = geometry.origin;
    text += &format!("space origin: ({},{},{})\n", o[0], o[1], o[2]);
    for (k, v) in key_values {
        text += &format!("{k}:={v}\n");
    }
    text += "\n";
    let mut out = text.into_bytes();
    let mut encoder = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, &raw::encode_le(data)).map_err(io_error(path))?;
    encoder.finish().map_err(io_error(path))?;
    fs::write(path, out).map_err(io_error(path))
}

/// The number of values, checked against [`crate::max_voxels`] before anything is allocated.
fn checked_value_count(path: &Path, header: &NrrdHeader) -> Result<usize> {
    let declared = header
        .sizes
        .iter()
        .try_fold(1u64, |acc, &s| acc.checked_mul(s as u64))
        .unwrap_or(u64::MAX);
    if declared > crate::max_voxels() {
        return Err(ImageError::TooLarge {
            path: path.to_path_buf(),
            declared,
            limit: crate::max_voxels(),
        });
    }
    Ok(declared as usize)
}

/// The data file of a detached header, relative to the header's folder.
fn detached_data_path(header_path: &Path, name: &str) -> Result<PathBuf> {
    let name = name.trim();
    if name.starts_with("LIST") || name.split_whitespace().count() > 1 {
        return Err(unsupported(
            header_path,
            format!("multi-file data file {name:?}"),
        ));
    }
    let p = Path::new(name);
    Ok(if p.is_absolute() {
        p.to_path_buf()
    } else {
        header_path.parent().unwrap_or(Path::new(".")).join(p)
    })
}

/// Decodes `count` values from the data bytes (after the header; before skips and
/// decompression).
fn decode_values(
    path: &Path,
    header: &NrrdHeader,
    bytes: &[u8],
    count: usize,
) -> Result<VoxelData> {
    let bytes = after_lines(bytes, header.line_skip);
    let width = raw::bytes_per_value(header.pixel_type);
    let needed = count * width;
    check_encoded_size(path, header, bytes.len(), needed)?;
    match header.encoding {
        Encoding::Raw => {
            let start = match header.byte_skip {
                -1 => bytes.len().checked_sub(needed),
                skip => Some(skip.max(0) as usize),
            };
            let available = start.and_then(|s| bytes.get(s..)).unwrap_or(&[]);
            if available.len() < needed {
                return Err(truncated(path, needed, available.len()));
            }
            Ok(raw::decode(
                available,
                header.pixel_type,
                header.big_endian,
                count,
            ))
        }
        Encoding::Gzip => {
            let skip = header.byte_skip.max(0) as usize;
            let mut data = raw::zeroed(header.pixel_type, count);
            let filled = gunzip_values(path, bytes, skip, raw::bytes_mut(&mut data))?;
            if filled < needed {
                return Err(truncated(path, needed, filled));
            }
            raw::to_native_endian(&mut data, header.big_endian);
            Ok(data)
        }
        Encoding::Ascii => {
            let text = String::from_utf8_lossy(bytes);
            let data = raw::parse_ascii(&text, header.pixel_type, count)
                .map_err(|tok| malformed(path, format!("not a number in ascii data: {tok:?}")))?;
            if data.len() < count {
                return Err(malformed(
                    path,
                    format!(
                        "ascii data hold {} values, header declares {count}",
                        data.len()
                    ),
                ));
            }
            Ok(data)
        }
    }
}

/// Largest output-to-input ratio of deflate: a stream of length-258 matches, 258 bytes from
/// about two bits, stays below 1032:1 (RFC 1951; zlib's technical details).
const MAX_DEFLATE_RATIO: usize = 1032;

/// Refuses data that cannot hold the declared values before their buffer is allocated: raw
/// data shorter than the values, gzip data that could not inflate to them, ascii data with
/// fewer than one character per value.
fn check_encoded_size(
    path: &Path,
    header: &NrrdHeader,
    available: usize,
    needed: usize,
) -> Result<()> {
    let most = match header.encoding {
        Encoding::Raw => return Ok(()),
        Encoding::Gzip => available.saturating_mul(MAX_DEFLATE_RATIO),
        Encoding::Ascii => {
            available.saturating_add(1) / 2 * raw::bytes_per_value(header.pixel_type)
        }
    };
    if most < needed {
        return Err(truncated(path, needed, available));
    }
    Ok(())
}

/// Inflates the first gzip member of `compressed`, skips its first `skip` bytes and fills
/// `values` with the next ones; returns how many bytes of `values` were filled.
///
/// The values are inflated straight into their typed memory by libdeflate, which takes the
/// whole compressed input and the exact output size (both known here) and checks the CRC and
/// length. Why libdeflate: one-shot inflation into the final buffer is markedly faster than a
/// streaming decoder on CT-sized volumes (`benches/README.md`). libdeflate cannot stop early, so
/// a byte skip or a member holding more than the declared values (teem reads only what it needs
/// and ignores the rest) goes through flate2's streaming decoder instead.
fn gunzip_values(path: &Path, compressed: &[u8], skip: usize, values: &mut [u8]) -> Result<usize> {
    if skip == 0 {
        match libdeflater::Decompressor::new().gzip_decompress(compressed, values) {
            Ok(filled) => return Ok(filled),
            Err(DecompressionError::InsufficientSpace) => {}
            Err(e) => return Err(malformed(path, format!("corrupt gzip data: {e}"))),
        }
    }
    let corrupt = |e: std::io::Error| malformed(path, format!("corrupt gzip data: {e}"));
    let mut decoder = GzDecoder::new(compressed);
    let skipped = std::io::copy(&mut (&mut decoder).take(skip as u64), &mut std::io::sink())
        .map_err(corrupt)?;
    if skipped < skip as u64 {
        return Ok(0);
    }
    fill(&mut decoder, values).map_err(corrupt)
}

/// Reads until `buffer` is full or the stream ends; returns the bytes read.
fn fill(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn truncated(path: &Path, expected: usize, actual: usize) -> ImageError {
    ImageError::Truncated {
        path: path.to_path_buf(),
        expected: expected as u64,
        actual: actual as u64,
    }
}

/// The bytes after the first `lines` lines (empty if they end first).
fn after_lines(bytes: &[u8], lines: usize) -> &[u8] {
    let mut rest = bytes;
    for _ in 0..lines {
        rest = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => &rest[end + 1..],
            None => &[],
        };
    }
    rest
}

/// Parses the header lines (up to the first blank line, or the end for a detached header).
fn parse_header(path: &Path, bytes: &[u8]) -> Result<NrrdHeader> {
    if !bytes.starts_with(b"NRRD000") {
        return Err(malformed(path, "not a NRRD file (no NRRD000x magic)"));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut key_values = Vec::new();
    let mut offset = 0;
    let mut first = true;
    while offset < bytes.len() {
        let end = bytes[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| offset + i);
        let line = String::from_utf8_lossy(&bytes[offset..end]);
        let line = line.trim_end_matches('\r');
        offset = (end + 1).min(bytes.len());
        if first {
            first = false;
            continue;
        }
        if line.is_empty() {
            break;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once(":=") {
            key_values.push((k.to_string(), v.to_string()));
        } else if let Some((k, v)) = line.split_once(": ") {
            fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        } else {
            return Err(malformed(
                path,
                format!("header line is neither field nor key/value: {line:?}"),
            ));
        }
    }
    HeaderBuilder {
        path,
        fields: &fields,
    }
    .build(key_values, offset)
}

/// Turns the raw `field: value` list into a checked [`NrrdHeader`].
struct HeaderBuilder<'a> {
    path: &'a Path,
    fields: &'a [(String, String)],
}

impl HeaderBuilder<'_> {
    fn get(&self, names: &[&str]) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| v.as_str())
    }

    fn require(&self, name: &str) -> Result<&str> {
        self.get(&[name])
            .ok_or_else(|| malformed(self.path, format!("missing field {name:?}")))
    }

    fn build(&self, key_values: Vec<(String, String)>, data_offset: usize) -> Result<NrrdHeader> {
        let path = self.path;
        let type_field = self.require("type")?;
        let pixel_type = parse_type(type_field)
            .ok_or_else(|| unsupported(path, format!("type {type_field:?}")))?;
        let dimension: usize = self
            .require("dimension")?
            .parse()
            .map_err(|_| malformed(path, "dimension is not a number"))?;
        let sizes = self
            .require("sizes")?
            .split_whitespace()
            .map(|s| s.parse::<usize>())
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| malformed(path, "sizes are not whole numbers"))?;
        if sizes.len() != dimension || dimension == 0 || sizes.contains(&0) {
            return Err(malformed(
                path,
                format!("sizes {sizes:?} do not fit dimension {dimension}"),
            ));
        }
        let encoding = match self.require("encoding")?.to_ascii_lowercase().as_str() {
            "raw" => Encoding::Raw,
            "gzip" | "gz" => Encoding::Gzip,
            "ascii" | "text" | "txt" => Encoding::Ascii,
            other => return Err(unsupported(path, format!("encoding {other:?}"))),
        };
        let big_endian = match self.get(&["endian"]) {
            Some("big") => true,
            Some("little") | None => false,
            Some(other) => return Err(malformed(path, format!("endian {other:?}"))),
        };
        let space_directions = match self.get(&["space directions"]) {
            Some(text) => parse_directions(path, text, dimension)?,
            None => vec![None; dimension],
        };
        let space_origin = self
            .get(&["space origin"])
            .map(|t| parse_vector(t).ok_or_else(|| malformed(path, format!("space origin {t:?}"))))
            .transpose()?;
        let spacings = match self.get(&["spacings"]) {
            Some(t) => t
                .split_whitespace()
                .map(|s| s.parse().unwrap_or(f64::NAN))
                .collect(),
            None => Vec::new(),
        };
        let kinds = self
            .get(&["kinds"])
            .map(|t| t.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        let line_skip = self.number(&["line skip", "lineskip"])?.unwrap_or(0).max(0) as usize;
        let byte_skip = self.number(&["byte skip", "byteskip"])?.unwrap_or(0);
        if byte_skip == -1 && encoding != Encoding::Raw {
            return Err(unsupported(path, "byte skip -1 with a compressed encoding"));
        }
        Ok(NrrdHeader {
            pixel_type,
            sizes,
            encoding,
            big_endian,
            space: self.get(&["space"]).map(str::to_string),
            space_directions,
            space_origin,
            spacings,
            kinds,
            key_values,
            data_file: self.get(&["data file", "datafile"]).map(str::to_string),
            line_skip,
            byte_skip,
            data_offset,
        })
    }

    fn number(&self, names: &[&str]) -> Result<Option<i64>> {
        self.get(names)
            .map(|t| {
                t.parse()
                    .map_err(|_| malformed(self.path, format!("{} is not a number", names[0])))
            })
            .transpose()
    }
}

/// Sign flips taking a NRRD `space` to ITK's LPS; `None` for spaces ITK rejects.
fn lps_flip(space: Option<&str>) -> Option<[f64; 3]> {
    let space = space
        .unwrap_or("left-posterior-superior")
        .to_ascii_lowercase();
    match space.trim_end_matches("-time") {
        "right-anterior-superior" | "ras" => Some([-1.0, -1.0, 1.0]),
        "left-anterior-superior" | "las" => Some([1.0, -1.0, 1.0]),
        "left-posterior-superior"
        | "lps"
        | "scanner-xyz"
        | "3d-right-handed"
        | "3d-left-handed" => Some([1.0; 3]),
        _ => None,
    }
}

/// Parses `(a,b,c)`.
fn parse_vector(text: &str) -> Option<[f64; 3]> {
    let inner = text.trim().strip_prefix('(')?.strip_suffix(')')?;
    let values: Vec<f64> = inner
        .split(',')
        .map(|s| s.trim().parse().ok())
        .collect::<Option<_>>()?;
    values.try_into().ok()
}

/// Parses `space directions`: one `(a,b,c)` or `none` per axis.
fn parse_directions(path: &Path, text: &str, dimension: usize) -> Result<Vec<Option<[f64; 3]>>> {
    let dirs = text
        .split_whitespace()
        .map(|tok| {
            if tok == "none" {
                Some(None)
            } else {
                parse_vector(tok).map(Some)
            }
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| malformed(path, format!("space directions {text:?} (need 3-vectors)")))?;
    if dirs.len() != dimension {
        return Err(malformed(
            path,
            format!("{} space directions for dimension {dimension}", dirs.len()),
        ));
    }
    Ok(dirs)
}

/// Maps a NRRD `type` name (all its spellings) to a pixel type; `None` for `block` and unknowns.
fn parse_type(name: &str) -> Option<PixelType> {
    Some(match name.trim() {
        "signed char" | "int8" | "int8_t" => PixelType::I8,
        "uchar" | "unsigned char" | "uint8" | "uint8_t" => PixelType::U8,
        "short" | "short int" | "signed short" | "signed short int" | "int16" | "int16_t" => {
            PixelType::I16
        }
        "ushort" | "unsigned short" | "unsigned short int" | "uint16" | "uint16_t" => {
            PixelType::U16
        }
        "int" | "signed int" | "int32" | "int32_t" => PixelType::I32,
        "uint" | "unsigned int" | "uint32" | "uint32_t" => PixelType::U32,
        "longlong"
        | "long long"
        | "long long int"
        | "signed long long"
        | "signed long long int"
        | "int64"
        | "int64_t" => PixelType::I64,
        "ulonglong" | "unsigned long long" | "unsigned long long int" | "uint64" | "uint64_t" => {
            PixelType::U64
        }
        "float" => PixelType::F32,
        "double" => PixelType::F64,
        _ => return None,
    })
}

/// The canonical NRRD name of a pixel type.
fn type_name(pixel_type: PixelType) -> &'static str {
    match pixel_type {
        PixelType::U8 => "unsigned char",
        PixelType::I8 => "signed char",
        PixelType::U16 => "unsigned short",
        PixelType::I16 => "short",
        PixelType::U32 => "unsigned int",
        PixelType::I32 => "int",
        PixelType::U64 => "unsigned long long",
        PixelType::I64 => "long long",
        PixelType::F32 => "float",
        PixelType::F64 => "double",
    }
}

#[cfg(test)]
mod tests;
