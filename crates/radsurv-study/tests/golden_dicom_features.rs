//! Features from RTSTRUCT and DICOM-SEG masks on DICOM CT series equal PyRadiomics' on the
//! reference mask, for both parameter files of the DICOM reference data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use radsurv_features::Settings;
use radsurv_study::batch::extract_entry;
use radsurv_study::manifest::ManifestEntry;
use radsurv_testdata::{data_path, parse_f64, Table, Tolerance};

const TOLERANCE: Tolerance = Tolerance {
    rel: 1e-6,
    abs: 1e-9,
};

/// Every mask source of the reference region: (patient, file, segment or ROI).
const SOURCES: [(&str, &str, Option<&str>); 6] = [
    ("STS_019", "rtstruct.dcm", None),
    ("STS_042", "rtstruct.dcm", Some("GTV_Mass_CT")),
    ("STS_019", "seg.dcm", None),
    ("STS_042", "seg.dcm", Some("1")),
    ("STS_019", "seg_fractional.dcm", None),
    ("STS_019", "seg_two_segments.dcm", Some("GTV")),
];

#[test]
fn dicom_masks_give_the_reference_features() {
    let table = Table::read(&data_path("dicom/expected_features.csv"));
    for params in ["default.yaml", "resampled1mm_bw25.yaml"] {
        let settings =
            Settings::from_params_file(&data_path(&format!("pyradiomics/params/{params}")))
                .unwrap();
        for (patient, file, segment) in SOURCES {
            let entry = ManifestEntry {
                segment: segment.map(str::to_string),
                ..ManifestEntry::new(
                    patient,
                    data_path(&format!("dicom/{patient}/ct")),
                    data_path(&format!("dicom/{patient}/{file}")),
                )
            };
            let features: HashMap<String, f64> = extract_entry(&entry, &settings)
                .unwrap()
                .into_iter()
                .collect();
            let mut compared = 0;
            for row in table.records() {
                if row["patient"] != patient || row["params"] != params {
                    continue;
                }
                let ours = features
                    .get(row["feature"])
                    .copied()
                    .unwrap_or_else(|| panic!("{patient} {file} {params}: no {}", row["feature"]));
                let context = format!("{patient} {file} {params} {}", row["feature"]);
                TOLERANCE.check(&context, ours, parse_f64(row["value"]));
                compared += 1;
            }
            assert!(
                compared > 90,
                "{patient} {params}: only {compared} expected values"
            );
        }
    }
}
