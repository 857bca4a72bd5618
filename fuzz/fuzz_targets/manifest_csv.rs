#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    radsurv_fuzz::with_file("manifest.csv", data, |path| {
        let _ = radsurv_study::manifest::read_manifest(&path);
    });
});
