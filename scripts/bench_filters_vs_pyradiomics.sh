#!/usr/bin/env bash
# Side-by-side speed of `radsurv extract` and PyRadiomics 3.0.1 `execute()` with image filters, one
# thread each, then radsurv's speed-up from one to two threads on the large case.
#
# Runs (parameter files from testdata/pyradiomics/params):
#   lung1 x filters_exampleCT.yaml, lung1 x filters_default.yaml,
#   large x filters_exampleCT.yaml, where "large" is lung1's CT (512 x 512 x 48, 0.57 x 0.57 x 5 mm)
#   with a ball of radius RADIUS mm (default 60) at the image centre as the ROI: about 900 cm3,
#   written to target/bench-filters/ by this script;
#   liver x filters_exampleCT.yaml, the whole-liver phantom of scripts/bench/make_liver_phantom.py
#   (an abdominal CT at 0.75 x 0.75 x 2.5 mm, the liver about 1.7 L, 1.7 M voxels at 1 mm).
#
# radsurv is timed as a whole process (read, resample, filter, extract, write JSON); PyRadiomics as
# the `execute()` call alone (start-up and imports excluded, which favours PyRadiomics). Each timing
# is the best of REPEATS runs (default 2); the two tools run back to back for each row.
#
# PyRadiomics with the filters' dependencies is installed into .venv-pyrad (kept out of git) as
# shared/refs/reference-tools.md says.
# Usage: scripts/bench_filters_vs_pyradiomics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${RADSURV_SHARED_DATA:-$ROOT/testdata}
PARAMS_DIR=$DATA/pyradiomics/params
REPEATS=${REPEATS:-2}
RADIUS=${RADIUS:-60}
OUT=${CARGO_TARGET_DIR:-$ROOT/target}/bench-filters

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=1

cargo build --release -p radsurv-cli >&2
RADSURV=${CARGO_TARGET_DIR:-$ROOT/target}/release/radsurv

source scripts/bench/pyradiomics_venv.sh

LUNG_IMG=$DATA/pyradiomics/images/lung1_image.nrrd
LUNG_MSK=$DATA/pyradiomics/images/lung1_label.nrrd
LARGE_MSK=$OUT/large_ball_label.nrrd
mkdir -p "$OUT"
.venv-pyrad/bin/python - "$LUNG_IMG" "$LARGE_MSK" "$RADIUS" <<'PY'
import sys
import numpy as np
import SimpleITK as sitk
img = sitk.ReadImage(sys.argv[1])
radius = float(sys.argv[3])
size, spacing = np.array(img.GetSize()), np.array(img.GetSpacing())
z, y, x = np.indices(size[::-1])
centre = (size - 1) / 2.0
d2 = sum(((c - centre[a]) * spacing[a]) ** 2 for a, c in enumerate((x, y, z)))
mask = sitk.GetImageFromArray((d2 <= radius ** 2).astype(np.uint8))
mask.CopyInformation(img)
sitk.WriteImage(mask, sys.argv[2], True)
print(f"large case: lung1 CT with a ball of radius {radius:g} mm, {int((d2 <= radius ** 2).sum())} voxels",
      file=sys.stderr)
PY
LIVER_IMG=$OUT/liver_image.nrrd
LIVER_MSK=$OUT/liver_label.nrrd
[ -f "$LIVER_MSK" ] || .venv-pyrad/bin/python scripts/bench/make_liver_phantom.py "$OUT" >&2

best_of() { # best wall time in seconds of REPEATS runs of "$@"
  local best=""
  for _ in $(seq "$REPEATS"); do
    local t0 t1 dt
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  done
  printf '%.3f' "$best"
}

radsurv_time() { # threads image mask params
  RAYON_NUM_THREADS=$1 best_of "$RADSURV" extract --image "$2" --mask "$3" --params "$4" --jobs 1
}

pyradiomics_time() { # image mask params
  .venv-pyrad/bin/python - "$1" "$2" "$3" "$REPEATS" <<'PY'
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
print(f"{best:.3f}")
PY
}

printf '%-7s %-24s %11s %14s %8s\n' case params radsurv_1t_s pyradiomics_s ratio
for run in "lung1 filters_exampleCT.yaml $LUNG_IMG $LUNG_MSK" "lung1 filters_default.yaml $LUNG_IMG $LUNG_MSK" \
           "large filters_exampleCT.yaml $LUNG_IMG $LARGE_MSK" "liver filters_exampleCT.yaml $LIVER_IMG $LIVER_MSK"; do
  read -r name params image mask <<<"$run"
  ours=$(radsurv_time 1 "$image" "$mask" "$PARAMS_DIR/$params")
  theirs=$(pyradiomics_time "$image" "$mask" "$PARAMS_DIR/$params")
  printf '%-7s %-24s %11s %14s %7.1fx\n' "$name" "$params" "$ours" "$theirs" "$(echo "$theirs / $ours" | bc -l)"
done

echo
printf '%-7s %-24s %11s %11s %8s\n' case params radsurv_1t_s radsurv_2t_s speedup
for run in "large filters_exampleCT.yaml $LUNG_IMG $LARGE_MSK" "large filters_default.yaml $LUNG_IMG $LARGE_MSK" \
           "liver filters_exampleCT.yaml $LIVER_IMG $LIVER_MSK"; do
  read -r name params image mask <<<"$run"
  one=$(radsurv_time 1 "$image" "$mask" "$PARAMS_DIR/$params")
  two=$(radsurv_time 2 "$image" "$mask" "$PARAMS_DIR/$params")
  printf '%-7s %-24s %11s %11s %7.2fx\n' "$name" "$params" "$one" "$two" "$(echo "$one / $two" | bc -l)"
done
