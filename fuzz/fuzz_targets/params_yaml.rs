#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = radsurv_features::Settings::from_yaml_str(&text, "fuzz.yaml");
});
