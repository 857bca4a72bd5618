//! Smooth Gaussian random fields: the texture source of every synthetic tissue.
//!
//! A field with correlation length $L$ is built on a coarse lattice of spacing $L$ whose nodes are
//! i.i.d. $N(0,1)$, smoothed once along each axis by the kernel $(1,2,1)/4$ and rescaled to unit
//! variance (the kernel keeps $\sum w^2 = 6/16$ of the variance per axis). The lattice is shifted by
//! a random fraction of a cell so that it never lines up with the image grid. A value anywhere is
//! the trilinear interpolation of the lattice. The cost of a sample does not depend on $L$, which is
//! what keeps 168 volumes within seconds (a voxel-space Gaussian blur with $\sigma = L$ would not).

use rand::Rng;
use rand_distr::StandardNormal;

/// A unit-variance smooth random field over a box of physical space (mm).
pub(crate) struct SmoothField {
    origin: [f64; 3],
    cell: f64,
    dims: [usize; 3],
    values: Vec<f64>,
}

impl SmoothField {
    /// Draws a field covering the box `lo..=hi` (mm) with correlation length `corr_len_mm`.
    ///
    /// The number of draws depends only on the box and `corr_len_mm`, so the generator's stream
    /// advances identically on every machine.
    pub(crate) fn new(lo: [f64; 3], hi: [f64; 3], corr_len_mm: f64, rng: &mut impl Rng) -> Self {
        let cell = corr_len_mm.max(0.1);
        let origin: [f64; 3] = std::array::from_fn(|axis| {
            let shift: f64 = rng.random();
            lo[axis] - cell * (1.0 + shift)
        });
        let dims: [usize; 3] =
            std::array::from_fn(|axis| ((hi[axis] - origin[axis]) / cell).ceil() as usize + 2);
        let count = dims[0] * dims[1] * dims[2];
        let mut values: Vec<f64> = (0..count).map(|_| rng.sample(StandardNormal)).collect();
        for axis in 0..3 {
            values = smooth_axis(&values, dims, axis);
        }
        let unit_variance = (16.0_f64 / 6.0).powf(1.5);
        values.iter_mut().for_each(|v| *v *= unit_variance);
        SmoothField {
            origin,
            cell,
            dims,
            values,
        }
    }

    /// Field value at physical point `p` (mm), by trilinear interpolation; points outside the
    /// lattice take the value of its nearest face.
    pub(crate) fn at(&self, p: [f64; 3]) -> f64 {
        let cells: [(usize, f64); 3] = std::array::from_fn(|axis| {
            let u = ((p[axis] - self.origin[axis]) / self.cell).max(0.0);
            // `u` is non-negative, so truncation is the floor (and much cheaper than `floor`).
            let b = (u as usize).min(self.dims[axis] - 2);
            (b, (u - b as f64).min(1.0))
        });
        let base = cells.map(|(b, _)| b);
        let frac = cells.map(|(_, f)| f);
        let [nx, ny, _] = self.dims;
        let at = |dx: usize, dy: usize, dz: usize| {
            self.values[(base[0] + dx) + nx * ((base[1] + dy) + ny * (base[2] + dz))]
        };
        let lerp = |a: f64, b: f64, t: f64| a + (b - a) * t;
        let z0 = lerp(
            lerp(at(0, 0, 0), at(1, 0, 0), frac[0]),
            lerp(at(0, 1, 0), at(1, 1, 0), frac[0]),
            frac[1],
        );
        let z1 = lerp(
            lerp(at(0, 0, 1), at(1, 0, 1), frac[0]),
            lerp(at(0, 1, 1), at(1, 1, 1), frac[0]),
            frac[1],
        );
        lerp(z0, z1, frac[2])
    }
}

/// Applies the kernel $(1,2,1)/4$ along `axis` of an x-fastest lattice, replicating the edges.
fn smooth_axis(values: &[f64], dims: [usize; 3], axis: usize) -> Vec<f64> {
    let stride = match axis {
        0 => 1,
        1 => dims[0],
        _ => dims[0] * dims[1],
    };
    let len = dims[axis];
    let mut out = vec![0.0; values.len()];
    for (i, o) in out.iter_mut().enumerate() {
        let pos = (i / stride) % len;
        let prev = if pos == 0 { i } else { i - stride };
        let next = if pos + 1 == len { i } else { i + stride };
        *o = 0.25 * values[prev] + 0.5 * values[i] + 0.25 * values[next];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn field_has_roughly_unit_variance_and_is_smooth() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let field = SmoothField::new([0.0; 3], [200.0, 200.0, 200.0], 5.0, &mut rng);
        let samples: Vec<f64> = (0..4000)
            .map(|i| {
                let f = i as f64;
                field.at([(f * 7.3) % 200.0, (f * 3.1) % 200.0, (f * 1.7) % 200.0])
            })
            .collect();
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        let var = samples.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / samples.len() as f64;
        assert!(mean.abs() < 0.15, "mean {mean}");
        // Trilinear interpolation between nodes lowers the variance somewhat below 1.
        assert!((0.4..1.2).contains(&var), "variance {var}");
        let step = (field.at([50.0, 50.0, 50.0]) - field.at([50.2, 50.0, 50.0])).abs();
        assert!(step < 0.3, "a 0.2 mm step changed the field by {step}");
    }
}
