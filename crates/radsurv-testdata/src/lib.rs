//! Test-only helpers shared by every crate's golden tests: where the reference data live, how to
//! read their CSV tables, and one tolerance rule with failure messages that name what differs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test support: panics are the point

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The reference data folder: the repository's own `testdata/` (see its README for where each
/// file comes from).
///
/// `RADSURV_SHARED_DATA` overrides it, so a newer copy of the references can be tested without
/// copying it in. Panics, naming the path, when it is missing: missing reference data must fail
/// loudly, never skip.
pub fn shared_data() -> PathBuf {
    let dir = std::env::var_os("RADSURV_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata"));
    assert!(
        dir.is_dir(),
        "reference data folder not found: {}",
        dir.display()
    );
    dir
}

/// A path inside [`shared_data`], checked to exist.
pub fn data_path(relative: &str) -> PathBuf {
    let p = shared_data().join(relative);
    assert!(p.exists(), "reference file not found: {}", p.display());
    p
}

/// A CSV table read as strings, addressed by column name.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column names in file order.
    pub headers: Vec<String>,
    /// Rows, each as many fields as `headers`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file with a header row.
    pub fn read(path: &Path) -> Table {
        let mut rdr = csv::Reader::from_path(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let headers = rdr.headers().unwrap().iter().map(str::to_string).collect();
        let rows = rdr
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        Table { headers, rows }
    }

    /// Index of a column, panicking with the available names when absent.
    pub fn col(&self, name: &str) -> usize {
        self.headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?}; have {:?}", self.headers))
    }

    /// One column as `f64` (`NA`, `NaN` and empty fields become NaN).
    pub fn f64_col(&self, name: &str) -> Vec<f64> {
        let c = self.col(name);
        self.rows.iter().map(|r| parse_f64(&r[c])).collect()
    }

    /// One column as strings.
    pub fn str_col(&self, name: &str) -> Vec<String> {
        let c = self.col(name);
        self.rows.iter().map(|r| r[c].clone()).collect()
    }

    /// Rows as maps from column name to field.
    pub fn records(&self) -> Vec<HashMap<&str, &str>> {
        self.rows
            .iter()
            .map(|r| {
                self.headers
                    .iter()
                    .map(String::as_str)
                    .zip(r.iter().map(String::as_str))
                    .collect()
            })
            .collect()
    }
}

/// Parses a number as R or pandas writes it (`NA`, `NaN`, `Inf`, `-Inf`, empty).
pub fn parse_f64(s: &str) -> f64 {
    match s.trim() {
        "" | "NA" | "NaN" | "nan" => f64::NAN,
        "Inf" | "inf" => f64::INFINITY,
        "-Inf" | "-inf" => f64::NEG_INFINITY,
        t => t.parse().unwrap_or_else(|_| panic!("not a number: {t:?}")),
    }
}

/// A combined relative + absolute tolerance: `|a - b| <= abs + rel * |b|`.
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    /// Relative part.
    pub rel: f64,
    /// Absolute part (matters near zero).
    pub abs: f64,
}

impl Default for Tolerance {
    /// `rel 1e-6, abs 1e-12`, the project's default for golden comparisons.
    fn default() -> Self {
        Tolerance {
            rel: 1e-6,
            abs: 1e-12,
        }
    }
}

impl Tolerance {
    /// A tolerance with the given relative and absolute parts.
    pub fn new(rel: f64, abs: f64) -> Self {
        Tolerance { rel, abs }
    }

    /// True when `ours` agrees with `expected` (NaN equals NaN; infinities must be equal).
    pub fn accepts(&self, ours: f64, expected: f64) -> bool {
        if expected.is_nan() || ours.is_nan() {
            return expected.is_nan() && ours.is_nan();
        }
        if expected.is_infinite() || ours.is_infinite() {
            return expected == ours;
        }
        (ours - expected).abs() <= self.abs + self.rel * expected.abs()
    }

    /// Panics, naming the context, both values and the relative difference, when they disagree.
    #[track_caller]
    pub fn check(&self, context: &str, ours: f64, expected: f64) {
        assert!(
            self.accepts(ours, expected),
            "{context}: ours {ours:e} vs expected {expected:e} (rel diff {:e})",
            (ours - expected).abs() / expected.abs()
        );
    }
}
