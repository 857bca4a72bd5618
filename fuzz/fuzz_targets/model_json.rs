#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    radsurv_fuzz::with_file("model.json", data, |path| {
        let _ = radsurv_study::ModelFile::read(&path);
    });
});
