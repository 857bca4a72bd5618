//! Errors of the image crate: every variant names the file (or the two geometries) involved.

use std::path::PathBuf;

/// Result alias of this crate.
pub type Result<T, E = ImageError> = std::result::Result<T, E>;

/// Why a volume could not be read, written, checked or resampled.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The file could not be opened, read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file's content is not a valid file of its format.
    #[error("{}: {reason}", .path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong, in words.
        reason: String,
    },
    /// The file is valid but uses something radsurv does not read (a pixel type, an encoding, …).
    #[error("{}: unsupported {what}", .path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What is unsupported, in words.
        what: String,
    },
    /// The file holds fewer bytes of voxel data than its header declares.
    #[error("{}: truncated voxel data: header declares {expected} bytes, file holds {actual}", .path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Bytes the header declares.
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// The header declares more voxels than radsurv accepts; checked before allocating.
    #[error("{}: header declares {declared} voxels, more than the limit of {limit}; set {} to raise it", .path.display(), crate::limits::VOXELS.variable)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Voxels declared.
        declared: u64,
        /// The limit ([`crate::limits::VOXELS`]).
        limit: u64,
    },
    /// The voxel data do not fit the declared geometry.
    #[error("voxel data hold {actual} values but the geometry needs {expected}")]
    DataSize {
        /// Voxels the geometry declares.
        expected: usize,
        /// Values the data hold.
        actual: usize,
    },
    /// Image and mask do not occupy the same physical space (ITK's `VerifyInputInformation`).
    #[error("image and mask do not occupy the same physical space: {reason}\n  image: {image}\n  mask:  {mask}")]
    GeometryMismatch {
        /// The image grid.
        image: Box<crate::Geometry>,
        /// The mask grid.
        mask: Box<crate::Geometry>,
        /// Which property differs and by how much.
        reason: String,
    },
    /// The mask has no voxel with the requested label.
    #[error("mask has no voxel with label {label} (labels present: {present:?})")]
    MissingLabel {
        /// The requested label.
        label: i64,
        /// The non-zero labels the mask does contain.
        present: Vec<i64>,
    },
    /// The mask has no non-zero voxel at all.
    #[error("mask is empty (every voxel is 0)")]
    EmptyMask,
    /// The region of interest does not lie inside the image (PyRadiomics `_checkROI`).
    #[error("the region of interest lies outside the image: {reason}")]
    RoiOutsideImage {
        /// Which corner is outside and where.
        reason: String,
    },
    /// A requested setting cannot be used (non-positive spacing, unknown segment, …).
    #[error("invalid setting: {reason}")]
    InvalidSetting {
        /// What is wrong, in words.
        reason: String,
    },
    /// A content error (mask, geometry, label) found in a named file.
    #[error("{}: {error}", .path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        error: Box<ImageError>,
    },
}

impl ImageError {
    /// Names `path` as the file this error concerns (a no-op for errors that already name one).
    pub fn in_file(self, path: impl Into<PathBuf>) -> ImageError {
        match self {
            e @ (ImageError::Io { .. }
            | ImageError::Malformed { .. }
            | ImageError::Unsupported { .. }
            | ImageError::Truncated { .. }
            | ImageError::TooLarge { .. }
            | ImageError::InFile { .. }) => e,
            e => ImageError::InFile {
                path: path.into(),
                error: Box::new(e),
            },
        }
    }

    /// The error without an [`ImageError::InFile`] wrapper, to match on its kind.
    pub fn kind(&self) -> &ImageError {
        match self {
            ImageError::InFile { error, .. } => error.kind(),
            e => e,
        }
    }
}

/// Shorthand for [`ImageError::Malformed`].
pub(crate) fn malformed(path: &std::path::Path, reason: impl Into<String>) -> ImageError {
    ImageError::Malformed {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Shorthand for [`ImageError::Unsupported`].
pub(crate) fn unsupported(path: &std::path::Path, what: impl Into<String>) -> ImageError {
    ImageError::Unsupported {
        path: path.to_path_buf(),
        what: what.into(),
    }
}

/// Shorthand for [`ImageError::Io`].
pub(crate) fn io_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> ImageError + '_ {
    move |source| ImageError::Io {
        path: path.to_path_buf(),
        source,
    }
}
