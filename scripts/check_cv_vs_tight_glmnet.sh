#!/usr/bin/env bash
# Compares radsurv's LASSO-Cox CV curve (cvm, cvsd) on the n=168, p=107 simulation with R's
# cv.glmnet run at a tight threshold (default 1e-13; R's default 1e-7 leaves fold fits far from
# the optimum, which is why the golden test allows cvm/cvsd differences up to ~1e-3). Same fold
# ids, time in years as the golden tests. R takes several minutes at thresh 1e-13.
# Usage: scripts/check_cv_vs_tight_glmnet.sh [thresh]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${RADSURV_SHARED_DATA:-testdata}/stats
thresh=${1:-1e-13}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cargo build --release -q -p radsurv-cli
radsurv=${CARGO_TARGET_DIR:-target}/release/radsurv

python3 - "$data" "$tmp/sim.csv" <<'PY'
import csv, sys
data, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(f"{data}/data/sim_n168_p107.csv")))
folds = [r[1] for r in list(csv.reader(open(f"{data}/expected/glmnet/sim_n168_p107_foldid.csv")))[1:]]
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0] + ["foldid"])
    for r, k in zip(rows[1:], folds):
        w.writerow([repr(float(r[0]) / 365.25)] + r[1:] + [k])
PY
covariates=$(head -1 "$data/data/sim_n168_p107.csv" | cut -d, -f3-)
"$radsurv" stats lasso-cox --data "$tmp/sim.csv" --time time --event status \
  --covariates "$covariates" --foldid foldid >"$tmp/ours.json"

Rscript --vanilla - "$tmp/sim.csv" "$thresh" "$tmp/r.csv" <<'RS'
suppressMessages({library(glmnet); library(survival)})
a <- commandArgs(TRUE); d <- read.csv(a[1])
x <- as.matrix(d[, !(names(d) %in% c("time", "status", "foldid"))])
cv <- cv.glmnet(x, Surv(d$time, d$status), family = "cox", foldid = d$foldid,
                thresh = as.numeric(a[2]), maxit = 1e7)
write.csv(data.frame(lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd), a[3], row.names = FALSE)
RS

python3 - "$tmp/ours.json" "$tmp/r.csv" "$thresh" <<'PY'
import csv, json, sys
ours = json.load(open(sys.argv[1]))
r = list(csv.DictReader(open(sys.argv[2])))
diff = [max(abs(float(a["cvm"]) - m), abs(float(a["cvsd"]) - s))
        for a, m, s in zip(r, ours["cvm"], ours["cvsd"])]
k_min = ours["lambda"].index(ours["lambda_min"])
print(f"R thresh {sys.argv[3]}: {len(r)} lambda (radsurv {len(ours['lambda'])})")
print(f"worst |cvm|,|cvsd| difference up to lambda.min (step {k_min}): {max(diff[:k_min + 1]):.2e}")
within = next((k for k, v in enumerate(diff) if v > 1e-6), len(diff))
print(f"within 1e-6 for the first {within} lambda; worst over the path {max(diff):.2e} (step {diff.index(max(diff))})")
PY
