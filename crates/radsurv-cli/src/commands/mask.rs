//! `radsurv mask`: one region of any mask file, written on the image grid as a uint8 mask
//! (1 inside) that 3D Slicer and every other tool reads.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use radsurv_image::regions::{Image, MaskFile};
use radsurv_image::{Volume, VoxelData};

/// Arguments of `radsurv mask`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Image whose grid the mask is written on (NRRD, NIfTI or a DICOM folder).
    #[arg(long)]
    image: PathBuf,
    /// Mask: label map, `.seg.nrrd`, DICOM RTSTRUCT or DICOM-SEG.
    #[arg(long)]
    mask: PathBuf,
    /// ROI or segment name or number (required when the file holds several).
    #[arg(long, visible_alias = "roi", conflicts_with = "label")]
    segment: Option<String>,
    /// Label value of a label map; 0 is the background, not a label.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    label: Option<u32>,
    /// Output `.nii.gz`, `.nii` or `.nrrd`.
    #[arg(long)]
    out: PathBuf,
}

/// Writes the chosen region's mask.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    crate::output::refuse_overwriting_inputs(&args.out, &[&args.image, &args.mask], None)?;
    let image = Image::read(&args.image)?;
    let file = MaskFile::open(&args.mask)?;
    let wanted = args.label.map(|l| l.to_string()).or(args.segment);
    let region = file.select(wanted.as_deref(), &args.mask)?;
    let mask = file.mask(&region, &image)?;
    let inside = |v: usize| u8::from(mask.volume.data().get_f64(v) as i64 == mask.label);
    let voxels: Vec<u8> = (0..mask.volume.geometry().voxel_count())
        .map(inside)
        .collect();
    let out = Volume::new(mask.volume.geometry().clone(), VoxelData::U8(voxels))?;
    let name = args.out.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".nrrd") {
        radsurv_image::nrrd::write(&args.out, &out)?;
    } else if name.ends_with(".nii") || name.ends_with(".nii.gz") {
        radsurv_image::nifti::write(&args.out, &out)?;
    } else {
        bail!(
            "--out {}: expected .nii.gz, .nii or .nrrd",
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
