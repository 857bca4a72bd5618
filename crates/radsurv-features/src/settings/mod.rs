//! Extraction settings, read from PyRadiomics parameter files unchanged.
//!
//! A parameter file has three sections: `imageType` (the image types to compute features on, in
//! output order, each with optional settings that override `setting` for that image type; see
//! [`crate::filters`]), `featureClass` (classes to compute, each with `null`/`[]` for all
//! non-deprecated features or a list of names) and `setting`. `voxelSetting` is accepted and
//! ignored (voxel-based extraction is not supported).
//!
//! # Settings and defaults (PyRadiomics 3.x `_getDefaultSettings` and per-class defaults)
//! | key | default | |
//! |---|---|---|
//! | `minimumROIDimensions` | 2 | 1–3 |
//! | `minimumROISize` | none | voxels, > 0 |
//! | `geometryTolerance` | none (ITK's 1e-6) | > 0 |
//! | `correctMask` | false | |
//! | `label` | 1 | > 0 |
//! | `binWidth` | 25 | > 0 |
//! | `binCount` | none | > 0; overrides `binWidth` |
//! | `normalize`, `normalizeScale`, `removeOutliers` | false, 1, none | |
//! | `resampledPixelSpacing` | none (no resampling) | 3 values ≥ 0 (0 keeps the mask's spacing) |
//! | `interpolator` | `sitkBSpline` | `sitkNearestNeighbor`, `sitkLinear`, `sitkBSpline` (or 1, 2, 3) |
//! | `padDistance` | 5 | ≥ 0, at most `radsurv_image::limits::PAD_DISTANCE` |
//! | `resegmentRange`, `resegmentMode`, `resegmentShape` | none, `absolute`, false | 1 or 2 values |
//! | `preCrop` | false | |
//! | `voxelArrayShift` | 0 | integer |
//! | `distances`, `symmetricalGLCM`, `weightingNorm`, `gldm_a` | `[1]`, true, none, 0 | |
//! | `force2D`, `force2Ddimension` | false, 0 | 0–2 |
//!
//! Validation follows PyRadiomics' `paramSchema.yaml`: an unknown key is a warning (PyRadiomics
//! rejects it; radsurv keeps going but says so), a value of the wrong type or range is an error
//! naming the key. The filter options (`sigma`, `wavelet`, …, see [`crate::filters`]) may stand in
//! `setting` or under their image type, as in PyRadiomics.

use crate::error::{FeatureError, Result};
use crate::filters::{FilterSettings, ImageKind};
use crate::registry::FeatureClass;
use crate::roi::TextureSettings;
use crate::yaml::Yaml;
use std::path::Path;

mod parse;

use parse::Parser;

/// How `resegmentRange` thresholds are interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResegmentMode {
    /// Thresholds are grey values.
    Absolute,
    /// Thresholds are fractions of the ROI maximum.
    Relative,
    /// Thresholds are multiples of the ROI standard deviation around its mean.
    Sigma,
}

/// The interpolator used to resample the image (masks always use nearest neighbour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolator {
    /// `sitkNearestNeighbor`.
    NearestNeighbor,
    /// `sitkLinear`.
    Linear,
    /// `sitkBSpline` (cubic).
    BSpline,
}

/// Features to compute for one class: all non-deprecated ones, or the names listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeatureSelection {
    /// Every non-deprecated feature (`null` or `[]` in the parameter file).
    All,
    /// The features named, in the order given.
    Named(Vec<String>),
}

/// An enabled image type and the settings its `imageType` entry overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageType {
    /// Which image type.
    pub kind: ImageKind,
    /// The entry's own settings, applied over `setting` (validated when parsed).
    overrides: Vec<(String, Yaml)>,
}

impl ImageType {
    /// An image type without own settings.
    pub fn new(kind: ImageKind) -> ImageType {
        ImageType {
            kind,
            overrides: Vec::new(),
        }
    }
}

/// A setting in the parameter file that radsurv did not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingWarning {
    /// The key, e.g. `setting.binwidth`.
    pub key: String,
    /// Why it was not used.
    pub message: String,
}

impl std::fmt::Display for SettingWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

/// Everything that decides the extracted values; `Default` equals PyRadiomics' defaults with all
/// seven classes enabled.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `minimumROIDimensions`.
    pub minimum_roi_dimensions: u8,
    /// `minimumROISize`: extraction fails when the ROI has this many voxels or fewer.
    pub minimum_roi_size: Option<u64>,
    /// `geometryTolerance`: replaces ITK's coordinate and direction tolerance (1e-6).
    pub geometry_tolerance: Option<f64>,
    /// `correctMask`: resample a mismatching mask onto the image grid.
    pub correct_mask: bool,
    /// `label`: mask value of the ROI.
    pub label: u32,
    /// `binWidth`.
    pub bin_width: f64,
    /// `binCount`: fixed bin count, overriding `binWidth` when set.
    pub bin_count: Option<u32>,
    /// `normalize`: z-score the whole image before anything else.
    pub normalize: bool,
    /// `normalizeScale`: factor applied after normalisation.
    pub normalize_scale: f64,
    /// `removeOutliers`: clip normalised values to ±this many standard deviations.
    pub remove_outliers: Option<f64>,
    /// `resampledPixelSpacing` in (x, y, z) order.
    pub resampled_pixel_spacing: Option<[f64; 3]>,
    /// `interpolator`; `None` (YAML `null`) disables resampling.
    pub interpolator: Option<Interpolator>,
    /// `padDistance`: voxels kept around the ROI when resampling or pre-cropping.
    pub pad_distance: u32,
    /// `resegmentRange`: one (lower) or two (lower, upper) thresholds.
    pub resegment_range: Option<Vec<f64>>,
    /// `resegmentMode`.
    pub resegment_mode: ResegmentMode,
    /// `resegmentShape`: compute shape on the re-segmented mask too.
    pub resegment_shape: bool,
    /// `preCrop`: crop to the ROI (plus `padDistance`) before the checks when not resampling.
    pub pre_crop: bool,
    /// `voxelArrayShift`: added to intensities in Energy, TotalEnergy and RootMeanSquared.
    pub voxel_array_shift: f64,
    /// Settings the texture classes read (`distances`, `symmetricalGLCM`, `weightingNorm`,
    /// `gldm_a`, `force2D`, `force2Ddimension`).
    pub texture: TextureSettings,
    /// Enabled classes in output order (shape is always emitted first, as PyRadiomics does).
    pub classes: Vec<(FeatureClass, FeatureSelection)>,
    /// Options of the filtered image types.
    pub filters: FilterSettings,
    /// Enabled image types in output order (default: `Original`).
    pub image_types: Vec<ImageType>,
    /// Keys found in the parameter file but not used.
    pub warnings: Vec<SettingWarning>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            minimum_roi_dimensions: 2,
            minimum_roi_size: None,
            geometry_tolerance: None,
            correct_mask: false,
            label: 1,
            bin_width: 25.0,
            bin_count: None,
            normalize: false,
            normalize_scale: 1.0,
            remove_outliers: None,
            resampled_pixel_spacing: None,
            interpolator: Some(Interpolator::BSpline),
            pad_distance: 5,
            resegment_range: None,
            resegment_mode: ResegmentMode::Absolute,
            resegment_shape: false,
            pre_crop: false,
            voxel_array_shift: 0.0,
            texture: TextureSettings::default(),
            classes: FeatureClass::ALL
                .into_iter()
                .map(|c| (c, FeatureSelection::All))
                .collect(),
            filters: FilterSettings::default(),
            image_types: vec![ImageType::new(ImageKind::Original)],
            warnings: Vec::new(),
        }
    }
}

impl Settings {
    /// Reads a PyRadiomics parameter file (YAML or JSON).
    ///
    /// # Errors
    /// [`FeatureError::ParamsIo`] when unreadable, [`FeatureError::ParamsSyntax`] when not YAML,
    /// [`FeatureError::InvalidSetting`] naming the first invalid key.
    pub fn from_params_file(path: &Path) -> Result<Settings> {
        let text = std::fs::read_to_string(path).map_err(|source| FeatureError::ParamsIo {
            path: path.to_path_buf(),
            source,
        })?;
        Settings::from_yaml_str(&text, &path.display().to_string())
    }

    /// Reads and validates a parameter file, returning its document as written (map order kept),
    /// for callers that present the parameters themselves.
    ///
    /// # Errors
    /// As [`Settings::from_params_file`].
    pub fn read_params_document(path: &Path) -> Result<Yaml> {
        let text = std::fs::read_to_string(path).map_err(|source| FeatureError::ParamsIo {
            path: path.to_path_buf(),
            source,
        })?;
        let source_name = path.display().to_string();
        Settings::from_yaml_str(&text, &source_name)?;
        serde_saphyr::from_str(&text).map_err(|e| FeatureError::ParamsSyntax {
            source_name,
            reason: e.to_string(),
        })
    }

    /// The parameter-file `text` with `setting.label` set to `label`, as YAML: the parameters
    /// of a run that overrides the file's label (`radsurv extract --label`), in the form a
    /// record of them is kept and compared in.
    ///
    /// # Errors
    /// As [`Settings::from_yaml_str`].
    pub fn params_text_with_label(text: &str, source_name: &str, label: u32) -> Result<String> {
        Settings::from_yaml_str(text, source_name)?;
        let syntax = |reason: String| FeatureError::ParamsSyntax {
            source_name: source_name.to_string(),
            reason,
        };
        let doc: Yaml = serde_saphyr::from_str(text).map_err(|e| syntax(e.to_string()))?;
        let mut sections = match doc {
            Yaml::Map(sections) => sections,
            _ => Vec::new(),
        };
        let label = ("label".to_string(), Yaml::Int(i64::from(label)));
        match sections.iter_mut().find(|(key, _)| key == "setting") {
            Some((_, Yaml::Map(settings))) => {
                settings.retain(|(key, _)| key != "label");
                settings.push(label);
            }
            Some((_, other)) => *other = Yaml::Map(vec![label]),
            None => sections.push(("setting".to_string(), Yaml::Map(vec![label]))),
        }
        serde_saphyr::to_string(&Yaml::Map(sections)).map_err(|e| syntax(e.to_string()))
    }

    /// Parses parameter-file text; `source_name` names it in errors and warnings.
    ///
    /// # Errors
    /// As [`Settings::from_params_file`], without the I/O case.
    pub fn from_yaml_str(text: &str, source_name: &str) -> Result<Settings> {
        let doc: Yaml = serde_saphyr::from_str(text).map_err(|e| FeatureError::ParamsSyntax {
            source_name: source_name.to_string(),
            reason: e.to_string(),
        })?;
        let mut parser = Parser {
            source_name,
            settings: Settings::default(),
        };
        parser.document(doc)?;
        let mut settings = parser.settings;
        // Each image type's own entries are parsed here once, so that an invalid one is an
        // error and a doubtful one (an unknown key, a sigma not > 0) a warning of the file.
        let mut override_warnings = Vec::new();
        for image_type in &settings.image_types {
            let typed = settings.with_overrides(image_type, source_name)?;
            override_warnings.extend(typed.warnings.into_iter().skip(settings.warnings.len()));
        }
        settings.warnings.extend(override_warnings);
        Ok(settings)
    }

    /// Output keys, in order, that this configuration produces: shape, then every image type's
    /// images and classes (LoG sigmas too large for an image are left out there at run time).
    pub fn feature_keys(&self) -> Vec<String> {
        let features = self.enabled_features();
        let mut keys: Vec<String> = features
            .iter()
            .filter(|(class, _)| *class == FeatureClass::Shape)
            .map(|(class, name)| class.output_key("original", name))
            .collect();
        for image_type in &self.image_types {
            // overrides were validated when parsed
            let s = self
                .for_image_type(image_type)
                .unwrap_or_else(|_| self.clone());
            let features = s.enabled_features();
            for image in crate::filters::image_names(image_type.kind, &s.filters, s.texture.force2d)
            {
                keys.extend(
                    features
                        .iter()
                        .filter(|(class, _)| *class != FeatureClass::Shape)
                        .map(|(class, name)| class.output_key(&image, name)),
                );
            }
        }
        keys
    }

    /// The settings of one image type: these settings with the type's own entries applied.
    ///
    /// # Errors
    /// [`FeatureError::InvalidSetting`] for an invalid override (parsing rejects those already).
    pub fn for_image_type(&self, image_type: &ImageType) -> Result<Settings> {
        self.with_overrides(image_type, "imageType")
    }

    fn with_overrides(&self, image_type: &ImageType, source_name: &str) -> Result<Settings> {
        if image_type.overrides.is_empty() {
            return Ok(self.clone());
        }
        let mut parser = Parser {
            source_name,
            settings: self.clone(),
        };
        let key = format!("imageType.{}", image_type.kind.key());
        parser.settings_map(&key, Yaml::Map(image_type.overrides.clone()))?;
        Ok(parser.settings)
    }

    /// Enabled `(class, feature)` pairs in output order: shape first, then the other classes in
    /// parameter-file order; named deprecated texture features are left out as PyRadiomics does.
    pub fn enabled_features(&self) -> Vec<(FeatureClass, &str)> {
        let shape_first = self
            .classes
            .iter()
            .filter(|(c, _)| *c == FeatureClass::Shape)
            .chain(
                self.classes
                    .iter()
                    .filter(|(c, _)| *c != FeatureClass::Shape),
            );
        let mut out = Vec::new();
        for (class, selection) in shape_first {
            match selection {
                FeatureSelection::All => {
                    out.extend(class.default_features().into_iter().map(|f| (*class, f)))
                }
                FeatureSelection::Named(names) => {
                    for name in names {
                        let feature = class.features().iter().find(|f| f.name == name);
                        if let Some(f) = feature {
                            if !f.deprecated || class.computes_deprecated() {
                                out.push((*class, f.name));
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
