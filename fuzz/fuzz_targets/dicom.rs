#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    radsurv_fuzz::with_file("series/slice.dcm", data, |path| {
        let _ = radsurv_image::dicom::read_series(path.parent().unwrap_or(&path), None);
    });
});
