//! Shared by the fuzz targets: the parsers read paths, so each input is written to a file first.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A study config whose clinical table is the fuzzed `clinical.csv` beside it.
pub const CLINICAL_CONFIG: &str = include_str!("../clinical_config.yaml");

/// A folder of this process in memory-backed storage when there is one.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let base = if base.is_dir() {
            base.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("radsurv-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

/// Writes `data` to `name` (a relative path) in the scratch folder and calls `f` with its path.
pub fn with_file(name: &str, data: &[u8], f: impl FnOnce(&Path)) {
    let path = scratch().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("scratch subfolder");
    }
    std::fs::write(&path, data).expect("scratch file");
    f(&path);
}

/// The grid of the test CT series the RTSTRUCT and SEG seeds were drawn on, read once, so
/// fuzzed contours and frames are placed onto a real grid; a small axis-aligned grid when the
/// series is not there.
pub fn ct_grid() -> &'static radsurv_image::Geometry {
    static GRID: OnceLock<radsurv_image::Geometry> = OnceLock::new();
    GRID.get_or_init(|| {
        let series = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/dicom/STS_019/ct");
        radsurv_image::dicom::read_series(&series, None)
            .map(|v| v.geometry().clone())
            .unwrap_or_else(|_| radsurv_image::Geometry::new([16, 16, 8], [1.0; 3], [0.0; 3]))
    })
}

/// [`ct_grid`] with rows and columns a quarter as fine and the same slices: contours still land
/// on its slices, and rasterising stays cheap enough to fuzz.
pub fn coarse_ct_grid() -> &'static radsurv_image::Geometry {
    static GRID: OnceLock<radsurv_image::Geometry> = OnceLock::new();
    GRID.get_or_init(|| {
        let mut grid = ct_grid().clone();
        for axis in 0..2 {
            grid.size[axis] = grid.size[axis].div_ceil(4);
            grid.spacing[axis] *= 4.0;
        }
        grid
    })
}
