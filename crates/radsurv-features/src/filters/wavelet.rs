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

use super::wavelet_tables::WAVELETS;
use super::{DerivedImage, FilterInput, FilterSettings};
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

/// The wavelet images over the region.
///
/// # Errors
/// [`FeatureError::UnsupportedFilter`] for a wavelet radsurv does not tabulate.
pub(super) fn derive(input: &FilterInput, s: &FilterSettings) -> Result<Vec<DerivedImage>> {
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
    for (level, lists) in needed.iter().enumerate() {
        let source: &(dyn Fn([usize; 3]) -> f64 + Sync) = match &approximation {
            Some(field) => &|p| field.get(p),
            None => &original,
        };
        let subbands = decompose(source, lists, &axes, padded, lo, hi);
        let reported = level + 1 > s.start_level as usize;
        let mut subbands = subbands.into_iter();
        let approx = subbands.next().unwrap_or_default();
        if reported {
            let number = (level + 1 - s.start_level as usize) as u32;
            for (band, data) in subbands.enumerate() {
                out.push(DerivedImage {
                    name: format!("{}-{}", prefix(number), band_name(band + 1, axes.len())),
                    values: data,
                });
            }
        }
        approximation = Some(Field::new(lists.clone(), padded, approx));
    }
    if let Some(field) = approximation {
        out.push(DerivedImage {
            name: format!("{}-{}", prefix(s.level), "L".repeat(axes.len())),
            values: field.data,
        });
    }
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

    fn get(&self, p: [usize; 3]) -> f64 {
        let [x, y, z] = [0, 1, 2].map(|a| self.position[a][p[a]]);
        self.data[x + self.lists[0].len() * (y + self.lists[1].len() * z)]
    }
}

/// The `2^axes` sub-bands of one `swtn` level on `lists`, in PyWavelets' order.
fn decompose(
    source: &(dyn Fn([usize; 3]) -> f64 + Sync),
    lists: &[Vec<usize>; 3],
    axes: &[usize],
    padded: [usize; 3],
    lo: &[f64],
    hi: &[f64],
) -> Vec<Vec<f64>> {
    // each pass restricts its own axis to the target list; the others still span their windows
    let mut domain: [Vec<usize>; 3] = [0, 1, 2].map(|a| {
        if axes.contains(&a) {
            window(&lists[a], lo.len().max(hi.len()), padded[a])
        } else {
            lists[a].clone()
        }
    });
    let mut fields: Vec<Field> = Vec::new();
    for (step, &axis) in axes.iter().enumerate() {
        let mut out_lists = domain.clone();
        out_lists[axis] = lists[axis].clone();
        let mut next = Vec::new();
        let inputs: Vec<Option<&Field>> = if step == 0 {
            vec![None]
        } else {
            fields.iter().map(Some).collect()
        };
        for input in inputs {
            for filter in [lo, hi] {
                let get = |p: [usize; 3]| match input {
                    Some(field) => field.get(p),
                    None => source(p),
                };
                let data = convolve(&get, &out_lists, axis, padded[axis], filter);
                next.push(Field::new(out_lists.clone(), padded, data));
            }
        }
        fields = next;
        domain = out_lists;
    }
    fields.into_iter().map(|f| f.data).collect()
}

/// One periodic convolution pass along `axis`, evaluated on the product of `out_lists`.
fn convolve(
    get: &(dyn Fn([usize; 3]) -> f64 + Sync),
    out_lists: &[Vec<usize>; 3],
    axis: usize,
    n: usize,
    filter: &[f64],
) -> Vec<f64> {
    let [lx, ly, lz] = [0, 1, 2].map(|a| out_lists[a].len());
    (0..lz)
        .into_par_iter()
        .flat_map_iter(|k| {
            (0..ly).flat_map(move |j| {
                (0..lx).map(move |i| {
                    let p = [out_lists[0][i], out_lists[1][j], out_lists[2][k]];
                    periodic_sum(filter, n, p[axis] + filter.len() / 2, |q| {
                        let mut r = p;
                        r[axis] = q;
                        get(r)
                    })
                })
            })
        })
        .collect()
}

/// PyWavelets' `downsampling_convolution_periodization` (step 1) output at input position
/// `i = o + F/2`, with its summation order.
fn periodic_sum(h: &[f64], n: usize, i: usize, x: impl Fn(usize) -> f64) -> f64 {
    let f = h.len();
    let mut sum = 0.0;
    let mut j = 0;
    if i >= n {
        // wrapped terms first, from the filter tap i - N down to 0
        while i - j >= n {
            let mut k = 0;
            while k < n && i - j >= n {
                sum += h[i - n - j] * x(k);
                k += 1;
                j += 1;
            }
        }
    }
    while j <= i && j < f {
        sum += h[j] * x(i - j);
        j += 1;
    }
    while j < f {
        let mut k = 0;
        while k < n && j < f {
            sum += h[j] * x(n - 1 - k);
            k += 1;
            j += 1;
        }
    }
    sum
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
    fn periodic_sum_wraps_around() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let h = [1.0, 10.0];
        // o = 3: i = 4 reads x[4 mod 4] = x[0] with h[0] and x[3] with h[1]
        assert_eq!(periodic_sum(&h, 4, 4, |k| x[k]), 1.0 + 40.0);
        assert_eq!(periodic_sum(&h, 4, 1, |k| x[k]), 2.0 + 10.0);
    }
}
