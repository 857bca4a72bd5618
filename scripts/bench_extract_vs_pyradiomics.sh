#!/usr/bin/env bash
# Side-by-side speed of `radsurv extract` and PyRadiomics `execute()` on the shared cases, one thread
# each, with the paper's profile (params/resampled1mm_bw25.yaml unless PARAMS is set).
#
# radsurv is timed as a whole process (read, resample, extract, write JSON); PyRadiomics as the
# `execute()` call alone (interpreter start-up and imports excluded, which favours PyRadiomics).
# Each timing is the best of REPEATS runs (default 5). The two tools are timed back to back in
# ROUNDS rounds (default 3), one row per round: this VM's speed drifts by 10-30 % over minutes, and
# a round compares both tools at the same moment.
#
# PyRadiomics is installed into .venv-pyrad (kept out of git) as shared/refs/reference-tools.md says.
# Usage: scripts/bench_extract_vs_pyradiomics.sh [case ...]   (default: all shared cases)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${RADSURV_SHARED_DATA:-$ROOT/testdata}
PARAMS=${PARAMS:-$DATA/pyradiomics/params/resampled1mm_bw25.yaml}
REPEATS=${REPEATS:-5}
ROUNDS=${ROUNDS:-3}
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(brain1 breast1 lung1 prostate_phantom)

export RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=1

cargo build --release -p radsurv-cli >&2
RADSURV=${CARGO_TARGET_DIR:-$ROOT/target}/release/radsurv

source scripts/bench/pyradiomics_venv.sh

best_of() { # best wall time in seconds of REPEATS runs of "$@"
  local best=""
  for _ in $(seq "$REPEATS"); do
    local t0 t1 dt
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  done
  printf '%.4f' "$best"
}

printf '%-18s %5s %12s %14s %8s\n' case round radsurv_s pyradiomics_s ratio
for case in "${CASES[@]}"; do for round in $(seq "$ROUNDS"); do
  img=$DATA/pyradiomics/images/${case}_image.nrrd
  msk=$DATA/pyradiomics/images/${case}_label.nrrd
  ours=$(best_of "$RADSURV" extract --image "$img" --mask "$msk" --params "$PARAMS" --jobs 1)
  theirs=$(.venv-pyrad/bin/python - "$img" "$msk" "$PARAMS" "$REPEATS" <<'PY'
import sys, time, logging
import SimpleITK as sitk
sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(1)
import radiomics
from radiomics import featureextractor
radiomics.setVerbosity(logging.ERROR)
img, msk, params, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ex = featureextractor.RadiomicsFeatureExtractor(params)
best = float("inf")
for _ in range(repeats):
    t0 = time.perf_counter(); ex.execute(img, msk); best = min(best, time.perf_counter() - t0)
print(f"{best:.4f}")
PY
)
  ratio=$(echo "$theirs / $ours" | bc -l)
  printf '%-18s %5s %12s %14s %7.1fx\n' "$case" "$round" "$ours" "$theirs" "$ratio"
done; done
