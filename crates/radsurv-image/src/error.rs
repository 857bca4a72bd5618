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
    /// The voxel data do not fit the declared geometry.
    #[error("voxel data hold {actual} values but the geometry needs {expected}")]
    DataSize {
        /// Voxels the geometry declares.
        expected: usize,
        /// Values the data hold.
        actual: usize,
    },
}
