//! Neighbour offsets ("angles") of the texture classes, and what they share.
//!
//! # Angles
//! An angle is an offset $(\Delta z, \Delta y, \Delta x)$ whose Chebyshev norm is one of the
//! requested distances. [`angles`] reproduces PyRadiomics' table (`cmatrices.c`,
//! `get_angle_count` + `build_angles`): offsets are enumerated from $+d_{max}$ down to
//! $-d_{max}$ with $\Delta z$ slowest and $\Delta x$ fastest; an offset is skipped when
//! $|\Delta| \ge$ the bounding-box extent along that axis, or when it moves along the `force2D`
//! axis. Mono-directional classes (GLCM, GLRLM) keep the first half of the table, so with
//! $d = 1$ in 3D they get the 13 angles $(1,1,1), (1,1,0), \dots, (0,0,1)$; bi-directional
//! classes (GLSZM, GLDM, NGTDM) get all 26.
//!
//! # Reference
//! PyRadiomics 3.x `radiomics/src/cmatrices.c` (`build_angles`, and the neighbour test of
//! `calculate_glcm` and friends), `shared/refs/pyradiomics.md` §6.

use crate::roi::{Offset, TextureSettings};

/// PyRadiomics' angle table for a bounding box of extent `dims` (`[nz, ny, nx]`).
///
/// `distances` are Chebyshev distances (entries below 1 are ignored: PyRadiomics rejects them);
/// `bidirectional` keeps both $a$ and $-a$; `force2d_axis` forbids movement along that axis.
/// The count of angles follows `get_angle_count`, including its quirk that a repeated distance
/// repeats its angles.
pub fn angles(
    dims: [usize; 3],
    distances: &[u32],
    bidirectional: bool,
    force2d_axis: Option<usize>,
) -> Vec<Offset> {
    let distances: Vec<i64> = distances
        .iter()
        .filter(|&&d| d >= 1)
        .map(|&d| i64::from(d))
        .collect();
    let Some(&max_distance) = distances.iter().max() else {
        return Vec::new();
    };
    let size: Vec<i64> = dims.iter().map(|&n| n as i64).collect();
    let mut count = 0usize;
    for &d in &distances {
        let (mut outer, mut inner) = (1i64, 1i64);
        for (axis, &n) in size.iter().enumerate() {
            if force2d_axis == Some(axis) {
                continue;
            }
            if d < n {
                outer *= 2 * d + 1;
                inner *= 2 * d - 1;
            } else {
                outer *= 2 * (n - 1) + 1;
                inner *= 2 * (n - 1) + 1;
            }
        }
        count += (outer - inner).max(0) as usize;
    }
    if !bidirectional {
        count /= 2;
    }
    // No offset reaches past the box, so the enumeration runs over the distances the box
    // allows: the same offsets in the same order, and a huge distance costs nothing.
    let reach = size
        .iter()
        .copied()
        .max()
        .unwrap_or(1)
        .saturating_sub(1)
        .max(0);
    let radius = max_distance.min(reach);
    let per_axis = 2 * radius + 1;
    let cycle = (per_axis * per_axis * per_axis) as usize;
    // The table is periodic in the enumeration index; a bound keeps a bad count from looping.
    let limit = cycle * distances.len().max(1);
    let mut out = Vec::with_capacity(count);
    let mut index = 0usize;
    while out.len() < count && index < limit {
        if let Some(offset) = enumerated_offset(index, radius, &size, force2d_axis) {
            let norm = offset.iter().map(|o| i64::from(o.abs())).max().unwrap_or(0);
            if norm >= 1 && distances.contains(&norm) {
                out.push(offset);
            }
        }
        index += 1;
    }
    out
}

/// The `index`-th offset of PyRadiomics' enumeration, or `None` when it is not allowed.
fn enumerated_offset(
    index: usize,
    max_distance: i64,
    size: &[i64],
    force2d_axis: Option<usize>,
) -> Option<Offset> {
    let per_axis = (2 * max_distance + 1) as usize;
    let strides = [per_axis * per_axis, per_axis, 1];
    let mut offset = [0i32; 3];
    for axis in 0..3 {
        let o = max_distance - ((index / strides[axis]) % per_axis) as i64;
        if (force2d_axis == Some(axis) && o != 0) || o >= size[axis] || o <= -size[axis] {
            return None;
        }
        offset[axis] = o as i32;
    }
    Some(offset)
}

/// The `force2Ddimension` axis when `force2D` is on.
pub fn force2d_axis(settings: &TextureSettings) -> Option<usize> {
    settings.force2d.then_some(settings.force2d_dimension)
}

/// Largest absolute component over `offsets` (the padding they need).
pub fn reach(offsets: &[Offset]) -> usize {
    offsets
        .iter()
        .flat_map(|o| o.iter())
        .map(|c| c.unsigned_abs() as usize)
        .max()
        .unwrap_or(0)
}

/// `np.nanmean`: mean of the non-NaN values, NaN when there are none.
pub fn nan_mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, n) = values
        .into_iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        sum / n as f64
    }
}

/// `weightingNorm` factor norms: the physical length of `offset` under the named norm
/// (`infinity`, `euclidean`, `manhattan`); `None` means "weight 1" (`no_weighting` and any
/// unknown name, which PyRadiomics also treats as 1).
pub fn offset_norm(norm: &str, offset: Offset, spacing: [f64; 3]) -> Option<f64> {
    let scaled = [0, 1, 2].map(|a| f64::from(offset[a].abs()) * spacing[a]);
    match norm {
        "infinity" => Some(scaled.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
        "euclidean" => Some(scaled.iter().map(|s| s * s).sum::<f64>().sqrt()),
        "manhattan" => Some(scaled.iter().sum()),
        _ => None,
    }
}

/// Declares a class's [`FeatureName`](crate::roi::FeatureName) list and the aligned formula
/// table from one list, so names and formulas cannot drift apart.
///
/// `feature_table!(Stats; "Name" => formula, deprecated "Old" => old_formula, ...)` defines
/// `pub const FEATURES`, `const FORMULAS: &[fn(&Stats) -> f64]` and `fn evaluate`, which runs
/// only the formulas of the features asked for.
macro_rules! feature_table {
    ($stats:ty; $($($dep:ident)? $name:literal => $formula:path),* $(,)?) => {
        /// Every feature of the class in PyRadiomics' output order (ASCII order of its
        /// `get<Name>FeatureValue` methods); deprecated ones are computed only when named.
        pub const FEATURES: &[$crate::roi::FeatureName] = &[$($crate::roi::FeatureName {
            name: $name,
            deprecated: $crate::neighbours::feature_table!(@deprecated $($dep)?),
        }),*];
        /// The formula of each entry of [`FEATURES`], in the same order.
        const FORMULAS: &[fn(&$stats) -> f64] = &[$($formula),*];
        /// The wanted formulas on `stats` (`wanted` aligned with [`FEATURES`]); NaN stands in
        /// for the others, which are not computed.
        fn evaluate(stats: &$stats, wanted: &[bool]) -> Vec<f64> {
            FORMULAS
                .iter()
                .zip(wanted)
                .map(|(formula, &w)| if w { formula(stats) } else { f64::NAN })
                .collect()
        }
    };
    (@deprecated deprecated) => { true };
    (@deprecated) => { false };
}
pub(crate) use feature_table;

/// $\epsilon$ = `np.spacing(1)`, added inside every logarithm as PyRadiomics does.
pub const EPS: f64 = f64::EPSILON;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_mono_angles_in_pyradiomics_order() {
        let a = angles([5, 5, 5], &[1], false, None);
        let expected: Vec<Offset> = vec![
            [1, 1, 1],
            [1, 1, 0],
            [1, 1, -1],
            [1, 0, 1],
            [1, 0, 0],
            [1, 0, -1],
            [1, -1, 1],
            [1, -1, 0],
            [1, -1, -1],
            [0, 1, 1],
            [0, 1, 0],
            [0, 1, -1],
            [0, 0, 1],
        ];
        assert_eq!(a, expected);
        assert_eq!(angles([5, 5, 5], &[1], true, None).len(), 26);
    }

    #[test]
    fn single_slice_and_force2d_keep_in_plane_angles() {
        let a = angles([1, 5, 5], &[1], false, None);
        assert_eq!(a, vec![[0, 1, 1], [0, 1, 0], [0, 1, -1], [0, 0, 1]]);
        assert_eq!(angles([4, 5, 5], &[1], false, Some(0)), a);
        assert_eq!(angles([1, 5, 5], &[1], true, None).len(), 8);
    }

    #[test]
    fn distance_two_shell_is_clipped_by_small_extent() {
        // Full 3D shell of Chebyshev radius 2 has 5^3 - 3^3 = 98 offsets (49 mono).
        assert_eq!(angles([9, 9, 9], &[2], false, None).len(), 49);
        // Extent 2 along z allows only dz in {-1, 0, 1}: 3*5*5 - 3*3*3 = 48 offsets.
        let a = angles([2, 9, 9], &[2], true, None);
        assert_eq!(a.len(), 48);
        assert!(a
            .iter()
            .all(|o| o[0].abs() <= 1 && o.iter().map(|c| c.abs()).max() == Some(2)));
    }

    #[test]
    fn a_distance_past_the_box_adds_no_angle_and_costs_nothing() {
        let near = angles([3, 4, 5], &[1, 3], true, None);
        assert_eq!(angles([3, 4, 5], &[1, 3, u32::MAX], true, None), near);
        assert!(angles([3, 4, 5], &[u32::MAX], true, None).is_empty());
    }

    #[test]
    fn nan_mean_skips_nan() {
        assert_eq!(nan_mean([1.0, f64::NAN, 3.0]), 2.0);
        assert!(nan_mean([f64::NAN]).is_nan());
    }
}
