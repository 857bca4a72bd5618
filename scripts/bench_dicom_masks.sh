#!/usr/bin/env bash
# Extraction cost of reading a DICOM mask (RTSTRUCT rasterised, DICOM-SEG placed) beside the
# equivalent NRRD mask: `radsurv extract` on the same CT series with reference_mask.nrrd,
# rtstruct.dcm and seg.dcm, one thread, as whole processes (read, mask, extract, write JSON).
#
# Each timing is the best of REPEATS runs (default 7): wall time, and CPU time (perf's task-clock),
# which a busy shared machine disturbs far less; the three masks are timed back to back in ROUNDS
# rounds (default 3), one row per round, as this VM's speed drifts over minutes.
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

best_of() { # "wall cpu": the best wall and the best CPU seconds of REPEATS runs of "$@"
  local best_wall="" best_cpu=""
  for _ in $(seq "$REPEATS"); do
    local t0 t1 wall cpu
    t0=$(date +%s.%N)
    cpu=$(perf stat -x, -e task-clock -- "$@" 2>&1 >/dev/null | awk -F, '$3 == "task-clock" {print $1 / 1000}')
    t1=$(date +%s.%N)
    wall=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc -l)" = 1 ]; then best_wall=$wall; fi
    if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc -l)" = 1 ]; then best_cpu=$cpu; fi
  done
  echo "$best_wall $best_cpu"
}

ratio() { echo "$1 / $2" | bc -l; }
echo "patient,round,clock,nrrd_s,rtstruct_s,seg_s,rtstruct_ratio,seg_ratio"
for p in "${PATIENTS[@]}"; do
  CT=$DATA/dicom/$p/ct
  for round in $(seq "$ROUNDS"); do
    read -r nw nc < <(best_of "$RADSURV" extract --image "$CT" --mask "$DATA/dicom/$p/reference_mask.nrrd" --params "$PARAMS")
    read -r rw rc < <(best_of "$RADSURV" extract --image "$CT" --mask "$DATA/dicom/$p/rtstruct.dcm" --params "$PARAMS")
    read -r sw sc < <(best_of "$RADSURV" extract --image "$CT" --mask "$DATA/dicom/$p/seg.dcm" --params "$PARAMS")
    printf '%s,%s,wall,%.4f,%.4f,%.4f,%.3f,%.3f\n' "$p" "$round" "$nw" "$rw" "$sw" "$(ratio "$rw" "$nw")" "$(ratio "$sw" "$nw")"
    printf '%s,%s,cpu,%.4f,%.4f,%.4f,%.3f,%.3f\n' "$p" "$round" "$nc" "$rc" "$sc" "$(ratio "$rc" "$nc")" "$(ratio "$sc" "$nc")"
  done
done
