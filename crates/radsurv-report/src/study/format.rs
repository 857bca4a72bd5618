//! Number and label formatting shared by the sections: p-values, estimates with CIs, C-indices,
//! hazard ratios, horizons and cohort names.

use crate::html::TableRow;
use radsurv_study::results::{
    ByCohort, CIndex, CohortName, CoxRow, Estimate, ModelKey, StudyResults,
};

/// The time unit recorded among the study's choices (`clinical.time_unit`), else "months".
pub(super) fn time_unit(results: &StudyResults) -> String {
    results
        .choices
        .iter()
        .find(|c| c.key.ends_with("time_unit"))
        .map(|c| c.value.to_lowercase())
        .unwrap_or_else(|| "months".to_string())
}

pub(super) fn cohort_name(c: CohortName) -> &'static str {
    match c {
        CohortName::Training => "Training",
        CohortName::Validation => "Validation",
    }
}

pub(super) fn model_name(results: &StudyResults, key: ModelKey) -> &str {
    let m = &results.models;
    match key {
        ModelKey::Clinical => &m.clinical.label,
        ModelKey::Radiomics => &m.radiomics.label,
        ModelKey::Combined => &m.combined.label,
        ModelKey::SixAndTwelve => &m.six_and_twelve.label,
    }
}

// ---------------------------------------------------------------- formatting

/// p-value as journals print it: `<0.001`, else three decimals.
pub(super) fn fmt_p(p: f64) -> String {
    if !p.is_finite() {
        "–".to_string()
    } else if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

pub(super) fn fmt_opt(v: Option<f64>, digits: usize) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(|| "NR".to_string(), |v| format!("{v:.digits$}"))
}

/// `value (lower–upper)`, "NR" (not reached) for missing parts.
pub(super) fn fmt_estimate(e: &Estimate, digits: usize) -> String {
    format!(
        "{} ({}–{})",
        fmt_opt(e.value, digits),
        fmt_opt(e.lower, digits),
        fmt_opt(e.upper, digits)
    )
}

/// A hazard ratio with its CI; "NE" (not estimable) when it has no value.
pub(super) fn fmt_ratio(e: &Estimate) -> String {
    if e.value.is_some() {
        fmt_estimate(e, 2)
    } else {
        NOT_ESTIMABLE.to_string()
    }
}

/// How tables print a hazard ratio without an estimate, and the note that explains it.
pub(super) const NOT_ESTIMABLE: &str = "NE";
pub(super) const NOT_ESTIMABLE_NOTE: &str = "NE: not estimable (a group without deaths, or every \
     death in one group before the other's first: the Cox likelihood has no maximum).";

/// `note`, followed by what "NE" means when a row shows it.
pub(super) fn with_ratio_note(note: &str, rows: &[TableRow]) -> String {
    let shows_ne = rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c == NOT_ESTIMABLE));
    if shows_ne {
        format!("{note} {NOT_ESTIMABLE_NOTE}")
    } else {
        note.to_string()
    }
}

pub(super) fn fmt_c(c: &CIndex) -> String {
    format!("{:.3} ({:.3}–{:.3})", c.value, c.lower, c.upper)
}

/// `HR (lower–upper)`, or `NE` when the coefficient may be infinite (no finite HR exists).
pub(super) fn fmt_hr(row: &CoxRow) -> String {
    if row.may_be_infinite {
        return NOT_ESTIMABLE.into();
    }
    format!(
        "{:.2} ({:.2}–{:.2})",
        row.estimate.hr, row.estimate.hr_lower, row.estimate.hr_upper
    )
}

/// A caution for a section that applies the combined model (nomogram, risk calculator) when its
/// Cox fit warned: what the section shows rests on where the iterations stopped, and a reader
/// scoring a patient must know that before trusting the number.
pub(super) fn combined_fit_caution(results: &StudyResults, what: &str) -> Option<String> {
    let combined = &results.models.combined;
    if combined.fit_warnings.is_empty() {
        return None;
    }
    let flagged: Vec<&str> = combined
        .coefficients
        .iter()
        .filter(|c| c.may_be_infinite)
        .map(|c| c.label.as_str())
        .collect();
    let rests_on = if flagged.is_empty() {
        "coefficients from a fit that did not converge".to_string()
    } else {
        format!(
            "the coefficient of {} where the iterations stopped, which is not a finite estimate",
            flagged.join("; ")
        )
    };
    Some(format!(
        "Caution: the {} model's Cox fit warned ({}), so {what} rests on {rests_on}. Refit the \
         model before scoring patients with it.",
        combined.label,
        combined.fit_warnings.join("; ")
    ))
}

pub(super) fn horizon_label(key: &str) -> String {
    match key.strip_suffix('y') {
        Some(n) => format!("{n}-year"),
        None => key.to_string(),
    }
}

pub(super) fn by_cohort<T>(b: &ByCohort<T>) -> [(CohortName, &T); 2] {
    [
        (CohortName::Training, &b.training),
        (CohortName::Validation, &b.validation),
    ]
}

/// `v` with `digits` significant digits in plain notation (0.129, not 1.288e-1).
pub(super) fn fmt_significant(v: f64, digits: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i64;
    let decimals = (digits as i64 - 1 - magnitude).max(0) as usize;
    format!("{v:.decimals$}")
}

/// A tick value with at most `digits` decimals and no trailing zeros.
pub(super) fn format_value(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

pub(super) fn p_phrase(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".to_string()
    } else {
        format!(
            "= {}",
            if p < 0.001 {
                format!("{p:.4}")
            } else {
                format!("{p:.3}")
            }
        )
    }
}

/// `n` and the noun, plural unless `n` is 1: "1 covariate", "2 covariates".
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_are_formatted_as_journals_print_them() {
        assert_eq!(fmt_p(0.0002), "<0.001");
        assert_eq!(fmt_p(0.0123), "0.012");
        assert_eq!(p_phrase(0.00002), "< 0.0001");
        assert_eq!(horizon_label("2y"), "2-year");
        assert_eq!(fmt_significant(0.1288, 3), "0.129");
        assert_eq!(fmt_significant(0.0012345, 3), "0.00123");
        assert_eq!(fmt_significant(12.5, 3), "12.5");
        assert_eq!(fmt_ratio(&Estimate::not_estimable()), "NE");
        assert_eq!(count(1, "covariate"), "1 covariate");
        assert_eq!(count(0, "covariate"), "0 covariates");
    }
}
