//! Cubic B-spline interpolation on coefficients from ITK's recursive prefilter, computed only
//! where the output's supports need them.

use multiversion::multiversion;
use rayon::prelude::*;

use crate::{Volume, INTERLEAVE_LANES};

/// First index of the cubic support: `floor((float) c) - 1`, with ITK's float cast.
#[inline]
pub(super) fn support_start(c: f64) -> i64 {
    ((c as f32).floor() as i64) - 1
}

/// Mirrors an index into `0..n` (ITK `ApplyMirrorBoundaryConditions`); lines of length 1 use 0.
#[inline]
pub(super) fn mirror(k: i64, n: usize) -> usize {
    let last = n as i64 - 1;
    if last == 0 {
        return 0;
    }
    let k = if k < 0 { -k } else { k };
    let k = if k > last { 2 * last - k } else { k };
    k.clamp(0, last) as usize
}

/// Cubic B-spline weights at offset $t$ from the second support point (ITK's formulas).
#[inline]
pub(super) fn cubic_weights(t: f64) -> [f64; 4] {
    let w3 = (1.0 / 6.0) * t * t * t;
    let w0 = (1.0 / 6.0) + 0.5 * t * (t - 1.0) - w3;
    let w2 = t + w0 - 2.0 * w3;
    let w1 = 1.0 - w0 - w2 - w3;
    [w0, w1, w2, w3]
}

/// Cubic B-spline coefficients of the (mirrored) input indices that the output needs.
pub(super) struct BSplineCoefficients {
    pub(super) input_size: [usize; 3],
    /// The input indices kept along each axis (sorted), and the position of each index in that
    /// list (`usize::MAX` for indices not kept).
    pub(super) kept: [Vec<usize>; 3],
    pub(super) slot: [Vec<usize>; 3],
    /// Coefficients of the kept indices, x-fastest over the kept lists.
    pub(super) values: Vec<f64>,
}

impl BSplineCoefficients {
    pub(super) fn new(volume: &Volume, support: &Option<[(i64, i64); 3]>) -> BSplineCoefficients {
        let size = volume.geometry().size;
        let kept: [Vec<usize>; 3] = [0, 1, 2].map(|k| match support {
            Some(s) => {
                let mut v: Vec<usize> = (s[k].0..=s[k].1).map(|i| mirror(i, size[k])).collect();
                v.sort_unstable();
                v.dedup();
                v
            }
            None => Vec::new(),
        });
        let slot = [0, 1, 2].map(|k| {
            let mut s = vec![usize::MAX; size[k]];
            for (p, &i) in kept[k].iter().enumerate() {
                s[i] = p;
            }
            s
        });
        let values = prefilter(volume, &kept);
        BSplineCoefficients {
            input_size: size,
            kept,
            slot,
            values,
        }
    }

    /// Interpolated values at the continuous indices `points` into `out` (ITK
    /// `EvaluateAtContinuousIndex`, order 3), [`POINTS`] points at a time.
    pub(super) fn evaluate_points(&self, points: &[[f64; 3]], out: &mut [f64]) {
        for (batch, values) in points.chunks(POINTS).zip(out.chunks_mut(POINTS)) {
            let mut lanes = [batch[batch.len() - 1]; POINTS];
            lanes[..batch.len()].copy_from_slice(batch);
            values.copy_from_slice(&evaluate_lanes(self, &lanes)[..batch.len()]);
        }
    }
}

/// [`POINTS`] interpolated values. Each lane's sum has ITK's terms in ITK's order
/// (p = i + 4j + 16k, weight ((1·wx)·wy)·wz, accumulated in p order), so the values equal one
/// evaluation at a time; the lanes' sums are independent chains that the processor overlaps
/// (and adds as vectors), where a single sum waits on every addition before it. Weights and
/// coefficient positions are laid out tap-major, lane-minor for the same reason, and the
/// products wx·wy are formed once per point rather than once per z tap (the same products).
/// When every lane has the same y and z index (a line of a grid aligned with the input's
/// axes), the coefficient row of each (y, z) tap is shared by all lanes. Compiled also for AVX
/// and AVX2 (chosen at run time); no fused multiply-adds, so the bits do not depend on the CPU.
#[multiversion(targets("x86_64+avx2", "x86_64+avx"))]
fn evaluate_lanes(c: &BSplineCoefficients, points: &[[f64; 3]; POINTS]) -> [f64; POINTS] {
    let (x, y, z) = (
        Taps::new(c, points, 0),
        Taps::new(c, points, 1),
        Taps::new(c, points, 2),
    );
    let mut wxy = [[[0.0; POINTS]; 4]; 4];
    for (j, row) in wxy.iter_mut().enumerate() {
        for (i, products) in row.iter_mut().enumerate() {
            for lane in 0..POINTS {
                products[lane] = x.weights[i][lane] * y.weights[j][lane];
            }
        }
    }
    let (kx, ky) = (c.kept[0].len(), c.kept[1].len());
    let mut sums = [0.0; POINTS];
    let mut terms = [0.0; POINTS];
    if y.uniform && z.uniform {
        for k in 0..4 {
            let wz = z.weights[k][0];
            for j in 0..4 {
                let start = kx * (y.slots[j][0] + ky * z.slots[k][0]);
                let row = &c.values[start..start + kx];
                for i in 0..4 {
                    for (t, &s) in terms.iter_mut().zip(&x.slots[i]) {
                        *t = row[s];
                    }
                    for lane in 0..POINTS {
                        sums[lane] += wxy[j][i][lane] * wz * terms[lane];
                    }
                }
            }
        }
        return sums;
    }
    let mut row = [0usize; POINTS];
    for k in 0..4 {
        for j in 0..4 {
            for (lane, r) in row.iter_mut().enumerate() {
                *r = kx * (y.slots[j][lane] + ky * z.slots[k][lane]);
            }
            for i in 0..4 {
                for (lane, t) in terms.iter_mut().enumerate() {
                    *t = c.values[row[lane] + x.slots[i][lane]];
                }
                for lane in 0..POINTS {
                    sums[lane] += wxy[j][i][lane] * z.weights[k][lane] * terms[lane];
                }
            }
        }
    }
    sums
}

/// The four cubic weights and kept-list positions of one axis for every lane, tap-major. Lanes
/// with the same continuous index as the lane before (every lane, for the y and z of a line of
/// an axis-aligned grid) copy its taps instead of computing them again.
struct Taps {
    weights: [[f64; POINTS]; 4],
    slots: [[usize; POINTS]; 4],
    /// Every lane has the same index.
    uniform: bool,
}

impl Taps {
    #[inline(always)]
    fn new(c: &BSplineCoefficients, points: &[[f64; 3]; POINTS], k: usize) -> Taps {
        let mut taps = Taps {
            weights: [[0.0; POINTS]; 4],
            slots: [[0; POINTS]; 4],
            uniform: true,
        };
        for lane in 0..POINTS {
            let index = points[lane][k];
            if lane > 0 && index.to_bits() == points[lane - 1][k].to_bits() {
                for j in 0..4 {
                    taps.weights[j][lane] = taps.weights[j][lane - 1];
                    taps.slots[j][lane] = taps.slots[j][lane - 1];
                }
                continue;
            }
            taps.uniform &= lane == 0;
            let start = support_start(index);
            let w = cubic_weights(index - (start + 1) as f64);
            for j in 0..4 {
                taps.weights[j][lane] = w[j];
                taps.slots[j][lane] = c.slot[k][mirror(start + j as i64, c.input_size[k])];
            }
        }
        taps
    }
}

/// Output voxels interpolated together by [`BSplineCoefficients::evaluate_points`].
const POINTS: usize = 16;

/// Lines filtered together: value `i` of line `l` is `block[i][l]`, so one vector instruction
/// serves several lines. A partial block leaves its unused lanes at zero.
pub(super) type Block = [f64; INTERLEAVE_LANES];

/// ITK's `BSplineDecompositionImageFilter` (order 3) restricted to the kept indices: the x pass
/// on every x line keeping the kept columns, then whole y lines of those, then whole z lines.
/// Every pass filters blocks of lines at once ([`filter_lines`]), which gives the same bits.
pub(super) fn prefilter(volume: &Volume, kept: &[Vec<usize>; 3]) -> Vec<f64> {
    let [nx, ny, nz] = volume.geometry().size;
    let (kx, ky) = (kept[0].len(), kept[1].len());
    if kept.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    // x and y passes, one z plane at a time (the plane after the x pass is small and stays in
    // cache): the x pass on all lines of the plane keeps the kept x columns (layout [y][kx]);
    // these are the lanes of whole y lines, of which the kept rows are kept. Layout [z][ky][kx].
    let mut after_y = vec![0.0; kx * ky * nz];
    after_y
        .par_chunks_mut(kx * ky)
        .enumerate()
        .for_each(|(z, out)| {
            let mut block = vec![[0.0; INTERLEAVE_LANES]; nx];
            let mut plane = vec![0.0; kx * ny];
            for y0 in (0..ny).step_by(INTERLEAVE_LANES) {
                let rows = INTERLEAVE_LANES.min(ny - y0);
                let start = volume.geometry().offset(0, y0, z);
                volume
                    .data()
                    .interleave_rows_f64(start, nx, rows, &mut block);
                filter_lines(&mut block, kept[0][0]);
                for l in 0..rows {
                    let line = &mut plane[(y0 + l) * kx..(y0 + l + 1) * kx];
                    for (o, &x) in line.iter_mut().zip(&kept[0]) {
                        *o = block[x][l];
                    }
                }
            }
            filter_lanes(&plane, kx, &kept[1], out);
        });
    // z pass: the kept (x, y) pairs are the lanes of whole z lines; keep the kept slices.
    let mut coefficients = vec![0.0; kx * ky * kept[2].len()];
    filter_lanes(&after_y, kx * ky, &kept[2], &mut coefficients);
    coefficients
}

/// Filters the `lanes` interleaved lines of `data` (value `i` of line `l` at
/// `data[i * lanes + l]`) a block at a time and writes values `keep` of each line to `out`, in
/// the same layout.
pub(super) fn filter_lanes(data: &[f64], lanes: usize, keep: &[usize], out: &mut [f64]) {
    let n = data.len() / lanes;
    let mut block = vec![[0.0; INTERLEAVE_LANES]; n];
    for l0 in (0..lanes).step_by(INTERLEAVE_LANES) {
        let width = INTERLEAVE_LANES.min(lanes - l0);
        for (i, b) in block.iter_mut().enumerate() {
            b[..width].copy_from_slice(&data[i * lanes + l0..i * lanes + l0 + width]);
            b[width..].fill(0.0);
        }
        filter_lines(&mut block, keep[0]);
        for (q, &i) in keep.iter().enumerate() {
            out[q * lanes + l0..q * lanes + l0 + width].copy_from_slice(&block[i][..width]);
        }
    }
}

/// ITK's cubic B-spline prefilter (`DataToCoefficients1D`, mirror boundaries) on a block of
/// lines. Every lane gets exactly the operations of one ITK call on its line, in the same order,
/// so the coefficients are bit-identical; the fixed block width gives straight-line vector code.
///
/// Only coefficients `keep_from..` of each line are wanted: the anti-causal pass, which runs from
/// the end of the line, stops there and leaves the values before it meaningless. ITK's gain
/// multiplication is folded into the causal pass (the same product, rounded the same way), so
/// the data is swept twice instead of three times.
#[multiversion(targets("x86_64+avx"))]
pub(super) fn filter_lines(block: &mut [Block], keep_from: usize) {
    let n = block.len();
    if n <= 1 {
        return;
    }
    let z = 3.0f64.sqrt() - 2.0;
    let gain = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
    // the initial causal coefficient reads the first `scaled` values already multiplied
    let scaled = initial_causal_terms(n, z);
    for v in block[..scaled].as_flattened_mut() {
        *v *= gain;
    }
    block[0] = initial_causal(block, z);
    for i in 1..n {
        let previous = block[i - 1];
        let row = &mut block[i];
        if i < scaled {
            for (c, p) in row.iter_mut().zip(previous) {
                *c += z * p;
            }
        } else {
            for (c, p) in row.iter_mut().zip(previous) {
                *c = *c * gain + z * p;
            }
        }
    }
    let before_last = block[n - 2];
    for (c, p) in block[n - 1].iter_mut().zip(before_last) {
        *c = (z / (z * z - 1.0)) * (z * p + *c);
    }
    for i in (keep_from.min(n - 1)..n - 1).rev() {
        let next = block[i + 1];
        for (c, next) in block[i].iter_mut().zip(next) {
            *c = z * (next - *c);
        }
    }
}

/// How many leading values of a line of `n` ITK's initial causal coefficient reads: the
/// `horizon` of its truncated sum (tolerance 1e-10) when that is shorter than the line, else all.
pub(super) fn initial_causal_terms(n: usize, z: f64) -> usize {
    let horizon = ((1e-10f64).ln() / z.abs().ln()).ceil() as usize;
    horizon.min(n)
}

/// ITK's `SetInitialCausalCoefficient` (tolerance 1e-10) for every lane of a block: a truncated
/// sum of [`initial_causal_terms`] terms when shorter than the line, else the exact
/// mirror-boundary sum.
pub(super) fn initial_causal(block: &[Block], z: f64) -> Block {
    let n = block.len();
    let terms = initial_causal_terms(n, z);
    let mut sum = block[0];
    let mut zn = z;
    let add = |sum: &mut Block, weight: f64, i: usize| {
        for (s, v) in sum.iter_mut().zip(block[i]) {
            *s += weight * v;
        }
    };
    if terms < n {
        for i in 1..terms {
            add(&mut sum, zn, i);
            zn *= z;
        }
        sum
    } else {
        let iz = 1.0 / z;
        let mut z2n = z.powf((n - 1) as f64);
        add(&mut sum, z2n, n - 1);
        z2n = z2n * (z2n * iz); // ITK's `z2n *= z2n * iz`
        for i in 1..n - 1 {
            add(&mut sum, zn + z2n, i);
            zn *= z;
            z2n *= iz;
        }
        let denominator = 1.0 - zn * zn;
        sum.map(|s| s / denominator)
    }
}
