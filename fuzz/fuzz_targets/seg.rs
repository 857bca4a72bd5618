#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("seg.dcm");
    if let Ok(seg) = radsurv_image::dicom_seg::parse(data, path) {
        for segment in &seg.segments {
            let _ = seg.mask(segment.number, radsurv_fuzz::ct_grid());
        }
    }
});
