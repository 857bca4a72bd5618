//! File formats: each submodule reads (and where needed writes) one format into a [`crate::Volume`].

pub mod dicom;
pub(crate) mod dicom_attrs;
mod dicom_lengths;
pub mod dicom_seg;
pub mod nifti;
pub mod nrrd;
pub(crate) mod raw;
pub mod rtstruct;
pub mod seg_nrrd;
