#!/usr/bin/env bash
# Side-by-side speed on large real-CT ROIs: radsurv (whole process) against pictologics 0.9.0
# (in-process after a warm-up run) and PyRadiomics 3.0.1 (`execute()` alone), one thread each,
# and radsurv's own 2-thread speed-up. Prints one row per input and ratios (> 1: radsurv faster).
#
# Inputs (made by scripts/bench/make_large_roi.py from the shared lung1 CT, cached in WORK):
#   dilated  lung1's tumour mask dilated by a 70 mm ball, clipped to the body: 1.27 M voxels at 1 mm
#   lungs    both lungs by threshold inside that ball: 0.67 M voxels at 1 mm
# each timed with B-spline resampling to 1 mm (PyRadiomics' paper profile, pictologics' cubic
# resampling) and on the image and mask already resampled by PyRadiomics (no resampling step);
# and lung1's own tumour at the paper profile (radsurv against PyRadiomics).
#
# Environments (kept out of git): .venv-pyrad (Python 3.11, PyRadiomics, per
# shared/refs/reference-tools.md) and .venv-picto (Python >= 3.12 from pyenv, pictologics==0.9.0;
# its first import compiles numba kernels for minutes, then they are cached).
# Each time is the best of REPEATS (default 3). SKIP_PYRADIOMICS=1 leaves out PyRadiomics on the
# large ROIs (it takes about a minute per run there).
# Usage: scripts/bench_large_roi.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${RADSURV_SHARED_DATA:-$ROOT/testdata}
WORK=${WORK:-${TMPDIR:-/tmp}/radsurv-bench-large-roi}
REPEATS=${REPEATS:-3}
PAPER=$DATA/pyradiomics/params/resampled1mm_bw25.yaml
mkdir -p "$WORK"

export RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=1 NUMBA_NUM_THREADS=1 PICTOLOGICS_NUM_THREADS=1

if [ -z "${RADSURV:-}" ]; then # RADSURV=path times that binary instead of building this tree
  cargo build --release -p radsurv-cli >&2
  RADSURV=${CARGO_TARGET_DIR:-$ROOT/target}/release/radsurv
fi

source scripts/bench/pyradiomics_venv.sh
if [ ! -x .venv-picto/bin/python ]; then
  PY312=$(command -v python3.13 || command -v python3.12 || true)
  for v in "$(pyenv root 2>/dev/null)"/versions/3.1[2-9]*; do [ -x "$v/bin/python" ] && PY312=$v/bin/python; done
  if [ -z "$PY312" ]; then echo "no Python >= 3.12 found: pictologics is left out" >&2
  else "$PY312" -m venv .venv-picto && .venv-picto/bin/pip install -q pictologics==0.9.0; fi
fi

# the no-resampling profile: the paper's without its interpolator and spacing
grep -v -e interpolator -e resampledPixelSpacing "$PAPER" >"$WORK/bw25.yaml"
[ -f "$WORK/lung1_lungs_1mm_label.nrrd" ] ||
  .venv-pyrad/bin/python scripts/bench/make_large_roi.py "$DATA" "$WORK" >&2

best_of() { # best wall time in seconds of REPEATS runs of "$@"
  local best="" t0 t1 dt
  for _ in $(seq "$REPEATS"); do
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  done
  printf '%.3f' "$best"
}
radsurv() { best_of env RAYON_NUM_THREADS="$1" "$RADSURV" extract --image "$2" --mask "$3" --params "$4"; }
picto() {
  if [ -x .venv-picto/bin/python ]; then
    .venv-picto/bin/python scripts/bench/time_pictologics.py "$1" "$2" "$3" "$REPEATS" 2>/dev/null | tail -1
  else echo NA; fi
}
pyrad() { .venv-pyrad/bin/python scripts/bench/time_execute.py radiomics "$1" "$2" "$3" "$REPEATS" | tail -1; }
ratio() { if [ "$2" = NA ] || [ "$2" = "-" ]; then echo "-"; else printf '%.2f' "$(echo "$2 / $1" | bc -l)"; fi; }

printf '%-22s %9s %9s %7s %11s %7s %11s %7s\n' input radsurv_1 radsurv_2 2thr picto_1 ratio pyrad_1 ratio
row() { # name image mask radsurv-params resample(0|1) pyradiomics(0|1)
  local one two p r
  one=$(radsurv 1 "$2" "$3" "$4"); two=$(radsurv 2 "$2" "$3" "$4")
  p=$(picto "$2" "$3" "$5")
  if [ "$6" = 1 ]; then r=$(pyrad "$2" "$3" "$4"); else r="-"; fi
  printf '%-22s %9s %9s %6sx %11s %6sx %11s %6sx\n' "$1" "$one" "$two" "$(ratio "$two" "$one")" \
    "$p" "$(ratio "$one" "$p")" "$r" "$(ratio "$one" "$r")"
}
L1=$DATA/pyradiomics/images/lung1_image.nrrd
big=$([ "${SKIP_PYRADIOMICS:-0}" = 1 ] && echo 0 || echo 1)
for roi in dilated lungs; do
  row "${roi}_resample" "$L1" "$WORK/lung1_${roi}_label.nrrd" "$PAPER" 1 "$big"
  row "${roi}_1mm" "$WORK/lung1_${roi}_1mm_image.nrrd" "$WORK/lung1_${roi}_1mm_label.nrrd" "$WORK/bw25.yaml" 0 "$big"
done
row lung1_tumour_paper "$L1" "$DATA/pyradiomics/images/lung1_label.nrrd" "$PAPER" 1 1
