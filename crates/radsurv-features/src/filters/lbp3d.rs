//! Local binary patterns in 3-D via spherical harmonics (`getLBP3DImage`), reproducing the
//! calls PyRadiomics makes, quirks included.
//!
//! 1. Sample points: the vertices of trimesh's `icosphere(subdivision, radius)` (the icosahedron,
//!    each subdivision adding the edge midpoints, every vertex pushed onto the sphere), added to
//!    each ROI voxel's array index `(z, y, x)` as they come, i.e. the vertex's x to z and its z to x,
//!    in voxel units.
//! 2. Samples: scipy's `map_coordinates(image, order=3)`: cubic B-spline coefficients of the whole
//!    image (prefilter along z, y, x; pole $\sqrt3 - 2$, gain 6, mirror boundaries), evaluated
//!    at each point (mirrored support at the border; a point outside the image gives 0), and
//!    stored in the image's pixel type: an integer image rounds half away from zero.
//! 3. $k$: the excess kurtosis $m_4/m_2^2 - 3$ of the samples (scipy `kurtosis`, biased; NaN
//!    when $m_2 \le (\epsilon \bar f)^2$).
//! 4. Bits $s_v = [f_v \ge g_c]$; $c_{nm} = \sum_v s_v Y_n^m(v)$ with scipy's
//!    `sph_harm(m, n, θ, φ)` called with θ = the polar angle and φ = the azimuth (scipy expects
//!    them the other way round); level $n$ gives
//!    $\operatorname{Re}\sqrt{\sum_v (\sum_m c_{nm} Y_n^m(v))^2}$, with the complex square and
//!    square root, not the modulus.
//!
//! The images hold values only on the ROI (PyRadiomics leaves the rest uninitialised); here the
//! other voxels of the region are 0 and never read.
//!
//! # Known differences
//! Rotations of one bit pattern have mathematically equal level norms that differ in their last
//! bits, so the last bits of every step matter where a feature compares voxels with a percentile
//! (first order's RobustMeanAbsoluteDeviation counts a voxel equal to $P_{10}$ or $P_{90}$ in or
//! out by them). Every step therefore follows numpy and scipy to the last bit: the vertices in
//! trimesh's order (the order of every sum over them), `sph_harm` in scipy's order of
//! operations, complex products with numpy's fused multiply-add (what its vectorised loop does
//! on any CPU with FMA), sums in numpy's order. One step cannot follow everywhere: the vertex
//! angles come from the C library's `acos` and `atan2`, which is what numpy computes on a CPU
//! without AVX-512; with AVX-512 numpy uses its own vectorised versions, which differ in the last
//! bit for some icosphere vertices. PyRadiomics' LBP3D images thus depend on the CPU in their
//! last bits, and on an AVX-512 CPU an lbp-3D RobustMeanAbsoluteDeviation can differ from ours
//! where voxels tie at a percentile (`scripts/check_filters_vs_pyradiomics.sh` runs PyRadiomics
//! both ways on cases outside the golden set).

use super::lines::{filter_along, Block, Image, Lanes, Rows};
use super::{DerivedImage, FilterInput, FilterSettings};
use multiversion::multiversion;
use radsurv_image::PixelType;
use rayon::prelude::*;
use std::f64::consts::PI;

/// A complex number, enough for the spherical harmonics sums.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Complex {
    re: f64,
    im: f64,
}

impl Complex {
    const ZERO: Complex = Complex { re: 0.0, im: 0.0 };

    fn add(self, o: Complex) -> Complex {
        Complex {
            re: self.re + o.re,
            im: self.im + o.im,
        }
    }

    /// The product as numpy's vectorised complex multiply forms it on a CPU with fused
    /// multiply-add: the imaginary-part product rounded, then one fused multiply-add with the
    /// real-part product ($re = a_r b_r - (a_i b_i)$, $im = a_r b_i + (a_i b_r)$).
    fn mul(self, o: Complex) -> Complex {
        Complex {
            re: self.re.mul_add(o.re, -(self.im * o.im)),
            im: self.re.mul_add(o.im, self.im * o.re),
        }
    }

    /// Real part of the principal square root.
    fn sqrt_re(self) -> f64 {
        let modulus = self.re.hypot(self.im);
        ((modulus + self.re) / 2.0).sqrt()
    }
}

/// The m1…mL and k images over the region; `roi` marks the ROI voxels of the region.
pub(super) fn derive(input: &FilterInput, s: &FilterSettings) -> Vec<DerivedImage> {
    let roi = input.roi;
    let vertices = icosphere(s.lbp3d_icosphere_subdivision, s.lbp3d_icosphere_radius);
    let harmonics = harmonics_table(&vertices, s.lbp3d_levels, s.lbp3d_icosphere_radius);
    let coefficients = spline_coefficients(input);
    let pixel_type = input.image.pixel_type();
    let region = &input.region;
    let [rx, ry, _] = region.size();
    let g = input.image.geometry();
    let data = input.image.data();
    let size = input.size();
    let voxels: Vec<usize> = (0..roi.len()).filter(|&i| roi[i]).collect();
    let levels = s.lbp3d_levels as usize;
    let per_voxel: Vec<(Vec<f64>, f64)> = voxels
        .par_iter()
        .map(|&i| {
            let p = [
                region.lower[0] + i % rx,
                region.lower[1] + (i / rx) % ry,
                region.lower[2] + i / (rx * ry),
            ];
            let centre = data.get_f64(g.offset(p[0], p[1], p[2]));
            let samples: Vec<f64> = vertices
                .iter()
                .map(|v| {
                    let point = [p[0] as f64 + v[2], p[1] as f64 + v[1], p[2] as f64 + v[0]];
                    stored_as(interpolate(&coefficients, size, point), pixel_type)
                })
                .collect();
            let bits: Vec<bool> = samples.iter().map(|&f| f >= centre).collect();
            (
                level_norms(&bits, &harmonics, levels),
                excess_kurtosis(&samples),
            )
        })
        .collect();
    let mut images: Vec<DerivedImage> = (1..=levels)
        .map(|l| DerivedImage {
            name: format!("lbp-3D-m{l}"),
            values: vec![0.0; roi.len()],
        })
        .chain(std::iter::once(DerivedImage {
            name: "lbp-3D-k".to_string(),
            values: vec![0.0; roi.len()],
        }))
        .collect();
    for (&i, (norms, k)) in voxels.iter().zip(per_voxel) {
        for (l, norm) in norms.into_iter().enumerate() {
            images[l].values[i] = norm;
        }
        images[levels].values[i] = k;
    }
    images
}

/// trimesh's `icosphere(subdivisions, radius)` vertices, in trimesh's order: the order decides
/// the order of every sum over the vertices (the coefficients, the level norms, the kurtosis'
/// moments), and so their last bits.
fn icosphere(subdivisions: u32, radius: f64) -> Vec<[f64; 3]> {
    let (mut vertices, mut faces) = icosahedron();
    for _ in 0..subdivisions {
        (vertices, faces) = subdivide(&vertices, &faces);
        for v in &mut vertices {
            onto_sphere(v, radius);
        }
    }
    if subdivisions == 0 {
        for v in &mut vertices {
            onto_sphere(v, radius);
        }
    }
    vertices
}

/// The icosahedron in its classic layout (the one trimesh uses): vertices at the cyclic
/// permutations of $(\pm1, \pm\varphi, 0)$ scaled to the unit sphere, in the order
/// $(\mp1, \varphi, 0)$, $(\mp1, -\varphi, 0)$, $(0, \mp1, \varphi)$, $(0, \mp1, -\varphi)$,
/// $(\varphi, 0, \mp1)$, $(-\varphi, 0, \mp1)$; the faces as five around vertex 0, their five
/// neighbours, five around vertex 3 and their five neighbours.
fn icosahedron() -> (Vec<[f64; 3]>, Vec<[usize; 3]>) {
    let phi = (1.0 + 5.0f64.sqrt()) / 2.0;
    let a = 1.0 / (1.0 + phi * phi).sqrt();
    let b = phi * a;
    let vertices = vec![
        [-a, b, 0.0],
        [a, b, 0.0],
        [-a, -b, 0.0],
        [a, -b, 0.0],
        [0.0, -a, b],
        [0.0, a, b],
        [0.0, -a, -b],
        [0.0, a, -b],
        [b, 0.0, -a],
        [b, 0.0, a],
        [-b, 0.0, -a],
        [-b, 0.0, a],
    ];
    let faces = vec![
        [0, 11, 5],
        [0, 5, 1],
        [0, 1, 7],
        [0, 7, 10],
        [0, 10, 11],
        [1, 5, 9],
        [5, 11, 4],
        [11, 10, 2],
        [10, 7, 6],
        [7, 1, 8],
        [3, 9, 4],
        [3, 4, 2],
        [3, 2, 6],
        [3, 6, 8],
        [3, 8, 9],
        [4, 9, 5],
        [2, 4, 11],
        [6, 2, 10],
        [8, 6, 7],
        [9, 8, 1],
    ];
    (vertices, faces)
}

/// `v += unit(v) * (radius - |v|)`, as trimesh refines the radius.
fn onto_sphere(v: &mut [f64; 3], radius: f64) {
    let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    for c in v.iter_mut() {
        *c += *c / norm * (radius - norm);
    }
}

/// One subdivision as trimesh does it: every edge's midpoint becomes a vertex, appended in the
/// order of the edges' (larger, smaller) vertex index; each triangle $(a, b, c)$ becomes
/// $(a, m_{ab}, m_{ca})$, $(m_{ab}, b, m_{bc})$, $(m_{ca}, m_{bc}, c)$, $(m_{ab}, m_{bc}, m_{ca})$.
fn subdivide(v: &[[f64; 3]], faces: &[[usize; 3]]) -> (Vec<[f64; 3]>, Vec<[usize; 3]>) {
    let edge = |i: usize, j: usize| (i.max(j), i.min(j));
    let mut edges: Vec<(usize, usize)> = faces
        .iter()
        .flat_map(|&[a, b, c]| [edge(a, b), edge(b, c), edge(c, a)])
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut vertices = v.to_vec();
    vertices.extend(
        edges
            .iter()
            .map(|&(hi, lo)| [0, 1, 2].map(|c| (v[lo][c] + v[hi][c]) / 2.0)),
    );
    // every face edge is in `edges`, so its rank there is its midpoint's place
    let midpoint = |i: usize, j: usize| v.len() + edges.partition_point(|e| *e < edge(i, j));
    let out = faces
        .iter()
        .flat_map(|&[a, b, c]| {
            let (ab, bc, ca) = (midpoint(a, b), midpoint(b, c), midpoint(c, a));
            [[a, ab, ca], [ab, b, bc], [ca, bc, c], [ab, bc, ca]]
        })
        .collect();
    (vertices, out)
}

/// $Y_n^m$ per vertex, for $n < $ levels and $m = -n..n$, with PyRadiomics' angles.
fn harmonics_table(vertices: &[[f64; 3]], levels: u32, radius: f64) -> Vec<Vec<(usize, Complex)>> {
    vertices
        .iter()
        .map(|v| {
            let polar = (v[2] / radius).acos();
            let azimuth = v[1].atan2(v[0]);
            let mut row = Vec::new();
            for n in 0..levels as i64 {
                for m in -n..=n {
                    // scipy's sph_harm(m, n, theta, phi): azimuth theta, polar phi; PyRadiomics
                    // passes the polar angle as theta and the azimuth as phi
                    row.push((n as usize, sph_harm(m, n, polar, azimuth)));
                }
            }
            row
        })
        .collect()
}

/// scipy's `sph_harm(m, n, theta, phi)`:
/// $\sqrt{\tfrac{2n+1}{4\pi}\tfrac{(n-m)!}{(n+m)!}}\,P_n^m(\cos\phi)\,e^{im\theta}$ with the
/// Condon–Shortley phase in $P_n^m$, evaluated in scipy's order of operations (its `lpmv`, its
/// Pochhammer ratios, one square root) so that every value agrees to the last bit: rotations of
/// one bit pattern have mathematically equal level norms that differ in their last bits, and a
/// first-order feature that compares voxels with a percentile (RobustMeanAbsoluteDeviation)
/// counts a voxel in or out by those bits.
fn sph_harm(m: i64, n: i64, theta: f64, phi: f64) -> Complex {
    let m_abs = m.abs();
    let mut value = lpmv(m_abs, n, phi.cos());
    if m < 0 {
        let sign = if m_abs % 2 == 0 { 1.0 } else { -1.0 };
        value *= sign * poch((n + m_abs + 1) as f64, (-2 * m_abs) as f64);
    }
    value *= ((2 * n + 1) as f64 * poch((n + m + 1) as f64, (-2 * m) as f64) / (4.0 * PI)).sqrt();
    let angle = m as f64 * theta;
    Complex {
        re: value * angle.cos(),
        im: value * angle.sin(),
    }
}

/// The Pochhammer symbol $(a)_k = \Gamma(a+k)/\Gamma(a)$ for an integer `k`, as cephes reduces
/// it: one factor (or divisor) at a time, from the one nearest `a + k`.
fn poch(a: f64, mut k: f64) -> f64 {
    let mut r = 1.0;
    while k >= 1.0 {
        k -= 1.0;
        r *= a + k;
    }
    while k <= -1.0 {
        r /= a + k;
        k += 1.0;
    }
    r
}

/// Associated Legendre function $P_n^m(x)$ for integers $0 \le m \le n$, with the
/// Condon–Shortley phase, as specfun's `lpmv` computes it: directly by [`lpmv_series`] up to
/// degree 2 (or $n = m$), above that by the three-term recurrence in the degree from the series
/// at degrees $m$ and $m + 1$.
fn lpmv(m: i64, n: i64, x: f64) -> f64 {
    if n <= 2 || n <= m {
        return lpmv_series(m, n, x);
    }
    let (mut p0, mut p1) = (lpmv_series(m, m, x), lpmv_series(m, m + 1, x));
    let mf = m as f64;
    for j in m + 2..=n {
        let jf = j as f64;
        let next = ((2.0 * jf - 1.0) * x * p1 - (jf - 1.0 + mf) * p0) / (j - m) as f64;
        (p0, p1) = (p1, next);
    }
    p1
}

/// specfun's `lpmv0` for an integer degree `v`: the terminating hypergeometric series in
/// $(1 + x)/2$, i.e. $P_v^m(-x)$, times $(-1)^v$; the factor $(1-x^2)^{m/2}$ and the ratio of
/// factorials enter as one product.
fn lpmv_series(m: i64, v: i64, x: f64) -> f64 {
    let (mf, vf) = (m as f64, v as f64);
    let mut c0 = 1.0;
    if m != 0 {
        let mut rg = vf * (vf + mf);
        for j in 1..m {
            rg *= vf * vf - (j * j) as f64;
        }
        let xq = (1.0 - x * x).sqrt();
        let mut r0 = 1.0;
        for j in 1..=m {
            r0 = 0.5 * r0 * xq / j as f64;
        }
        c0 = r0 * rg;
    }
    let mut sum = 1.0;
    let mut term = 1.0;
    for k in 1..=v - m {
        let kf = k as f64;
        term = 0.5 * term * (-vf + mf + kf - 1.0) * (vf + mf + kf) / (kf * (kf + mf)) * (1.0 + x);
        sum += term;
    }
    let sign = if v % 2 == 0 { 1.0 } else { -1.0 };
    sign * c0 * sum
}

/// Per level $n$: $\operatorname{Re}\sqrt{\sum_v (\sum_m c_{nm} Y_n^m(v))^2}$.
fn level_norms(bits: &[bool], harmonics: &[Vec<(usize, Complex)>], levels: usize) -> Vec<f64> {
    let terms = harmonics.first().map_or(0, Vec::len);
    let mut c = vec![Complex::ZERO; terms];
    for (row, &bit) in harmonics.iter().zip(bits) {
        if bit {
            for (ci, (_, y)) in c.iter_mut().zip(row) {
                *ci = ci.add(*y);
            }
        }
    }
    (0..levels)
        .map(|n| {
            let sum = harmonics.iter().fold(Complex::ZERO, |acc, row| {
                let terms: Vec<Complex> = row
                    .iter()
                    .zip(&c)
                    .filter(|((level, _), _)| *level == n)
                    .map(|((_, y), ci)| ci.mul(*y))
                    .collect();
                let f = numpy_complex_sum(&terms);
                acc.add(f.mul(f))
            });
            sum.sqrt_re()
        })
        .collect()
}

/// numpy's `sum` along a contiguous axis of complex values: the first value plus the pairwise
/// sum of the others (real and imaginary parts interleaved, eight running sums).
fn numpy_complex_sum(values: &[Complex]) -> Complex {
    let Some((&first, rest)) = values.split_first() else {
        return Complex::ZERO;
    };
    let doubles: Vec<f64> = rest.iter().flat_map(|c| [c.re, c.im]).collect();
    let (re, im) = if doubles.len() < 8 {
        doubles
            .chunks_exact(2)
            .fold((0.0, 0.0), |(r, i), c| (r + c[0], i + c[1]))
    } else {
        let mut r = [0.0; 8];
        r.copy_from_slice(&doubles[..8]);
        let blocks = doubles.len() - doubles.len() % 8;
        for chunk in doubles[8..blocks].chunks_exact(8) {
            for (ri, v) in r.iter_mut().zip(chunk) {
                *ri += v;
            }
        }
        let mut re = (r[0] + r[2]) + (r[4] + r[6]);
        let mut im = (r[1] + r[3]) + (r[5] + r[7]);
        for c in doubles[blocks..].chunks_exact(2) {
            re += c[0];
            im += c[1];
        }
        (re, im)
    };
    first.add(Complex { re, im })
}

/// scipy's biased excess kurtosis, NaN for (nearly) constant samples.
fn excess_kurtosis(samples: &[f64]) -> f64 {
    let n = samples.len() as f64;
    let mean = numpy_sum(samples) / n;
    let squares: Vec<f64> = samples.iter().map(|&f| (f - mean) * (f - mean)).collect();
    let m2 = numpy_sum(&squares) / n;
    let fourth: Vec<f64> = squares.iter().map(|&d| d * d).collect();
    let m4 = numpy_sum(&fourth) / n;
    if m2 <= (f64::EPSILON * mean) * (f64::EPSILON * mean) {
        return f64::NAN;
    }
    m4 / (m2 * m2) - 3.0
}

/// numpy's `sum` along a contiguous axis: the first value plus the pairwise sum of the rest.
fn numpy_sum(values: &[f64]) -> f64 {
    match values.split_first() {
        Some((&first, rest)) => first + pairwise_sum(rest),
        None => 0.0,
    }
}

/// numpy's pairwise summation for up to 128 values (eight running sums).
fn pairwise_sum(values: &[f64]) -> f64 {
    if values.len() < 8 {
        return values.iter().fold(0.0, |s, &v| s + v);
    }
    let mut r = [0.0; 8];
    r.copy_from_slice(&values[..8]);
    let blocks = values.len() - values.len() % 8;
    for chunk in values[8..blocks].chunks_exact(8) {
        for (ri, v) in r.iter_mut().zip(chunk) {
            *ri += v;
        }
    }
    let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for &v in &values[blocks..] {
        res += v;
    }
    res
}

/// A value written into a numpy array of the image's type (scipy's output cast).
fn stored_as(t: f64, pixel: PixelType) -> f64 {
    let (lo, hi) = match pixel {
        PixelType::F64 => return t,
        PixelType::F32 => return f64::from(t as f32),
        PixelType::U8 => (0.0, f64::from(u8::MAX)),
        PixelType::I8 => (f64::from(i8::MIN), f64::from(i8::MAX)),
        PixelType::U16 => (0.0, f64::from(u16::MAX)),
        PixelType::I16 => (f64::from(i16::MIN), f64::from(i16::MAX)),
        PixelType::U32 => (0.0, f64::from(u32::MAX)),
        PixelType::I32 => (f64::from(i32::MIN), f64::from(i32::MAX)),
        PixelType::U64 | PixelType::I64 => (f64::MIN, f64::MAX),
    };
    let rounded = if lo >= 0.0 {
        if t > 0.0 {
            t + 0.5
        } else {
            0.0
        }
    } else if t > 0.0 {
        t + 0.5
    } else {
        t - 0.5
    };
    rounded.clamp(lo, hi).trunc()
}

/// Cubic B-spline coefficients (scipy `spline_filter`, mirror boundaries, axes z, y, x) on the
/// box the region's samples read; the first pass reads the whole image as stored.
fn spline_coefficients(input: &FilterInput) -> Block<f64> {
    let size = input.size();
    // samples lie within one voxel of the ROI, their supports two voxels further
    let lower = input.region.lower.map(|l| l.saturating_sub(4));
    let upper = [0, 1, 2].map(|a| (input.region.upper[a] + 4).min(size[a] - 1));
    let window = [0, 1, 2].map(|a| upper[a] - lower[a] + 1);
    let pass = |block: &dyn Rows, axis: usize| {
        let mut out_lower = block.lower();
        let mut out_size = block.size();
        out_lower[axis] = lower[axis];
        out_size[axis] = window[axis];
        filter_along(
            block,
            Block::empty(out_lower, out_size),
            axis,
            |lines, out| {
                out.copy_from_slice(lines);
                if out.len() > 1 {
                    spline_filter_lines(out);
                }
            },
        )
    };
    let along_z = pass(&Image(input.image), 2);
    let along_y = pass(&along_z, 1);
    pass(&along_y, 0)
}

/// The cubic B-spline's pole $\sqrt3 - 2$, as scipy writes it.
#[allow(clippy::excessive_precision)]
const POLE: f64 = -0.267949192431122706472553658494127633;

/// scipy's `apply_filter` for order 3 on a group of lines, one per lane, each exactly as scipy filters
/// one line: gain, causal pass with the exact mirror initial value, anti-causal pass. Compiled
/// for the baseline target and with AVX, with the same operations in the same order.
#[multiversion(targets("x86_64+avx"))]
fn spline_filter_lines(c: &mut [Lanes]) {
    let z = POLE;
    let n = c.len();
    let gain = (1.0 - z) * (1.0 - 1.0 / z);
    for v in c.iter_mut().flatten() {
        *v *= gain;
    }
    let z_n_1 = z.powf((n - 1) as f64);
    let mut z_i = z;
    let last = c[n - 1];
    for (v, &l) in c[0].iter_mut().zip(&last) {
        *v += z_n_1 * l;
    }
    for i in 1..n - 1 {
        let (row, mirrored) = (c[i], c[n - 1 - i]);
        for ((v, &r), &m) in c[0].iter_mut().zip(&row).zip(&mirrored) {
            *v += z_i * (r + z_n_1 * m);
        }
        z_i *= z;
    }
    for v in &mut c[0] {
        *v /= 1.0 - z_n_1 * z_n_1;
    }
    for i in 1..n {
        let previous = c[i - 1];
        for (v, &p) in c[i].iter_mut().zip(&previous) {
            *v += z * p;
        }
    }
    let before_last = c[n - 2];
    for (v, &b) in c[n - 1].iter_mut().zip(&before_last) {
        *v = (z * b + *v) * z / (z * z - 1.0);
    }
    for i in (0..n - 1).rev() {
        let next = c[i + 1];
        for (v, &x) in c[i].iter_mut().zip(&next) {
            *v = z * (x - *v);
        }
    }
}

/// scipy's order-3 `map_coordinates` at `point` (image indices x, y, z), constant 0 outside.
fn interpolate(coefficients: &Block<f64>, size: [usize; 3], point: [f64; 3]) -> f64 {
    // scipy loops over the array axes z, y, x
    let mut index = [[0usize; 4]; 3];
    let mut weights = [[0.0f64; 4]; 3];
    for (k, axis) in [2, 1, 0].into_iter().enumerate() {
        let c = point[axis];
        let len = size[axis] as i64;
        if c < 0.0 || c > (len - 1) as f64 {
            return 0.0;
        }
        let start = c.floor() as i64 - 1;
        for (j, slot) in index[k].iter_mut().enumerate() {
            *slot = mirror(start + j as i64, len) as usize;
        }
        weights[k] = spline_weights(c);
    }
    let mut t = 0.0;
    for (iz, wz) in index[0].iter().zip(weights[0]) {
        for (iy, wy) in index[1].iter().zip(weights[1]) {
            for (ix, wx) in index[2].iter().zip(weights[2]) {
                let coeff = coefficients.data[coefficients.index([*ix, *iy, *iz])];
                t += coeff * wz * wy * wx;
            }
        }
    }
    t
}

/// scipy's mirror mapping of an out-of-range support index.
fn mirror(i: i64, len: i64) -> i64 {
    if len <= 1 {
        return 0;
    }
    let sz2 = 2 * len - 2;
    if i < 0 {
        let j = sz2 * (-i / sz2) + i;
        if j <= 1 - len {
            j + sz2
        } else {
            -j
        }
    } else if i > len - 1 {
        let j = i - sz2 * (i / sz2);
        if j >= len {
            sz2 - j
        } else {
            j
        }
    } else {
        i
    }
}

/// scipy's `get_spline_interpolation_weights` for order 3.
fn spline_weights(c: f64) -> [f64; 4] {
    let x = c - c.floor();
    let y = x;
    let z = 1.0 - x;
    let w1 = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
    let w2 = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
    let w0 = z * z * z / 6.0;
    let w3 = ((1.0 - w0) - w1) - w2;
    [w0, w1, w2, w3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icosphere_has_trimesh_vertex_count_on_the_sphere() {
        assert_eq!(icosphere(0, 1.0).len(), 12);
        let v = icosphere(1, 2.0);
        assert_eq!(v.len(), 42);
        for p in v {
            let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
            assert!((r - 2.0).abs() < 1e-12);
        }
    }

    /// scipy's values at trimesh's icosphere vertices (`scripts/make_sph_harm_reference.py`):
    /// (m, n, theta, phi, re, im) per row.
    fn scipy_sph_harm() -> Vec<(i64, i64, f64, f64, f64, f64)> {
        let path = radsurv_testdata::data_path("scipy/sph_harm_icosphere.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        text.lines()
            .skip(1)
            .map(|line| {
                let f: Vec<&str> = line.split(',').collect();
                let x = |i: usize| f[i].parse::<f64>().unwrap();
                (
                    f[1].parse().unwrap(),
                    f[2].parse().unwrap(),
                    x(3),
                    x(4),
                    x(5),
                    x(6),
                )
            })
            .collect()
    }

    #[test]
    fn harmonics_equal_scipys_to_the_last_bit() {
        let rows = scipy_sph_harm();
        assert!(rows.len() > 1000);
        for (m, n, theta, phi, re, im) in rows {
            let y = sph_harm(m, n, theta, phi);
            assert_eq!(
                (y.re, y.im),
                (re, im),
                "m {m} n {n} theta {theta} phi {phi}"
            );
        }
    }

    /// The reference rows of degree 0 list trimesh's vertices in its order (by their angles).
    #[test]
    fn vertices_come_in_trimeshs_order() {
        let rows = scipy_sph_harm();
        let degree0: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| r.0 == 0 && r.1 == 0)
            .map(|r| (r.2, r.3))
            .collect();
        let ours: Vec<(f64, f64)> = [0, 1]
            .into_iter()
            .flat_map(|subdivisions| icosphere(subdivisions, 1.0))
            .map(|v| (v[2].acos(), v[1].atan2(v[0])))
            .collect();
        assert_eq!(ours.len(), degree0.len());
        for (i, (o, t)) in ours.iter().zip(&degree0).enumerate() {
            assert!(
                (o.0 - t.0).abs() < 1e-12 && (o.1 - t.1).abs() < 1e-12,
                "vertex {i}: {o:?} against trimesh's {t:?}"
            );
        }
    }

    #[test]
    fn integer_samples_round_half_away_from_zero() {
        assert_eq!(stored_as(2.5, PixelType::I16), 3.0);
        assert_eq!(stored_as(-2.5, PixelType::I16), -3.0);
        assert_eq!(stored_as(-0.4, PixelType::U16), 0.0);
        assert_eq!(stored_as(1e9, PixelType::I16), 32767.0);
    }
}
