//! Errors of the feature crate: every variant says which setting, file or ROI check failed.

use std::path::PathBuf;

/// Result alias of this crate.
pub type Result<T, E = FeatureError> = std::result::Result<T, E>;

/// Why settings could not be read or features could not be extracted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeatureError {
    /// The parameter file could not be read.
    #[error("{}: {source}", .path.display())]
    ParamsIo {
        /// The parameter file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The parameter file is not valid YAML.
    #[error("{source_name}: not a valid YAML parameter file: {reason}")]
    ParamsSyntax {
        /// The file (or `<string>`) the parameters came from.
        source_name: String,
        /// The parser's message.
        reason: String,
    },
    /// A setting has a value PyRadiomics would reject (or that radsurv does not support).
    #[error("{source_name}: invalid value for `{key}`: {reason}")]
    InvalidSetting {
        /// The file (or `<string>`) the parameters came from.
        source_name: String,
        /// The offending key, e.g. `setting.binWidth` or `featureClass.glcm`.
        key: String,
        /// What is wrong, in words.
        reason: String,
    },
    /// Image or mask could not be read, checked or resampled (including a mask without the
    /// label and an image/mask geometry mismatch).
    #[error(transparent)]
    Image(#[from] radsurv_image::ImageError),
    /// The ROI is a single voxel.
    #[error("mask only contains 1 segmented voxel: cannot extract features for a single voxel")]
    SingleVoxel,
    /// The ROI spans fewer dimensions than `minimumROIDimensions`.
    #[error("mask has too few dimensions ({dims}; minimumROIDimensions is {required})")]
    TooFewDimensions {
        /// Dimensions in which the ROI extends over more than one voxel.
        dims: usize,
        /// The required minimum.
        required: u8,
    },
    /// The ROI has no more voxels than `minimumROISize`.
    #[error("ROI too small: {voxels} voxels, minimumROISize is {minimum}")]
    TooSmall {
        /// ROI voxels.
        voxels: usize,
        /// The setting.
        minimum: u64,
    },
    /// Re-segmentation left at most one voxel.
    #[error("resegmentation excluded too many voxels (retained {retained})")]
    ResegmentedAway {
        /// Voxels left.
        retained: usize,
    },
    /// A size derived from the settings exceeds radsurv's limit (grey levels from `binWidth`).
    #[error(transparent)]
    Limit(#[from] radsurv_image::limits::LimitExceeded),
    /// The ROI holds a value that is not finite, so features would be NaN.
    #[error("image holds a non-finite value inside the ROI")]
    NonFiniteIntensity,
    /// An image type or one of its options that radsurv does not implement.
    #[error("image type {image_type}: {reason}")]
    UnsupportedFilter {
        /// The image type, as named in the parameter file.
        image_type: String,
        /// What is not supported.
        reason: String,
    },
    /// A filtered image holds a value that is not finite inside the ROI.
    #[error("{image} image holds a non-finite value inside the ROI")]
    NonFiniteFiltered {
        /// The derived image's name, e.g. `exponential`.
        image: String,
    },
}
