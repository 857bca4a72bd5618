#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    radsurv_fuzz::with_file("x.nii", data, |path| {
        let _ = radsurv_image::nifti::read(&path);
    });
});
