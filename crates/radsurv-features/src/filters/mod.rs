//! PyRadiomics' image types: the original image and the filtered images derived from it
//! (`radiomics/imageoperations.py`, `get<Type>Image`).
//!
//! Each filter sees the image PyRadiomics hands it: after normalisation and resampling (the
//! resampled grid is already cropped to the ROI bounding box ± `padDistance`), or the whole image
//! when nothing is resampled. Only the ROI bounding box of a filtered image is ever read, so every
//! filter computes the values there, using as much of the image as the filter's result depends
//! on; values equal the whole-image filter's. The values are those of the pixel type PyRadiomics
//! hands on: `float32` for LoG and Gradient (ITK), the input type for LBP2D, `float64` otherwise.
//!
//! | image type | names | options (defaults) |
//! |---|---|---|
//! | `Original` | `original` | |
//! | `LoG` | `log-sigma-<σ>-mm-3D` per σ | `sigma` (none: no image) |
//! | `Wavelet` | `wavelet[<level>]-<L/H per axis>` | `wavelet` (coif1), `start_level` (0), `level` (1) |
//! | `Square`, `SquareRoot`, `Logarithm`, `Exponential` | `square`, … | |
//! | `Gradient` | `gradient` | `gradientUseSpacing` (true) |
//! | `LBP2D` | `lbp-2D` | `lbp2DRadius` (1), `lbp2DSamples` (8), `lbp2DMethod` (uniform) |
//! | `LBP3D` | `lbp-3D-m<level>`, `lbp-3D-k` | `lbp3DLevels` (2), `lbp3DIcosphereRadius` (1), `lbp3DIcosphereSubdivision` (1) |

mod gradient;
mod lbp2d;
mod lbp3d;
mod lines;
mod log;
mod point;
mod wavelet;
mod wavelet_tables;

use crate::error::Result;
use radsurv_image::mask::BoundingBox;
use radsurv_image::Volume;
use rayon::prelude::*;

/// A built-in PyRadiomics image type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// The (resampled) image itself.
    Original,
    /// Laplacian of Gaussian (ITK's recursive Gaussian), one image per `sigma`.
    LoG,
    /// Stationary wavelet transform, 8 decompositions per level.
    Wavelet,
    /// $(x/\sqrt{\max|x|})^2$.
    Square,
    /// $\operatorname{sign}(x)\sqrt{|x| \max|x|}$.
    SquareRoot,
    /// $\operatorname{sign}(x)\log(|x|+1)$ rescaled to the original range.
    Logarithm,
    /// $e^{x \log(\max|x|)/\max|x|}$.
    Exponential,
    /// Gradient magnitude (ITK, central differences).
    Gradient,
    /// Local binary pattern per slice (scikit-image).
    Lbp2d,
    /// Local binary pattern in 3D via spherical harmonics.
    Lbp3d,
}

impl ImageKind {
    /// Every image type, as named in parameter files.
    pub const ALL: [ImageKind; 10] = [
        ImageKind::Original,
        ImageKind::LoG,
        ImageKind::Wavelet,
        ImageKind::Square,
        ImageKind::SquareRoot,
        ImageKind::Logarithm,
        ImageKind::Exponential,
        ImageKind::Gradient,
        ImageKind::Lbp2d,
        ImageKind::Lbp3d,
    ];

    /// The name in a parameter file's `imageType` section.
    pub fn key(self) -> &'static str {
        match self {
            ImageKind::Original => "Original",
            ImageKind::LoG => "LoG",
            ImageKind::Wavelet => "Wavelet",
            ImageKind::Square => "Square",
            ImageKind::SquareRoot => "SquareRoot",
            ImageKind::Logarithm => "Logarithm",
            ImageKind::Exponential => "Exponential",
            ImageKind::Gradient => "Gradient",
            ImageKind::Lbp2d => "LBP2D",
            ImageKind::Lbp3d => "LBP3D",
        }
    }

    /// The image type named `key` in a parameter file.
    pub fn from_key(key: &str) -> Option<ImageKind> {
        ImageKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// A `sigma` value as written in the parameter file: PyRadiomics names the image after Python's
/// `str()` of it, so `1` and `1.0` give different names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sigma {
    /// The value in mm.
    pub value: f64,
    /// Written as an integer.
    pub integer: bool,
}

impl Sigma {
    /// Python's `str()` of the value with `.` replaced by `-`, as in `log-sigma-3-0-mm-3D`.
    pub fn name_part(self) -> String {
        let text = if self.integer {
            format!("{}", self.value as i64)
        } else {
            python_float_repr(self.value)
        };
        text.replace('.', "-")
    }
}

/// Python's `repr(float)`: shortest round-trip digits, `.0` for integral values, exponent form
/// below 1e-4 and from 1e16.
fn python_float_repr(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e16).contains(&a) {
        let s = format!("{v:e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exponent),
        };
        format!("{mantissa}e{sign}{digits:0>2}")
    } else if v == v.trunc() {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

/// `lbp2DMethod`: scikit-image's `local_binary_pattern` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lbp2dMethod {
    /// `default`: the plain binary code.
    Default,
    /// `ror`: rotation invariant code.
    Ror,
    /// `uniform`: rotation invariant uniform patterns.
    Uniform,
    /// `nri_uniform`: non rotation invariant uniform patterns.
    NriUniform,
    /// `var`: local variance.
    Var,
}

/// The options of the filtered image types, with PyRadiomics' defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterSettings {
    /// `sigma` (LoG), mm.
    pub sigma: Vec<Sigma>,
    /// `wavelet` (a PyWavelets name).
    pub wavelet: String,
    /// `start_level`.
    pub start_level: u32,
    /// `level`.
    pub level: u32,
    /// `gradientUseSpacing`.
    pub gradient_use_spacing: bool,
    /// `lbp2DRadius`.
    pub lbp2d_radius: f64,
    /// `lbp2DSamples`.
    pub lbp2d_samples: u32,
    /// `lbp2DMethod`.
    pub lbp2d_method: Lbp2dMethod,
    /// `lbp3DLevels`.
    pub lbp3d_levels: u32,
    /// `lbp3DIcosphereRadius`.
    pub lbp3d_icosphere_radius: f64,
    /// `lbp3DIcosphereSubdivision`.
    pub lbp3d_icosphere_subdivision: u32,
}

impl Default for FilterSettings {
    fn default() -> Self {
        FilterSettings {
            sigma: Vec::new(),
            wavelet: "coif1".to_string(),
            start_level: 0,
            level: 1,
            gradient_use_spacing: true,
            lbp2d_radius: 1.0,
            lbp2d_samples: 8,
            lbp2d_method: Lbp2dMethod::Uniform,
            lbp3d_levels: 2,
            lbp3d_icosphere_radius: 1.0,
            lbp3d_icosphere_subdivision: 1,
        }
    }
}

/// Everything a filter reads: the image PyRadiomics filters, the ROI, and the region whose
/// filtered values are wanted.
pub(crate) struct FilterInput<'a> {
    /// The (normalised, resampled) image.
    pub image: &'a Volume,
    /// The class ROI bounding box, image indices.
    pub region: BoundingBox,
    /// ROI membership over the region, x fastest (LBP3D samples only there).
    pub roi: &'a [bool],
    /// `force2D` of the image type's settings.
    pub force2d: bool,
    /// `force2Ddimension` (array axis, z, y, x order) of the image type's settings.
    pub force2d_dimension: usize,
}

impl FilterInput<'_> {
    /// Image extent `[nx, ny, nz]`.
    fn size(&self) -> [usize; 3] {
        self.image.geometry().size
    }

    /// Region extent `[nx, ny, nz]`.
    fn region_size(&self) -> [usize; 3] {
        self.region.size()
    }

    /// Image values over `bbox` (x fastest), widened to f64.
    fn values_in(&self, bbox: &BoundingBox) -> Vec<f64> {
        let g = self.image.geometry();
        let data = self.image.data();
        let [sx, sy, sz] = bbox.size();
        let mut out = Vec::with_capacity(sx * sy * sz);
        for z in bbox.lower[2]..=bbox.upper[2] {
            for y in bbox.lower[1]..=bbox.upper[1] {
                let row = g.offset(0, y, z);
                out.extend((bbox.lower[0]..=bbox.upper[0]).map(|x| data.get_f64(row + x)));
            }
        }
        out
    }
}

/// One derived image: its PyRadiomics name and its values over the region (x fastest).
#[derive(Debug, Clone, PartialEq)]
struct DerivedImage {
    /// E.g. `log-sigma-1-0-mm-3D`.
    pub name: String,
    /// Values over the region.
    pub values: Vec<f64>,
}

/// Names of the images `kind` yields with `settings`, in PyRadiomics' order, assuming the image
/// is large enough for every LoG sigma.
pub(crate) fn image_names(kind: ImageKind, s: &FilterSettings, force2d: bool) -> Vec<String> {
    match kind {
        ImageKind::Original => vec!["original".into()],
        ImageKind::LoG => s
            .sigma
            .iter()
            .filter(|sigma| sigma.value > 0.0)
            .map(|sigma| log::image_name(*sigma))
            .collect(),
        ImageKind::Wavelet => wavelet::image_names(s, if force2d { 2 } else { 3 }),
        ImageKind::Square => vec!["square".into()],
        ImageKind::SquareRoot => vec!["squareroot".into()],
        ImageKind::Logarithm => vec!["logarithm".into()],
        ImageKind::Exponential => vec!["exponential".into()],
        ImageKind::Gradient => vec!["gradient".into()],
        ImageKind::Lbp2d => vec!["lbp-2D".into()],
        ImageKind::Lbp3d => (1..=s.lbp3d_levels)
            .map(|l| format!("lbp-3D-m{l}"))
            .chain(std::iter::once("lbp-3D-k".to_string()))
            .collect(),
    }
}

/// Derives the images of `kind` from the input and hands each to `use_image(name, values over
/// the region)` as soon as it is complete; the results come back in PyRadiomics' image order.
///
/// `use_image` takes the image over, and may release it as soon as it has read what it needs
/// (the extractor does so once the image is discretised), so a filter with several images never
/// holds them all at once: the memory a case needs, and the fresh pages the kernel must clear for
/// it, stay those of one image and the filter's working buffers. Images that do not depend on one
/// another are derived in parallel.
///
/// # Errors
/// [`crate::FeatureError::UnsupportedFilter`] for a wavelet radsurv does not tabulate.
pub(crate) fn derive<R: Send>(
    kind: ImageKind,
    input: &FilterInput,
    s: &FilterSettings,
    use_image: &(impl Fn(&str, Vec<f64>) -> R + Sync),
) -> Result<Vec<R>> {
    let single = |name: &str, values: Vec<f64>| vec![use_image(name, values)];
    Ok(match kind {
        ImageKind::Original => single("original", input.values_in(&input.region)),
        ImageKind::LoG => log::derive(input, &s.sigma, use_image),
        ImageKind::Wavelet => wavelet::derive(input, s, use_image)?,
        ImageKind::Square => single("square", point::derive(input, point::Point::Square)),
        ImageKind::SquareRoot => {
            single("squareroot", point::derive(input, point::Point::SquareRoot))
        }
        ImageKind::Logarithm => single("logarithm", point::derive(input, point::Point::Logarithm)),
        ImageKind::Exponential => single(
            "exponential",
            point::derive(input, point::Point::Exponential),
        ),
        ImageKind::Gradient => single("gradient", gradient::derive(input, s.gradient_use_spacing)),
        ImageKind::Lbp2d => single(
            "lbp-2D",
            lbp2d::derive(
                input,
                s.lbp2d_radius,
                s.lbp2d_samples,
                s.lbp2d_method,
                input.force2d_dimension,
            ),
        ),
        ImageKind::Lbp3d => lbp3d::derive(input, s)
            .into_par_iter()
            .map(|image| use_image(&image.name, image.values))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_names_follow_python_str() {
        let name = |value, integer| Sigma { value, integer }.name_part();
        assert_eq!(name(3.0, false), "3-0");
        assert_eq!(name(3.0, true), "3");
        assert_eq!(name(0.5, false), "0-5");
        assert_eq!(name(1e-5, false), "1e-05");
        assert_eq!(name(2.25, false), "2-25");
    }
}
