#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    radsurv_fuzz::with_file("x.nrrd", data, |path| {
        let _ = radsurv_image::nrrd::read(&path);
        let _ = radsurv_image::seg_nrrd::list_segments(&path);
    });
});
