//! 3D Slicer segmentation files (`.seg.nrrd`): segments by name, one binary mask each.
//!
//! A `.seg.nrrd` is a NRRD whose voxels are label values, either 3D (one layer) or 4D with a
//! leading `list` axis of layers. Each segment `N` is described by key/value pairs:
//! `Segment<N>_ID`, `Segment<N>_Name`, `Segment<N>_LabelValue` (default 1) and `Segment<N>_Layer`
//! (default 0, or `N` in the older one-layer-per-segment files that have no `_Layer`). A voxel
//! belongs to the segment when its value in the segment's layer equals the label value.

use std::path::Path;

use super::nrrd;
use crate::error::malformed;
use crate::{Geometry, ImageError, Result, Volume, VoxelData};

/// One segment of a `.seg.nrrd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// `N` in `Segment<N>_…`.
    pub index: usize,
    /// `Segment<N>_ID`.
    pub id: String,
    /// `Segment<N>_Name`.
    pub name: String,
    /// `Segment<N>_LabelValue`.
    pub label_value: i64,
    /// `Segment<N>_Layer`.
    pub layer: usize,
}

/// The segments a `.seg.nrrd` declares, in index order.
///
/// # Errors
/// The NRRD header's errors; [`ImageError::Malformed`] for a non-numeric label value or layer.
pub fn list_segments(path: impl AsRef<Path>) -> Result<Vec<Segment>> {
    let path = path.as_ref();
    segments_of(path, &nrrd::read_header(path)?)
}

/// The binary (`U8`, 0/1) mask of the segment named `name`.
///
/// # Errors
/// [`ImageError::InvalidSetting`] (naming the segments present) when no segment has that name;
/// [`ImageError::Malformed`] when its layer does not exist; the NRRD reader's errors.
pub fn read_segment(path: impl AsRef<Path>, name: &str) -> Result<Volume> {
    let path = path.as_ref();
    let (header, data) = nrrd::read_parts(path)?;
    let segments = segments_of(path, &header)?;
    let segment = segments.iter().find(|s| s.name == name).ok_or_else(|| {
        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
        ImageError::InvalidSetting {
            reason: format!("no segment named {name:?} (segments: {names:?})"),
        }
        .in_file(path)
    })?;
    let geometry = header.geometry(path)?;
    let layers = layer_count(&header, &geometry);
    if segment.layer >= layers {
        return Err(malformed(
            path,
            format!("segment {name:?} is on layer {} of {layers}", segment.layer),
        ));
    }
    let mask = (0..geometry.voxel_count())
        .map(|v| u8::from(data.get_f64(segment.layer + layers * v) as i64 == segment.label_value))
        .collect();
    Volume::new(geometry, VoxelData::U8(mask))
}

/// Writes binary masks (non-zero = inside) on one grid as a layered `.seg.nrrd`, one layer per
/// segment with label value 1, readable by 3D Slicer and [`read_segment`].
///
/// # Errors
/// [`ImageError::GeometryMismatch`] when the masks' grids differ; [`ImageError::Io`].
pub fn write(path: impl AsRef<Path>, segments: &[(&str, &Volume)]) -> Result<()> {
    let path = path.as_ref();
    let Some((_, first)) = segments.first() else {
        return Err(ImageError::InvalidSetting {
            reason: "no segments to write".into(),
        }
        .in_file(path));
    };
    let geometry: &Geometry = first.geometry();
    for (_, v) in segments {
        crate::check_geometry(
            geometry,
            v.geometry(),
            crate::mask::DEFAULT_GEOMETRY_TOLERANCE,
        )
        .map_err(|e| e.in_file(path))?;
    }
    let layers = segments.len();
    let mut values = vec![0u8; layers * geometry.voxel_count()];
    for (layer, (_, v)) in segments.iter().enumerate() {
        for i in 0..geometry.voxel_count() {
            values[layer + layers * i] = u8::from(v.data().get_f64(i) != 0.0);
        }
    }
    let mut key_values = Vec::new();
    for (n, (name, _)) in segments.iter().enumerate() {
        key_values.push((format!("Segment{n}_ID"), format!("Segment_{}", n + 1)));
        key_values.push((format!("Segment{n}_Name"), name.to_string()));
        key_values.push((format!("Segment{n}_LabelValue"), "1".into()));
        key_values.push((format!("Segment{n}_Layer"), n.to_string()));
    }
    nrrd::write_with_key_values(
        path,
        geometry,
        &VoxelData::U8(values),
        &[layers],
        &key_values,
    )
}

/// Number of layers: the size of the non-spatial axis (1 for a 3D label map).
fn layer_count(header: &nrrd::NrrdHeader, geometry: &Geometry) -> usize {
    (header.value_count() / geometry.voxel_count().max(1) as u64) as usize
}

fn segments_of(path: &Path, header: &nrrd::NrrdHeader) -> Result<Vec<Segment>> {
    let has_layers = header.key_values.iter().any(|(k, _)| k.ends_with("_Layer"));
    let mut segments = Vec::new();
    for n in 0.. {
        let Some(name) = header.key_value(&format!("Segment{n}_Name")) else {
            break;
        };
        let number = |field: &str, default: i64| -> Result<i64> {
            match header.key_value(&format!("Segment{n}_{field}")) {
                None => Ok(default),
                Some(t) => t.trim().parse().map_err(|_| {
                    malformed(path, format!("Segment{n}_{field} = {t:?} is not a number"))
                }),
            }
        };
        let layer = number("Layer", if has_layers { 0 } else { n as i64 })?;
        segments.push(Segment {
            index: n,
            id: header
                .key_value(&format!("Segment{n}_ID"))
                .unwrap_or_default()
                .to_string(),
            name: name.to_string(),
            label_value: number("LabelValue", 1)?,
            layer: usize::try_from(layer)
                .map_err(|_| malformed(path, format!("Segment{n}_Layer < 0")))?,
        });
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binary(values: &[u8]) -> Volume {
        Volume::new(
            Geometry::new([2, 2, 1], [0.5, 0.5, 2.0], [1.0, 2.0, 3.0]),
            VoxelData::U8(values.to_vec()),
        )
        .unwrap()
    }

    #[test]
    fn two_overlapping_segments_read_back_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.seg.nrrd");
        let (tumour, lung) = (binary(&[1, 0, 0, 1]), binary(&[1, 1, 0, 0]));
        write(&p, &[("tumour", &tumour), ("lung", &lung)]).unwrap();
        let names: Vec<String> = list_segments(&p)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["tumour", "lung"]);
        assert_eq!(read_segment(&p, "tumour").unwrap(), tumour);
        assert_eq!(read_segment(&p, "lung").unwrap(), lung);
        let err = read_segment(&p, "heart").unwrap_err();
        assert!(err.to_string().contains("heart"), "{err}");
    }

    #[test]
    fn single_layer_label_map_uses_label_values() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.seg.nrrd");
        let labels = Volume::new(
            Geometry::new([2, 2, 1], [1.0; 3], [0.0; 3]),
            VoxelData::U8(vec![0, 1, 2, 2]),
        )
        .unwrap();
        let kv: Vec<(String, String)> = [
            ("Segment0_Name", "a"),
            ("Segment0_LabelValue", "1"),
            ("Segment0_Layer", "0"),
            ("Segment1_Name", "b"),
            ("Segment1_LabelValue", "2"),
            ("Segment1_Layer", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        nrrd::write_with_key_values(&p, labels.geometry(), labels.data(), &[], &kv).unwrap();
        assert_eq!(
            read_segment(&p, "b").unwrap().data(),
            &VoxelData::U8(vec![0, 0, 1, 1])
        );
    }
}
