//! Interpolation along ITK's scan lines: the continuous input index of every output voxel,
//! nearest neighbour and trilinear.

use rayon::prelude::*;

use super::bspline::support_start;
use super::grid::index_to_physical;
use crate::{Geometry, Volume};

/// The continuous input index of every output voxel, computed per scan line as ITK does.
pub(super) struct ScanLines {
    pub(super) output: Geometry,
    pub(super) input_size: [usize; 3],
    /// Per output line `(y, z)`: continuous input index of voxel 0 and the step to voxel `n_x`.
    pub(super) starts: Vec<([f64; 3], [f64; 3])>,
}

impl ScanLines {
    pub(super) fn new(input: &Geometry, output: &Geometry) -> ScanLines {
        let m_out = output.index_to_physical_matrix();
        let nx = output.size[0] as f64;
        let starts = (0..output.size[2])
            .flat_map(|z| (0..output.size[1]).map(move |y| (y, z)))
            .map(|(y, z)| {
                let (y, z) = (y as f64, z as f64);
                let a =
                    input.physical_to_index(index_to_physical(&m_out, &output.origin, [0.0, y, z]));
                let e =
                    input.physical_to_index(index_to_physical(&m_out, &output.origin, [nx, y, z]));
                (a, [0, 1, 2].map(|k| e[k] - a[k]))
            })
            .collect();
        ScanLines {
            output: output.clone(),
            input_size: input.size,
            starts,
        }
    }

    /// Continuous input index of output voxel `x` on line `line`.
    #[inline]
    pub(super) fn index(&self, line: usize, x: usize) -> [f64; 3] {
        let (a, d) = &self.starts[line];
        let alpha = x as f64 / self.output.size[0] as f64;
        [
            a[0] + alpha * d[0],
            a[1] + alpha * d[1],
            a[2] + alpha * d[2],
        ]
    }

    /// ITK's `IsInsideBuffer` for a continuous index.
    #[inline]
    pub(super) fn inside(&self, c: &[f64; 3]) -> bool {
        (0..3).all(|k| c[k] >= -0.5 && c[k] < self.input_size[k] as f64 - 0.5)
    }

    /// `f` at every inside output voxel, 0 outside, x-fastest.
    pub(super) fn evaluate(&self, f: impl Fn([f64; 3]) -> f64 + Sync) -> Vec<f64> {
        let nx = self.output.size[0];
        let mut out = vec![0.0; self.output.voxel_count()];
        out.par_chunks_mut(nx.max(1))
            .enumerate()
            .for_each(|(line, row)| {
                for (x, v) in row.iter_mut().enumerate() {
                    let c = self.index(line, x);
                    if self.inside(&c) {
                        *v = f(c);
                    }
                }
            });
        out
    }

    /// Like [`ScanLines::evaluate`] with `f(points, values)` filling the values of a line's
    /// inside voxels at once, so that `f` can work on several points side by side.
    pub(super) fn evaluate_lines(&self, f: impl Fn(&[[f64; 3]], &mut [f64]) + Sync) -> Vec<f64> {
        let nx = self.output.size[0];
        let mut out = vec![0.0; self.output.voxel_count()];
        out.par_chunks_mut(nx.max(1)).enumerate().for_each_init(
            || {
                (
                    Vec::with_capacity(nx),
                    Vec::with_capacity(nx),
                    vec![0.0; nx],
                )
            },
            |(xs, points, values), (line, row)| {
                xs.clear();
                points.clear();
                for x in 0..nx {
                    let c = self.index(line, x);
                    if self.inside(&c) {
                        xs.push(x);
                        points.push(c);
                    }
                }
                f(points, &mut values[..xs.len()]);
                for (&x, &v) in xs.iter().zip(values.iter()) {
                    row[x] = v;
                }
            },
        );
        out
    }

    /// Per input axis, the inclusive range of input indices (before mirroring) that the cubic
    /// supports of all inside output voxels touch; `None` when no voxel is inside.
    ///
    /// Along a line each continuous index is $a + (x / n_x) d$, monotone in $x$ (every rounding
    /// step is monotone), so the inside voxels form one run and a support's first index is
    /// smallest and largest at the run's ends: only those two voxels are evaluated.
    /// Lines run in parallel; minima and maxima do not depend on the order they are taken in.
    pub(super) fn support_box(&self) -> Option<[(i64, i64); 3]> {
        let empty = || ([i64::MAX; 3], [i64::MIN; 3]);
        let widen = |(lo, hi): ([i64; 3], [i64; 3]), (l, h): ([i64; 3], [i64; 3])| {
            (
                [0, 1, 2].map(|k| lo[k].min(l[k])),
                [0, 1, 2].map(|k| hi[k].max(h[k])),
            )
        };
        let nx = self.output.size[0];
        let (lo, hi) = (0..self.starts.len())
            .into_par_iter()
            .map(|line| {
                let inside = |x: &usize| self.inside(&self.index(line, *x));
                let Some(first) = (0..nx).find(inside) else {
                    return empty();
                };
                let last = (first..nx).rev().find(inside).unwrap_or(first);
                let (mut lo, mut hi) = empty();
                for x in [first, last] {
                    let c = self.index(line, x);
                    for k in 0..3 {
                        let start = support_start(c[k]);
                        lo[k] = lo[k].min(start);
                        hi[k] = hi[k].max(start + 3);
                    }
                }
                (lo, hi)
            })
            .reduce(empty, widen);
        (lo[0] <= hi[0]).then_some([(lo[0], hi[0]), (lo[1], hi[1]), (lo[2], hi[2])])
    }
}

/// Nearest-neighbour value: index $\lfloor c + 0.5 \rfloor$ (ITK `RoundHalfIntegerUp`), clamped
/// to the image. Truncation stands in for the floor: the two differ only between -1 and 0,
/// which the clamp maps to 0 either way.
#[inline]
pub(super) fn nearest(volume: &Volume, c: [f64; 3]) -> f64 {
    let size = volume.geometry().size;
    let index = |k: usize| ((c[k] + 0.5) as i64).clamp(0, size[k] as i64 - 1) as usize;
    volume.value(index(0), index(1), index(2))
}

/// ITK's 3-D `LinearInterpolateImageFunction`: lower neighbour $\max(0, \lfloor c \rfloor)$,
/// upper clamped to the image, no interpolation along an axis whose distance is ≤ 0; lerps
/// along x, then y, then z, each as $a + (b - a)t$.
pub(super) fn trilinear(volume: &Volume, c: [f64; 3]) -> f64 {
    let size = volume.geometry().size;
    let mut lower = [0usize; 3];
    let mut upper = [0usize; 3];
    let mut t = [0.0; 3];
    for k in 0..3 {
        let base = (c[k].floor() as i64).max(0);
        let distance = c[k] - base as f64;
        lower[k] = base as usize;
        upper[k] = (base as usize + 1).min(size[k] - 1);
        t[k] = if distance > 0.0 { distance } else { 0.0 };
    }
    let v = |x: usize, y: usize, z: usize| volume.value(x, y, z);
    let lerp = |a: f64, b: f64, t: f64| a + (b - a) * t;
    let along_x = |y, z| lerp(v(lower[0], y, z), v(upper[0], y, z), t[0]);
    let plane = |z| lerp(along_x(lower[1], z), along_x(upper[1], z), t[1]);
    lerp(plane(lower[2]), plane(upper[2]), t[2])
}
