//! The extraction pipeline of PyRadiomics' `RadiomicsFeatureExtractor.execute()`.
//!
//! 1. The mask must hold the label (`getMask`).
//! 2. Optional `normalize` over the whole image.
//! 3. Resampling when `interpolator` and `resampledPixelSpacing` are set (grid from the mask's
//!    bounding box plus `padDistance`, see `radsurv_image::resample`).
//! 4. `checkMask`: same physical space (ITK tolerance), bounding box, `minimumROIDimensions`,
//!    `minimumROISize`.
//! 5. Optional re-segmentation (`resegmentRange`/`resegmentMode`), then `checkMask` again.
//! 6. Shape on the bounding-box crop of the mask (the original one unless `resegmentShape`; as in
//!    PyRadiomics the crop is the re-segmented bounding box).
//! 7. For each enabled image type (with its own settings), the filtered images of the prepared
//!    image (see [`crate::filters`]); discretisation and the other classes on the bounding-box
//!    crop of the (re-segmented) ROI of each.
//!
//! Output keys are `<image>_<class>_<Feature>`: `original_shape_…` first, then per image type and
//! derived image the classes in parameter-file order (PyRadiomics' default order without one),
//! features in PyRadiomics' order. Shape, the image types, their images and the classes of an
//! image are computed in parallel; the values do not depend on the thread count.

use crate::discretise::{bin_edges, bin_of, check_grey_levels, Binning};
use crate::error::{FeatureError, Result};
use crate::filters::{self, FilterInput, ImageKind};
use crate::firstorder::{self, FirstOrderInput};
use crate::preprocess::{self, Crop};
use crate::registry::FeatureClass;
use crate::roi::DiscretisedRoi;
use crate::settings::{ImageType, Interpolator, Settings};
use crate::{glcm, gldm, glrlm, glszm, ngtdm, shape};
use radsurv_image::mask::{check_geometry, Mask, DEFAULT_GEOMETRY_TOLERANCE};
use radsurv_image::resample::{
    correct_mask, resample_image_and_mask, Interpolator as ImageInterpolator, ResampleSettings,
};
use radsurv_image::Volume;
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::Path;

/// Named feature values in output order.
pub type FeatureVector = Vec<(String, f64)>;

/// Extracts PyRadiomics features with fixed settings; cheap to share between threads.
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    settings: Settings,
}

impl Extractor {
    /// An extractor with these settings.
    pub fn new(settings: Settings) -> Self {
        Extractor { settings }
    }

    /// An extractor configured by a PyRadiomics parameter file.
    ///
    /// # Errors
    /// As [`Settings::from_params_file`].
    pub fn from_params_file(path: &Path) -> Result<Self> {
        Settings::from_params_file(path).map(Extractor::new)
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Runs the pipeline on an image and its mask.
    ///
    /// # Errors
    /// Mask without the label, geometry mismatch, ROI too small or too thin, resampling errors,
    /// non-finite intensities in the ROI: each as its [`FeatureError`] variant.
    pub fn extract(&self, image: &Volume, mask: &Volume) -> Result<FeatureVector> {
        self.run(Cow::Borrowed(image), Cow::Borrowed(mask))
    }

    /// [`Extractor::extract`] on an image and mask the caller no longer needs: each is released
    /// as soon as the pipeline has replaced it (by the normalised or resampled image, by the ROI
    /// read off the label map), so it does not add to the memory the filters and classes use.
    ///
    /// # Errors
    /// As [`Extractor::extract`].
    pub fn extract_owned(&self, image: Volume, mask: Volume) -> Result<FeatureVector> {
        self.run(Cow::Owned(image), Cow::Owned(mask))
    }

    fn run(&self, image: Cow<Volume>, mask: Cow<Volume>) -> Result<FeatureVector> {
        let s = &self.settings;
        let label = i64::from(s.label);
        let image = normalized(image, s)?;
        let (image, mask) = on_grid(image, mask, s)?;
        let tolerance = s.geometry_tolerance.unwrap_or(DEFAULT_GEOMETRY_TOLERANCE);
        let corrected = match check_geometry(image.geometry(), mask.geometry(), tolerance) {
            Ok(()) => None,
            Err(_) if s.correct_mask => Some(correct_mask(image.geometry(), &mask, label)?),
            Err(e) => return Err(e.into()),
        };
        // one pass over the (possibly resampled or corrected) label map; resampling has already
        // checked the label on the full-size map
        let roi = Mask::from_volume(corrected.as_ref().unwrap_or(&mask), label)?;
        drop((mask, corrected));
        preprocess::check_roi(&roi.bounding_box(), roi.count(), s)?;
        let crop = Crop::new(&image, &roi);
        drop(roi);
        let image = &*image;
        let resegmented = match &s.resegment_range {
            None => None,
            Some(range) => Some(resegmented_crops(&crop, range, s)?),
        };
        let (shape_crop, class_crop) = match &resegmented {
            None => (&crop, &crop),
            Some((shape_crop, class_crop)) => (shape_crop, class_crop),
        };
        let spacing = image.geometry().spacing;
        let spacing_zyx = [spacing[2], spacing[1], spacing[0]];
        let features = s.enabled_features();
        let wants_shape = features.iter().any(|(c, _)| *c == FeatureClass::Shape);
        // shape reads only the mask, so it runs beside the image types
        let (shape_values, per_type) = rayon::join(
            || wants_shape.then(|| shape::compute(shape_crop.dims, &shape_crop.roi, spacing_zyx)),
            || {
                s.image_types
                    .par_iter()
                    .map(|image_type| {
                        image_type_features(image_type, image, class_crop, spacing_zyx, s)
                    })
                    .collect::<Vec<Result<FeatureVector>>>()
            },
        );
        let mut out = FeatureVector::new();
        if let Some(values) = shape_values {
            out.extend(named_values(
                "original",
                FeatureClass::Shape,
                &features,
                &values,
            ));
        }
        for features in per_type {
            out.extend(features?);
        }
        Ok(out)
    }
}

/// Reads image and mask files and extracts their features: the per-case entry point for callers
/// that do not need the CLI.
///
/// # Errors
/// Reading errors of either file, then as [`Extractor::extract`].
pub fn extract_case(
    image_path: &Path,
    mask_path: &Path,
    settings: &Settings,
) -> Result<FeatureVector> {
    let image = radsurv_image::read(image_path)?;
    let mask = radsurv_image::read(mask_path)?;
    Extractor::new(settings.clone()).extract_owned(image, mask)
}

/// The image after `normalize` (the input itself without it).
fn normalized<'a>(image: Cow<'a, Volume>, s: &Settings) -> Result<Cow<'a, Volume>> {
    if s.normalize {
        Ok(Cow::Owned(preprocess::normalize(&image, s)?))
    } else {
        Ok(image)
    }
}

/// Image and mask on the grid the features are computed on: resampled when the settings ask
/// for it (the inputs are dropped here), else the inputs.
fn on_grid<'a>(
    image: Cow<'a, Volume>,
    mask: Cow<'a, Volume>,
    s: &Settings,
) -> Result<(Cow<'a, Volume>, Cow<'a, Volume>)> {
    Ok(match prepare_grid(&image, &mask, s)? {
        Some((image, mask)) => (Cow::Owned(image), Cow::Owned(mask)),
        None => (image, mask),
    })
}

/// Resampled image and mask, or `None` to use the inputs as they are.
///
/// `preCrop` needs no step here: it only saves PyRadiomics work, and radsurv reads nothing but the
/// ROI bounding box anyway.
fn prepare_grid(image: &Volume, mask: &Volume, s: &Settings) -> Result<Option<(Volume, Volume)>> {
    match (s.interpolator, s.resampled_pixel_spacing) {
        (Some(interpolator), Some(spacing)) => {
            let settings = ResampleSettings {
                spacing,
                interpolator: match interpolator {
                    Interpolator::NearestNeighbor => ImageInterpolator::NearestNeighbor,
                    Interpolator::Linear => ImageInterpolator::Linear,
                    Interpolator::BSpline => ImageInterpolator::BSpline,
                },
                pad_distance: s.pad_distance as usize,
                label: i64::from(s.label),
                ..ResampleSettings::default()
            };
            let resampled = resample_image_and_mask(image, mask, &settings)?;
            Ok(Some(resampled))
        }
        _ => Ok(None),
    }
}

/// Shape crop and class crop after re-segmentation; both use the re-segmented bounding box.
fn resegmented_crops(crop: &Crop, range: &[f64], s: &Settings) -> Result<(Crop, Crop)> {
    let mask = preprocess::resegment(crop, range, s.resegment_mode)?;
    let (bbox, count) = crop
        .bounds_of(&mask)
        .ok_or(FeatureError::ResegmentedAway { retained: 0 })?;
    preprocess::check_roi(&bbox, count, s)?;
    let shape_mask = if s.resegment_shape { &mask } else { &crop.roi };
    Ok((
        crop.sub_crop(shape_mask, &bbox),
        crop.sub_crop(&mask, &bbox),
    ))
}

/// The features of every image one image type derives, in PyRadiomics' order: each image's
/// features are computed as soon as the filter completes it (see [`filters::derive`]).
fn image_type_features(
    image_type: &ImageType,
    image: &Volume,
    class_crop: &Crop,
    spacing_zyx: [f64; 3],
    s: &Settings,
) -> Result<FeatureVector> {
    let ts = s.for_image_type(image_type)?;
    let kind = image_type.kind;
    if kind == ImageKind::Original {
        let values = Cow::Borrowed(class_crop.values.as_slice());
        return image_features("original", values, class_crop, spacing_zyx, &ts);
    }
    let input = FilterInput {
        image,
        region: class_crop.image_box(),
        roi: &class_crop.roi,
        force2d: ts.texture.force2d,
        force2d_dimension: ts.texture.force2d_dimension,
    };
    let per_image = filters::derive(kind, &input, &ts.filters, &|name, values| {
        image_features(name, Cow::Owned(values), class_crop, spacing_zyx, &ts)
    })?;
    let mut out = FeatureVector::new();
    for features in per_image {
        out.extend(features?);
    }
    Ok(out)
}

/// `<image>_<class>_<feature>` for the enabled features of `class`, from the class's values.
fn named_values(
    image: &str,
    class: FeatureClass,
    features: &[(FeatureClass, &str)],
    values: &[f64],
) -> FeatureVector {
    features
        .iter()
        .filter(|(c, _)| *c == class)
        .filter_map(|(_, name)| {
            let i = class.features().iter().position(|f| f.name == *name)?;
            Some((class.output_key(image, name), values[i]))
        })
        .collect()
}

/// Every enabled non-shape class on one (derived) image `name` with intensities `values` on the
/// class crop's box, in the settings' class order; the classes run in parallel.
///
/// The classes read only the discretised ROI, so an image handed over (a filter's) is released
/// once it is discretised: its memory then serves the classes' own buffers instead of adding to
/// them.
fn image_features(
    name: &str,
    values: Cow<[f64]>,
    class_crop: &Crop,
    spacing_zyx: [f64; 3],
    s: &Settings,
) -> Result<FeatureVector> {
    let cache = ClassCache::new(&values, class_crop, spacing_zyx, s).map_err(|e| match e {
        FeatureError::NonFiniteIntensity if name != "original" => FeatureError::NonFiniteFiltered {
            image: name.to_string(),
        },
        other => other,
    })?;
    drop(values);
    let features = s.enabled_features();
    let mut classes: Vec<FeatureClass> = Vec::new();
    for (class, _) in &features {
        if *class != FeatureClass::Shape && !classes.contains(class) {
            classes.push(*class);
        }
    }
    let values: Vec<Vec<f64>> = classes
        .par_iter()
        .map(|&class| cache.compute(class, &class.wanted(&features), s))
        .collect();
    Ok(classes
        .iter()
        .zip(&values)
        .flat_map(|(&class, v)| named_values(name, class, &features, v))
        .collect())
}

/// The discretised ROI of one image, shared by its classes.
struct ClassCache {
    spacing_zyx: [f64; 3],
    /// Intensities of the ROI voxels in scan order.
    roi_values: Vec<f64>,
    /// Grey levels of the same voxels, in the same order.
    roi_levels: Vec<u32>,
    roi: DiscretisedRoi,
}

impl ClassCache {
    /// Discretises `values` (intensities on the crop's box) inside the crop's ROI; every pass runs
    /// in parallel and keeps array order, so the result does not depend on the thread count.
    fn new(values: &[f64], crop: &Crop, spacing_zyx: [f64; 3], s: &Settings) -> Result<Self> {
        let roi_values: Vec<f64> = values
            .par_iter()
            .zip(&crop.roi)
            .filter(|(_, &m)| m)
            .map(|(&v, _)| v)
            .collect();
        if roi_values.par_iter().any(|v| !v.is_finite()) {
            return Err(FeatureError::NonFiniteIntensity);
        }
        let binning = match s.bin_count {
            Some(count) => Binning::Count(count),
            None => Binning::Width(s.bin_width),
        };
        check_grey_levels(&roi_values, binning)?;
        let edges = bin_edges(&roi_values, binning);
        let levels: Vec<u32> = values
            .par_iter()
            .zip(&crop.roi)
            .map(|(&v, &m)| if m { bin_of(&edges, v) } else { 0 })
            .collect();
        let roi_levels = levels
            .par_iter()
            .zip(&crop.roi)
            .filter(|(_, &m)| m)
            .map(|(&l, _)| l)
            .collect();
        let roi = DiscretisedRoi::new(crop.dims, levels, crop.roi.clone(), spacing_zyx);
        Ok(ClassCache {
            spacing_zyx,
            roi_values,
            roi_levels,
            roi,
        })
    }

    /// The values of `class` aligned with its feature list; texture classes compute only the
    /// `wanted` features (NaN for the others, which the output leaves out).
    fn compute(&self, class: FeatureClass, wanted: &[bool], s: &Settings) -> Vec<f64> {
        match class {
            FeatureClass::Shape => Vec::new(), // computed once per case, on the shape crop
            FeatureClass::FirstOrder => firstorder::compute(&FirstOrderInput {
                values: &self.roi_values,
                levels: &self.roi_levels,
                voxel_array_shift: s.voxel_array_shift,
                voxel_volume: self.spacing_zyx[2] * self.spacing_zyx[1] * self.spacing_zyx[0],
            }),
            FeatureClass::Glcm => glcm::compute(&self.roi, &s.texture, wanted),
            FeatureClass::Gldm => gldm::compute(&self.roi, &s.texture, wanted),
            FeatureClass::Glrlm => glrlm::compute(&self.roi, &s.texture, wanted),
            FeatureClass::Glszm => glszm::compute(&self.roi, &s.texture, wanted),
            FeatureClass::Ngtdm => ngtdm::compute(&self.roi, &s.texture, wanted),
        }
    }
}
