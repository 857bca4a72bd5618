//! Laplacian of Gaussian as ITK's `LaplacianRecursiveGaussianImageFilter` computes it with
//! `NormalizeAcrossScale` on (`getLoGImage`).
//!
//! For each axis $d$ (x, y, z) the image is filtered along $d$ with the recursive (Deriche,
//! 4th order) approximation of the second Gaussian derivative scaled by $\sigma^2$, then along the
//! two other axes (ascending) with the recursive Gaussian; every pass computes in double and stores
//! float32. The three terms are accumulated in float32 as $acc + t_d \cdot (1/s_d^2)$ (in double),
//! starting from 0.
//!
//! Each pass is ITK's `RecursiveSeparableImageFilter::FilterDataArray` on whole lines: a causal
//! and an anti-causal 4-term recursion whose borders assume the end values extend to infinity,
//! with the coefficients of `RecursiveGaussianImageFilter::SetUp`, operation for operation. The
//! recursion reaches along the whole line, so the first pass runs on the whole image and each
//! later pass only on the lines the region needs.
//!
//! PyRadiomics yields no LoG image when the image is smaller than 4 voxels along an axis, and
//! skips a sigma unless every axis has at least $\lceil \sigma / s \rceil + 1$ voxels.

use super::lines::{filter_along, Block, Image, Lanes, Rows, Spare, LANES};
use super::{FilterInput, Sigma};
use multiversion::multiversion;
use radsurv_image::mask::BoundingBox;
use rayon::prelude::*;

/// `log-sigma-<σ>-mm-3D`.
pub(super) fn image_name(sigma: Sigma) -> String {
    format!("log-sigma-{}-mm-3D", sigma.name_part())
}

/// One LoG image per applicable sigma, each handed to `use_image` as soon as it is complete.
/// The sigmas run in parallel, each task with its own spare buffers.
pub(super) fn derive<R: Send>(
    input: &FilterInput,
    sigmas: &[Sigma],
    use_image: &(impl Fn(&str, Vec<f64>) -> R + Sync),
) -> Vec<R> {
    let size = input.size();
    let spacing = input.image.geometry().spacing;
    if size.iter().any(|&n| n < 4) {
        return Vec::new();
    }
    let image = Image(input.image);
    let applicable: Vec<Sigma> = sigmas
        .iter()
        .filter(|s| s.value > 0.0)
        .filter(|s| (0..3).all(|a| size[a] as f64 >= (s.value / spacing[a]).ceil() + 1.0))
        .copied()
        .collect();
    applicable
        .par_iter()
        .map_init(Spare::default, |spare, &sigma| {
            let values = laplacian(&image, &input.region, sigma.value, spacing, spare);
            use_image(&image_name(sigma), values)
        })
        .collect()
}

/// The float32 Laplacian over `region`, as `f64`. The first pass of each term reads the image
/// as stored; every later pass reads the float32 block of the pass before, and writes into a
/// buffer from `spare`, handing its spent input back there.
fn laplacian(
    image: &Image,
    region: &BoundingBox,
    sigma: f64,
    spacing: [f64; 3],
    spare: &mut Spare<f32>,
) -> Vec<f64> {
    let region_size = region.size();
    let mut acc = Vec::with_capacity(region_size.iter().product());
    for d in 0..3 {
        let others: Vec<usize> = (0..3).filter(|&a| a != d).collect();
        let order = [d, others[0], others[1]];
        let mut block = None::<Block<f32>>;
        for (step, &axis) in order.iter().enumerate() {
            // after this pass, axes already filtered are restricted to the region
            let mut lower = [0; 3];
            let mut size = image.size();
            for &done in &order[..=step] {
                lower[done] = region.lower[done];
                size[done] = region_size[done];
            }
            let out_box = spare.block_to_overwrite(lower, size);
            let kind = if step == 0 {
                Order::Second
            } else {
                Order::Zero
            };
            let coefficients = Coefficients::new(sigma, spacing[axis], kind);
            let input: &dyn Rows = match &block {
                Some(b) => b,
                None => image,
            };
            let filtered = filter_along(input, out_box, axis, |lines, out| {
                filter_lines(&coefficients, lines, out);
            });
            if let Some(spent) = block.replace(filtered) {
                spare.keep(spent.data);
            }
        }
        let term = block.map(|b| b.data).unwrap_or_default();
        accumulate(&mut acc, &term, 1.0 / (spacing[d] * spacing[d]));
        spare.keep(term);
    }
    acc
}

/// `acc = float32(acc + t / s_d^2)` per voxel, with the float32 sum kept as `f64`; an empty
/// `acc` stands for the zeros the sum starts from.
fn accumulate(acc: &mut Vec<f64>, term: &[f32], inverse: f64) {
    let add = |a: f64, t: f32| f64::from((a + f64::from(t) * inverse) as f32);
    if acc.is_empty() {
        acc.extend(term.iter().map(|&t| add(0.0, t)));
    } else {
        for (a, &t) in acc.iter_mut().zip(term) {
            *a = add(*a, t);
        }
    }
}

/// Derivative order of a recursive Gaussian pass.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    Zero,
    Second,
}

/// Coefficients of ITK's `RecursiveGaussianImageFilter` (`SetUp`).
struct Coefficients {
    n: [f64; 4],
    d: [f64; 4],
    m: [f64; 4],
    bn: [f64; 4],
    bm: [f64; 4],
}

/// Deriche's exponential-series parameters, as ITK tabulates them:
/// `(a1, b1)` per derivative order 0 and 2, then `w1, l1`, `(a2, b2)`, `w2, l2`.
const A1: [f64; 3] = [1.3530, -0.6724, -1.3563];
const B1: [f64; 3] = [1.8151, -3.4327, 5.2318];
const W1: f64 = 0.6681;
const L1: f64 = -1.3932;
const A2: [f64; 3] = [-0.3531, 0.6724, 0.3446];
const B2: [f64; 3] = [0.0902, 0.6100, -2.2355];
const W2: f64 = 2.0787;
const L2: f64 = -1.3732;

/// `ComputeNCoefficients`: `([n0, n1, n2, n3], sn, dn, en)`.
fn n_coefficients(sigmad: f64, k: usize) -> ([f64; 4], f64, f64, f64) {
    let (a1, b1, a2, b2) = (A1[k], B1[k], A2[k], B2[k]);
    let sin1 = (W1 / sigmad).sin();
    let sin2 = (W2 / sigmad).sin();
    let cos1 = (W1 / sigmad).cos();
    let cos2 = (W2 / sigmad).cos();
    let exp1 = (L1 / sigmad).exp();
    let exp2 = (L2 / sigmad).exp();
    let n0 = a1 + a2;
    let mut n1 = exp2 * (b2 * sin2 - (a2 + 2.0 * a1) * cos2);
    n1 += exp1 * (b1 * sin1 - (a1 + 2.0 * a2) * cos1);
    let mut n2 = (a1 + a2) * cos2 * cos1;
    n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
    n2 *= 2.0 * exp1 * exp2;
    n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
    let mut n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
    n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
    let sn = n0 + n1 + n2 + n3;
    let dn = n1 + 2.0 * n2 + 3.0 * n3;
    let en = n1 + 4.0 * n2 + 9.0 * n3;
    ([n0, n1, n2, n3], sn, dn, en)
}

impl Coefficients {
    fn new(sigma: f64, spacing: f64, order: Order) -> Coefficients {
        let sigmad = sigma / spacing.abs();
        let cos1 = (W1 / sigmad).cos();
        let cos2 = (W2 / sigmad).cos();
        let exp1 = (L1 / sigmad).exp();
        let exp2 = (L2 / sigmad).exp();
        let d4 = exp1 * exp1 * exp2 * exp2;
        let mut d3 = -2.0 * cos1 * exp1 * exp2 * exp2;
        d3 += -2.0 * cos2 * exp2 * exp1 * exp1;
        let mut d2 = 4.0 * cos2 * cos1 * exp1 * exp2;
        d2 += exp1 * exp1 + exp2 * exp2;
        let d1 = -2.0 * (exp2 * cos2 + exp1 * cos1);
        let sd = 1.0 + d1 + d2 + d3 + d4;
        let dd = d1 + 2.0 * d2 + 3.0 * d3 + 4.0 * d4;
        let ed = d1 + 4.0 * d2 + 9.0 * d3 + 16.0 * d4;
        let n = match order {
            Order::Zero => {
                let (mut n, sn, _, _) = n_coefficients(sigmad, 0);
                let alpha0 = 2.0 * sn / sd - n[0];
                for v in &mut n {
                    *v *= 1.0 / alpha0;
                }
                n
            }
            Order::Second => {
                let normalization = sigma * sigma;
                let (n_0, sn0, dn0, en0) = n_coefficients(sigmad, 0);
                let (n_2, sn2, dn2, en2) = n_coefficients(sigmad, 2);
                let beta = -(2.0 * sn2 - sd * n_2[0]) / (2.0 * sn0 - sd * n_0[0]);
                let mut n = [0, 1, 2, 3].map(|i| n_2[i] + beta * n_0[i]);
                let sn = sn2 + beta * sn0;
                let dn = dn2 + beta * dn0;
                let en = en2 + beta * en0;
                let mut alpha2 =
                    en * sd * sd - ed * sn * sd - 2.0 * dn * dd * sd + 2.0 * dd * dd * sn;
                alpha2 /= sd * sd * sd;
                for v in &mut n {
                    *v *= normalization / alpha2;
                }
                n
            }
        };
        // both orders are symmetric kernels
        let m = [
            n[1] - d1 * n[0],
            n[2] - d2 * n[0],
            n[3] - d3 * n[0],
            -d4 * n[0],
        ];
        let sn = n[0] + n[1] + n[2] + n[3];
        let sm = m[0] + m[1] + m[2] + m[3];
        let sd = 1.0 + d1 + d2 + d3 + d4;
        let d = [d1, d2, d3, d4];
        Coefficients {
            n,
            d,
            m,
            bn: d.map(|di| di * sn / sd),
            bm: d.map(|di| di * sm / sd),
        }
    }
}

/// `FilterDataArray` on [`LANES`] lines at once, each stored as float32 as ITK stores every pass:
/// the causal pass into `outs`, then the anti-causal one, each of its values added to `outs` as
/// soon as it is known (it only feeds the next four, kept in registers), so no scratch line is
/// written and read back. Compiled for the baseline target, with AVX and with AVX-512 (whose 32
/// registers hold the four carried values of every lane); no fused multiply-adds, the same
/// operations in the same order, so all give the same values.
#[multiversion(targets("x86_64+avx512f", "x86_64+avx"))]
fn filter_lines(c: &Coefficients, data: &[Lanes], outs: &mut [Lanes]) {
    let ln = data.len();
    let [n0, n1, n2, n3] = c.n;
    let [d1, d2, d3, d4] = c.d;
    let [m1, m2, m3, m4] = c.m;
    let [bn1, bn2, bn3, bn4] = c.bn;
    let [bm1, bm2, bm3, bm4] = c.bm;
    let v1 = data[0];
    outs[0] = sum4([&v1, &v1, &v1, &v1], [n0, n1, n2, n3]);
    outs[1] = sum4([&data[1], &v1, &v1, &v1], [n0, n1, n2, n3]);
    outs[2] = sum4([&data[2], &data[1], &v1, &v1], [n0, n1, n2, n3]);
    outs[3] = sum4([&data[3], &data[2], &data[1], &v1], [n0, n1, n2, n3]);
    outs[0] = minus(&outs[0], &sum4([&v1, &v1, &v1, &v1], [bn1, bn2, bn3, bn4]));
    outs[1] = minus(
        &outs[1],
        &sum4([&outs[0], &v1, &v1, &v1], [d1, bn2, bn3, bn4]),
    );
    outs[2] = minus(
        &outs[2],
        &sum4([&outs[1], &outs[0], &v1, &v1], [d1, d2, bn3, bn4]),
    );
    outs[3] = minus(
        &outs[3],
        &sum4([&outs[2], &outs[1], &outs[0], &v1], [d1, d2, d3, bn4]),
    );
    // causal values o[i - 1] .. o[i - 4], carried in registers rather than read back
    let (mut o1, mut o2, mut o3, mut o4) = (outs[3], outs[2], outs[1], outs[0]);
    for i in 4..ln {
        let input = sum4(
            [&data[i], &data[i - 1], &data[i - 2], &data[i - 3]],
            [n0, n1, n2, n3],
        );
        let feedback = sum4([&o1, &o2, &o3, &o4], [d1, d2, d3, d4]);
        let next = minus(&input, &feedback);
        outs[i] = next;
        (o4, o3, o2, o1) = (o3, o2, o1, next);
    }
    // anti-causal values s[i] .. s[i + 3], the last four computed
    let v2 = data[ln - 1];
    let mut s3 = sum4([&v2, &v2, &v2, &v2], [m1, m2, m3, m4]);
    let mut s2 = sum4([&data[ln - 1], &v2, &v2, &v2], [m1, m2, m3, m4]);
    let mut s1 = sum4([&data[ln - 2], &data[ln - 1], &v2, &v2], [m1, m2, m3, m4]);
    let mut s0 = sum4(
        [&data[ln - 3], &data[ln - 2], &data[ln - 1], &v2],
        [m1, m2, m3, m4],
    );
    s3 = minus(&s3, &sum4([&v2, &v2, &v2, &v2], [bm1, bm2, bm3, bm4]));
    s2 = minus(&s2, &sum4([&s3, &v2, &v2, &v2], [d1, bm2, bm3, bm4]));
    s1 = minus(&s1, &sum4([&s2, &s3, &v2, &v2], [d1, d2, bm3, bm4]));
    s0 = minus(&s0, &sum4([&s1, &s2, &s3, &v2], [d1, d2, d3, bm4]));
    for (o, s) in outs[ln - 4..].iter_mut().zip([&s0, &s1, &s2, &s3]) {
        add_as_f32(o, s);
    }
    for i in (1..=ln - 4).rev() {
        let input = sum4(
            [&data[i], &data[i + 1], &data[i + 2], &data[i + 3]],
            [m1, m2, m3, m4],
        );
        let feedback = sum4([&s0, &s1, &s2, &s3], [d1, d2, d3, d4]);
        let next = minus(&input, &feedback);
        add_as_f32(&mut outs[i - 1], &next);
        (s3, s2, s1, s0) = (s2, s1, s0, next);
    }
}

/// `o = float32(o + s)` per lane: a causal and an anti-causal value summed and stored.
#[inline(always)]
fn add_as_f32(o: &mut Lanes, s: &Lanes) {
    for l in 0..LANES {
        o[l] = f64::from((o[l] + s[l]) as f32);
    }
}

/// $a_1 b_1 + a_2 b_2 + a_3 b_3 + a_4 b_4$ per lane, added left to right.
#[inline(always)]
fn sum4(a: [&Lanes; 4], b: [f64; 4]) -> Lanes {
    let mut out = [0.0; LANES];
    for (l, o) in out.iter_mut().enumerate() {
        *o = a[0][l] * b[0] + a[1][l] * b[1] + a[2][l] * b[2] + a[3][l] * b[3];
    }
    out
}

/// $a - b$ per lane.
#[inline(always)]
fn minus(a: &Lanes, b: &Lanes) -> Lanes {
    let mut out = [0.0; LANES];
    for (l, o) in out.iter_mut().enumerate() {
        *o = a[l] - b[l];
    }
    out
}
