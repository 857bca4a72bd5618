//! Reading a parameter document into [`Settings`]: one reader per value kind, each error naming
//! the key and the file.

use super::{FeatureSelection, ImageType, Interpolator, ResegmentMode, SettingWarning, Settings};
use crate::error::{FeatureError, Result};
use crate::filters::{ImageKind, Lbp2dMethod, Sigma};
use crate::registry::FeatureClass;
use crate::yaml::Yaml;

/// Keys PyRadiomics accepts that only affect its diagnostics or vector masks.
const UNUSED_PYRADIOMICS_KEYS: &[&str] = &["additionalInfo", "label_channel"];

/// Walks the parsed document, filling [`Settings`].
pub(super) struct Parser<'a> {
    pub(super) source_name: &'a str,
    pub(super) settings: Settings,
}

impl Parser<'_> {
    fn invalid(&self, key: &str, reason: impl Into<String>) -> FeatureError {
        FeatureError::InvalidSetting {
            source_name: self.source_name.to_string(),
            key: key.to_string(),
            reason: reason.into(),
        }
    }

    /// The entries of a mapping at `key`; `None` when the value is null (each caller decides what
    /// an empty section means), an error naming `key` for any other kind.
    fn mapping(&self, key: &str, value: Yaml) -> Result<Option<Vec<(String, Yaml)>>> {
        match value {
            Yaml::Map(entries) => Ok(Some(entries)),
            Yaml::Null => Ok(None),
            other => Err(self.invalid(key, format!("expected a mapping, found {}", other.kind()))),
        }
    }

    fn warn(&mut self, key: &str, message: &str) {
        self.settings.warnings.push(SettingWarning {
            key: key.to_string(),
            message: message.to_string(),
        });
    }

    pub(super) fn document(&mut self, doc: Yaml) -> Result<()> {
        let Some(entries) = self.mapping("<document>", doc)? else {
            return Ok(());
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
        let Some(entries) = self.mapping("imageType", value)? else {
            return Err(self.invalid("imageType", "cannot be null"));
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
            let overrides = self.mapping(&key, custom)?.unwrap_or_default();
            image_types.push(ImageType { kind, overrides });
        }
        self.settings.image_types = image_types;
        Ok(())
    }

    fn feature_classes(&mut self, value: Yaml) -> Result<()> {
        let Some(entries) = self.mapping("featureClass", value)? else {
            return Err(self.invalid("featureClass", "cannot be null"));
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

    pub(super) fn settings_map(&mut self, section: &str, value: Yaml) -> Result<()> {
        let Some(entries) = self.mapping(section, value)? else {
            return Ok(());
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
            "padDistance" => self.settings.pad_distance = pad_distance(self, key, &value)?,
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
            "sigma" => {
                let sigmas = sigmas(self, key, &value)?;
                for sigma in sigmas.iter().filter(|s| s.value <= 0.0) {
                    self.warn(
                        key,
                        &format!("sigma {} is not > 0: no LoG image for it", sigma.value),
                    );
                }
                self.settings.filters.sigma = sigmas;
            }
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

/// `padDistance`, within [`radsurv_image::limits::PAD_DISTANCE`].
fn pad_distance(p: &Parser, key: &str, value: &Yaml) -> Result<u32> {
    let pad = int_in(p, key, value, 0, u32::MAX as i64)?;
    radsurv_image::limits::PAD_DISTANCE
        .check(pad as f64, "this padding")
        .map_err(|e| p.invalid(key, e.to_string()))?;
    Ok(pad as u32)
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

/// `sigma`: a list of finite numbers; the caller warns of those not > 0, which PyRadiomics skips
/// with a warning.
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
    // SimpleITK's enum values: 1 nearest neighbour, 2 linear; cubic B-spline is 3 in SimpleITK 1.x
    // and 23 (`sitkBSpline`) in 2.x, which has no interpolator numbered 3.
    match value {
        Yaml::Str(s) if s == "sitkNearestNeighbor" => Ok(Interpolator::NearestNeighbor),
        Yaml::Str(s) if s == "sitkLinear" => Ok(Interpolator::Linear),
        Yaml::Str(s) if s == "sitkBSpline" => Ok(Interpolator::BSpline),
        Yaml::Int(1) => Ok(Interpolator::NearestNeighbor),
        Yaml::Int(2) => Ok(Interpolator::Linear),
        Yaml::Int(3 | 23) => Ok(Interpolator::BSpline),
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
