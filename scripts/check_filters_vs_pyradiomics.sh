#!/usr/bin/env bash
# Image-filter features on CT cases outside the golden set, against PyRadiomics 3.0.1: the two
# soft-tissue-sarcoma CTs of testdata/dicom (series converted to NRRD, int16, by SimpleITK; the
# reference masks) with filters_exampleCT.yaml, filters_paper.yaml and filters_default.yaml.
# Each run is compared by the golden tests' rule; a second PyRadiomics run with numpy's arccos and
# arctan2 replaced by the C library's shows which differences come from numpy's AVX-512 versions
# of those (LBP3D's icosphere angles; see radsurv-features' filters::lbp3d "Known differences").
# PyRadiomics with the filters' dependencies goes into .venv-pyrad (kept out of git) as
# shared/refs/reference-tools.md says.
# Usage: scripts/check_filters_vs_pyradiomics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${RADSURV_SHARED_DATA:-$ROOT/testdata}
WORK=${WORK:-${TMPDIR:-/tmp}/radsurv-check-filters}
mkdir -p "$WORK"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=1

if [ -z "${RADSURV:-}" ]; then # RADSURV=path checks that binary instead of building this tree
  cargo build --release -p radsurv-cli >&2
  RADSURV=${CARGO_TARGET_DIR:-$ROOT/target}/release/radsurv
fi
source scripts/bench/pyradiomics_venv.sh
PY=.venv-pyrad/bin/python
grep -q avx512f /proc/cpuinfo && echo "CPU has AVX-512" || echo "CPU without AVX-512"

for case in STS_019 STS_042; do
  image=$WORK/$case.nrrd
  mask=$DATA/dicom/$case/reference_mask.nrrd
  [ -f "$image" ] || $PY - "$DATA/dicom/$case/ct" "$image" <<'PY'
import sys, SimpleITK as sitk
reader = sitk.ImageSeriesReader()
reader.SetFileNames(reader.GetGDCMSeriesFileNames(sys.argv[1]))
sitk.WriteImage(sitk.Cast(reader.Execute(), sitk.sitkInt16), sys.argv[2], True)
PY
  for params in filters_exampleCT filters_paper filters_default; do
    p=$DATA/pyradiomics/params/$params.yaml
    out=$WORK/${case}__$params
    RAYON_NUM_THREADS=1 "$RADSURV" extract --image "$image" --mask "$mask" --params "$p" --jobs 1 \
      --format csv --out "$out.radsurv.csv" 2>/dev/null
    $PY scripts/bench/pyradiomics_features.py "$image" "$mask" "$p" "$out.pyradiomics.csv"
    $PY scripts/bench/compare_features.py "$out.pyradiomics.csv" "$out.radsurv.csv" "$case $params"
    $PY scripts/bench/pyradiomics_features.py "$image" "$mask" "$p" "$out.libm.csv" --libm-angles
    $PY scripts/bench/compare_features.py "$out.libm.csv" "$out.radsurv.csv" "$case $params (numpy angles from the C library)"
  done
done
