//! Local binary patterns per slice (`getLBP2DImage`: scikit-image's `local_binary_pattern` on
//! each plane perpendicular to `force2Ddimension`).
//!
//! For a voxel with value $g_c$, $P$ samples lie on the circle of radius $R$ in its plane, at row
//! offset $-R\sin(2\pi i/P)$ and column offset $R\cos(2\pi i/P)$, both rounded to 5 decimals;
//! each sample is the bilinear interpolation of the plane (0 outside the image) and its bit is
//! $s_i = [g_i - g_c \ge 0]$. With $U$ the number of changes between consecutive bits
//! $s_0 \dots s_{P-1}$ (scikit-image does not count the wrap from $s_{P-1}$ to $s_0$):
//! - `uniform`: $\sum s_i$ if $U \le 2$, else $P + 1$;
//! - `var`: the `uniform` value divided by the population variance of the samples (NaN if 0);
//! - `nri_uniform`: 0 or $P(P-1)+1$ for constant patterns, $1 + (n-1)P + r$ for the other
//!   uniform ones ($n$ ones, $r$ the rotation index), $P(P-1)+2$ otherwise;
//! - `default`: $\sum s_i 2^i$; `ror`: its smallest rotation.
//!
//! PyRadiomics writes the codes back into the image's own array, so an integer image keeps its
//! pixel type (values truncated toward zero); the planes are rows = the first, columns = the
//! second remaining array axis after swapping `force2Ddimension` to the front.

use super::{FilterInput, Lbp2dMethod};
use radsurv_image::PixelType;

/// The LBP image over the region.
pub(super) fn derive(
    input: &FilterInput,
    radius: f64,
    samples: u32,
    method: Lbp2dMethod,
    axis_zyx: usize,
) -> Vec<f64> {
    let size = input.size();
    let p = samples as usize;
    let offsets: Vec<(f64, f64)> = (0..p)
        .map(|i| {
            let angle = 2.0 * std::f64::consts::PI * i as f64 / p as f64;
            (round5(-radius * angle.sin()), round5(radius * angle.cos()))
        })
        .collect();
    // plane axes in image (x, y, z) order: rows and columns of scikit-image's 2-D array
    let (row_axis, col_axis) = match axis_zyx {
        0 => (1, 0), // (y, x) planes
        1 => (2, 0), // (z, x)
        _ => (1, 2), // (y, z): numpy's swapaxes(0, 2) leaves (x, y, z), planes (y, z)
    };
    let g = input.image.geometry();
    let data = input.image.data();
    let value = |p: [usize; 3]| data.get_f64(g.offset(p[0], p[1], p[2]));
    let pixel_type = input.image.pixel_type();
    let mut out = Vec::new();
    let mut texture = vec![0.0; p];
    let mut bits = vec![0u8; p];
    for z in input.region.lower[2]..=input.region.upper[2] {
        for y in input.region.lower[1]..=input.region.upper[1] {
            for x in input.region.lower[0]..=input.region.upper[0] {
                let centre = [x, y, z];
                let sample = |row: i64, col: i64| {
                    let (rows, cols) = (size[row_axis] as i64, size[col_axis] as i64);
                    if row < 0 || col < 0 || row >= rows || col >= cols {
                        return 0.0;
                    }
                    let mut q = centre;
                    q[row_axis] = row as usize;
                    q[col_axis] = col as usize;
                    value(q)
                };
                let (r0, c0) = (centre[row_axis] as f64, centre[col_axis] as f64);
                for (t, &(dr, dc)) in texture.iter_mut().zip(&offsets) {
                    *t = bilinear(r0 + dr, c0 + dc, &sample);
                }
                let gc = value(centre);
                for (b, &t) in bits.iter_mut().zip(&texture) {
                    *b = u8::from(t - gc >= 0.0);
                }
                let code = pattern_code(&bits, &texture, method);
                out.push(stored_as(code, pixel_type));
            }
        }
    }
    out
}

/// `numpy.round(x, 5)`: scale, round half to even, unscale.
fn round5(x: f64) -> f64 {
    (x * 100000.0).round_ties_even() / 100000.0
}

/// scikit-image's `bilinear_interpolation` (corners from floor and ceil, constant 0 outside).
fn bilinear(r: f64, c: f64, pixel: &impl Fn(i64, i64) -> f64) -> f64 {
    let (minr, minc) = (r.floor() as i64, c.floor() as i64);
    let (maxr, maxc) = (r.ceil() as i64, c.ceil() as i64);
    let dr = r - minr as f64;
    let dc = c - minc as f64;
    let top = (1.0 - dc) * pixel(minr, minc) + dc * pixel(minr, maxc);
    let bottom = (1.0 - dc) * pixel(maxr, minc) + dc * pixel(maxr, maxc);
    (1.0 - dr) * top + dr * bottom
}

/// The pattern value of one voxel.
fn pattern_code(bits: &[u8], texture: &[f64], method: Lbp2dMethod) -> f64 {
    let p = bits.len();
    let changes: usize = bits.windows(2).map(|w| usize::from(w[0] != w[1])).sum();
    let ones: usize = bits.iter().map(|&b| usize::from(b)).sum();
    match method {
        Lbp2dMethod::Uniform => uniform(changes, ones, p),
        Lbp2dMethod::Var => {
            let n = texture.len() as f64;
            let mean = texture.iter().sum::<f64>() / n;
            let var = texture.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / n;
            if var != 0.0 {
                uniform(changes, ones, p) / var
            } else {
                f64::NAN
            }
        }
        Lbp2dMethod::NriUniform => {
            if changes > 2 {
                return (p * (p - 1) + 2) as f64;
            }
            if ones == 0 {
                return 0.0;
            }
            if ones == p {
                return (p * (p - 1) + 1) as f64;
            }
            let first_one = bits.iter().position(|&b| b == 1).unwrap_or(0);
            let first_zero = bits.iter().position(|&b| b == 0).unwrap_or(0);
            let rotation = if first_one == 0 {
                ones - first_zero
            } else {
                p - first_one
            };
            (1 + (ones - 1) * p + rotation) as f64
        }
        Lbp2dMethod::Default | Lbp2dMethod::Ror => {
            let code: u64 = bits
                .iter()
                .enumerate()
                .map(|(i, &b)| u64::from(b) << i)
                .sum();
            if method == Lbp2dMethod::Ror {
                smallest_rotation(code, p) as f64
            } else {
                code as f64
            }
        }
    }
}

fn uniform(changes: usize, ones: usize, p: usize) -> f64 {
    if changes <= 2 {
        ones as f64
    } else {
        (p + 1) as f64
    }
}

/// The smallest of the `p`-bit right rotations of `code`.
fn smallest_rotation(code: u64, p: usize) -> u64 {
    let mask = (1u64 << p) - 1;
    (0..p)
        .map(|k| ((code >> k) | (code << (p - k))) & mask)
        .min()
        .unwrap_or(code)
}

/// `value` assigned into a numpy array of the image's type: float32 rounds, integer types
/// truncate toward zero (codes are small and non-negative; NaN becomes 0).
fn stored_as(value: f64, pixel: PixelType) -> f64 {
    match pixel {
        PixelType::F64 => return value,
        PixelType::F32 => return f64::from(value as f32),
        _ if value.is_nan() => return 0.0,
        _ => {}
    }
    let t = value.trunc();
    match pixel {
        PixelType::U8 => f64::from(t as u8),
        PixelType::I8 => f64::from(t as i8),
        PixelType::U16 => f64::from(t as u16),
        PixelType::I16 => f64::from(t as i16),
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_codes() {
        let code = |bits: &[u8]| pattern_code(bits, &[0.0; 8], Lbp2dMethod::Uniform);
        assert_eq!(code(&[0, 0, 0, 0, 0, 0, 0, 0]), 0.0);
        assert_eq!(code(&[1, 1, 1, 0, 0, 0, 0, 0]), 3.0);
        assert_eq!(code(&[1, 0, 1, 0, 0, 0, 0, 0]), 9.0);
        // the wrap from the last bit to the first is not counted
        assert_eq!(code(&[1, 0, 0, 0, 0, 0, 0, 1]), 2.0);
    }

    #[test]
    fn rotation_invariant_code_is_the_smallest_rotation() {
        assert_eq!(smallest_rotation(0b1000_0001, 8), 0b0000_0011);
        assert_eq!(smallest_rotation(0b0110_0000, 8), 0b0000_0011);
    }
}
