//! The native module `radsurv._native` of the Python package `radsurv`.
//!
//! This layer only converts: Python values in (parameter documents as JSON text, file paths,
//! voxel buffers with their numpy dtype and geometry), radsurv's results out. Every number is
//! computed by the library crates. Extraction runs with the GIL released, so Python threads
//! extract in parallel. The Python side (`python/radsurv/`) holds the PyRadiomics-shaped API.

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList};
use radsurv_features::yaml::Yaml;
use radsurv_features::{Extractor, FeatureError, FeatureVector, Settings};
use radsurv_image::{mask::Mask, Geometry, Volume, VoxelData};
use std::path::PathBuf;

mod study;

create_exception!(
    _native,
    RadsurvValueError,
    PyValueError,
    "Invalid input or settings; the message is radsurv's and names the file, key or row."
);
create_exception!(
    _native,
    RadsurvOSError,
    PyOSError,
    "A file could not be read or written; the message names it."
);

/// Whether an error is about reaching a file (OSError) rather than about its content.
fn is_io(err: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(err), |e| e.source()).any(|e| e.is::<std::io::Error>())
}

/// The error's message with its causes, each once (as the command line prints it).
fn message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = String::new();
    for cause in std::iter::successors(Some(err), |e| e.source()).map(ToString::to_string) {
        if text.contains(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text
}

/// A radsurv error as the Python exception of its kind, optionally prefixed with context.
fn to_py(err: &(dyn std::error::Error + 'static), context: Option<&str>) -> PyErr {
    let text = match context {
        Some(c) => format!("{c}: {}", message(err)),
        None => message(err),
    };
    if is_io(err) {
        RadsurvOSError::new_err(text)
    } else {
        RadsurvValueError::new_err(text)
    }
}

/// Settings from a parameter document given as JSON (a PyRadiomics parameter dict).
fn settings_from_json(params_json: &str, source_name: &str) -> PyResult<Settings> {
    // JSON is YAML: the parameter-file parser validates the document and names bad keys
    Settings::from_yaml_str(params_json, source_name).map_err(|e| to_py(&e, None))
}

/// Reads and validates a PyRadiomics parameter file; returns its document as Python values (dicts
/// in file order, which is the output order of image types and classes).
#[pyfunction]
fn read_params_file(py: Python<'_>, path: PathBuf) -> PyResult<Py<PyAny>> {
    let doc = Settings::read_params_document(&path).map_err(|e| to_py(&e, None))?;
    yaml_to_py(py, &doc)
}

fn yaml_to_py(py: Python<'_>, node: &Yaml) -> PyResult<Py<PyAny>> {
    Ok(match node {
        Yaml::Null => py.None(),
        Yaml::Bool(b) => PyBool::new(py, *b).to_owned().into_any().unbind(),
        Yaml::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        Yaml::Float(f) => f.into_pyobject(py)?.into_any().unbind(),
        Yaml::Str(s) => s.into_pyobject(py)?.into_any().unbind(),
        Yaml::Seq(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(yaml_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Yaml::Map(entries) => {
            let dict = PyDict::new(py);
            for (key, value) in entries {
                dict.set_item(key, yaml_to_py(py, value)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// Warnings for a parameter document (keys radsurv does not use); raises on invalid values.
#[pyfunction]
fn check_params(params_json: &str, source_name: &str) -> PyResult<Vec<String>> {
    let settings = settings_from_json(params_json, source_name)?;
    Ok(settings.warnings.iter().map(ToString::to_string).collect())
}

/// The feature keys a parameter document produces, in output order.
#[pyfunction]
fn feature_keys(params_json: &str) -> PyResult<Vec<String>> {
    Ok(settings_from_json(params_json, "<params>")?.feature_keys())
}

/// Features and diagnostics of one case: `(features, diagnostics_json)`.
type Extraction = (FeatureVector, String);

/// Extracts the features of an image file and a mask file.
#[pyfunction]
fn extract_files(
    py: Python<'_>,
    params_json: &str,
    image: PathBuf,
    mask: PathBuf,
) -> PyResult<Extraction> {
    let settings = settings_from_json(params_json, "<params>")?;
    py.detach(|| {
        let image_volume = radsurv_image::read(&image).map_err(|e| to_py(&e, None))?;
        let mask_volume = radsurv_image::read(&mask).map_err(|e| to_py(&e, None))?;
        let context = format!("image {}, mask {}", image.display(), mask.display());
        extract_volumes(&settings, &image_volume, &mask_volume, &context)
    })
}

/// A volume handed over from Python as a dict: `data`, the raw voxel bytes of a C-ordered
/// `(z, y, x)` array; `dtype`, numpy's dtype string (`"<f8"`, `"|u1"`, …); and the ITK geometry
/// `size`, `spacing`, `origin`, `direction` (all in x, y, z order).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct ArrayVolume<'py> {
    data: Bound<'py, PyBytes>,
    dtype: String,
    size: [usize; 3],
    spacing: [f64; 3],
    origin: [f64; 3],
    direction: [f64; 9],
}

impl ArrayVolume<'_> {
    /// The volume, its voxels decoded from the bytes (while the caller holds the GIL).
    fn into_volume(self, what: &str) -> PyResult<Volume> {
        let data = voxel_data(self.data.as_bytes(), &self.dtype)
            .ok_or_else(|| RadsurvValueError::new_err(format!(
                "{what}: unsupported array dtype {} (radsurv reads 8- to 64-bit integers and 32- or 64-bit floats)",
                self.dtype
            )))?;
        let d = self.direction;
        let geometry = Geometry {
            size: self.size,
            spacing: self.spacing,
            origin: self.origin,
            direction: [[d[0], d[1], d[2]], [d[3], d[4], d[5]], [d[6], d[7], d[8]]],
        };
        Volume::new(geometry, data).map_err(|e| to_py(&e, Some(what)))
    }
}

/// Little-endian voxel bytes as the pixel type numpy's dtype string names.
fn voxel_data(bytes: &[u8], dtype: &str) -> Option<VoxelData> {
    let code = dtype.trim_start_matches(['<', '|', '=']);
    Some(match code {
        "u1" | "b1" => VoxelData::U8(bytes.to_vec()),
        "i1" => VoxelData::I8(bytes.iter().map(|&b| i8::from_le_bytes([b])).collect()),
        "u2" => VoxelData::U16(decode(bytes, u16::from_le_bytes)?),
        "i2" => VoxelData::I16(decode(bytes, i16::from_le_bytes)?),
        "u4" => VoxelData::U32(decode(bytes, u32::from_le_bytes)?),
        "i4" => VoxelData::I32(decode(bytes, i32::from_le_bytes)?),
        "u8" => VoxelData::U64(decode(bytes, u64::from_le_bytes)?),
        "i8" => VoxelData::I64(decode(bytes, i64::from_le_bytes)?),
        "f4" => VoxelData::F32(decode(bytes, f32::from_le_bytes)?),
        "f8" => VoxelData::F64(decode(bytes, f64::from_le_bytes)?),
        _ => return None,
    })
}

/// Values of `N` little-endian bytes each; `None` when the bytes do not divide evenly.
fn decode<T, const N: usize>(bytes: &[u8], from_le: fn([u8; N]) -> T) -> Option<Vec<T>> {
    if !bytes.len().is_multiple_of(N) {
        return None;
    }
    let chunks = bytes.chunks_exact(N);
    Some(
        chunks
            .map(|c| from_le(c.try_into().unwrap_or([0; N])))
            .collect(),
    )
}

/// Extracts the features of an image and a mask given as arrays with their geometry.
#[pyfunction]
fn extract_arrays(
    py: Python<'_>,
    params_json: &str,
    image: ArrayVolume<'_>,
    mask: ArrayVolume<'_>,
) -> PyResult<Extraction> {
    let settings = settings_from_json(params_json, "<params>")?;
    let image = image.into_volume("image")?;
    let mask = mask.into_volume("mask")?;
    py.detach(|| extract_volumes(&settings, &image, &mask, "arrays"))
}

fn extract_volumes(
    settings: &Settings,
    image: &Volume,
    mask: &Volume,
    context: &str,
) -> PyResult<Extraction> {
    let features = Extractor::new(settings.clone())
        .extract(image, mask)
        .map_err(|e| to_py(&e, Some(context)))?;
    let diagnostics = diagnostics(image, mask, settings).map_err(|e| to_py(&e, Some(context)))?;
    Ok((features, diagnostics.to_string()))
}

/// What radsurv knows about the inputs, as `[name, value]` pairs in PyRadiomics' order and under
/// its diagnostics names (without the `diagnostics_` prefix): image and mask geometry, the ROI's
/// bounding box (lower corner and size, x y z) and voxel count.
fn diagnostics(
    image: &Volume,
    mask: &Volume,
    settings: &Settings,
) -> Result<serde_json::Value, FeatureError> {
    let g = image.geometry();
    let m = mask.geometry();
    let roi = Mask::from_volume(mask, i64::from(settings.label))?;
    let bbox = roi.bounding_box();
    let size = bbox.size();
    let (minimum, maximum) = image.value_range().unwrap_or((f64::NAN, f64::NAN));
    let bounding_box = [
        bbox.lower[0],
        bbox.lower[1],
        bbox.lower[2],
        size[0],
        size[1],
        size[2],
    ];
    Ok(serde_json::json!([
        ["Image-original_Dimensionality", "3D"],
        ["Image-original_Spacing", g.spacing],
        ["Image-original_Size", g.size],
        ["Image-original_Origin", g.origin],
        ["Image-original_Direction", g.direction.concat()],
        ["Image-original_PixelType", image.pixel_type().sitk_name()],
        ["Image-original_Minimum", minimum],
        ["Image-original_Maximum", maximum],
        ["Mask-original_Spacing", m.spacing],
        ["Mask-original_Size", m.size],
        ["Mask-original_BoundingBox", bounding_box],
        ["Mask-original_VoxelNum", roi.count()],
    ]))
}

/// The module: functions the Python package wraps, and its two exception types.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("RadsurvValueError", m.py().get_type::<RadsurvValueError>())?;
    m.add("RadsurvOSError", m.py().get_type::<RadsurvOSError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(read_params_file, m)?)?;
    m.add_function(wrap_pyfunction!(check_params, m)?)?;
    m.add_function(wrap_pyfunction!(feature_keys, m)?)?;
    m.add_function(wrap_pyfunction!(extract_files, m)?)?;
    m.add_function(wrap_pyfunction!(extract_arrays, m)?)?;
    study::register(m)?;
    Ok(())
}
