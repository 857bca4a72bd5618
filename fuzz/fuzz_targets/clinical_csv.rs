#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    radsurv_fuzz::with_file("clinical.csv", data, |path| {
        let Some(folder) = path.parent() else { return };
        if let Ok(config) = radsurv_study::StudyConfig::from_yaml(radsurv_fuzz::CLINICAL_CONFIG, folder) {
            let _ = radsurv_study::cohort::Cohort::load(&config);
        }
    });
});
