#!/usr/bin/env python3
"""Checks the report's in-browser risk calculator against `radsurv predict`.

Runs headless Chromium on report.html with the page's test hook (`#selftest=<cases>`), reads the
calculator's results from the dumped DOM, and compares them with
  1. `radsurv predict` on the same patients, when REPORT_DIR holds model.json and a radsurv
     binary is found (target/release or target/debug, or --radsurv), and
  2. an independent evaluation of the model embedded in the page (lp = sum b(x - c),
     S(t) = exp(-H0(t) exp(lp))), always.
Exit status 1 on any difference above 1e-9 (relative), 2 when a tool is missing.

Usage: scripts/check_calculator.py REPORT_DIR [--chromium PATH] [--radsurv PATH]
"""
import argparse, csv, html, itertools, json, math, os, re, shutil, subprocess, sys, tempfile, urllib.parse

TOL = 1e-9


def embedded_model(page):
    m = re.search(r'<script type="application/json" id="model-json">(.*?)</script>', page, re.S)
    if not m:
        sys.exit("report.html has no calculator model (id=model-json)")
    return json.loads(m.group(1))


def test_cases(model):
    """Every level of categorical predictors x a few values of numeric ones."""
    axes = []
    for p in model["predictors"]:
        if p["levels"]:
            axes.append([lv["value"] for lv in p["levels"]])
        else:
            d = p["default"]
            axes.append([d - 1.3, d - 0.25, d, d + 0.4, d + 1.7])
    names = [p["name"] for p in model["predictors"]]
    return [dict(zip(names, combo)) for combo in itertools.product(*axes)][:200]


def reference(model, case):
    lp = sum(p["coef"] * (case[p["name"]] - p["centre"]) for p in model["predictors"])
    points = sum(p["points_offset"] + p["points_slope"] * case[p["name"]] for p in model["predictors"])
    surv = [math.exp(-h["cumhaz"] * math.exp(lp)) for h in model["horizons"]]
    return {"lp": lp, "points": points, "risk_group": "High" if lp > model["risk_cutoff"] else "Low", "surv": surv}


def browser_results(chromium, page_path, cases):
    cases = [{"inputs": c} for c in cases]
    url = "file://" + os.path.abspath(page_path) + "#selftest=" + urllib.parse.quote(json.dumps(cases))
    with tempfile.TemporaryDirectory() as profile:
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--dump-dom", url]
        dom = subprocess.run([chromium, *flags], capture_output=True, text=True, timeout=120).stdout
    m = re.search(r'<pre id="calc-selftest"[^>]*>(.*?)</pre>', dom, re.S)
    if not m or not m.group(1).strip():
        sys.exit("the calculator's self-test produced no output (JavaScript error?)")
    out = json.loads(html.unescape(m.group(1)))
    return [{"lp": r["lp"], "points": r["points"], "risk_group": r["risk_group"],
             "surv": [s["surv"] for s in r["surv"]]} for r in out]


def find_radsurv(explicit):
    if explicit:
        return explicit
    for path in ("target/release/radsurv", "target/debug/radsurv"):
        if os.access(path, os.X_OK):
            return path
    return shutil.which("radsurv")


def encode(coding, raw):
    """The design-column coding of model.json (radsurv_study::cohort::Coding)."""
    kind = coding["coding"]
    if kind == "binary":
        return 1.0 if raw.strip().lower() in ("1", "yes", "true") else 0.0
    if kind == "value":
        return float(raw)
    if kind == "at_least":
        return 1.0 if float(raw) >= coding["cutoff"] else 0.0
    return 1.0 if raw.strip() == coding["level"] else 0.0


def predict_results(radsurv, report_dir):
    """Runs `radsurv predict` on the study's own patients (cohort/clinical.csv + features.csv) and
    returns (calculator cases, predict's results): each case is the patient's coded covariates plus
    the rad-score predict printed."""
    model = json.load(open(os.path.join(report_dir, "model.json")))
    clinical = os.path.join(report_dir, "cohort", "clinical.csv")
    features = os.path.join(report_dir, "features.csv")
    proc = subprocess.run([radsurv, "predict", "--model", os.path.join(report_dir, "model.json"),
                           "--data", clinical, "--features", features], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"radsurv predict failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    rows = list(csv.DictReader(proc.stdout.splitlines()))
    patients = {r["id"]: r for r in csv.DictReader(open(clinical))}
    cases, want = [], []
    for r in rows:
        p = patients[r["id"]]
        case = {c["name"]: encode(c["coding"], p[c["source_column"]]) for c in model["columns"]}
        case["rad_score"] = float(r["rad_score"])
        cases.append(case)
        want.append({"lp": float(r["linear_predictor"]), "risk_group": r["risk_group"].capitalize(),
                     "surv": [float(r[k]) for k in r if k.startswith("surv_")]})
    return cases, want


def compare(name, got, want):
    worst = 0.0
    for i, (g, w) in enumerate(zip(got, want)):
        pairs = [("lp", g["lp"], w["lp"])] + [(f"surv[{k}]", a, b) for k, (a, b) in enumerate(zip(g["surv"], w["surv"]))]
        if "points" in w:
            pairs.append(("points", g["points"], w["points"]))
        for key, a, b in pairs:
            diff = abs(a - b) / max(1.0, abs(b))
            worst = max(worst, diff)
            if diff > TOL:
                sys.exit(f"case {i}: calculator {key} = {a!r}, {name} = {b!r}")
        if g["risk_group"] != w["risk_group"]:
            sys.exit(f"case {i}: calculator risk group {g['risk_group']}, {name} {w['risk_group']}")
    print(f"calculator = {name} on {len(got)} patients (worst relative difference {worst:.2e})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report_dir")
    ap.add_argument("--chromium", default=shutil.which("chromium"))
    ap.add_argument("--radsurv")
    args = ap.parse_args()
    if not args.chromium:
        print("chromium not found: apt-get install -y chromium", file=sys.stderr)
        sys.exit(2)
    page_path = os.path.join(args.report_dir, "report.html")
    model = embedded_model(open(page_path, encoding="utf-8").read())
    cases = test_cases(model)
    got = browser_results(args.chromium, page_path, cases)
    compare("reference arithmetic", got, [reference(model, c) for c in cases])
    model_path = os.path.join(args.report_dir, "model.json")
    radsurv = find_radsurv(args.radsurv)
    if os.path.exists(model_path) and radsurv:
        cases, want = predict_results(radsurv, args.report_dir)
        got = browser_results(args.chromium, page_path, cases)
        compare("radsurv predict", got, want)
    else:
        print("no model.json or radsurv binary: skipped the comparison with `radsurv predict`")


if __name__ == "__main__":
    main()
