#!/usr/bin/env bash
# In-process speed of radsurv's Python package beside PyRadiomics 3.0.1: the same script
# (scripts/bench/time_execute.py) times `RadiomicsFeatureExtractor(params).execute(image, mask)`
# of each package, one thread, imports and construction excluded, best of REPEATS calls (default 5).
# Default input: lung1 with the paper's profile (params/resampled1mm_bw25.yaml); the two packages are
# timed back to back in ROUNDS rounds (default 3), one row per round, as this VM's speed drifts.
#
# radsurv is built in release mode (`pip install .` builds the same) into PY_VENV (default
# .venv-py); PyRadiomics runs from .venv-pyrad (see shared/refs/reference-tools.md). Both kept out
# of git. Usage: scripts/bench_python_vs_pyradiomics.sh [case ...]   (default: lung1)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${RADSURV_SHARED_DATA:-$ROOT/testdata}
PARAMS=${PARAMS:-$DATA/pyradiomics/params/resampled1mm_bw25.yaml}
PY_VENV=${PY_VENV:-.venv-py}
REPEATS=${REPEATS:-5}
ROUNDS=${ROUNDS:-3}
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(lung1)

export RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
export ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=1

if [ ! -x "$PY_VENV/bin/python" ]; then
  python3 -m venv "$PY_VENV"
  "$PY_VENV/bin/pip" install -q maturin numpy
fi
(. "$PY_VENV/bin/activate" && maturin develop --release >&2)

source scripts/bench/pyradiomics_venv.sh

time_execute() { # python module image mask
  "$1" scripts/bench/time_execute.py "$2" "$3" "$4" "$PARAMS" "$REPEATS" 2>/dev/null | tail -1
}

printf '%-18s %5s %12s %14s %8s\n' case round radsurv_s pyradiomics_s ratio
for case in "${CASES[@]}"; do for round in $(seq "$ROUNDS"); do
  img=$DATA/pyradiomics/images/${case}_image.nrrd
  msk=$DATA/pyradiomics/images/${case}_label.nrrd
  ours=$(time_execute "$PY_VENV/bin/python" radsurv "$img" "$msk")
  theirs=$(time_execute .venv-pyrad/bin/python radiomics "$img" "$msk")
  printf '%-18s %5s %12s %14s %7.1fx\n' "$case" "$round" "$ours" "$theirs" \
    "$(echo "$theirs / $ours" | bc -l)"
done; done
