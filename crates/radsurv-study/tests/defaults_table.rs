//! The study config's defaults are stated once, in the serde defaults; the table of them in the
//! config module's documentation (`src/config/defaults.md`) is rendered from
//! [`StudyConfig::choices`] of a config that sets no choice, and the example config restates them.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test support: a panic names the failure

use std::path::Path;

use radsurv_study::config::StudyConfig;

const TABLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/config/defaults.md");

/// The smallest valid config: inputs only, every analysis choice left to its default.
const NO_CHOICES: &str = "
manifest: manifest.csv
clinical:
  path: clinical.csv
  covariates:
    - { name: age, type: continuous }
six_and_twelve:
  diameter_cm: largest_diameter_cm
  tumour_count: tumour_count
";

fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn defaults_table() -> String {
    let config = StudyConfig::from_yaml(NO_CHOICES, Path::new(".")).unwrap();
    let mut table = String::from("| key | default | source |\n|---|---|---|\n");
    for choice in config.choices() {
        table += &format!(
            "| `{}` | {} | {} |\n",
            choice.key,
            markdown_cell(&choice.value),
            markdown_cell(&choice.rationale)
        );
    }
    table
}

/// To refresh the file after changing a default or a rationale, run this test with
/// `RADSURV_UPDATE_DOCS=1`.
#[test]
fn the_documented_defaults_table_is_rendered_from_the_serde_defaults() {
    let table = defaults_table();
    if std::env::var_os("RADSURV_UPDATE_DOCS").is_some() {
        std::fs::write(TABLE_PATH, &table).unwrap();
    }
    let documented = std::fs::read_to_string(TABLE_PATH).unwrap();
    assert_eq!(
        documented, table,
        "{TABLE_PATH} is stale: rerun this test with RADSURV_UPDATE_DOCS=1"
    );
}

#[test]
fn a_config_without_choices_uses_every_default() {
    let config = StudyConfig::from_yaml(NO_CHOICES, Path::new(".")).unwrap();
    for choice in config.choices() {
        assert!(choice.is_default, "{choice:?}");
    }
}

/// The example config spells out the defaults for a reader; it must not drift from them.
#[test]
fn the_example_config_states_the_defaults() {
    let config = StudyConfig::for_synthetic_cohort(Path::new("/cohort")).unwrap();
    for choice in config.choices() {
        assert!(
            choice.is_default,
            "examples/study.yaml departs from the default: {choice:?}"
        );
    }
}
