#!/usr/bin/env bash
# Fuzzes every parser (RTSTRUCT and SEG also rasterise onto a test CT grid), one target at a
# time at the lowest CPU priority, for MINUTES each (default 10). Needs the nightly toolchain
# and cargo-fuzz (`cargo install cargo-fuzz`).
# Prints each target's executions; a crash input is copied to fuzz/regressions/<target>/,
# where `cargo test -p radsurv-study --test fuzz_regressions` replays it in CI (must not panic).
# Usage: scripts/fuzz.sh [MINUTES] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
minutes=${1:-10}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(nrrd nifti dicom rtstruct seg params_yaml manifest_csv clinical_csv stats_csv study_config model_json)
fi
repo=..
seed() {
    local target=$1 dir=corpus/$1
    mkdir -p "$dir"
    case $target in
        nrrd) cp "$repo"/crates/radsurv-image/tests/bad_inputs/*.nrrd "$dir"/ ;;
        nifti) cp "$repo"/crates/radsurv-image/tests/bad_inputs/*.nii* "$dir"/ ;;
        dicom) cp "$repo"/testdata/dicom/STS_019/ct/000022.dcm "$dir"/ ;;
        rtstruct) cp "$repo"/testdata/dicom/STS_019/rtstruct.dcm "$dir"/ ;;
        seg) cp "$repo"/testdata/dicom/STS_019/seg*.dcm "$dir"/ ;;
        params_yaml) cp "$repo"/testdata/pyradiomics/params/*.yaml "$dir"/ ;;
        study_config) cp "$repo"/examples/study.yaml "$dir"/ ;;
        manifest_csv) printf 'case_id,image,mask,label,segment,reader\nP1,a.nrrd,b.nrrd,1,,A\nP1,a.nrrd,c.seg.nrrd,,tumour,B\n' > "$dir"/m.csv ;;
        clinical_csv) printf 'id,tace_date,os_months,os_event,gender,age,afp,diameter,count\nP1,2018-01-02,12.5,1,male,61,yes,5.5,2\nP2,2019-03-04,30,0,female,55,no,8,4\nP3,2018-06-01,7,1,female,70,1,3,1\n' > "$dir"/c.csv ;;
        stats_csv) cp "$repo"/testdata/stats/expected/cox/lung_breslow_univariable.csv "$dir"/ ;;
        model_json) cp "$repo"/fuzz/seeds/model.json "$dir"/ ;;
    esac
}
# Build every target first, then run the built binaries: a source edit made while the series
# runs does not change what is being fuzzed.
nice -n 19 cargo +nightly fuzz build >/dev/null
bin=target/x86_64-unknown-linux-gnu/release
for target in "${targets[@]}"; do
    seed "$target"
    mkdir -p "artifacts/$target"
    rm -f fuzz-0.log
    status=0
    started=$SECONDS
    # -jobs=1: one fuzzing process, its output in fuzz-0.log; final statistics printed there.
    nice -n 19 "$bin/$target" "corpus/$target" -jobs=1 -artifact_prefix="artifacts/$target/" \
        -max_total_time=$((minutes * 60)) -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
        >/dev/null 2>&1 || status=$?
    log=fuzz-$target.log
    mv fuzz-0.log "$log"
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    echo "$target: ${execs:-?} executions in $((SECONDS - started)) s, exit $status"
    if ls "artifacts/$target"/* >/dev/null 2>&1; then
        mkdir -p "regressions/$target"
        cp "artifacts/$target"/* "regressions/$target"/
        echo "$target: crash inputs copied to fuzz/regressions/$target/"
        grep -m3 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log" || true
    fi
done
