//! The stationary wavelet decompositions of PyRadiomics' `getWaveletImage` / `_swt3`.
//!
//! The image (as float64) is first extended by one voxel, wrapping around, along every axis of
//! odd length. Each level applies PyWavelets' `swtn(data, wavelet, level=1)` along x, then y,
//! then z (without the `force2Ddimension` axis under `force2D`): every 1-D pass convolves the
//! line periodically with the decomposition filter $h$ of length $F$,
//! $y_o = \sum_j h_j\, x_{(o + F/2 - j) \bmod N}$, summed in PyWavelets' order
//! (`downsampling_convolution_periodization` with step 1). PyRadiomics calls `swtn` with
//! `level=1` at every level, so later levels filter the previous approximation again with the
//! same, not upsampled, filters; levels before `start_level` only feed the next approximation.
//! Each level yields its 7 (3 in 2-D) detail images, named by L (low-pass) or H per axis in
//! filtering order, and the approximation of the last level comes last: `wavelet-LLH`, …,
//! `wavelet-HHH`, `wavelet-LLL` (`wavelet2-…` from the second level on).
//!
//! Only the region's values are computed: each pass evaluates the outputs the next pass reads.
//! Every output's taps (filter coefficient and input position, in PyWavelets' order) are listed
//! once per pass; a pass along y or z then adds each tap for a whole x row at a time.
//!
//! A level is split depth first: after the low-pass and the high-pass of a pass, the low half
//! is split completely before the high half, and each sub-band is used (its features computed)
//! and dropped as soon as it exists. A level thus holds one waiting half per axis and two
//! sub-bands, not all eight sub-bands and their six intermediates.

use super::wavelet_tables::WAVELETS;
use super::{FilterInput, FilterSettings};
use crate::error::{FeatureError, Result};
use rayon::prelude::*;

/// Image names in output order for `axes` filtered axes.
pub(super) fn image_names(s: &FilterSettings, axes: usize) -> Vec<String> {
    let mut names = Vec::new();
    for level in 1..=s.level {
        for band in bands(axes).into_iter().skip(1) {
            names.push(format!("{}-{}", prefix(level), band_name(band, axes)));
        }
    }
    names.push(format!("{}-{}", prefix(s.level), "L".repeat(axes)));
    names
}

fn prefix(level: u32) -> String {
    if level == 1 {
        "wavelet".to_string()
    } else {
        format!("wavelet{level}")
    }
}

/// Sub-bands in PyWavelets' order: bit `k` (from the most significant) is the k-th filtered
/// axis, 0 low-pass.
fn bands(axes: usize) -> Vec<usize> {
    (0..1 << axes).collect()
}

fn band_name(band: usize, axes: usize) -> String {
    (0..axes)
        .map(|k| {
            if band >> (axes - 1 - k) & 1 == 1 {
                'H'
            } else {
                'L'
            }
        })
        .collect()
}

/// The wavelet images over the region, each handed to `use_image` as soon as it is complete.
///
/// # Errors
/// [`FeatureError::UnsupportedFilter`] for a wavelet radsurv does not tabulate.
pub(super) fn derive<R: Send>(
    input: &FilterInput,
    s: &FilterSettings,
    use_image: &(impl Fn(&str, Vec<f64>) -> R + Sync),
) -> Result<Vec<R>> {
    let Some(&(_, lo, hi)) = WAVELETS.iter().find(|(name, _, _)| *name == s.wavelet) else {
        return Err(FeatureError::UnsupportedFilter {
            image_type: "Wavelet".to_string(),
            reason: format!(
                "wavelet {:?} is not supported (supported: {})",
                s.wavelet,
                WAVELETS.iter().map(|w| w.0).collect::<Vec<_>>().join(", ")
            ),
        });
    };
    let size = input.size();
    let padded = size.map(|n| n + n % 2);
    // filtering order x, y, z (array axes 2, 1, 0), minus the force2D axis
    let axes: Vec<usize> = (0..3)
        .filter(|&a| !(input.force2d && input.force2d_dimension == 2 - a))
        .collect();
    let region: [Vec<usize>; 3] =
        [0, 1, 2].map(|a| (input.region.lower[a]..=input.region.upper[a]).collect());
    let levels = (s.start_level + s.level) as usize;
    // the index lists each level must produce, last level first
    let mut needed = vec![region.clone()];
    for _ in 1..levels {
        let last = &needed[needed.len() - 1];
        let grown = [0, 1, 2].map(|a| {
            if axes.contains(&a) {
                window(&last[a], lo.len().max(hi.len()), padded[a])
            } else {
                last[a].clone()
            }
        });
        needed.push(grown);
    }
    needed.reverse();
    let image = input.image;
    let g = image.geometry();
    let original = |p: [usize; 3]| {
        let q = [0, 1, 2].map(|a| if p[a] == size[a] { 0 } else { p[a] });
        image.data().get_f64(g.offset(q[0], q[1], q[2]))
    };
    let mut approximation: Option<Field> = None;
    let mut out = Vec::new();
    let mut last_approximation = None;
    for (level, lists) in needed.iter().enumerate() {
        let domain = [0, 1, 2].map(|a| {
            if axes.contains(&a) {
                window(&lists[a], lo.len().max(hi.len()), padded[a])
            } else {
                lists[a].clone()
            }
        });
        let source = match approximation.take() {
            Some(field) => Field::gather(domain, padded, |p| field.get(p)),
            None => Field::gather(domain, padded, original),
        };
        let reported = level + 1 > s.start_level as usize;
        let number = (level + 1).saturating_sub(s.start_level as usize) as u32;
        let is_last = level + 1 == needed.len();
        let use_band = |band: usize, data: Vec<f64>| match band {
            0 if is_last => {
                let name = format!("{}-{}", prefix(s.level), "L".repeat(axes.len()));
                Band::Features(use_image(&name, data))
            }
            0 => Band::Approximation(data),
            _ if reported => {
                let name = format!("{}-{}", prefix(number), band_name(band, axes.len()));
                Band::Features(use_image(&name, data))
            }
            _ => Band::Dropped,
        };
        let passes = Passes {
            lists,
            padded,
            lo,
            hi,
        };
        let mut bands = decompose(source, &axes, 0, &passes, &use_band).into_iter();
        match bands.next() {
            Some(Band::Approximation(data)) => {
                approximation = Some(Field::new(lists.clone(), padded, data));
            }
            Some(Band::Features(r)) => last_approximation = Some(r),
            _ => {}
        }
        out.extend(bands.filter_map(|band| match band {
            Band::Features(r) => Some(r),
            _ => None,
        }));
    }
    // the approximation of the last level is reported after every detail image
    out.extend(last_approximation);
    Ok(out)
}

/// Sorted padded indices that outputs at `outputs` read with a filter of length `f`.
fn window(outputs: &[usize], f: usize, n: usize) -> Vec<usize> {
    let mut seen = vec![false; n];
    for &o in outputs {
        for j in 0..f {
            seen[(o + f / 2 + n * f - j) % n] = true;
        }
    }
    (0..n).filter(|&i| seen[i]).collect()
}

/// Values on the product of three index lists (x fastest), readable by padded index.
struct Field {
    lists: [Vec<usize>; 3],
    position: [Vec<usize>; 3],
    data: Vec<f64>,
}

impl Field {
    fn new(lists: [Vec<usize>; 3], padded: [usize; 3], data: Vec<f64>) -> Field {
        let position = [0, 1, 2].map(|a| {
            let mut pos = vec![usize::MAX; padded[a]];
            for (k, &i) in lists[a].iter().enumerate() {
                pos[i] = k;
            }
            pos
        });
        Field {
            lists,
            position,
            data,
        }
    }

    /// The values of `value` on the product of `lists`, gathered in parallel over z.
    fn gather(
        lists: [Vec<usize>; 3],
        padded: [usize; 3],
        value: impl Fn([usize; 3]) -> f64 + Sync,
    ) -> Field {
        let [lx, ly, lz] = [0, 1, 2].map(|a| lists[a].len());
        let mut data = vec![0.0; lx * ly * lz];
        data.par_chunks_mut((lx * ly).max(1))
            .enumerate()
            .for_each(|(k, slab)| {
                let z = lists[2][k];
                for (row, &y) in slab.chunks_exact_mut(lx.max(1)).zip(&lists[1]) {
                    for (v, &x) in row.iter_mut().zip(&lists[0]) {
                        *v = value([x, y, z]);
                    }
                }
            });
        Field::new(lists, padded, data)
    }

    /// Padded image extent `[nx, ny, nz]`.
    fn padded(&self) -> [usize; 3] {
        [0, 1, 2].map(|a| self.position[a].len())
    }

    /// Extent of the value grid `[lx, ly, lz]`.
    fn dims(&self) -> [usize; 3] {
        [0, 1, 2].map(|a| self.lists[a].len())
    }

    fn get(&self, p: [usize; 3]) -> f64 {
        let [x, y, z] = [0, 1, 2].map(|a| self.position[a][p[a]]);
        self.data[x + self.lists[0].len() * (y + self.lists[1].len() * z)]
    }
}

/// What became of one sub-band of a level.
enum Band<R> {
    /// The approximation of a level before the last: the next level's input.
    Approximation(Vec<f64>),
    /// A reported image, already used.
    Features(R),
    /// A detail image of a level before `start_level`.
    Dropped,
}

/// What every pass of one level shares: the index lists the level produces, the padded image
/// extent and the decomposition filters.
struct Passes<'a> {
    lists: &'a [Vec<usize>; 3],
    padded: [usize; 3],
    lo: &'a [f64],
    hi: &'a [f64],
}

/// The sub-bands of one `swtn` level below `band` (the L/H choices made so far, most significant
/// first), in PyWavelets' order, from `input` filtered along every axis before `axes`: each of
/// the two passes along the next axis is split further at once, and a complete sub-band goes to
/// `use_band` as soon as it is computed. Depth first, so at most one input per axis is waiting
/// (not all `2^axes` sub-bands and their intermediates at once); the two halves run in parallel.
fn decompose<B: Send>(
    input: Field,
    axes: &[usize],
    band: usize,
    level: &Passes,
    use_band: &(impl Fn(usize, Vec<f64>) -> B + Sync),
) -> Vec<B> {
    let Some((&axis, rest)) = axes.split_first() else {
        return vec![use_band(band, input.data)];
    };
    let pass = |filter| convolve(&input, axis, &level.lists[axis], level.padded[axis], filter);
    let (low, high) = rayon::join(|| pass(level.lo), || pass(level.hi));
    drop(input);
    let (mut bands, high_bands) = rayon::join(
        || decompose(low, rest, 2 * band, level, use_band),
        || decompose(high, rest, 2 * band + 1, level, use_band),
    );
    bands.extend(high_bands);
    bands
}

/// One periodic convolution pass along `axis` of a signal of padded length `n`, evaluated at
/// `targets` along `axis` and wherever `input` has values along the other axes.
fn convolve(input: &Field, axis: usize, targets: &[usize], n: usize, filter: &[f64]) -> Field {
    let taps: Vec<Vec<(f64, usize)>> = targets
        .iter()
        .map(|&o| {
            periodic_taps(filter.len(), n, o + filter.len() / 2)
                .into_iter()
                .map(|(j, q)| (filter[j], input.position[axis][q]))
                .collect()
        })
        .collect();
    let mut lists = input.lists.clone();
    lists[axis] = targets.to_vec();
    let [ix, iy, _] = input.dims();
    let [lx, ly, lz] = [0, 1, 2].map(|a| lists[a].len());
    let mut data = vec![0.0; lx * ly * lz];
    let slab = (lx * ly).max(1);
    match axis {
        0 => data
            .par_chunks_mut(lx.max(1))
            .enumerate()
            .for_each(|(r, row)| {
                let line = &input.data[r * ix..(r + 1) * ix];
                for (v, taps) in row.iter_mut().zip(&taps) {
                    for &(h, k) in taps {
                        *v += h * line[k];
                    }
                }
            }),
        1 => data.par_chunks_mut(slab).enumerate().for_each(|(z, out)| {
            for (row, taps) in out.chunks_exact_mut(lx.max(1)).zip(&taps) {
                for &(h, k) in taps {
                    let line = &input.data[(z * iy + k) * ix..][..lx];
                    add_scaled(row, h, line);
                }
            }
        }),
        _ => data
            .par_chunks_mut(slab)
            .zip(&taps)
            .for_each(|(out, taps)| {
                for &(h, k) in taps {
                    add_scaled(out, h, &input.data[k * slab..][..slab]);
                }
            }),
    }
    Field::new(lists, input.padded(), data)
}

/// `sum += h * x` for every element: one more term of each output's sum.
fn add_scaled(sum: &mut [f64], h: f64, x: &[f64]) {
    for (s, v) in sum.iter_mut().zip(x) {
        *s += h * v;
    }
}

/// The terms of PyWavelets' `downsampling_convolution_periodization` (step 1) output at input
/// position `i = o + F/2` for a filter of length `f`: `(filter tap, input position)` in its
/// summation order.
fn periodic_taps(f: usize, n: usize, i: usize) -> Vec<(usize, usize)> {
    let mut taps = Vec::with_capacity(f);
    let mut j = 0;
    if i >= n {
        // wrapped terms first, from the filter tap i - N down to 0
        while i - j >= n {
            let mut k = 0;
            while k < n && i - j >= n {
                taps.push((i - n - j, k));
                k += 1;
                j += 1;
            }
        }
    }
    while j <= i && j < f {
        taps.push((j, i - j));
        j += 1;
    }
    while j < f {
        let mut k = 0;
        while k < n && j < f {
            taps.push((j, n - 1 - k));
            k += 1;
            j += 1;
        }
    }
    taps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_pyradiomics() {
        let s = FilterSettings::default();
        let names = image_names(&s, 3);
        assert_eq!(names.len(), 8);
        assert_eq!(names[0], "wavelet-LLH");
        assert_eq!(names[2], "wavelet-LHH");
        assert_eq!(names[3], "wavelet-HLL");
        assert_eq!(names[7], "wavelet-LLL");
        let two = FilterSettings {
            level: 2,
            ..FilterSettings::default()
        };
        let names = image_names(&two, 2);
        assert_eq!(
            names,
            [
                "wavelet-LH",
                "wavelet-HL",
                "wavelet-HH",
                "wavelet2-LH",
                "wavelet2-HL",
                "wavelet2-HH",
                "wavelet2-LL"
            ]
        );
    }

    #[test]
    fn periodic_taps_wrap_around() {
        // o = 3 of a 2-tap filter: i = 4 reads x[4 mod 4] = x[0] with h[0] and x[3] with h[1]
        assert_eq!(periodic_taps(2, 4, 4), [(0, 0), (1, 3)]);
        assert_eq!(periodic_taps(2, 4, 1), [(0, 1), (1, 0)]);
    }
}
