//! Every feature class and its features, in PyRadiomics' output order.
//!
//! PyRadiomics finds features by the names of its `get<Name>FeatureValue` methods and emits them in
//! ASCII order of those names; here the lists are explicit constants (one per class module).

use crate::roi::FeatureName;
use crate::{firstorder, glcm, gldm, glrlm, glszm, ngtdm, shape};

/// A PyRadiomics feature class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeatureClass {
    /// `shape`: 3D shape of the (non-resegmented) mask.
    Shape,
    /// `firstorder`: intensity statistics.
    FirstOrder,
    /// `glcm`: grey level co-occurrence matrix.
    Glcm,
    /// `gldm`: grey level dependence matrix.
    Gldm,
    /// `glrlm`: grey level run length matrix.
    Glrlm,
    /// `glszm`: grey level size zone matrix.
    Glszm,
    /// `ngtdm`: neighbouring grey tone difference matrix.
    Ngtdm,
}

impl FeatureClass {
    /// All classes in PyRadiomics' default order (shape first, then alphabetical).
    pub const ALL: [FeatureClass; 7] = [
        FeatureClass::Shape,
        FeatureClass::FirstOrder,
        FeatureClass::Glcm,
        FeatureClass::Gldm,
        FeatureClass::Glrlm,
        FeatureClass::Glszm,
        FeatureClass::Ngtdm,
    ];

    /// PyRadiomics' name of the class, as used in parameter files and output keys.
    pub fn key(self) -> &'static str {
        match self {
            FeatureClass::Shape => "shape",
            FeatureClass::FirstOrder => "firstorder",
            FeatureClass::Glcm => "glcm",
            FeatureClass::Gldm => "gldm",
            FeatureClass::Glrlm => "glrlm",
            FeatureClass::Glszm => "glszm",
            FeatureClass::Ngtdm => "ngtdm",
        }
    }

    /// PyRadiomics' output key of `feature` of this class computed on `image`:
    /// `<image>_<class>_<feature>`, e.g. `wavelet-LLH_glcm_Contrast`.
    pub fn output_key(self, image: &str, feature: &str) -> String {
        format!("{image}_{}_{feature}", self.key())
    }

    /// The class named `key` in a parameter file.
    pub fn from_key(key: &str) -> Option<FeatureClass> {
        FeatureClass::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Every feature of the class (deprecated ones flagged), in PyRadiomics' output order.
    pub fn features(self) -> &'static [FeatureName] {
        match self {
            FeatureClass::Shape => shape::FEATURES,
            FeatureClass::FirstOrder => firstorder::FEATURES,
            FeatureClass::Glcm => glcm::FEATURES,
            FeatureClass::Gldm => gldm::FEATURES,
            FeatureClass::Glrlm => glrlm::FEATURES,
            FeatureClass::Glszm => glszm::FEATURES,
            FeatureClass::Ngtdm => ngtdm::FEATURES,
        }
    }

    /// Whether a deprecated feature of this class yields a value when named explicitly.
    ///
    /// Shape and first-order deprecated features still compute; the texture classes' deprecated
    /// features (mathematically equal to another feature, or constant) raise a
    /// `DeprecationWarning` in PyRadiomics and are left out of its output.
    pub fn computes_deprecated(self) -> bool {
        matches!(self, FeatureClass::Shape | FeatureClass::FirstOrder)
    }

    /// For each feature of the class (aligned with [`FeatureClass::features`]), whether
    /// `enabled` names it.
    pub fn wanted(self, enabled: &[(FeatureClass, &str)]) -> Vec<bool> {
        self.features()
            .iter()
            .map(|f| enabled.contains(&(self, f.name)))
            .collect()
    }

    /// The default feature set: every non-deprecated feature, in output order.
    pub fn default_features(self) -> Vec<&'static str> {
        self.features()
            .iter()
            .filter(|f| !f.deprecated)
            .map(|f| f.name)
            .collect()
    }
}

/// Output keys (`original_<class>_<Feature>`) of PyRadiomics' default extraction: all seven classes,
/// every non-deprecated feature, in output order.
pub fn default_feature_keys() -> Vec<String> {
    FeatureClass::ALL
        .into_iter()
        .flat_map(|c| {
            c.default_features()
                .into_iter()
                .map(move |f| c.output_key("original", f))
        })
        .collect()
}

/// The image type an output key was computed on (`original`, `log-sigma-3-0-mm-3D`,
/// `wavelet-LLH`, …): the part before the first `_`, since image-type names join their parts with
/// `-` and class keys hold no `_`. `None` for a key without `_`, which no extraction writes.
pub fn image_type_of_key(key: &str) -> Option<&str> {
    key.split_once('_').map(|(image, _)| image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_lists_are_in_ascii_order_and_unique() {
        for class in FeatureClass::ALL {
            // PyRadiomics sorts the method names, so "MeanAbsoluteDeviation" precedes "Mean".
            let names: Vec<String> = class
                .features()
                .iter()
                .map(|f| format!("get{}FeatureValue", f.name))
                .collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(names, sorted, "{}", class.key());
        }
    }

    #[test]
    fn image_type_of_key_inverts_output_key() {
        for image in [
            "original",
            "log-sigma-3-0-mm-3D",
            "wavelet2-LLH",
            "lbp-3D-m1",
            "squareroot",
        ] {
            let key = FeatureClass::Glcm.output_key(image, "Contrast");
            assert_eq!(image_type_of_key(&key), Some(image));
        }
        assert_eq!(image_type_of_key("age"), None);
    }

    #[test]
    fn default_set_has_107_features() {
        assert_eq!(default_feature_keys().len(), 107);
    }
}
