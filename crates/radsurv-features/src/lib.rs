//! PyRadiomics-identical radiomics features: discretisation and the seven default feature classes.
//!
//! The pipeline (settings → geometry check → resampling → re-segmentation → bounding-box crop →
//! discretisation → classes) follows PyRadiomics 3.x `RadiomicsFeatureExtractor.execute()`; each
//! class lives in its own module and documents its matrix and every feature's formula.

pub mod glcm;
pub mod gldm;
pub mod glrlm;
pub mod glszm;
pub mod neighbours;
pub mod ngtdm;
pub mod roi;
