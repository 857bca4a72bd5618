#!/usr/bin/env bash
# Wall time of `radsurv extract` on one large case at one and at two threads, and the ratio
# (> 1: two threads faster). Only meaningful on an otherwise idle machine: take the quiet lock.
#
# Cases (inputs made by scripts/bench/make_large_roi.py and make_thread_cases.py, cached in WORK):
#   dilated_resample  lung1's tumour dilated by 70 mm (1.27 M voxels at 1 mm), paper profile
#                     (B-spline to 1 mm, bin width 25)
#   dilated_1mm       the same ROI on PyRadiomics' own 1 mm resampling, paper profile without resampling
#   ball_exampleCT    lung1's CT with a 60 mm ball (556,872 voxels at 0.57 x 0.57 x 5 mm),
#                     filters_exampleCT.yaml (LoG 1-5 mm, wavelet, 1 mm resampling)
#   sts042_resample   the shared STS_042 CT with its tumour dilated by 50 mm, clipped to the body
#                     (308,047 voxels at 0.98 x 0.98 x 3.27 mm), paper profile
# The one- and two-thread runs alternate; each time is the best of REPEATS (default 5).
# Usage: scripts/bench_two_threads.sh [case ...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${RADSURV_SHARED_DATA:-$ROOT/testdata}
WORK=${WORK:-${TMPDIR:-/tmp}/radsurv-bench-large-roi}
REPEATS=${REPEATS:-5}
PARAMS=$DATA/pyradiomics/params
mkdir -p "$WORK"

if [ -z "${RADSURV:-}" ]; then # RADSURV=path times that binary instead of building this tree
  cargo build --release -p radsurv-cli >&2
  RADSURV=${CARGO_TARGET_DIR:-$ROOT/target}/release/radsurv
fi
if [ ! -x .venv-pyrad/bin/python ]; then
  echo "needs .venv-pyrad (SimpleITK, PyRadiomics) to make the inputs: see scripts/bench_large_roi.sh" >&2
  exit 2
fi
grep -v -e interpolator -e resampledPixelSpacing "$PARAMS/resampled1mm_bw25.yaml" >"$WORK/bw25.yaml"
[ -f "$WORK/lung1_dilated_1mm_label.nrrd" ] ||
  .venv-pyrad/bin/python scripts/bench/make_large_roi.py "$DATA" "$WORK" >&2
[ -f "$WORK/sts042_dilated_label.nrrd" ] ||
  .venv-pyrad/bin/python scripts/bench/make_thread_cases.py "$DATA" "$WORK" >&2

L1=$DATA/pyradiomics/images/lung1_image.nrrd
declare -A CASES=(
  [dilated_resample]="$L1 $WORK/lung1_dilated_label.nrrd $PARAMS/resampled1mm_bw25.yaml"
  [dilated_1mm]="$WORK/lung1_dilated_1mm_image.nrrd $WORK/lung1_dilated_1mm_label.nrrd $WORK/bw25.yaml"
  [ball_exampleCT]="$L1 $WORK/lung1_ball_label.nrrd $PARAMS/filters_exampleCT.yaml"
  [sts042_resample]="$WORK/sts042_image.nrrd $WORK/sts042_dilated_label.nrrd $PARAMS/resampled1mm_bw25.yaml"
)
ORDER=(dilated_resample dilated_1mm ball_exampleCT sts042_resample)
[ $# -gt 0 ] && ORDER=("$@")

seconds() { # wall seconds of one run: threads image mask params
  local t0 t1
  t0=$(date +%s.%N)
  RAYON_NUM_THREADS=$1 "$RADSURV" extract --image "$2" --mask "$3" --params "$4" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-18s %10s %10s %8s\n' case 1_thread_s 2_threads_s ratio
for name in "${ORDER[@]}"; do
  read -r image mask params <<<"${CASES[$name]}"
  one="" two=""
  for _ in $(seq "$REPEATS"); do
    one=$(min "$one" "$(seconds 1 "$image" "$mask" "$params")")
    two=$(min "$two" "$(seconds 2 "$image" "$mask" "$params")")
  done
  printf '%-18s %10.3f %10.3f %7.2fx\n' "$name" "$one" "$two" "$(echo "$one / $two" | bc -l)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
