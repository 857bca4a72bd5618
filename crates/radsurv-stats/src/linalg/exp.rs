//! $e^{x - y}$ over slices in operations that vectorise, within one ulp of the correctly
//! rounded value.

use multiversion::multiversion;

/// `out[i]` $= e^{x_i - y_i}$ for every `i` (up to the shortest of `x`, `y` and `out`),
/// within one unit in the last place (ulp) of the correctly rounded value (subnormal results,
/// below $e^{-708.4}$, within 1 ulp of their own spacing).
///
/// The textbook method (Muller, Elementary Functions, 3rd ed., §11.2; Cody & Waite, Software
/// Manual for the Elementary Functions, 1980, ch. 6) in operations that vectorise, with no table
/// and no branch: for $y = x_i - y_i$,
/// $$y = k \ln 2 + r, \quad k = \operatorname{round}(y / \ln 2), \quad |r| \le \tfrac{\ln 2}{2},
/// \qquad e^y = 2^k e^r,$$
/// - $k$ rounded by adding and subtracting $1.5 \cdot 2^{52}$ (no float-to-integer conversion,
///   which AVX2 does not have for 64-bit integers);
/// - $r = (y - k\,\ell_{hi}) - k\,\ell_{lo}$ with $\ln 2 = \ell_{hi} + \ell_{lo}$ split so that
///   $\ell_{hi}$ has 32 significant bits: $k\,\ell_{hi}$ and the first subtraction are exact
///   (and the rounding of the second is carried along, [`reduced_argument`]);
/// - $e^r$ by its Taylor polynomial of degree 13 (remainder $< 5 \cdot 10^{-18}$ relative on
///   $|r| \le \ln 2 / 2$), [`exp_reduced`];
/// - $2^k$ as two powers of two $2^j\,2^{k-j}$, $j \approx k/2$, each written as its bits
///   ($(j + 1023) \ll 52$): both are normal numbers for every $k$ that occurs, so the scaling is
///   exact for normal results and results down to the smallest subnormal come out of the last
///   multiplication's rounding.
///
/// $y$ is clamped to $[-746, 710]$ first (still giving $0$ and $+\infty$, which lie beyond), so
/// $-\infty \mapsto 0$; NaN stays NaN; $y = 0$ (or $-0$) gives exactly 1. Only additions and
/// multiplications, no fused multiply-add: the AVX2 and the baseline builds give the same bits.
#[multiversion(targets("x86_64+avx2"))]
pub(crate) fn exp_difference(x: &[f64], y: &[f64], out: &mut [f64]) {
    // no calls and no branches in the body: LLVM vectorises this loop (4 lanes with AVX2, 2
    // without) and finishes the remainder one lane at a time with the same operations
    for (o, (a, b)) in out.iter_mut().zip(x.iter().zip(y)) {
        *o = exp_lane(a - b);
    }
}

/// $1.5 \cdot 2^{52}$: adding it to $|t| < 2^{51}$ rounds $t$ to an integer held in the low bits
/// of the mantissa.
const ROUNDING: f64 = 6_755_399_441_055_744.0;

/// `ROUNDING` plus the exponent bias, so the low 11 bits of `(j + EXPONENT_ROUNDING).to_bits()`
/// are the biased exponent of $2^j$.
const EXPONENT_ROUNDING: f64 = ROUNDING + 1023.0;

/// $\ln 2$ rounded to 32 significant bits (bits `0x3fe62e42fee00000`): $k\,\ell_{hi}$ is exact
/// for $|k| < 2^{21}$.
const LN2_HI: f64 = 0.693_147_180_369_123_8;

/// $\ln 2 - \ell_{hi}$ rounded to double precision.
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// $1/n!$ for $n = 2, \dots, 13$ (each the correctly rounded quotient: $n!$ is exact in `f64`).
const TAYLOR: [f64; 12] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// $e^y$ for one lane of [`exp_difference`] (see there); inlined into its loop.
#[inline(always)]
pub(super) fn exp_lane(y: f64) -> f64 {
    let y = y.clamp(-746.0, 710.0);
    let k = (y * std::f64::consts::LOG2_E + ROUNDING) - ROUNDING;
    let (r, r_low) = reduced_argument(y, k);
    let exp_r = exp_reduced(r, r_low);
    // k in [-1076, 1024]: both halves in [-538, 512], normal exponents
    let half = (k * 0.5 + EXPONENT_ROUNDING) - EXPONENT_ROUNDING;
    exp_r * power_of_two(half) * power_of_two(k - half)
}

/// $y - k \ln 2$ as $r$ + `r_low`: $y - k\,\ell_{hi}$ is exact, and the rounding error of
/// adding $-k\,\ell_{lo}$ to it is kept (Dekker's fast two-sum; where its condition fails both
/// terms are below $2 \cdot 10^{-7}$ and the error is below $10^{-22}$ anyway).
#[inline(always)]
fn reduced_argument(y: f64, k: f64) -> (f64, f64) {
    let high = y - k * LN2_HI;
    let low = -(k * LN2_LO);
    let r = high + low;
    (r, (high - r) + low)
}

/// $e^{r + \delta}$ for $|r| \le \ln 2/2$ and a tiny $\delta$ = `r_low`, as
/// $1 + r + r^2 q(r) + \delta(1 + r)$ with $q(r) = \sum_{n=2}^{13} r^{n-2}/n!$ by Estrin's scheme
/// (pairs, then pairs of pairs: a quarter of Horner's chain of dependent operations), and the
/// sum $1 + r$ split exactly into a rounded head and its error, which joins the small terms: the
/// only rounding of a large term is the last addition, so the result is off the correctly rounded
/// value only where the true value lies within about $0.05$ ulp of a midpoint.
#[inline(always)]
fn exp_reduced(r: f64, r_low: f64) -> f64 {
    let c = TAYLOR;
    let r2 = r * r;
    let r4 = r2 * r2;
    let pair = |i: usize| c[i] + c[i + 1] * r;
    let quad = |i: usize| pair(i) + pair(i + 2) * r2;
    let q = quad(0) + r4 * (quad(4) + r4 * quad(8));
    let head = 1.0 + r;
    let head_error = (1.0 - head) + r;
    head + (head_error + (r2 * q + (r_low + r_low * r)))
}

/// $2^j$ for an integer-valued $j \in [-1022, 1023]$, from its bits.
#[inline(always)]
fn power_of_two(j: f64) -> f64 {
    f64::from_bits((j + EXPONENT_ROUNDING).to_bits() << 52)
}
