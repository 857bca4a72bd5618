//! Writes the report of the test fixture (hand-built results shaped like the seed paper's) into
//! the folder given as the first argument: `cargo run -p radsurv-report --example fixture_report
//! -- /tmp/fixture`. Used by `scripts/screenshot_report.sh` when no study output is at hand.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test/bench support: a panic names the failure

#[path = "../tests/fixture/mod.rs"]
mod fixture;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "report-fixture".to_string());
    let options = radsurv_report::ReportOptions {
        calculator: Some(fixture::calculator()),
        demo: None,
    };
    let report = radsurv_report::build_report(&fixture::study_results(), options);
    let written = radsurv_report::write_report(&report, std::path::Path::new(&dir), true)?;
    println!("{}", written.html.display());
    Ok(())
}
