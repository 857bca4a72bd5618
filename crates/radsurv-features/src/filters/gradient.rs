//! Gradient magnitude as ITK's `GradientMagnitudeImageFilter` computes it (`getGradientImage`).
//!
//! Per axis $a$ the derivative is the inner product of the flipped first-order derivative
//! operator $(-\tfrac12, 0, \tfrac12)$, scaled by $1/s_a$ when `gradientUseSpacing`, with the
//! neighbours $x_{i-1}, x_i, x_{i+1}$ (indices clamped to the image: zero-flux Neumann boundary),
//! summed in that order in double; the magnitude $\sqrt{\sum_a g_a^2}$ (axes x, y, z) is stored
//! as float32.

use super::FilterInput;
use radsurv_image::mask::BoundingBox;

/// The gradient magnitude over the region.
pub(super) fn derive(input: &FilterInput, use_spacing: bool) -> Vec<f64> {
    let size = input.size();
    let spacing = input.image.geometry().spacing;
    // the region grown by one voxel where the image allows, to read every neighbour once
    let lower = input.region.lower.map(|l| l.saturating_sub(1));
    let upper = [0, 1, 2].map(|a| (input.region.upper[a] + 1).min(size[a] - 1));
    let grown = BoundingBox { lower, upper };
    let values = input.values_in(&grown);
    let gs = grown.size();
    let at = |p: [usize; 3]| {
        values[(p[0] - lower[0]) + gs[0] * ((p[1] - lower[1]) + gs[1] * (p[2] - lower[2]))]
    };
    let weights: [f64; 3] = [0, 1, 2].map(|a| {
        let scale = if use_spacing { 1.0 / spacing[a] } else { 1.0 };
        0.5 * scale
    });
    let [rx, ry, rz] = input.region_size();
    let mut out = Vec::with_capacity(rx * ry * rz);
    for z in input.region.lower[2]..=input.region.upper[2] {
        for y in input.region.lower[1]..=input.region.upper[1] {
            for x in input.region.lower[0]..=input.region.upper[0] {
                let p = [x, y, z];
                let mut sum_sq = 0.0f64;
                for a in 0..3 {
                    let mut before = p;
                    before[a] = p[a].saturating_sub(1);
                    let mut after = p;
                    after[a] = (p[a] + 1).min(size[a] - 1);
                    let centre = 0.0 * at(p);
                    let g = ((0.0 + (-weights[a]) * at(before)) + centre) + weights[a] * at(after);
                    sum_sq += g * g;
                }
                out.push(f64::from(sum_sq.sqrt() as f32));
            }
        }
    }
    out
}
