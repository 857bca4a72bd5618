//! File formats: each submodule reads (and where needed writes) one format into a [`crate::Volume`].

pub mod dicom;
pub mod nifti;
pub mod nrrd;
pub(crate) mod raw;
pub mod seg_nrrd;
