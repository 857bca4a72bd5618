#!/usr/bin/env bash
# Extraction cost of reading a DICOM mask (RTSTRUCT rasterised, DICOM-SEG placed) beside the
# equivalent NRRD mask: `radsurv extract` on the same CT series with reference_mask.nrrd,
# rtstruct.dcm and seg.dcm, one thread, as whole processes (read, mask, extract, write JSON).
#
# Each timing is the best of REPEATS runs (default 7); the three masks are timed back to back in
# ROUNDS rounds (default 3), one row per round, as this VM's speed drifts over minutes.
# Target: RTSTRUCT and SEG at most 1.10 × the NRRD time.
# Usage: scripts/bench_dicom_masks.sh [patient ...]   (default: STS_019 STS_042)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${RADSURV_SHARED_DATA:-$ROOT/testdata}
PARAMS=${PARAMS:-$DATA/pyradiomics/params/resampled1mm_bw25.yaml}
REPEATS=${REPEATS:-7}
ROUNDS=${ROUNDS:-3}
PATIENTS=("$@")
[ ${#PATIENTS[@]} -gt 0 ] || PATIENTS=(STS_019 STS_042)
export RAYON_NUM_THREADS=1

cargo build --release -p radsurv-cli >&2
RADSURV=${CARGO_TARGET_DIR:-$ROOT/target}/release/radsurv

best_of() { # best wall time in seconds of REPEATS runs of "$@"
  local best=""
  for _ in $(seq "$REPEATS"); do
    local t0 t1 dt
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  done
  echo "$best"
}

echo "patient,round,nrrd_s,rtstruct_s,seg_s,rtstruct_ratio,seg_ratio"
for p in "${PATIENTS[@]}"; do
  CT=$DATA/dicom/$p/ct
  for round in $(seq "$ROUNDS"); do
    n=$(best_of "$RADSURV" extract --image "$CT" --mask "$DATA/dicom/$p/reference_mask.nrrd" --params "$PARAMS")
    r=$(best_of "$RADSURV" extract --image "$CT" --mask "$DATA/dicom/$p/rtstruct.dcm" --params "$PARAMS")
    s=$(best_of "$RADSURV" extract --image "$CT" --mask "$DATA/dicom/$p/seg.dcm" --params "$PARAMS")
    printf '%s,%s,%.4f,%.4f,%.4f,%.3f,%.3f\n' "$p" "$round" "$n" "$r" "$s" \
      "$(echo "$r / $n" | bc -l)" "$(echo "$s / $n" | bc -l)"
  done
done
