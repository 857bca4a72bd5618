#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(config) = radsurv_study::StudyConfig::from_yaml(&text, std::path::Path::new(".")) {
        let _ = config.validate();
    }
});
