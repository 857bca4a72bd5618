#!/usr/bin/env bash
# Writes every extraction output a speed change must leave byte-identical, with the radsurv binary
# given, into OUTDIR; compare the folders of two binaries with `diff -r A B`.
#   OUTDIR/extract  the four shared cases × each parameter file other than filters_*.yaml
#   OUTDIR/filters  the four shared cases × each filters_*.yaml, one thread
#   OUTDIR/large    the three large ROIs of scripts/bench_large_roi.sh with filters_exampleCT.yaml
#                   (only when that script's WORK folder holds them; a note says when it does not)
#   OUTDIR/demo     `radsurv demo` (results, tables, model and report)
# Each extraction's stderr goes beside its CSV, with the exit status when it is not 0.
#
# Usage: scripts/extraction_outputs.sh RADSURV_BIN OUTDIR
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 RADSURV_BIN OUTDIR" >&2; exit 2; }
bin=$(realpath "$1"); out=$2
cd "$(dirname "$0")/.."
data=${RADSURV_SHARED_DATA:-$PWD/testdata}/pyradiomics
large=${WORK:-${TMPDIR:-/tmp}/radsurv-bench-large-roi}
mkdir -p "$out/extract" "$out/filters" "$out/large"

extract() { # folder name image mask params [extra args]
  local dir=$1 name=$2 image=$3 mask=$4 params=$5; shift 5
  "$bin" extract --image "$image" --mask "$mask" --params "$params" --format csv "$@" \
    --out "$out/$dir/$name.csv" 2>"$out/$dir/$name.err" || echo "exit $?" >>"$out/$dir/$name.err"
}

for case in brain1 breast1 lung1 prostate_phantom; do
  image=$data/images/${case}_image.nrrd mask=$data/images/${case}_label.nrrd
  for params in "$data"/params/*.yaml; do
    name=$(basename "$params" .yaml)
    case $name in
      filters_*) RAYON_NUM_THREADS=1 extract filters "${case}__$name" "$image" "$mask" "$params" --jobs 1 ;;
      *) extract extract "${case}__$name" "$image" "$mask" "$params" ;;
    esac
  done
done

if [ -f "$large/sts042_image.nrrd" ]; then
  example=$data/params/filters_exampleCT.yaml lung1=$data/images/lung1_image.nrrd
  RAYON_NUM_THREADS=1 extract large ball "$lung1" "$large/lung1_ball_label.nrrd" "$example" --jobs 1
  RAYON_NUM_THREADS=1 extract large dilated "$lung1" "$large/lung1_dilated_label.nrrd" "$example" --jobs 1
  RAYON_NUM_THREADS=1 extract large sts042 "$large/sts042_image.nrrd" "$large/sts042_dilated_label.nrrd" "$example" --jobs 1
else
  echo "no large ROIs in $large (scripts/bench_large_roi.sh makes them): left out" | tee "$out/large/NOTE"
fi

"$bin" demo --out "$out/demo" >"$out/demo.log" 2>&1 || echo "demo exit $?" >>"$out/demo.log"
