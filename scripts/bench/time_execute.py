"""Best time of `RadiomicsFeatureExtractor(params).execute(image, mask)` (imports and the
extractor's construction excluded), one thread. The same script times PyRadiomics and radsurv:
MODULE is the package whose `featureextractor` is used (`radiomics` or `radsurv`).
Usage: time_execute.py MODULE IMAGE MASK PARAMS REPEATS
"""
import importlib
import logging
import sys
import time

module, image, mask, params, repeats = sys.argv[1:6]
try:
    import SimpleITK as sitk

    sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(1)
except ImportError:  # radsurv does not need SimpleITK
    pass
featureextractor = importlib.import_module(module + ".featureextractor")
logging.getLogger(module).setLevel(logging.ERROR)  # after the import, which sets PyRadiomics' level
extractor = featureextractor.RadiomicsFeatureExtractor(params)
best = float("inf")
for _ in range(int(repeats)):
    t0 = time.perf_counter()
    extractor.execute(image, mask)
    best = min(best, time.perf_counter() - t0)
print(f"{best:.4f}")
