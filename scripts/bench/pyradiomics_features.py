"""PyRadiomics 3.0.1 `execute()` on one case, one thread; writes `name,value` rows (Python repr of
each double) for every feature.
With --libm-angles, numpy's arccos and arctan2 are replaced by the C library's (math.acos,
math.atan2) first: what numpy computes on a CPU without AVX-512, where LBP3D's icosphere angles
are concerned.
Usage: pyradiomics_features.py IMAGE MASK PARAMS OUT.csv [--libm-angles]
"""
import csv
import logging
import math
import sys

import numpy as np

if "--libm-angles" in sys.argv:
    _acos = np.frompyfunc(math.acos, 1, 1)
    _atan2 = np.frompyfunc(math.atan2, 2, 1)
    np.arccos = lambda x, *args, **kwargs: _acos(x).astype(float)
    np.arctan2 = lambda y, x, *args, **kwargs: _atan2(y, x).astype(float)

import SimpleITK as sitk  # noqa: E402  (after the numpy patch, which PyRadiomics must see)
from radiomics import featureextractor  # noqa: E402

sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(1)
logging.getLogger("radiomics").setLevel(logging.ERROR)
image, mask, params, out = sys.argv[1:5]
result = featureextractor.RadiomicsFeatureExtractor(params).execute(image, mask)
with open(out, "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["name", "value"])
    for name, value in result.items():
        if not name.startswith("diagnostics"):
            writer.writerow([name, repr(float(value))])
