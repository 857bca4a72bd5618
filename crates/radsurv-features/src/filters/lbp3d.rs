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

use super::lines::{filter_along, Block, Lanes};
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

    fn mul(self, o: Complex) -> Complex {
        Complex {
            re: self.re * o.re - self.im * o.im,
            im: self.re * o.im + self.im * o.re,
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

/// trimesh's `icosphere(subdivisions, radius)` vertices (order irrelevant here).
fn icosphere(subdivisions: u32, radius: f64) -> Vec<[f64; 3]> {
    let phi = (1.0 + 5.0f64.sqrt()) / 2.0;
    let a = 1.0 / (1.0 + phi * phi).sqrt();
    let b = phi * a;
    let mut vertices: Vec<[f64; 3]> = Vec::new();
    for (s1, s2) in [(-1.0, 1.0), (1.0, 1.0), (-1.0, -1.0), (1.0, -1.0)] {
        vertices.push([s1 * a, s2 * b, 0.0]);
        vertices.push([0.0, s1 * a, s2 * b]);
        vertices.push([s2 * b, 0.0, s1 * a]);
    }
    let mut faces = icosahedron_faces(&vertices);
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

/// `v += unit(v) * (radius - |v|)`, as trimesh refines the radius.
fn onto_sphere(v: &mut [f64; 3], radius: f64) {
    let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    for c in v.iter_mut() {
        *c += *c / norm * (radius - norm);
    }
}

/// The 20 triangles: vertex triples at the (shortest) edge length from each other.
fn icosahedron_faces(v: &[[f64; 3]]) -> Vec<[usize; 3]> {
    let d = |i: usize, j: usize| {
        (0..3)
            .map(|k| (v[i][k] - v[j][k]) * (v[i][k] - v[j][k]))
            .sum::<f64>()
    };
    let edge = (1..v.len()).map(|j| d(0, j)).fold(f64::INFINITY, f64::min);
    let near = |i: usize, j: usize| (d(i, j) - edge).abs() < 1e-9;
    let mut faces = Vec::new();
    for i in 0..v.len() {
        for j in i + 1..v.len() {
            for k in j + 1..v.len() {
                if near(i, j) && near(j, k) && near(i, k) {
                    faces.push([i, j, k]);
                }
            }
        }
    }
    faces
}

/// One subdivision: every edge's midpoint becomes a vertex, each triangle four.
fn subdivide(v: &[[f64; 3]], faces: &[[usize; 3]]) -> (Vec<[f64; 3]>, Vec<[usize; 3]>) {
    let mut vertices = v.to_vec();
    let mut midpoints: Vec<((usize, usize), usize)> = Vec::new();
    let mut midpoint = |i: usize, j: usize, vertices: &mut Vec<[f64; 3]>| {
        let key = (i.min(j), i.max(j));
        if let Some(&(_, m)) = midpoints.iter().find(|(k, _)| *k == key) {
            return m;
        }
        let m = [0, 1, 2].map(|c| (v[i][c] + v[j][c]) / 2.0);
        vertices.push(m);
        midpoints.push((key, vertices.len() - 1));
        vertices.len() - 1
    };
    let mut out = Vec::new();
    for &[a, b, c] in faces {
        let ab = midpoint(a, b, &mut vertices);
        let bc = midpoint(b, c, &mut vertices);
        let ca = midpoint(c, a, &mut vertices);
        out.extend([[a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]]);
    }
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
/// Condon–Shortley phase in $P_n^m$.
fn sph_harm(m: i64, n: i64, theta: f64, phi: f64) -> Complex {
    let m_abs = m.abs();
    let mut value = legendre(m_abs, n, phi.cos());
    if m < 0 {
        let sign = if m_abs % 2 == 0 { 1.0 } else { -1.0 };
        value *= sign * factorial(n - m_abs) / factorial(n + m_abs);
    }
    value *= ((2 * n + 1) as f64 * factorial(n - m) / (4.0 * PI * factorial(n + m))).sqrt();
    let angle = m as f64 * theta;
    Complex {
        re: value * angle.cos(),
        im: value * angle.sin(),
    }
}

fn factorial(k: i64) -> f64 {
    (1..=k).map(|i| i as f64).product()
}

/// Associated Legendre function $P_n^m(x)$, $m \ge 0$, with the Condon–Shortley phase.
fn legendre(m: i64, n: i64, x: f64) -> f64 {
    let mut pmm = 1.0;
    let s = (1.0 - x * x).sqrt();
    let mut odd = 1.0;
    for _ in 0..m {
        pmm *= -odd * s;
        odd += 2.0;
    }
    if n == m {
        return pmm;
    }
    let mut pmm1 = x * (2 * m + 1) as f64 * pmm;
    for l in m + 2..=n {
        let next = (x * (2 * l - 1) as f64 * pmm1 - (l + m - 1) as f64 * pmm) / (l - m) as f64;
        pmm = pmm1;
        pmm1 = next;
    }
    pmm1
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
/// box the region's samples read; the first pass runs on the whole image.
fn spline_coefficients(input: &FilterInput) -> Block {
    let size = input.size();
    // samples lie within one voxel of the ROI, their supports two voxels further
    let lower = input.region.lower.map(|l| l.saturating_sub(4));
    let upper = [0, 1, 2].map(|a| (input.region.upper[a] + 4).min(size[a] - 1));
    let window = [0, 1, 2].map(|a| upper[a] - lower[a] + 1);
    let mut block = Block {
        lower: [0; 3],
        size,
        data: input.image.to_f64(),
    };
    for axis in [2, 1, 0] {
        let mut out_lower = block.lower;
        let mut out_size = block.size;
        out_lower[axis] = lower[axis];
        out_size[axis] = window[axis];
        block = filter_along(
            &block,
            Block::empty(out_lower, out_size),
            axis,
            |lines, out| {
                out.copy_from_slice(lines);
                if out.len() > 1 {
                    spline_filter_lines(out);
                }
            },
        );
    }
    block
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
fn interpolate(coefficients: &Block, size: [usize; 3], point: [f64; 3]) -> f64 {
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

    #[test]
    fn harmonics_of_degree_one() {
        // Y_1^0 = sqrt(3 / 4π) cos(φ) for scipy's polar angle φ
        let y = sph_harm(0, 1, 0.3, 0.7);
        assert!((y.re - (3.0 / (4.0 * PI)).sqrt() * 0.7f64.cos()).abs() < 1e-15);
        let y00 = sph_harm(0, 0, 1.0, 2.0);
        assert!((y00.re - 0.5 / PI.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn integer_samples_round_half_away_from_zero() {
        assert_eq!(stored_as(2.5, PixelType::I16), 3.0);
        assert_eq!(stored_as(-2.5, PixelType::I16), -3.0);
        assert_eq!(stored_as(-0.4, PixelType::U16), 0.0);
        assert_eq!(stored_as(1e9, PixelType::I16), 32767.0);
    }
}
