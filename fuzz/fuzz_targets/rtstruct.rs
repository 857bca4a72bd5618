#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("rtstruct.dcm");
    if let Ok(set) = radsurv_image::rtstruct::parse(data, path) {
        for roi in &set.rois {
            let _ = set.rasterise(roi, radsurv_fuzz::coarse_ct_grid());
        }
    }
});
