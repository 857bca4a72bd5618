//! DICOM RTSTRUCT (RT Structure Set): ROIs as planar contours, rasterised onto an image grid.
//!
//! # Rasterisation rule
//! 1. Only CLOSED_PLANAR contours enclose voxels (CLOSED_PLANAR_XOR is the same polygon, combined
//!    by the same even-odd rule). An ROI whose contours are all POINT, OPEN_PLANAR or
//!    OPEN_NONPLANAR encloses nothing and is an error; its other contours are skipped.
//! 2. A contour belongs to the slice $k$ whose position on the grid's slice axis $n$ is nearest
//!    to the contour's mean projection on $n$; it must lie less than half the slice spacing from
//!    it (else it lies between slices or outside the image, an error), and every point at most
//!    half the slice spacing.
//! 3. A point $P$ on slice $k$ has continuous pixel indices
//!    column $i = (P - O_k)\cdot r / s_x$, row $j = (P - O_k)\cdot c / s_y$, with $O_k$ the
//!    position of slice $k$ and $r$, $c$ the grid's row and column directions; voxel
//!    $(i, j)$ has its centre at integer indices.
//! 4. A voxel is inside when its centre is inside the closed polygon (crossing-number test,
//!    the polygon closes from the last point to the first). All contours of the ROI on a
//!    slice combine by the even-odd rule, so a contour inside another is a hole.
//!
//! Voxel centres exactly on an edge are decided by the half-open crossing rule (a vertex counts
//! as above a scanline through it), as matplotlib's `Path.contains_points` decides them.

use std::path::{Path, PathBuf};

use dicom_dictionary_std::tags;

use super::dicom_attrs::{self as attrs, Item, SeriesReference};
use crate::error::malformed;
use crate::{Geometry, ImageError, Result, Volume, VoxelData};

/// Most points one contour may hold; checked before its coordinates are converted.
pub const MAX_CONTOUR_POINTS: usize = 1 << 22;

/// The shape a contour describes (Contour Geometric Type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContourType {
    /// A closed polygon in one plane.
    ClosedPlanar,
    /// A closed polygon combined with the others of its plane by exclusive or.
    ClosedPlanarXor,
    /// An open polyline in one plane.
    OpenPlanar,
    /// An open polyline not in one plane.
    OpenNonplanar,
    /// A single point.
    Point,
    /// Any other value, as written.
    Other(String),
}

impl ContourType {
    fn parse(text: &str) -> ContourType {
        match text {
            "CLOSED_PLANAR" => ContourType::ClosedPlanar,
            "CLOSED_PLANAR_XOR" => ContourType::ClosedPlanarXor,
            "OPEN_PLANAR" => ContourType::OpenPlanar,
            "OPEN_NONPLANAR" => ContourType::OpenNonplanar,
            "POINT" => ContourType::Point,
            other => ContourType::Other(other.to_string()),
        }
    }

    /// True for the closed polygons, the only contours that enclose voxels.
    pub fn encloses(&self) -> bool {
        matches!(
            self,
            ContourType::ClosedPlanar | ContourType::ClosedPlanarXor
        )
    }

    fn name(&self) -> &str {
        match self {
            ContourType::ClosedPlanar => "CLOSED_PLANAR",
            ContourType::ClosedPlanarXor => "CLOSED_PLANAR_XOR",
            ContourType::OpenPlanar => "OPEN_PLANAR",
            ContourType::OpenNonplanar => "OPEN_NONPLANAR",
            ContourType::Point => "POINT",
            ContourType::Other(s) => s,
        }
    }
}

/// One contour: its type and its points (LPS, mm).
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    /// Contour Geometric Type.
    pub kind: ContourType,
    /// Contour Data as points.
    pub points: Vec<[f64; 3]>,
}

/// One ROI of a structure set with its contours.
#[derive(Debug, Clone, PartialEq)]
pub struct Roi {
    /// ROI Number.
    pub number: i64,
    /// ROI Name.
    pub name: String,
    /// Referenced Frame of Reference UID of the ROI, when given.
    pub frame_of_reference: Option<String>,
    /// The ROI's contours (none when the ROI Contour Sequence has no entry for it).
    pub contours: Vec<Contour>,
}

/// An RTSTRUCT file: its ROIs and the image series it was drawn on.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureSet {
    /// The file it was read from (named in errors).
    pub path: PathBuf,
    /// Frame of Reference UIDs the structure set refers to.
    pub frames_of_reference: Vec<String>,
    /// Series Instance UIDs of the referenced image series.
    pub referenced_series: Vec<String>,
    /// ROIs in Structure Set ROI Sequence order.
    pub rois: Vec<Roi>,
}

/// Reads an RTSTRUCT file.
///
/// # Errors
/// [`ImageError::Io`]; [`ImageError::Malformed`] for a file that is not a complete RTSTRUCT
/// (truncated, no Structure Set ROI Sequence, contour data not matching its point count).
pub fn read(path: impl AsRef<Path>) -> Result<StructureSet> {
    let path = path.as_ref();
    parse(&attrs::read_bytes(path)?, path)
}

/// Parses an RTSTRUCT held in memory; `path` only names the file in errors.
///
/// # Errors
/// As [`read`].
pub fn parse(bytes: &[u8], path: &Path) -> Result<StructureSet> {
    let obj = attrs::parse(bytes, path)?;
    from_object(&obj, path)
}

pub(crate) fn from_object(obj: &Item, path: &Path) -> Result<StructureSet> {
    let modality = attrs::text(obj, tags::MODALITY).unwrap_or_default();
    if modality != "RTSTRUCT" {
        return Err(malformed(
            path,
            format!("not an RTSTRUCT (Modality is {modality:?})"),
        ));
    }
    let roi_items = attrs::items(obj, tags::STRUCTURE_SET_ROI_SEQUENCE);
    if roi_items.is_empty() {
        return Err(malformed(
            path,
            "RTSTRUCT without Structure Set ROI Sequence",
        ));
    }
    let mut rois = Vec::with_capacity(roi_items.len());
    for item in roi_items {
        let number = attrs::int(item, tags::ROI_NUMBER)
            .ok_or_else(|| malformed(path, "a Structure Set ROI without ROI Number"))?;
        rois.push(Roi {
            number,
            name: attrs::text(item, tags::ROI_NAME).unwrap_or_default(),
            frame_of_reference: attrs::text(item, tags::REFERENCED_FRAME_OF_REFERENCE_UID),
            contours: Vec::new(),
        });
    }
    for item in attrs::items(obj, tags::ROI_CONTOUR_SEQUENCE) {
        let number = attrs::int(item, tags::REFERENCED_ROI_NUMBER)
            .ok_or_else(|| malformed(path, "an ROI Contour without Referenced ROI Number"))?;
        let roi = rois
            .iter_mut()
            .find(|r| r.number == number)
            .ok_or_else(|| {
                malformed(
                    path,
                    format!("ROI Contour Sequence refers to ROI {number}, which is not declared"),
                )
            })?;
        for contour in attrs::items(item, tags::CONTOUR_SEQUENCE) {
            roi.contours.push(read_contour(contour, path, &roi.name)?);
        }
    }
    let mut frames_of_reference = Vec::new();
    let mut referenced_series = Vec::new();
    for frame in attrs::items(obj, tags::REFERENCED_FRAME_OF_REFERENCE_SEQUENCE) {
        frames_of_reference.extend(attrs::text(frame, tags::FRAME_OF_REFERENCE_UID));
        for study in attrs::items(frame, tags::RT_REFERENCED_STUDY_SEQUENCE) {
            for series in attrs::items(study, tags::RT_REFERENCED_SERIES_SEQUENCE) {
                referenced_series.extend(attrs::text(series, tags::SERIES_INSTANCE_UID));
            }
        }
    }
    Ok(StructureSet {
        path: path.to_path_buf(),
        frames_of_reference,
        referenced_series,
        rois,
    })
}

fn read_contour(item: &Item, path: &Path, roi: &str) -> Result<Contour> {
    let kind =
        ContourType::parse(&attrs::text(item, tags::CONTOUR_GEOMETRIC_TYPE).unwrap_or_default());
    let declared = attrs::int(item, tags::NUMBER_OF_CONTOUR_POINTS);
    if let Some(n) = declared {
        if n < 0 || n as u64 > MAX_CONTOUR_POINTS as u64 {
            return Err(malformed(
                path,
                format!(
                    "ROI {roi:?}: a contour declares {n} points, the limit is {MAX_CONTOUR_POINTS}"
                ),
            ));
        }
    }
    let element = attrs::element(item, tags::CONTOUR_DATA)
        .ok_or_else(|| malformed(path, format!("ROI {roi:?}: a contour without Contour Data")))?;
    let values = element.to_multi_float64().map_err(|_| {
        malformed(
            path,
            format!("ROI {roi:?}: Contour Data is not a list of numbers"),
        )
    })?;
    if values.len() % 3 != 0 || values.len() > 3 * MAX_CONTOUR_POINTS {
        return Err(malformed(
            path,
            format!(
                "ROI {roi:?}: Contour Data holds {} numbers, not a whole number of points \
                 (at most {MAX_CONTOUR_POINTS})",
                values.len()
            ),
        ));
    }
    let points: Vec<[f64; 3]> = values.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    if let Some(n) = declared {
        if n as usize != points.len() {
            return Err(malformed(
                path,
                format!(
                    "ROI {roi:?}: Number of Contour Points is {n} but Contour Data holds {} points",
                    points.len()
                ),
            ));
        }
    }
    if points.iter().flatten().any(|v| !v.is_finite()) {
        return Err(malformed(
            path,
            format!("ROI {roi:?}: Contour Data holds a non-finite coordinate"),
        ));
    }
    Ok(Contour { kind, points })
}

impl StructureSet {
    /// Checks that this structure set was drawn on the image series `image`.
    ///
    /// # Errors
    /// [`ImageError::InvalidSetting`] naming the file and both UIDs when it was not.
    pub fn check_reference(&self, image: &SeriesReference) -> Result<()> {
        let mut frames = self.frames_of_reference.clone();
        frames.extend(
            self.rois
                .iter()
                .filter_map(|r| r.frame_of_reference.clone()),
        );
        frames.dedup();
        attrs::check_reference(
            &self.path,
            "RTSTRUCT",
            &frames,
            &self.referenced_series,
            image,
        )
    }

    /// The ROI numbered `number`.
    pub fn roi(&self, number: i64) -> Option<&Roi> {
        self.rois.iter().find(|r| r.number == number)
    }

    /// Rasterises `roi` onto `grid` by the rule of this module: a `U8` volume, 1 inside.
    ///
    /// # Errors
    /// [`ImageError::InvalidSetting`] naming the file when the ROI has no contours or none that
    /// encloses voxels, or a contour lies between slices, outside the image's slices or not in a
    /// slice plane; [`ImageError::TooLarge`] for a grid over [`crate::max_voxels`].
    pub fn rasterise(&self, roi: &Roi, grid: &Geometry) -> Result<Volume> {
        let declared: u64 = grid.size.iter().map(|&s| s as u64).product();
        if declared > crate::max_voxels() {
            return Err(ImageError::TooLarge {
                path: self.path.clone(),
                declared,
                limit: crate::max_voxels(),
            });
        }
        let closed: Vec<&Contour> = roi.contours.iter().filter(|c| c.kind.encloses()).collect();
        if closed.is_empty() {
            return Err(self.roi_error(roi, &no_closed_contour_reason(roi)));
        }
        let plane = SlicePlanes::of(grid);
        let [nx, ny, _] = grid.size;
        let mut by_slice: Vec<Vec<Vec<[f64; 2]>>> = vec![Vec::new(); grid.size[2]];
        for (n, contour) in closed.iter().enumerate() {
            let k = plane
                .slice_of(&contour.points)
                .map_err(|reason| self.roi_error(roi, &format!("contour {}: {reason}", n + 1)))?;
            by_slice[k].push(contour.points.iter().map(|&p| plane.pixel(p, k)).collect());
        }
        let mut mask = vec![0u8; nx * ny * grid.size[2]];
        for (k, polygons) in by_slice.iter().enumerate() {
            if !polygons.is_empty() {
                fill_even_odd(polygons, nx, ny, &mut mask[k * nx * ny..(k + 1) * nx * ny]);
            }
        }
        Volume::new(grid.clone(), VoxelData::U8(mask))
    }

    fn roi_error(&self, roi: &Roi, reason: &str) -> ImageError {
        ImageError::InvalidSetting {
            reason: format!("ROI {:?} (number {}): {reason}", roi.name, roi.number),
        }
        .in_file(&self.path)
    }
}

fn no_closed_contour_reason(roi: &Roi) -> String {
    if roi.contours.is_empty() {
        return "the ROI has no contours".into();
    }
    let mut kinds: Vec<&str> = roi.contours.iter().map(|c| c.kind.name()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    format!(
        "its contours are {}, which cannot enclose voxels (only CLOSED_PLANAR contours do)",
        kinds.join(", ")
    )
}

/// The slice planes of a grid: slice axis, in-plane directions and spacings.
struct SlicePlanes {
    origin: [f64; 3],
    row: [f64; 3],
    column: [f64; 3],
    normal: [f64; 3],
    spacing: [f64; 3],
    slices: usize,
}

impl SlicePlanes {
    fn of(grid: &Geometry) -> SlicePlanes {
        let axis = |c: usize| [0, 1, 2].map(|r| grid.direction[r][c]);
        SlicePlanes {
            origin: grid.origin,
            row: axis(0),
            column: axis(1),
            normal: axis(2),
            spacing: grid.spacing,
            slices: grid.size[2],
        }
    }

    /// Position of slice `k` (the physical point of voxel (0, 0, k)).
    fn slice_origin(&self, k: usize) -> [f64; 3] {
        [0, 1, 2].map(|r| self.origin[r] + self.normal[r] * self.spacing[2] * k as f64)
    }

    /// The slice a contour lies on: nearest to its mean projection on the normal, within half
    /// a slice spacing for the mean and for every point.
    fn slice_of(&self, points: &[[f64; 3]]) -> std::result::Result<usize, String> {
        let base = attrs::dot(self.normal, self.origin);
        let offset = |p: [f64; 3]| attrs::dot(self.normal, p) - base;
        let mean = points.iter().map(|&p| offset(p)).sum::<f64>() / points.len() as f64;
        let half = 0.5 * self.spacing[2].abs();
        let k = (mean / self.spacing[2]).round();
        let last = self.slices as f64 - 1.0;
        if !(0.0..=last).contains(&k) {
            return Err(format!(
                "it lies outside the image's slices ({mean} mm from the first slice along the \
                 slice normal, slices span 0 to {} mm)",
                last * self.spacing[2]
            ));
        }
        let distance = (mean - k * self.spacing[2]).abs();
        if distance >= half {
            return Err(format!(
                "it lies between slices ({distance} mm from the nearest slice, more than half the \
                 slice spacing {} mm)",
                self.spacing[2].abs()
            ));
        }
        if let Some(p) = points
            .iter()
            .find(|&&p| (offset(p) - k * self.spacing[2]).abs() > half)
        {
            return Err(format!(
                "it is not in a slice plane (point {p:?} is more than half a slice spacing off \
                 slice {k})"
            ));
        }
        Ok(k as usize)
    }

    /// Continuous (column, row) pixel indices of `p` on slice `k`.
    fn pixel(&self, p: [f64; 3], k: usize) -> [f64; 2] {
        let o = self.slice_origin(k);
        let d = [p[0] - o[0], p[1] - o[1], p[2] - o[2]];
        [
            attrs::dot(d, self.row) / self.spacing[0],
            attrs::dot(d, self.column) / self.spacing[1],
        ]
    }
}

/// Sets (xor) every voxel of an `nx`×`ny` slice whose centre lies inside the polygons by the
/// even-odd rule, scanline by scanline: along row `j`, a centre `i` is inside when an odd number
/// of edges cross the row at `x > i`.
fn fill_even_odd(polygons: &[Vec<[f64; 2]>], nx: usize, ny: usize, slice: &mut [u8]) {
    let mut crossings: Vec<Vec<f64>> = vec![Vec::new(); ny];
    for polygon in polygons {
        for (n, &a) in polygon.iter().enumerate() {
            let b = polygon[(n + 1) % polygon.len()];
            add_edge_crossings(a, b, ny, &mut crossings);
        }
    }
    for (j, xs) in crossings.iter_mut().enumerate() {
        xs.sort_unstable_by(f64::total_cmp);
        let row = &mut slice[j * nx..(j + 1) * nx];
        for pair in xs.chunks_exact(2) {
            let first = first_index_at_or_after(pair[0], nx);
            let end = first_index_at_or_after(pair[1], nx);
            for v in &mut row[first..end.max(first)] {
                *v ^= 1;
            }
        }
    }
}

/// Records where edge `a`–`b` crosses each scanline `j` it spans; a scanline through a vertex
/// counts the vertex as above it (`y >= j`), so each crossing is counted once.
fn add_edge_crossings(a: [f64; 2], b: [f64; 2], ny: usize, crossings: &mut [Vec<f64>]) {
    let (lo, hi) = if a[1] <= b[1] { (a, b) } else { (b, a) };
    if lo[1] == hi[1] {
        return;
    }
    // Scanlines j with lo.y < j <= hi.y: exactly those where (a.y >= j) != (b.y >= j).
    let first = (lo[1].floor() + 1.0).max(0.0);
    let last = hi[1].floor().min(ny as f64 - 1.0);
    let mut j = first;
    while j <= last {
        let x = lo[0] + (j - lo[1]) * (hi[0] - lo[0]) / (hi[1] - lo[1]);
        crossings[j as usize].push(x);
        j += 1.0;
    }
}

/// The first column index `i` in `0..=nx` with `i >= x` (centres strictly left of a crossing are
/// not past it).
fn first_index_at_or_after(x: f64, nx: usize) -> usize {
    x.ceil().clamp(0.0, nx as f64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    }

    fn filled(polygons: &[Vec<[f64; 2]>], nx: usize, ny: usize) -> Vec<u8> {
        let mut s = vec![0; nx * ny];
        fill_even_odd(polygons, nx, ny, &mut s);
        s
    }

    #[test]
    fn square_covers_the_centres_inside_it() {
        let s = filled(&[square(0.5, 0.5, 2.5, 3.5)], 4, 5);
        let inside: Vec<(usize, usize)> = (0..20)
            .filter(|&v| s[v] == 1)
            .map(|v| (v % 4, v / 4))
            .collect();
        assert_eq!(inside, [(1, 1), (2, 1), (1, 2), (2, 2), (1, 3), (2, 3)]);
    }

    #[test]
    fn inner_contour_is_a_hole() {
        let s = filled(
            &[square(-0.5, -0.5, 4.5, 4.5), square(1.5, 1.5, 2.5, 2.5)],
            5,
            5,
        );
        assert_eq!(s.iter().filter(|&&v| v == 1).count(), 24);
        assert_eq!(s[2 + 5 * 2], 0);
    }

    #[test]
    fn triangle_matches_a_direct_crossing_test() {
        let tri = vec![[0.3, 0.2], [7.7, 1.9], [2.1, 6.6]];
        let s = filled(std::slice::from_ref(&tri), 9, 8);
        for j in 0..8 {
            for i in 0..9 {
                let (px, py) = (i as f64, j as f64);
                let mut inside = false;
                for n in 0..3 {
                    let (a, b) = (tri[n], tri[(n + 1) % 3]);
                    if (a[1] >= py) != (b[1] >= py)
                        && px < a[0] + (py - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
                    {
                        inside = !inside;
                    }
                }
                assert_eq!(s[i + 9 * j], u8::from(inside), "({i}, {j})");
            }
        }
    }

    #[test]
    fn contour_partly_outside_the_slice_is_clipped() {
        let s = filled(&[square(-3.0, -3.0, 1.5, 10.0)], 3, 2);
        assert_eq!(s, [1, 1, 0, 1, 1, 0]);
    }
}
