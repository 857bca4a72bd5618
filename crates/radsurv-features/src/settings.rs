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
//! | `padDistance` | 5 | ≥ 0 |
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
use crate::filters::{FilterSettings, ImageKind, Lbp2dMethod, Sigma};
use crate::registry::FeatureClass;
use crate::roi::TextureSettings;
use crate::yaml::Yaml;
use std::path::Path;

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

/// Keys PyRadiomics accepts that only affect its diagnostics or vector masks.
const UNUSED_PYRADIOMICS_KEYS: &[&str] = &["additionalInfo", "label_channel"];

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
        let settings = parser.settings;
        for image_type in &settings.image_types {
            settings.with_overrides(image_type, source_name)?;
        }
        Ok(settings)
    }

    /// Output keys, in order, that this configuration produces: shape, then every image type's
    /// images and classes (LoG sigmas too large for an image are left out there at run time).
    pub fn feature_keys(&self) -> Vec<String> {
        let features = self.enabled_features();
        let mut keys: Vec<String> = features
            .iter()
            .filter(|(class, _)| *class == FeatureClass::Shape)
            .map(|(class, name)| format!("original_{}_{name}", class.key()))
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
                        .map(|(class, name)| format!("{image}_{}_{name}", class.key())),
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

/// Walks the parsed document, filling [`Settings`].
struct Parser<'a> {
    source_name: &'a str,
    settings: Settings,
}

impl Parser<'_> {
    fn invalid(&self, key: &str, reason: impl Into<String>) -> FeatureError {
        FeatureError::InvalidSetting {
            source_name: self.source_name.to_string(),
            key: key.to_string(),
            reason: reason.into(),
        }
    }

    fn warn(&mut self, key: &str, message: &str) {
        self.settings.warnings.push(SettingWarning {
            key: key.to_string(),
            message: message.to_string(),
        });
    }

    fn document(&mut self, doc: Yaml) -> Result<()> {
        let entries = match doc {
            Yaml::Map(entries) => entries,
            Yaml::Null => return Ok(()),
            other => {
                return Err(self.invalid(
                    "<document>",
                    format!("expected a mapping, found {}", other.kind()),
                ))
            }
        };
        for (key, value) in entries {
            match key.as_str() {
                "imageType" => self.image_types(value)?,
                "featureClass" => self.feature_classes(value)?,
                "setting" => self.settings_map("setting", value)?,
                "voxelSetting" => self.warn(
                    "voxelSetting",
                    "voxel-based extraction is not supported; ignored",
                ),
                _ => self.warn(&key, "unknown section; ignored"),
            }
        }
        Ok(())
    }

    fn image_types(&mut self, value: Yaml) -> Result<()> {
        let entries = match value {
            Yaml::Map(entries) => entries,
            Yaml::Null => return Err(self.invalid("imageType", "cannot be null")),
            other => {
                return Err(self.invalid(
                    "imageType",
                    format!("expected a mapping, found {}", other.kind()),
                ))
            }
        };
        if entries.is_empty() {
            return Ok(()); // PyRadiomics: an empty imageType means Original.
        }
        let mut image_types = Vec::new();
        for (name, custom) in entries {
            let key = format!("imageType.{name}");
            let Some(kind) = ImageKind::from_key(&name) else {
                return Err(self.invalid(
                    &key,
                    format!(
                        "unknown image type (PyRadiomics has {})",
                        ImageKind::ALL.map(ImageKind::key).join(", ")
                    ),
                ));
            };
            let overrides = match custom {
                Yaml::Null => Vec::new(),
                Yaml::Map(entries) => entries,
                other => {
                    return Err(
                        self.invalid(&key, format!("expected a mapping, found {}", other.kind()))
                    )
                }
            };
            image_types.push(ImageType { kind, overrides });
        }
        self.settings.image_types = image_types;
        Ok(())
    }

    fn feature_classes(&mut self, value: Yaml) -> Result<()> {
        let entries = match value {
            Yaml::Map(entries) => entries,
            Yaml::Null => return Err(self.invalid("featureClass", "cannot be null")),
            other => {
                return Err(self.invalid(
                    "featureClass",
                    format!("expected a mapping, found {}", other.kind()),
                ))
            }
        };
        if entries.is_empty() {
            return Ok(()); // PyRadiomics: no classes listed means all classes.
        }
        let mut classes = Vec::new();
        for (name, features) in entries {
            let key = format!("featureClass.{name}");
            let Some(class) = FeatureClass::from_key(&name) else {
                return Err(self.invalid(
                    &key,
                    "unknown or unsupported feature class (radsurv has shape, firstorder, glcm, gldm, glrlm, glszm, ngtdm)",
                ));
            };
            let selection = self.feature_selection(&key, class, features)?;
            classes.push((class, selection));
        }
        self.settings.classes = classes;
        Ok(())
    }

    fn feature_selection(
        &mut self,
        key: &str,
        class: FeatureClass,
        features: Yaml,
    ) -> Result<FeatureSelection> {
        let items = match features {
            Yaml::Null => return Ok(FeatureSelection::All),
            Yaml::Seq(items) if items.is_empty() => return Ok(FeatureSelection::All),
            Yaml::Seq(items) => items,
            other => {
                return Err(self.invalid(
                    key,
                    format!("expected a list of feature names, found {}", other.kind()),
                ))
            }
        };
        let mut names = Vec::new();
        for item in items {
            let Yaml::Str(name) = item else {
                return Err(self.invalid(
                    key,
                    format!("feature names must be strings, found {}", item.kind()),
                ));
            };
            match class.features().iter().find(|f| f.name == name) {
                None => return Err(self.invalid(key, format!("unknown feature {name:?}"))),
                Some(f) if f.deprecated && !class.computes_deprecated() => self.warn(
                    key,
                    &format!("{name} is deprecated and not computed (as in PyRadiomics)"),
                ),
                Some(f) if f.deprecated => {
                    self.warn(key, &format!("{name} is deprecated, use with caution"))
                }
                Some(_) => {}
            }
            names.push(name);
        }
        Ok(FeatureSelection::Named(names))
    }

    fn settings_map(&mut self, section: &str, value: Yaml) -> Result<()> {
        let entries = match value {
            Yaml::Map(entries) => entries,
            Yaml::Null => return Ok(()),
            other => {
                return Err(self.invalid(
                    section,
                    format!("expected a mapping, found {}", other.kind()),
                ))
            }
        };
        for (name, value) in entries {
            let key = format!("{section}.{name}");
            self.setting(&key, &name, value)?;
        }
        Ok(())
    }

    fn setting(&mut self, key: &str, name: &str, value: Yaml) -> Result<()> {
        match name {
            "minimumROIDimensions" => {
                let v = int_in(self, key, &value, 1, 3)?;
                self.settings.minimum_roi_dimensions = v as u8;
            }
            "minimumROISize" => {
                self.settings.minimum_roi_size =
                    optional(&value, |v| int_in(self, key, v, 1, i64::MAX))?.map(|v| v as u64)
            }
            "geometryTolerance" => {
                self.settings.geometry_tolerance = optional(&value, |v| positive(self, key, v))?
            }
            "correctMask" => self.settings.correct_mask = boolean(self, key, &value)?,
            "label" => self.settings.label = int_in(self, key, &value, 1, u32::MAX as i64)? as u32,
            "binWidth" => self.settings.bin_width = positive(self, key, &value)?,
            "binCount" => {
                self.settings.bin_count =
                    optional(&value, |v| int_in(self, key, v, 1, u32::MAX as i64))?
                        .map(|v| v as u32)
            }
            "normalize" => self.settings.normalize = boolean(self, key, &value)?,
            "normalizeScale" => self.settings.normalize_scale = positive(self, key, &value)?,
            "removeOutliers" => {
                self.settings.remove_outliers = optional(&value, |v| positive(self, key, v))?
            }
            "resampledPixelSpacing" => {
                self.settings.resampled_pixel_spacing = optional(&value, |v| spacing(self, key, v))?
            }
            "interpolator" => {
                self.settings.interpolator = optional(&value, |v| interpolator(self, key, v))?
            }
            "padDistance" => {
                self.settings.pad_distance = int_in(self, key, &value, 0, u32::MAX as i64)? as u32
            }
            "distances" => self.settings.texture.distances = distances(self, key, &value)?,
            "force2D" => self.settings.texture.force2d = boolean(self, key, &value)?,
            "force2Ddimension" => {
                self.settings.texture.force2d_dimension = int_in(self, key, &value, 0, 2)? as usize
            }
            "resegmentRange" => {
                self.settings.resegment_range = optional(&value, |v| resegment_range(self, key, v))?
            }
            "resegmentMode" => self.settings.resegment_mode = resegment_mode(self, key, &value)?,
            "resegmentShape" => self.settings.resegment_shape = boolean(self, key, &value)?,
            "preCrop" => self.settings.pre_crop = boolean(self, key, &value)?,
            "voxelArrayShift" => {
                self.settings.voxel_array_shift =
                    int_in(self, key, &value, i64::MIN, i64::MAX)? as f64
            }
            "symmetricalGLCM" => {
                self.settings.texture.symmetrical_glcm = boolean(self, key, &value)?
            }
            "weightingNorm" => {
                self.settings.texture.weighting_norm =
                    optional(&value, |v| weighting_norm(self, key, v))?
            }
            "gldm_a" => {
                self.settings.texture.gldm_a = int_in(self, key, &value, 0, i64::MAX)? as f64
            }
            "sigma" => self.settings.filters.sigma = sigmas(self, key, &value)?,
            "wavelet" => self.settings.filters.wavelet = string(self, key, &value)?,
            "start_level" => {
                self.settings.filters.start_level = int_in(self, key, &value, 0, 64)? as u32
            }
            "level" => self.settings.filters.level = int_in(self, key, &value, 1, 64)? as u32,
            "gradientUseSpacing" => {
                self.settings.filters.gradient_use_spacing = boolean(self, key, &value)?
            }
            "lbp2DRadius" => self.settings.filters.lbp2d_radius = positive(self, key, &value)?,
            "lbp2DSamples" => {
                self.settings.filters.lbp2d_samples = int_in(self, key, &value, 1, 32)? as u32
            }
            "lbp2DMethod" => self.settings.filters.lbp2d_method = lbp2d_method(self, key, &value)?,
            "lbp3DLevels" => {
                self.settings.filters.lbp3d_levels = int_in(self, key, &value, 1, 16)? as u32
            }
            "lbp3DIcosphereRadius" => {
                self.settings.filters.lbp3d_icosphere_radius = positive(self, key, &value)?
            }
            "lbp3DIcosphereSubdivision" => {
                self.settings.filters.lbp3d_icosphere_subdivision =
                    int_in(self, key, &value, 0, 8)? as u32
            }
            _ if UNUSED_PYRADIOMICS_KEYS.contains(&name) => {
                self.warn(key, "only used by PyRadiomics' diagnostics; no effect here")
            }
            _ => self.warn(key, "unknown setting; ignored"),
        }
        Ok(())
    }
}

/// `None` for YAML `null`, else the parsed value.
fn optional<T>(value: &Yaml, parse: impl FnOnce(&Yaml) -> Result<T>) -> Result<Option<T>> {
    match value {
        Yaml::Null => Ok(None),
        v => parse(v).map(Some),
    }
}

fn boolean(p: &Parser, key: &str, value: &Yaml) -> Result<bool> {
    match value {
        Yaml::Bool(b) => Ok(*b),
        other => Err(p.invalid(
            key,
            format!("expected true or false, found {}", other.kind()),
        )),
    }
}

fn int_in(p: &Parser, key: &str, value: &Yaml, min: i64, max: i64) -> Result<i64> {
    match value {
        Yaml::Int(i) if (min..=max).contains(i) => Ok(*i),
        Yaml::Int(i) => Err(p.invalid(key, format!("{i} is outside {min}..={max}"))),
        other => Err(p.invalid(key, format!("expected an integer, found {}", other.kind()))),
    }
}

fn positive(p: &Parser, key: &str, value: &Yaml) -> Result<f64> {
    match value.as_f64() {
        Some(v) if v > 0.0 && v.is_finite() => Ok(v),
        Some(v) => Err(p.invalid(key, format!("must be a finite number > 0, found {v}"))),
        None => Err(p.invalid(key, format!("expected a number, found {}", value.kind()))),
    }
}

fn string(p: &Parser, key: &str, value: &Yaml) -> Result<String> {
    match value {
        Yaml::Str(s) => Ok(s.clone()),
        other => Err(p.invalid(key, format!("expected a string, found {}", other.kind()))),
    }
}

/// `sigma`: a list of numbers; PyRadiomics skips (with a warning) values that are not > 0.
fn sigmas(p: &Parser, key: &str, value: &Yaml) -> Result<Vec<Sigma>> {
    let Yaml::Seq(items) = value else {
        return Err(p.invalid(
            key,
            format!("expected a list of numbers, found {}", value.kind()),
        ));
    };
    items
        .iter()
        .map(|item| match item {
            Yaml::Int(i) => Ok(Sigma {
                value: *i as f64,
                integer: true,
            }),
            Yaml::Float(f) if f.is_finite() => Ok(Sigma {
                value: *f,
                integer: false,
            }),
            other => Err(p.invalid(
                key,
                format!("expected finite numbers, found {}", other.kind()),
            )),
        })
        .collect()
}

fn lbp2d_method(p: &Parser, key: &str, value: &Yaml) -> Result<Lbp2dMethod> {
    match value {
        Yaml::Str(s) if s == "default" => Ok(Lbp2dMethod::Default),
        Yaml::Str(s) if s == "ror" => Ok(Lbp2dMethod::Ror),
        Yaml::Str(s) if s == "uniform" => Ok(Lbp2dMethod::Uniform),
        Yaml::Str(s) if s == "nri_uniform" => Ok(Lbp2dMethod::NriUniform),
        Yaml::Str(s) if s == "var" => Ok(Lbp2dMethod::Var),
        other => Err(p.invalid(
            key,
            format!("expected default, ror, uniform, nri_uniform or var, found {other:?}"),
        )),
    }
}

fn numbers(p: &Parser, key: &str, value: &Yaml) -> Result<Vec<f64>> {
    let Yaml::Seq(items) = value else {
        return Err(p.invalid(
            key,
            format!("expected a list of numbers, found {}", value.kind()),
        ));
    };
    items
        .iter()
        .map(|item| {
            item.as_f64().filter(|v| v.is_finite()).ok_or_else(|| {
                p.invalid(
                    key,
                    format!("expected finite numbers, found {}", item.kind()),
                )
            })
        })
        .collect()
}

fn spacing(p: &Parser, key: &str, value: &Yaml) -> Result<[f64; 3]> {
    let v = numbers(p, key, value)?;
    match <[f64; 3]>::try_from(v) {
        Ok(s) if s.iter().all(|&x| x >= 0.0) => Ok(s),
        Ok(_) => Err(p.invalid(key, "spacings must be >= 0 (0 keeps the original spacing)")),
        Err(v) => Err(p.invalid(
            key,
            format!("expected 3 spacings (x, y, z), found {}", v.len()),
        )),
    }
}

fn distances(p: &Parser, key: &str, value: &Yaml) -> Result<Vec<u32>> {
    let Yaml::Seq(items) = value else {
        return Err(p.invalid(
            key,
            format!("expected a list of integers, found {}", value.kind()),
        ));
    };
    if items.is_empty() {
        return Err(p.invalid(key, "needs at least one distance"));
    }
    items
        .iter()
        .map(|item| int_in(p, key, item, 1, u32::MAX as i64).map(|d| d as u32))
        .collect()
}

fn resegment_range(p: &Parser, key: &str, value: &Yaml) -> Result<Vec<f64>> {
    let v = numbers(p, key, value)?;
    if v.is_empty() || v.len() > 2 {
        return Err(p.invalid(key, format!("needs 1 or 2 thresholds, found {}", v.len())));
    }
    Ok(v)
}

fn resegment_mode(p: &Parser, key: &str, value: &Yaml) -> Result<ResegmentMode> {
    match value {
        Yaml::Str(s) if s == "absolute" => Ok(ResegmentMode::Absolute),
        Yaml::Str(s) if s == "relative" => Ok(ResegmentMode::Relative),
        Yaml::Str(s) if s == "sigma" => Ok(ResegmentMode::Sigma),
        other => Err(p.invalid(
            key,
            format!("expected absolute, relative or sigma, found {other:?}"),
        )),
    }
}

fn interpolator(p: &Parser, key: &str, value: &Yaml) -> Result<Interpolator> {
    // SimpleITK's enum values: 1 nearest neighbour, 2 linear, 3 B-spline.
    match value {
        Yaml::Str(s) if s == "sitkNearestNeighbor" => Ok(Interpolator::NearestNeighbor),
        Yaml::Str(s) if s == "sitkLinear" => Ok(Interpolator::Linear),
        Yaml::Str(s) if s == "sitkBSpline" => Ok(Interpolator::BSpline),
        Yaml::Int(1) => Ok(Interpolator::NearestNeighbor),
        Yaml::Int(2) => Ok(Interpolator::Linear),
        Yaml::Int(3) => Ok(Interpolator::BSpline),
        other => Err(p.invalid(
            key,
            format!(
                "{other:?} is not supported (use sitkNearestNeighbor, sitkLinear or sitkBSpline)"
            ),
        )),
    }
}

fn weighting_norm(p: &Parser, key: &str, value: &Yaml) -> Result<String> {
    match value {
        Yaml::Str(s)
            if ["euclidean", "manhattan", "infinity", "no_weighting"].contains(&s.as_str()) =>
        {
            Ok(s.clone())
        }
        other => Err(p.invalid(
            key,
            format!("expected euclidean, manhattan, infinity or no_weighting, found {other:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings> {
        Settings::from_yaml_str(text, "test.yaml")
    }

    #[test]
    fn empty_file_gives_pyradiomics_defaults() {
        assert_eq!(parse("").unwrap(), Settings::default());
        assert_eq!(Settings::default().feature_keys().len(), 107);
    }

    #[test]
    fn reads_every_documented_key() {
        let s = parse(
            "setting:\n  binCount: 64\n  resampledPixelSpacing: [1, 2, 0]\n  interpolator: sitkLinear\n  \
             resegmentRange: [-3, 3]\n  resegmentMode: sigma\n  voxelArrayShift: 2000\n  \
             distances: [1, 2]\n  weightingNorm: no_weighting\n  gldm_a: 1\n  force2D: true\n  \
             force2Ddimension: 1\n  minimumROISize: 10\n  geometryTolerance: 0.001\n  correctMask: true\n  \
             normalize: true\n  normalizeScale: 100\n  removeOutliers: 3\n  preCrop: true\n  \
             padDistance: 10\n  resegmentShape: true\n  symmetricalGLCM: false\n  label: 2\n  \
             minimumROIDimensions: 3\n  binWidth: 5\n",
        )
        .unwrap();
        assert_eq!(s.bin_count, Some(64));
        assert_eq!(s.resampled_pixel_spacing, Some([1.0, 2.0, 0.0]));
        assert_eq!(s.interpolator, Some(Interpolator::Linear));
        assert_eq!(s.resegment_range, Some(vec![-3.0, 3.0]));
        assert_eq!(s.resegment_mode, ResegmentMode::Sigma);
        assert_eq!(s.voxel_array_shift, 2000.0);
        assert_eq!(s.texture.distances, vec![1, 2]);
        assert_eq!(s.texture.weighting_norm.as_deref(), Some("no_weighting"));
        assert_eq!(s.texture.gldm_a, 1.0);
        assert!(s.texture.force2d && !s.texture.symmetrical_glcm);
        assert_eq!(s.texture.force2d_dimension, 1);
        assert_eq!(s.minimum_roi_size, Some(10));
        assert_eq!(s.geometry_tolerance, Some(0.001));
        assert!(s.correct_mask && s.normalize && s.pre_crop && s.resegment_shape);
        assert_eq!((s.normalize_scale, s.remove_outliers), (100.0, Some(3.0)));
        assert_eq!(
            (s.pad_distance, s.label, s.minimum_roi_dimensions),
            (10, 2, 3)
        );
        assert_eq!(s.bin_width, 5.0);
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn unknown_key_is_a_warning_and_invalid_value_an_error_naming_the_key() {
        let s = parse("setting:\n  binwidth: 25\n").unwrap();
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(s.warnings[0].key, "setting.binwidth");
        let err = parse("setting:\n  binWidth: -1\n").unwrap_err().to_string();
        assert!(err.contains("setting.binWidth"), "{err}");
        let err = parse("setting:\n  minimumROIDimensions: 4\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("minimumROIDimensions"), "{err}");
        let err = parse("setting:\n  resegmentMode: fuzzy\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("resegmentMode"), "{err}");
        let err = parse("featureClass:\n  glcm: [NoSuchFeature]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("featureClass.glcm"), "{err}");
        let err = parse("imageType:\n  Sobel: {}\n").unwrap_err().to_string();
        assert!(err.contains("imageType.Sobel"), "{err}");
        let err = parse("imageType:\n  LoG: {sigma: [a]}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("imageType.LoG.sigma"), "{err}");
        assert!(matches!(
            parse("setting: [1, 2"),
            Err(FeatureError::ParamsSyntax { .. })
        ));
    }

    #[test]
    fn class_order_follows_the_file_with_shape_first() {
        let s = parse("featureClass:\n  ngtdm:\n  firstorder: [Mean, Energy, StandardDeviation]\n  shape: []\n")
            .unwrap();
        let keys = s.feature_keys();
        assert_eq!(keys[0], "original_shape_Elongation");
        assert!(keys[14].starts_with("original_ngtdm_"));
        assert_eq!(
            &keys[19..22],
            [
                "original_firstorder_Mean",
                "original_firstorder_Energy",
                "original_firstorder_StandardDeviation"
            ]
        );
        assert_eq!(keys.len(), 14 + 5 + 3);
    }

    #[test]
    fn reads_every_shared_params_file() {
        let dir = radsurv_testdata::data_path("pyradiomics/params");
        let mut count = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let s = Settings::from_params_file(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                s.warnings.is_empty(),
                "{}: {:?}",
                path.display(),
                s.warnings
            );
            // PyRadiomics' example CT settings leave out ngtdm
            let classes = if path.ends_with("filters_exampleCT.yaml") {
                6
            } else {
                7
            };
            assert_eq!(s.classes.len(), classes, "{}", path.display());
            count += 1;
        }
        assert!(count >= 26, "only {count} params files");
        let s = Settings::from_params_file(&radsurv_testdata::data_path(
            "pyradiomics/params/resampled1mm_bw25.yaml",
        ))
        .unwrap();
        assert_eq!(s.resampled_pixel_spacing, Some([1.0, 1.0, 1.0]));
        assert_eq!(s.interpolator, Some(Interpolator::BSpline));
    }

    #[test]
    fn image_types_keep_file_order_and_their_own_settings() {
        let s = parse(
            "imageType:\n  LoG: {sigma: [1, 2.5], binWidth: 5}\n  Original: {}\n  Wavelet:\n\
             featureClass:\n  firstorder: [Mean]\nsetting:\n  binWidth: 10\n",
        )
        .unwrap();
        let kinds: Vec<ImageKind> = s.image_types.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [ImageKind::LoG, ImageKind::Original, ImageKind::Wavelet]
        );
        assert_eq!(s.bin_width, 10.0);
        let log = s.for_image_type(&s.image_types[0]).unwrap();
        assert_eq!(log.bin_width, 5.0);
        assert_eq!(log.filters.sigma.len(), 2);
        assert!(s.filters.sigma.is_empty());
        let keys = s.feature_keys();
        assert_eq!(keys[0], "log-sigma-1-mm-3D_firstorder_Mean");
        assert_eq!(keys[1], "log-sigma-2-5-mm-3D_firstorder_Mean");
        assert_eq!(keys[2], "original_firstorder_Mean");
        assert_eq!(keys[3], "wavelet-LLH_firstorder_Mean");
        assert_eq!(keys.len(), 2 + 1 + 8);
    }
}
