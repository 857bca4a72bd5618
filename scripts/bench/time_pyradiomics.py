"""Best time of PyRadiomics' `execute()` (imports excluded), one thread.
Usage: time_pyradiomics.py IMAGE MASK PARAMS REPEATS
"""
import logging
import sys
import time

import SimpleITK as sitk

sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(1)
import radiomics  # noqa: E402
from radiomics import featureextractor  # noqa: E402

radiomics.setVerbosity(logging.ERROR)
image, mask, params, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
extractor = featureextractor.RadiomicsFeatureExtractor(params)
best = float("inf")
for _ in range(repeats):
    t0 = time.perf_counter()
    extractor.execute(image, mask)
    best = min(best, time.perf_counter() - t0)
print(f"{best:.4f}")
