//! radsurv's resource limits, in one place: every size a file or a setting declares (voxels,
//! grey levels, bootstrap replicates, threads, synthetic patients) is checked against its limit
//! before anything of that size is allocated or started, so hostile or mistaken input ends in an
//! error naming the limit instead of an out-of-memory abort or a run of hours.
//!
//! Each limit has a default and an environment variable that raises (or lowers) it, named in
//! the error: `RADSURV_MAX_VOXELS=2000000000 radsurv extract ...`.

/// A limit: its environment variable, its default and what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Environment variable that overrides the default (a positive integer).
    pub variable: &'static str,
    /// The value used when the variable is unset or not a positive integer.
    pub default: u64,
    /// What is counted, in words (`voxels`).
    pub counts: &'static str,
}

/// Voxels of any volume: declared by an image header, or derived from a resampling grid.
/// The default is a 512 × 512 × 2048 CT.
pub const VOXELS: Limit = Limit {
    variable: "RADSURV_MAX_VOXELS",
    default: 1 << 29,
    counts: "voxels",
};

/// Grey levels after discretisation (from `binWidth` and the ROI's range, or `binCount`).
pub const GREY_LEVELS: Limit = Limit {
    variable: "RADSURV_MAX_GREY_LEVELS",
    default: 1 << 20,
    counts: "grey levels",
};

/// Voxels of padding around the ROI (`padDistance`). Padding stops at the image's edge, so the
/// default, the longest axis of the largest CT the voxel limit admits, already keeps a whole
/// image; a larger value is a typo.
pub const PAD_DISTANCE: Limit = Limit {
    variable: "RADSURV_MAX_PAD_DISTANCE",
    default: 2048,
    counts: "voxels of padding",
};

/// Bootstrap replicates of a study (`bootstrap.replicates`).
pub const BOOTSTRAP_REPLICATES: Limit = Limit {
    variable: "RADSURV_MAX_BOOTSTRAP_REPLICATES",
    default: 100_000,
    counts: "bootstrap replicates",
};

/// Worker threads (`--jobs`).
pub const THREADS: Limit = Limit {
    variable: "RADSURV_MAX_THREADS",
    default: 256,
    counts: "threads",
};

/// Patients of a synthetic cohort (`radsurv synth --patients`).
pub const SYNTH_PATIENTS: Limit = Limit {
    variable: "RADSURV_MAX_SYNTH_PATIENTS",
    default: 100_000,
    counts: "synthetic patients",
};

impl Limit {
    /// The limit in force: the environment variable's value when it is a positive integer,
    /// else the default.
    pub fn value(&self) -> u64 {
        std::env::var(self.variable)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&v| v > 0)
            .unwrap_or(self.default)
    }

    /// `Ok` when `requested` is within the limit; otherwise a sentence naming what asked for it
    /// (`source`, e.g. "setting binWidth 1e-9"), the request, the limit and how to raise it.
    ///
    /// # Errors
    /// [`LimitExceeded`] when `requested` exceeds the limit.
    pub fn check(&self, requested: f64, source: &str) -> Result<(), LimitExceeded> {
        let limit = self.value();
        if requested.is_nan() || requested > limit as f64 {
            return Err(LimitExceeded {
                message: format!(
                    "{source} asks for {} {}, more than the limit of {limit}; \
                     set {} to raise it if the machine has the memory and time",
                    display_count(requested),
                    self.counts,
                    self.variable
                ),
            });
        }
        Ok(())
    }
}

/// A size over its limit; the message says which, by how much and how to raise it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LimitExceeded {
    message: String,
}

fn display_count(x: f64) -> String {
    if x.is_finite() && x < 1e15 {
        format!("{x:.0}")
    } else if x.is_finite() {
        format!("{x:.3e}")
    } else {
        "an unbounded number of".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_over_the_limit_names_the_source_the_limit_and_the_variable() {
        let err = VOXELS
            .check(1e12, "setting resampledPixelSpacing")
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("resampledPixelSpacing"), "{text}");
        assert!(text.contains("1000000000000 voxels"), "{text}");
        assert!(text.contains("RADSURV_MAX_VOXELS"), "{text}");
        assert!(VOXELS.check(512.0 * 512.0 * 100.0, "image").is_ok());
    }

    #[test]
    fn nan_and_infinite_requests_are_over_any_limit() {
        assert!(GREY_LEVELS.check(f64::NAN, "binWidth").is_err());
        assert!(GREY_LEVELS.check(f64::INFINITY, "binWidth").is_err());
    }
}
