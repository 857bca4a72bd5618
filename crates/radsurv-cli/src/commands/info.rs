//! `radsurv info`: what an image or mask file holds, as SimpleITK would report it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use radsurv_image::regions::MaskFile;
use radsurv_image::{label_counts, nrrd, seg_nrrd, Geometry, Volume};

/// Label maps with at most this many distinct non-zero values get a per-label voxel count.
const MAX_LISTED_LABELS: usize = 64;

/// Arguments of `radsurv info`.
#[derive(clap::Args)]
pub struct Args {
    /// Image or mask: `.nrrd`, `.nhdr`, `.seg.nrrd`, `.nii`, `.nii.gz`, a DICOM series folder, or
    /// a DICOM RTSTRUCT or SEG (`.dcm`).
    pub file: PathBuf,
    /// SeriesInstanceUID to read when a DICOM folder holds several series.
    #[arg(long)]
    pub series: Option<String>,
}

/// Prints size, spacing, origin, direction, pixel type and value range; for label maps the
/// voxel count of each label, for `.seg.nrrd` files each segment with its voxel count; for a
/// DICOM RTSTRUCT or SEG its ROIs or segments (number, name, contours or frames) and the series
/// it references.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    crate::output::print(&describe(&args.file, args.series.as_deref())?)?;
    Ok(ExitCode::SUCCESS)
}

/// The report `run` prints.
fn describe(path: &Path, series: Option<&str>) -> anyhow::Result<String> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".seg.nrrd") {
        return describe_segmentation(path);
    }
    if let Some(file) = dicom_mask(path)? {
        return describe_dicom_mask(path, &file);
    }
    let volume = if path.is_dir() {
        radsurv_image::dicom::read_series(path, series)
    } else {
        radsurv_image::read(path)
    }
    .with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = format!("file:        {}\n", path.display());
    out += &describe_geometry(volume.geometry());
    out += &describe_values(&volume);
    Ok(out)
}

fn describe_segmentation(path: &Path) -> anyhow::Result<String> {
    let header = nrrd::read_header(path)?;
    let geometry = header.geometry(path)?;
    let mut out = format!(
        "file:        {}\nformat:      3D Slicer segmentation\n",
        path.display()
    );
    out += &describe_geometry(&geometry);
    let segments = seg_nrrd::list_segments(path)?;
    writeln!(out, "segments:    {}", segments.len())?;
    for s in &segments {
        let mask = seg_nrrd::read_segment(path, &s.name)?;
        let voxels = label_counts(&mask).values().sum::<usize>();
        writeln!(
            out,
            "  {:>3}  {:<24} label {} layer {}: {voxels} voxels",
            s.index, s.name, s.label_value, s.layer
        )?;
    }
    Ok(out)
}

/// The RTSTRUCT or SEG at `path`; `None` for any other file.
fn dicom_mask(path: &Path) -> anyhow::Result<Option<MaskFile>> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if path.is_dir() || !name.ends_with(".dcm") {
        return Ok(None);
    }
    Ok(Some(MaskFile::open(path)?))
}

fn describe_dicom_mask(path: &Path, file: &MaskFile) -> anyhow::Result<String> {
    let mut out = format!(
        "file:        {}
format:      {}
",
        path.display(),
        file.format()
    );
    let series = file.referenced_series();
    if !series.is_empty() {
        writeln!(out, "references:  series {}", series.join(", "))?;
    }
    let regions = file.regions();
    let word = if matches!(file, MaskFile::RtStruct(_)) {
        "ROIs"
    } else {
        "segments"
    };
    writeln!(
        out,
        "{word}:{:>width$}{}",
        "",
        regions.len(),
        width = 12 - word.len()
    )?;
    for r in &regions {
        writeln!(out, "  {:>3}  {:<24} {}", r.number, r.name, r.extent)?;
    }
    Ok(out)
}

fn describe_geometry(g: &Geometry) -> String {
    let [nx, ny, nz] = g.size;
    let d = g.direction;
    format!(
        "size:        {nx} × {ny} × {nz} ({} voxels)\nspacing:     {} mm\norigin:      {} mm (LPS)\n\
         direction:   [{}; {}; {}]\n",
        g.voxel_count(),
        join(&g.spacing),
        join(&g.origin),
        join(&d[0]),
        join(&d[1]),
        join(&d[2]),
    )
}

fn describe_values(volume: &Volume) -> String {
    let mut out = format!("pixel type:  {}\n", volume.pixel_type().sitk_name());
    match volume.value_range() {
        Some((lo, hi)) => out += &format!("value range: {lo} .. {hi}\n"),
        None => out += "value range: (no values)\n",
    }
    if volume.pixel_type().is_integer() {
        let labels = label_counts(volume);
        if labels.is_empty() {
            out += "labels:      none (every voxel is 0)\n";
        } else if labels.len() <= MAX_LISTED_LABELS {
            out += "labels:\n";
            for (label, count) in labels {
                out += &format!("  {label:>6}: {count} voxels\n");
            }
        }
    }
    out
}

fn join(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_map_report_lists_geometry_and_label_counts() {
        let text = describe(
            &radsurv_testdata::data_path("pyradiomics/images/breast1_label.nrrd"),
            None,
        )
        .unwrap();
        assert!(text.contains("size:        45 × 120 × 21"), "{text}");
        assert!(
            text.contains("pixel type:  16-bit signed integer"),
            "{text}"
        );
        assert!(text.contains("1: 143 voxels"), "{text}");
    }

    #[test]
    fn segmentation_report_lists_segments() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.seg.nrrd");
        let g = Geometry::new([2, 2, 1], [1.0; 3], [0.0; 3]);
        let a = Volume::new(g.clone(), radsurv_image::VoxelData::U8(vec![1, 1, 0, 1])).unwrap();
        let b = Volume::new(g, radsurv_image::VoxelData::U8(vec![0, 0, 1, 0])).unwrap();
        seg_nrrd::write(&p, &[("tumour", &a), ("liver", &b)]).unwrap();
        let text = describe(&p, None).unwrap();
        assert!(
            text.contains("tumour") && text.contains("3 voxels"),
            "{text}"
        );
        assert!(
            text.contains("liver") && text.contains("1 voxels"),
            "{text}"
        );
    }

    #[test]
    fn dicom_masks_list_their_rois_and_segments() {
        let rtstruct = radsurv_testdata::data_path("dicom/STS_019/rtstruct.dcm");
        let text = describe(&rtstruct, None).unwrap();
        assert!(text.contains("format:      DICOM RTSTRUCT"), "{text}");
        assert!(text.contains("ROIs:        1"), "{text}");
        assert!(
            text.contains("GTV_Mass_CT") && text.contains("15 contours"),
            "{text}"
        );
        assert!(text.contains("references:  series "), "{text}");
        let seg = radsurv_testdata::data_path("dicom/STS_019/seg_two_segments.dcm");
        let text = describe(&seg, None).unwrap();
        assert!(text.contains("segments:    2"), "{text}");
        assert!(text.contains("2  GTV core"), "{text}");
    }

    #[test]
    fn unreadable_file_is_an_error_naming_it() {
        let err = describe(Path::new("/nonexistent/x.nrrd"), None).unwrap_err();
        assert!(format!("{err:#}").contains("x.nrrd"));
    }
}
