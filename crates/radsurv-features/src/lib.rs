//! PyRadiomics-identical radiomics features: image types (original and filtered), discretisation
//! and the seven default feature classes.
//!
//! The pipeline (settings → geometry check → resampling → re-segmentation → bounding-box crop →
//! discretisation → classes) follows PyRadiomics 3.x `RadiomicsFeatureExtractor.execute()`; each
//! class lives in its own module and documents its matrix and every feature's formula.

pub mod discretise;
mod error;
mod extractor;
pub mod filters;
pub mod firstorder;
pub mod glcm;
pub mod gldm;
pub mod glrlm;
pub mod glszm;
pub mod neighbours;
pub mod ngtdm;
mod preprocess;
pub mod registry;
pub mod roi;
pub mod settings;
pub mod shape;
mod shape_tables;
mod size_matrix;
pub mod yaml;

pub use error::{FeatureError, Result};
pub use extractor::{extract_case, Extractor, FeatureVector};
pub use filters::{FilterSettings, ImageKind};
pub use registry::{image_type_of_key, FeatureClass};
pub use settings::{
    FeatureSelection, ImageType, Interpolator, ResegmentMode, SettingWarning, Settings,
};
