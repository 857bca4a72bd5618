#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    radsurv_fuzz::with_file("data.csv", data, |path| {
        let _ = radsurv_stats::DataTable::read_csv(&path);
    });
});
