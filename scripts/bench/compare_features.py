"""Compares radsurv's `extract --format csv` output with PyRadiomics' `name,value` rows by the
golden tests' rule (1e-6 relative, 1e-9 absolute near 0, NaN equals NaN); prints one line with the
counts and the features outside it.
Usage: compare_features.py PYRADIOMICS.csv RADSURV.csv LABEL
"""
import csv
import math
import sys

expected = {r["name"]: float(r["value"]) for r in csv.DictReader(open(sys.argv[1]))}
header, values = list(csv.reader(open(sys.argv[2])))[:2]
ours = {}
for name, value in zip(header, values):
    try:
        ours[name] = float(value)
    except ValueError:
        pass
missing = [k for k in expected if k not in ours]
extra = [k for k in ours if k not in expected]
outside = []
for name, e in expected.items():
    g = ours.get(name)
    if g is None or (math.isnan(e) and math.isnan(g)):
        continue
    if not (abs(g - e) <= 1e-9 or abs(g - e) <= 1e-6 * abs(e)):
        outside.append(f"{name} (PyRadiomics {e!r}, radsurv {g!r}, {abs(g - e) / abs(e):.2e} relative)")
print(f"{sys.argv[3]}: {len(expected)} values, {len(missing)} missing, {len(extra)} extra, "
      f"{len(outside)} outside 1e-6")
for line in outside + [f"missing {k}" for k in missing[:5]] + [f"extra {k}" for k in extra[:5]]:
    print(f"    {line}")
