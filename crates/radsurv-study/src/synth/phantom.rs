//! The imaging half of the synthetic cohort: a post-TACE non-contrast CT of the liver region and
//! the lipiodol masks of two readers.
//!
//! The scene is continuous (a function of the physical point, mm): liver parenchyma (~55 HU with
//! texture), the target lesion (~38 HU, an ellipsoid with a perturbed boundary whose roughness
//! follows the morphology), lipiodol deposits inside it (200–3000 HU), and up to two small
//! lipiodol-laden satellite nodules outside it. It is rasterised on the scanner's grid with five
//! samples across each 5 mm slice (slice-thickness partial volume), blurred in-plane by
//! $(1,2,1)/4$ (the scanner's point-spread function), shifted by the centre's HU offset and
//! given its white noise, then rounded to int16.
//!
//! # The planted radiomics signal
//! Eight pattern components $u_k = \rho z + \sqrt{1-\rho^2}\,e_k$ (latent $z$, own noise $e_k$,
//! loading $\rho$ = [`PATTERN_LOADING`]) set, through the logistic link $g(x) = 1/(1+e^{-1.7x})$:
//! coverage of the lesion $0.2 + 0.75\,g(-u_1)$; mean deposit density $450 + 1800\,g(-u_2)$ HU;
//! heterogeneity (relative SD of density) $0.08 + 0.4\,g(u_3)$; grain (correlation length of the
//! deposit field, small = fragmented) $D\,(0.07 + 0.23\,g(-u_4))$ mm; compactness (weight of a
//! centre-first term) $0.7\,g(-u_5)$; mottling scale (correlation length of the density field)
//! $1.2 + 4.8\,g(-u_6)$ mm; core gradient (relative density drop from centre to boundary)
//! $0.6\,g(-u_7)$; washed-out share (deposits at 45 % density) $0.45\,g(u_8)$. A high $z$ (worse
//! prognosis) thus gives sparse, faint, heterogeneous, fragmented, mottled, flat, washed-out
//! deposits. Each component reaches a different family of features and brings its own noise,
//! so the signal is spread over many correlated features (how far LASSO then spreads over them:
//! the known limitation in the `synth` module doc).
//!
//! # Readers
//! Both readers threshold the image inside the lesion contour they draw, as the seed did in
//! 3D Slicer. Reader A uses 200 HU and a contour 1.5 mm outside the lesion boundary. Reader B
//! picks a threshold of 160–320 HU per case, draws the contour between 2.5 mm inside and 2 mm
//! outside, and in about a third of cases leaves out the ROI's first or last slice (the one most
//! affected by partial volume).

use super::cohort::{Morphology, Patient};
use super::field::SmoothField;
use radsurv_image::{Geometry, Volume, VoxelData};
use rand::Rng;
use rand_distr::StandardNormal;
use serde::Serialize;

/// Correlation $\rho$ of each lipiodol-pattern component with the latent variable.
pub const PATTERN_LOADING: f64 = 0.7;

/// Number of pattern components (see the module doc).
pub const PATTERN_COMPONENTS: usize = 8;

/// Slice thickness and spacing of every scanner (the seed reconstructs at 5 mm).
const SLICE_MM: f64 = 5.0;
/// Largest in-plane size and slice count of a volume.
const MAX_INPLANE: usize = 160;
const MAX_SLICES: usize = 30;
/// Reader A's lipiodol threshold.
const READER_A_THRESHOLD_HU: f64 = 200.0;
/// How far outside the lesion boundary reader A draws the contour.
const READER_A_MARGIN_MM: f64 = 1.5;
/// Lipiodol density limits.
const LIPIODOL_HU: (f64, f64) = (200.0, 3000.0);
/// int16 range of a CT in HU as scanners store it.
const CT_RANGE_HU: (f64, f64) = (-1024.0, 3071.0);

/// The CT scanner of one centre.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scanner {
    /// Scanner model (the seed's Methods).
    pub model: &'static str,
    /// Range of in-plane pixel spacing (mm) across patients (field of view varies).
    pub spacing_mm: (f64, f64),
    /// SD of the white image noise (HU).
    pub noise_sd_hu: f64,
    /// Calibration offset added to every voxel (HU).
    pub offset_hu: f64,
}

/// The three centres' scanners, in centre order `C1`, `C2`, `C3`.
pub const SCANNERS: [Scanner; 3] = [
    Scanner {
        model: "GE Discovery CT750 HD",
        spacing_mm: (0.68, 0.74),
        noise_sd_hu: 12.0,
        offset_hu: 0.0,
    },
    Scanner {
        model: "United Imaging uCT 960+",
        spacing_mm: (0.60, 0.68),
        noise_sd_hu: 16.0,
        offset_hu: 4.0,
    },
    Scanner {
        model: "Canon Aquilion ONE Genesis",
        spacing_mm: (0.74, 0.80),
        noise_sd_hu: 10.0,
        offset_hu: -3.0,
    },
];

/// The lipiodol deposit pattern of one patient (see the module doc for the mapping from $z$).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LipiodolPattern {
    /// Fraction of the lesion volume covered by deposits.
    pub coverage: f64,
    /// Mean deposit density (HU).
    pub mean_hu: f64,
    /// Relative SD of deposit density.
    pub heterogeneity: f64,
    /// Correlation length of the deposit field (mm); small means fragmented.
    pub grain_mm: f64,
    /// Weight of the centre-first term; high means one compact central deposit.
    pub compactness: f64,
    /// Correlation length of the density variation within deposits (mm); small means mottled.
    pub density_grain_mm: f64,
    /// Relative density drop from the lesion centre to its boundary; high means a dense core.
    pub core_gradient: f64,
    /// Share of the deposit volume that is faint (washed-out lipiodol at 45 % density).
    pub faint_share: f64,
}

impl LipiodolPattern {
    /// The pattern of a patient with latent `latent`, component noise `noise` and target-lesion
    /// diameter `diameter_mm`.
    pub fn from_latent(latent: f64, noise: [f64; PATTERN_COMPONENTS], diameter_mm: f64) -> Self {
        let rest = (1.0 - PATTERN_LOADING * PATTERN_LOADING).sqrt();
        let u = noise.map(|e| PATTERN_LOADING * latent + rest * e);
        let g = |x: f64| 1.0 / (1.0 + (-1.7 * x).exp());
        LipiodolPattern {
            coverage: 0.2 + 0.75 * g(-u[0]),
            mean_hu: 450.0 + 1800.0 * g(-u[1]),
            heterogeneity: 0.08 + 0.4 * g(u[2]),
            grain_mm: (diameter_mm * (0.07 + 0.23 * g(-u[3]))).max(2.5),
            compactness: 0.7 * g(-u[4]),
            density_grain_mm: 1.2 + 4.8 * g(-u[5]),
            core_gradient: 0.6 * g(-u[6]),
            faint_share: 0.45 * g(u[7]),
        }
    }
}

/// How reader B's segmentation of one case differs from reader A's.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ReaderBStyle {
    /// Lipiodol threshold (HU).
    pub threshold_hu: f64,
    /// Contour distance outside the lesion boundary (mm; negative is inside).
    pub margin_mm: f64,
    /// Slice of the ROI left out: `Some(true)` the last (highest z), `Some(false)` the first.
    pub drops_last_slice: Option<bool>,
}

impl ReaderBStyle {
    /// Draws reader B's choices for one case.
    pub fn draw(rng: &mut impl Rng) -> Self {
        let threshold_hu = rng.random_range(160.0..320.0);
        let margin_mm = rng.random_range(-2.5..2.0);
        let drops_last_slice = rng.random_bool(1.0 / 3.0).then(|| rng.random_bool(0.5));
        ReaderBStyle {
            threshold_hu,
            margin_mm,
            drops_last_slice,
        }
    }
}

/// The rasterised case: image and reader masks on one grid.
pub struct CaseVolumes {
    /// int16 CT in HU.
    pub image: Volume,
    /// Reader A's uint8 mask (label 1).
    pub reader_a: Volume,
    /// Reader B's uint8 mask (label 1), for the cases reader B segmented.
    pub reader_b: Option<Volume>,
}

/// Renders one patient's CT and reader masks from the image stream `rng`.
pub(crate) fn render(
    patient: &Patient,
    pattern: &LipiodolPattern,
    reader_b: Option<&ReaderBStyle>,
    rng: &mut impl Rng,
) -> Result<CaseVolumes, radsurv_image::ImageError> {
    let scanner = &SCANNERS[patient.centre];
    let diameter_mm = patient.tl_diameter_cm * 10.0;
    let geometry = grid(diameter_mm, scanner, rng);
    let scene = Scene::draw(patient, pattern, &geometry, rng);
    let levels = lesion_levels(&scene.lesion, &geometry);
    let deposit_threshold = scene.deposit_threshold(&geometry, &levels, pattern.coverage);
    let mut hu = scene.rasterise(&geometry, &levels, deposit_threshold);
    blur_in_plane(&mut hu, geometry.size);
    let noisy: Vec<i16> = hu
        .iter()
        .map(|v| {
            let noise: f64 = rng.sample(StandardNormal);
            let value = v + scanner.offset_hu + scanner.noise_sd_hu * noise;
            value.round().clamp(CT_RANGE_HU.0, CT_RANGE_HU.1) as i16
        })
        .collect();
    let half_diameter = diameter_mm / 2.0;
    let reader_a_mask = threshold_mask(
        &noisy,
        &levels,
        1.0 + READER_A_MARGIN_MM / half_diameter,
        READER_A_THRESHOLD_HU,
    );
    let reader_b_mask = reader_b.map(|style| {
        let mut mask = threshold_mask(
            &noisy,
            &levels,
            1.0 + style.margin_mm / half_diameter,
            style.threshold_hu,
        );
        if let Some(last) = style.drops_last_slice {
            drop_end_slice(&mut mask, geometry.size, last);
        }
        mask
    });
    Ok(CaseVolumes {
        image: Volume::new(geometry.clone(), VoxelData::I16(noisy))?,
        reader_a: Volume::new(geometry.clone(), VoxelData::U8(reader_a_mask))?,
        reader_b: reader_b_mask
            .map(|m| Volume::new(geometry.clone(), VoxelData::U8(m)))
            .transpose()?,
    })
}

/// The scanner grid around the lesion: in-plane spacing from the centre's range, 5 mm slices,
/// field of view 1.25 lesion diameters plus 12 mm (at most 160 × 160 × 30 voxels), centred near
/// the LPS origin.
fn grid(diameter_mm: f64, scanner: &Scanner, rng: &mut impl Rng) -> Geometry {
    let spacing =
        (rng.random_range(scanner.spacing_mm.0..scanner.spacing_mm.1) * 1000.0).round() / 1000.0;
    let inplane = (((diameter_mm * 1.25 + 12.0) / spacing).ceil() as usize).min(MAX_INPLANE);
    let slices = (((diameter_mm * 1.15) / SLICE_MM).ceil() as usize + 4).min(MAX_SLICES);
    let origin = [
        -(inplane as f64 - 1.0) * spacing / 2.0,
        -(inplane as f64 - 1.0) * spacing / 2.0,
        -(slices as f64 - 1.0) * SLICE_MM / 2.0,
    ];
    Geometry::new(
        [inplane, inplane, slices],
        [spacing, spacing, SLICE_MM],
        origin,
    )
}

/// The target lesion: a rotated ellipsoid with a boundary perturbed by a smooth field.
struct Lesion {
    centre: [f64; 3],
    inverse_axes: [f64; 3],
    cos: f64,
    sin: f64,
    roughness: f64,
    shape: SmoothField,
}

impl Lesion {
    /// Normalised distance from the centre: below 1 inside, 1 on the boundary.
    fn level(&self, p: [f64; 3]) -> f64 {
        let d = [
            p[0] - self.centre[0],
            p[1] - self.centre[1],
            p[2] - self.centre[2],
        ];
        let u = (self.cos * d[0] + self.sin * d[1]) * self.inverse_axes[0];
        let v = (-self.sin * d[0] + self.cos * d[1]) * self.inverse_axes[1];
        let w = d[2] * self.inverse_axes[2];
        let ellipsoidal = (u * u + v * v + w * w).sqrt();
        // Far from the lesion, even the largest perturbation leaves the level at or above
        // FAR_LEVEL, and every use compares the level with smaller values: return the smooth
        // lower bound without sampling the shape field (same outcome, much faster rendering).
        let lower_bound = ellipsoidal - 2.0 * self.roughness;
        if lower_bound >= FAR_LEVEL {
            return lower_bound;
        }
        ellipsoidal - self.roughness * self.shape.at(p).clamp(-2.0, 2.0)
    }
}

/// Levels at or above this are "far": beyond every reader contour (at most 1 + 2 mm / 10 mm) and
/// beyond the band where slice partial volume is sampled ([`PARTIAL_VOLUME_LEVEL`]).
const FAR_LEVEL: f64 = 1.5;

/// Voxels whose centre level is below this get five samples across the slice: the lesion and a
/// band around it at least 2.5 mm wide (half a slice) for lesions of 2–9 cm.
const PARTIAL_VOLUME_LEVEL: f64 = 1.3;

/// A small lipiodol-laden nodule outside the target lesion.
struct Satellite {
    centre: [f64; 3],
    radius_mm: f64,
    hu: f64,
}

/// The continuous post-TACE scene of one patient.
struct Scene {
    lesion: Lesion,
    rim: bool,
    pattern: LipiodolPattern,
    deposit: SmoothField,
    density: SmoothField,
    washout: SmoothField,
    faint_cut: f64,
    texture: SmoothField,
    satellites: Vec<Satellite>,
}

/// Density of washed-out lipiodol relative to the patient's mean deposit density.
const FAINT_DENSITY: f64 = 0.45;

/// Standard normal quantile of `share`: the washout field is roughly normal with unit variance,
/// so its values below this quantile cover about that share of the deposits.
fn normal_quantile(share: f64) -> f64 {
    use statrs::distribution::ContinuousCDF;
    statrs::distribution::Normal::standard().inverse_cdf(share.clamp(1e-6, 1.0 - 1e-6))
}

/// Gain of the centre-first term so that it is on the scale of the unit-variance deposit field.
const CENTRE_GAIN: f64 = 4.0;

impl Scene {
    /// Draws lesion shape, fields and satellites for `patient` on `geometry`.
    fn draw(
        patient: &Patient,
        pattern: &LipiodolPattern,
        geometry: &Geometry,
        rng: &mut impl Rng,
    ) -> Self {
        let (lo, hi) = extent(geometry);
        let radius = patient.tl_diameter_cm * 10.0 / 2.0;
        let centre = [
            rng.random_range(-4.0..4.0),
            rng.random_range(-4.0..4.0),
            rng.random_range(-2.5..2.5),
        ];
        let axes = [
            radius,
            radius * rng.random_range(0.8..1.0),
            radius * rng.random_range(0.85..1.05),
        ];
        let angle: f64 = rng.random_range(0.0..std::f64::consts::PI);
        let roughness = match patient.morphology {
            Morphology::Circular => 0.04,
            Morphology::Irregular => 0.18,
            Morphology::PeritumoralEnhancement => 0.08,
        };
        let lesion = Lesion {
            centre,
            inverse_axes: axes.map(|a| 1.0 / a),
            cos: angle.cos(),
            sin: angle.sin(),
            roughness,
            shape: SmoothField::new(lo, hi, radius * 0.7, rng),
        };
        let deposit = SmoothField::new(lo, hi, pattern.grain_mm, rng);
        let density = SmoothField::new(lo, hi, pattern.density_grain_mm, rng);
        let washout = SmoothField::new(lo, hi, pattern.grain_mm, rng);
        let texture = SmoothField::new(lo, hi, 4.0, rng);
        let satellites = satellites(patient, centre, radius, geometry, rng);
        Scene {
            lesion,
            rim: patient.morphology == Morphology::PeritumoralEnhancement,
            pattern: *pattern,
            deposit,
            density,
            washout,
            faint_cut: normal_quantile(pattern.faint_share),
            texture,
            satellites,
        }
    }

    /// Deposit score at `p` inside the lesion (level `level`): deposits where it exceeds the
    /// threshold. Mixes the smooth field with a term that is highest at the lesion centre.
    fn deposit_score(&self, p: [f64; 3], level: f64) -> f64 {
        let w = self.pattern.compactness;
        (1.0 - w) * self.deposit.at(p) + w * CENTRE_GAIN * (1.0 - level)
    }

    /// The score threshold that makes deposits cover `coverage` of the lesion's voxel centres.
    fn deposit_threshold(&self, geometry: &Geometry, levels: &[f64], coverage: f64) -> f64 {
        let mut scores: Vec<f64> = levels
            .iter()
            .enumerate()
            .filter(|(_, &level)| level < 1.0)
            .map(|(i, &level)| self.deposit_score(voxel_centre(geometry, i), level))
            .collect();
        if scores.is_empty() {
            return f64::INFINITY;
        }
        let rank = (((1.0 - coverage) * scores.len() as f64) as usize).min(scores.len() - 1);
        let (_, threshold, _) = scores.select_nth_unstable_by(rank, f64::total_cmp);
        *threshold
    }

    /// Lipiodol density at a deposit point `p` (lesion level `level`): the mean density, lowered
    /// towards the boundary by the core gradient and to 45 % where the washout field marks the
    /// faint share, varied by the heterogeneity field.
    fn deposit_hu(&self, p: [f64; 3], level: f64) -> f64 {
        let pattern = &self.pattern;
        let core = 1.0 + pattern.core_gradient * (0.5 - level);
        let faint = if self.washout.at(p) < self.faint_cut {
            FAINT_DENSITY
        } else {
            1.0
        };
        let relative = 1.0 + pattern.heterogeneity * self.density.at(p);
        (pattern.mean_hu * core * faint * relative).clamp(LIPIODOL_HU.0, LIPIODOL_HU.1)
    }

    /// Tissue value (HU, before offset and noise) at `p`.
    fn hu_at(&self, p: [f64; 3], deposit_threshold: f64) -> f64 {
        let level = self.lesion.level(p);
        if level < 1.0 {
            if self.deposit_score(p, level) > deposit_threshold {
                return self.deposit_hu(p, level);
            }
            if self.rim && level > 0.9 {
                return 62.0 + 4.0 * self.texture.at(p);
            }
            return 38.0 + 6.0 * self.texture.at(p);
        }
        if let Some(s) = self.satellites.iter().find(|s| s.contains(p)) {
            return s.hu;
        }
        55.0 + 5.0 * self.texture.at(p)
    }

    /// Voxel values: the mean of five samples across the slice thickness in and around the
    /// lesion and satellites (where partial volume matters), one sample at the centre elsewhere.
    fn rasterise(&self, geometry: &Geometry, levels: &[f64], deposit_threshold: f64) -> Vec<f64> {
        const OFFSETS: [f64; 5] = [-0.4, -0.2, 0.0, 0.2, 0.4];
        let margin = geometry.spacing[2] / 2.0 + geometry.spacing[0];
        (0..geometry.voxel_count())
            .map(|i| {
                let p = voxel_centre(geometry, i);
                let in_detail = levels[i] < PARTIAL_VOLUME_LEVEL
                    || self.satellites.iter().any(|s| s.near(p, margin));
                if !in_detail {
                    return self.hu_at(p, deposit_threshold);
                }
                let sum: f64 = OFFSETS
                    .iter()
                    .map(|o| {
                        self.hu_at(
                            [p[0], p[1], p[2] + o * geometry.spacing[2]],
                            deposit_threshold,
                        )
                    })
                    .sum();
                sum / OFFSETS.len() as f64
            })
            .collect()
    }
}

impl Satellite {
    /// The point lies inside the nodule.
    fn contains(&self, p: [f64; 3]) -> bool {
        self.distance_squared(p) < self.radius_mm * self.radius_mm
    }

    /// The point lies within `margin` mm of the nodule.
    fn near(&self, p: [f64; 3], margin: f64) -> bool {
        self.distance_squared(p) < (self.radius_mm + margin).powi(2)
    }

    fn distance_squared(&self, p: [f64; 3]) -> f64 {
        (0..3).map(|a| (p[a] - self.centre[a]).powi(2)).sum()
    }
}

/// Up to two satellites (one fewer than the tumour count), each on a diagonal of the field of
/// view between the lesion's reach and the corner; one that does not fit is left out.
fn satellites(
    patient: &Patient,
    lesion_centre: [f64; 3],
    radius: f64,
    geometry: &Geometry,
    rng: &mut impl Rng,
) -> Vec<Satellite> {
    let wanted = patient.tumour_count.saturating_sub(1).min(2) as usize;
    let half_fov = (geometry.size[0] as f64 - 1.0) * geometry.spacing[0] / 2.0;
    let base_angle = std::f64::consts::FRAC_PI_4
        + std::f64::consts::FRAC_PI_2 * f64::from(rng.random_range(0..4u8));
    (0..wanted)
        .filter_map(|k| {
            let radius_mm: f64 = rng.random_range(2.5..6.0);
            let hu = rng.random_range(900.0..1800.0);
            let dz: f64 = rng.random_range(-4.0..4.0);
            let angle = base_angle + std::f64::consts::PI * k as f64;
            let (dx, dy) = (angle.cos(), angle.sin());
            // Distance along the diagonal from the lesion centre to the field-of-view corner.
            let to_corner = (half_fov - lesion_centre[0] * dx.signum())
                .min(half_fov - lesion_centre[1] * dy.signum())
                * std::f64::consts::SQRT_2;
            let inner = radius * 1.45 + radius_mm + 1.0;
            let outer = to_corner - radius_mm - 3.0;
            (outer > inner).then(|| Satellite {
                centre: [
                    lesion_centre[0] + dx * (inner + outer) / 2.0,
                    lesion_centre[1] + dy * (inner + outer) / 2.0,
                    lesion_centre[2] + dz,
                ],
                radius_mm,
                hu,
            })
        })
        .collect()
}

/// Lesion level at every voxel centre, x-fastest.
fn lesion_levels(lesion: &Lesion, geometry: &Geometry) -> Vec<f64> {
    (0..geometry.voxel_count())
        .map(|i| lesion.level(voxel_centre(geometry, i)))
        .collect()
}

/// Physical centre of voxel `i` (x-fastest) on an axis-aligned grid.
fn voxel_centre(geometry: &Geometry, i: usize) -> [f64; 3] {
    let [nx, ny, _] = geometry.size;
    let index = [
        (i % nx) as f64,
        ((i / nx) % ny) as f64,
        (i / (nx * ny)) as f64,
    ];
    std::array::from_fn(|a| geometry.origin[a] + geometry.spacing[a] * index[a])
}

/// Physical box covered by the grid's voxel centres.
fn extent(geometry: &Geometry) -> ([f64; 3], [f64; 3]) {
    let lo = geometry.origin;
    let hi = std::array::from_fn(|a| lo[a] + geometry.spacing[a] * (geometry.size[a] as f64 - 1.0));
    (lo, hi)
}

/// Applies $(1,2,1)/4$ along x then y (edges replicated): the in-plane point-spread function.
fn blur_in_plane(values: &mut [f64], size: [usize; 3]) {
    for (stride, len) in [(1, size[0]), (size[0], size[1])] {
        let source = values.to_vec();
        for (i, v) in values.iter_mut().enumerate() {
            let pos = (i / stride) % len;
            let prev = if pos == 0 { i } else { i - stride };
            let next = if pos + 1 == len { i } else { i + stride };
            *v = 0.25 * source[prev] + 0.5 * source[i] + 0.25 * source[next];
        }
    }
}

/// Label 1 where the voxel centre lies inside the contour (`level < contour`) and the image value
/// reaches `threshold_hu`.
fn threshold_mask(image: &[i16], levels: &[f64], contour: f64, threshold_hu: f64) -> Vec<u8> {
    image
        .iter()
        .zip(levels)
        .map(|(&v, &level)| u8::from(level < contour && f64::from(v) >= threshold_hu))
        .collect()
}

/// Clears the first or last slice of the mask that holds any label.
fn drop_end_slice(mask: &mut [u8], size: [usize; 3], last: bool) {
    let slice_len = size[0] * size[1];
    let labelled: Vec<usize> = (0..size[2])
        .filter(|&z| mask[z * slice_len..(z + 1) * slice_len].contains(&1))
        .collect();
    // Never remove the only labelled slice: the ROI must stay non-empty.
    if labelled.len() < 2 {
        return;
    }
    let z = if last {
        labelled[labelled.len() - 1]
    } else {
        labelled[0]
    };
    mask[z * slice_len..(z + 1) * slice_len].fill(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worse_latent_gives_a_sparser_fainter_more_fragmented_pattern() {
        let good = LipiodolPattern::from_latent(-2.0, [0.0; PATTERN_COMPONENTS], 50.0);
        let bad = LipiodolPattern::from_latent(2.0, [0.0; PATTERN_COMPONENTS], 50.0);
        assert!(good.coverage > bad.coverage);
        assert!(good.mean_hu > bad.mean_hu);
        assert!(good.heterogeneity < bad.heterogeneity);
        assert!(good.grain_mm > bad.grain_mm);
        assert!(good.compactness > bad.compactness);
        assert!(good.density_grain_mm > bad.density_grain_mm);
        assert!(good.core_gradient > bad.core_gradient);
        assert!(good.faint_share < bad.faint_share);
    }

    #[test]
    fn drop_end_slice_keeps_a_single_slice_roi() {
        let mut mask = vec![0u8; 8];
        mask[4] = 1;
        drop_end_slice(&mut mask, [2, 2, 2], true);
        assert_eq!(mask.iter().filter(|&&m| m == 1).count(), 1);
    }
}
