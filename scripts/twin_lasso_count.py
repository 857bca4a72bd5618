#!/usr/bin/env python3
"""How many features LASSO keeps on a synthetic cohort's image features, and why.

The seed study's LASSO kept 16 features; on the demo cohort it keeps fewer. This script separates
the two things that set the count, the survival outcome and the features' correlation, on one
demo run (`radsurv demo --out DIR`):

  * It keeps the training cohort's reader-A features that passed the study's ICC and Spearman
    filters (read from DIR/tables/icc.csv and DIR/decisions.log).
  * Holding those features fixed, it draws survival again R times from the cohort's own planted
    model (DIR/cohort/truth.json: each patient's linear predictor, Weibull shape and scale, end of
    follow-up, loss-to-follow-up rate).
  * It runs `radsurv stats lasso-cox` (10 folds, partial-likelihood deviance, lambda.min, as the
    demo) on three feature matrices:
      1. the image features themselves;
      2. Gaussian features with the same correlations, among themselves and with the latent z;
      3. Gaussian features with the same correlation with z each, but independent of each other
         beyond z (what LASSO would see if every feature brought its own noise).
  * For each it prints the count at lambda.min: the median, the share within the checklist's
    8-24, and the sorted counts.

Reading: when 1 and 2 agree and 3 keeps more, the count is set by how the features vary
together, not by the outcome or by the features' skewed distributions.

Needs numpy and a radsurv binary (target/release or target/debug, or --radsurv).
`--beta-latent B` draws the outcomes with B in place of the planted log hazard ratio per SD of
z (the features stay as they are): how the count moves with the strength of the radiomic signal.
`--measure C` cross-validates Harrell's C instead of the deviance (the study's `lasso.measure`).

`--export FILE` instead writes the training cohort as the study's LASSO saw it (observed time and
event, the study's fold id, the filtered features; patients in the study's order) for
`scripts/twin_lasso_glmnet.R`, which reruns that LASSO in R's cv.glmnet.

Usage: scripts/twin_lasso_count.py DIR [--replicates R] [--seed S] [--beta-latent B] [--measure M] [--radsurv PATH]
       scripts/twin_lasso_count.py DIR --export FILE
"""
import argparse, csv, json, os, re, subprocess, sys, tempfile
from statistics import NormalDist

import numpy as np

ICC_THRESHOLD = 0.75


def find_radsurv(given):
    if given:
        return given
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for profile in ("release", "debug"):
        path = os.path.join(root, "target", profile, "radsurv")
        if os.path.exists(path):
            return path
    sys.exit("no radsurv binary: build one (cargo build --release) or pass --radsurv")


def filtered_features(run):
    """Names of the features that pass the study's ICC and Spearman filters, in table order."""
    dropped = set()
    with open(os.path.join(run, "decisions.log")) as log:
        for line in log:
            m = re.match(r"\[[^\]]+\] (\S+) dropped", line)
            if m:
                dropped.add(m.group(1))
    with open(os.path.join(run, "tables", "icc.csv")) as f:
        icc = {r["feature"]: float(r["icc"]) for r in csv.DictReader(f)}
    with open(os.path.join(run, "features.csv")) as f:
        header = next(csv.reader(f))
    return [
        name
        for name in header[2:]
        if name not in dropped and icc.get(name, 1.0) >= ICC_THRESHOLD
    ]


def training_cohort(run):
    """Feature matrix, latent z and the planted outcome model of the training cohort."""
    names = filtered_features(run)
    with open(os.path.join(run, "cohort", "clinical.csv")) as f:
        training = {r["id"] for r in csv.DictReader(f) if r["tace_date"] < "2019-01-01"}
    with open(os.path.join(run, "features.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["reader"] == "A" and r["case_id"] in training]
    with open(os.path.join(run, "cohort", "truth.json")) as f:
        truth = json.load(f)
    cases = {c["id"]: c for c in truth["cases"]}
    ids = [r["case_id"] for r in rows]
    x = np.array([[float(r[n]) for n in names] for r in rows])
    z = np.array([cases[i]["latent"] for i in ids])
    eta = np.array([cases[i]["outcome"]["linear_predictor"] for i in ids])
    admin = np.array([cases[i]["outcome"]["admin_months"] for i in ids])
    model = {
        "shape": truth["model"]["weibull_shape"],
        "scale": truth["calibration"]["weibull_scale_months"],
        "dropout": truth["calibration"]["dropout_rate_per_month"],
        "beta_latent": truth["model"]["beta_latent"],
    }
    return names, x, z, eta, admin, model


def export_training_cohort(run, path):
    """The study's LASSO input: time, event, fold id and the filtered features per patient."""
    names = filtered_features(run)
    with open(os.path.join(run, "results.json")) as f:
        results = json.load(f)
    training = [p for p in results["patients"] if p["cohort"] == "training"]
    foldid = results["lasso"]["foldid"]
    if len(foldid) != len(training):
        sys.exit(f"{run}: {len(foldid)} fold ids for {len(training)} training patients")
    with open(os.path.join(run, "features.csv")) as f:
        features = {r["case_id"]: r for r in csv.DictReader(f) if r["reader"] == "A"}
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["time", "event", "foldid"] + names)
        for patient, fold in zip(training, foldid):
            row = features[patient["id"]]
            out.writerow([patient["time"], int(patient["event"]), fold] + [row[n] for n in names])
    print(f"{path}: {len(training)} training patients, {len(names)} features")


def draw_survival(eta, admin, model, rng):
    """Weibull proportional-hazards times, censored at the end of follow-up or when lost."""
    u = rng.random(len(eta))
    true = model["scale"] * (-np.log(u) * np.exp(-eta)) ** (1.0 / model["shape"])
    lost = rng.exponential(1.0 / model["dropout"], len(eta)) if model["dropout"] > 0 else np.inf
    censor = np.minimum(admin, lost)
    return np.minimum(true, censor), true <= censor


def lasso_count(radsurv, measure, x, time, event, seed):
    """Features with a non-zero coefficient at lambda.min (0 when none)."""
    names = [f"x{j}" for j in range(x.shape[1])]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("time,event," + ",".join(names) + "\n")
        for i in range(len(time)):
            f.write(f"{time[i]!r},{int(event[i])}," + ",".join(repr(v) for v in x[i]) + "\n")
        path = f.name
    try:
        out = subprocess.run(
            [radsurv, "stats", "lasso-cox", "--data", path, "--time", "time", "--event", "event",
             "--covariates", ",".join(names), "--seed", str(seed), "--measure", measure],
            capture_output=True, text=True, check=True)
    finally:
        os.unlink(path)
    fit = json.loads(out.stdout)
    return fit["nzero"][fit["lambda"].index(fit["lambda_min"])]


def normal_scores(x):
    """Each column replaced by the normal quantiles of its ranks (ties broken by order)."""
    n = x.shape[0]
    quantiles = np.array([NormalDist().inv_cdf((k + 0.5) / n) for k in range(n)])
    return quantiles[np.argsort(np.argsort(x, axis=0, kind="stable"), axis=0)]


def gaussian_like(correlation, n, rng):
    """n draws of a Gaussian vector with the given correlation matrix (features, then z)."""
    w, v = np.linalg.eigh(correlation)
    root = v * np.sqrt(np.clip(w, 0.0, None))
    return rng.standard_normal((n, len(correlation))) @ root.T


def summarise(label, counts):
    counts = sorted(counts)
    inside = sum(8 <= c <= 24 for c in counts) / len(counts)
    print(f"{label:62s} median {np.median(counts):4.1f}  in 8-24 {inside:4.0%}  {counts}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", help="a demo output folder")
    ap.add_argument("--replicates", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--beta-latent", type=float, help="log HR per SD of z for the outcomes drawn")
    ap.add_argument("--measure", default="deviance", choices=["deviance", "C"])
    ap.add_argument("--radsurv")
    ap.add_argument("--export", metavar="FILE", help="write the study's LASSO input and stop")
    args = ap.parse_args()
    if args.export:
        export_training_cohort(args.run, args.export)
        return
    radsurv = find_radsurv(args.radsurv)
    names, x, z, eta, admin, model = training_cohort(args.run)
    if args.beta_latent is not None:
        eta = eta + (args.beta_latent - model["beta_latent"]) * z
        model["beta_latent"] = args.beta_latent
    scores = normal_scores(x)
    joint = np.corrcoef(np.c_[scores, z].T)
    with_z = joint[-1, :-1]
    independent = np.outer(np.r_[with_z, 1.0], np.r_[with_z, 1.0])
    np.fill_diagonal(independent, 1.0)
    print(f"{args.run}: {len(names)} features after ICC and Spearman, {len(z)} training patients")
    print(f"correlation of each feature's normal scores with z: max |r| {np.abs(with_z).max():.2f}, "
          f"|r| > 0.5 for {int((np.abs(with_z) > 0.5).sum())}")
    eigen = np.linalg.eigvalsh(np.corrcoef(scores.T))[::-1]
    print("largest eigenvalues of the features' correlation:", np.round(eigen[:6], 2).tolist())
    rng = np.random.default_rng(args.seed)
    counts = {"image": [], "same": [], "independent": []}
    for r in range(args.replicates):
        time, event = draw_survival(eta, admin, model, rng)
        counts["image"].append(lasso_count(radsurv, args.measure, x, time, event, r + 1))
        for key, corr in (("same", joint), ("independent", independent)):
            draw = gaussian_like(corr, len(z), rng)
            # The outcome follows the drawn z in place of the cohort's, the rest of eta unchanged.
            drawn_eta = eta + model["beta_latent"] * (draw[:, -1] - z)
            t, e = draw_survival(drawn_eta, admin, model, rng)
            counts[key].append(lasso_count(radsurv, args.measure, draw[:, :-1], t, e, r + 1))
    summarise("1. the image features", counts["image"])
    summarise("2. Gaussian, the same correlations", counts["same"])
    summarise("3. Gaussian, the same correlation with z, independent beyond z", counts["independent"])


if __name__ == "__main__":
    main()
