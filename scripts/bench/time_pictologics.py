"""Best in-process time of one pictologics 0.9.0 run (after a warm-up run), PyRadiomics' profile
in IBSI terms: optional cubic resampling to 1 mm, fixed bin size 25 HU, and the seven families
that correspond to PyRadiomics' (intensity, morphology, GLCM, GLRLM, GLSZM, NGTDM, NGLDM).
Pictologics computes IBSI features (merged matrices), not PyRadiomics': compare time only.
Usage: time_pictologics.py IMAGE MASK RESAMPLE(0|1) REPEATS
"""
import sys
import time
import warnings

import pictologics

image, mask, resample, repeats = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
warnings.simplefilter("ignore")
steps = []
if resample:
    steps.append({"step": "resample", "params": {"new_spacing": [1, 1, 1], "interpolation": "cubic"}})
steps += [
    {"step": "discretise", "params": {"method": "FBS", "bin_width": 25, "min_val": -1025}},
    {"step": "extract_features", "params": {"families": [
        "intensity", "morphology", "glcm", "glrlm", "glszm", "ngtdm", "ngldm"],
        # PyRadiomics has neither Moran's I / Geary's C nor local intensity peaks
        "include_spatial_intensity": False, "include_local_intensity": False}},
]
pipeline = pictologics.RadiomicsPipeline()
pipeline.add_config("pyradiomics_like", steps)
pipeline.run(image, mask)  # warm-up: JIT caches, first-touch allocations
best = float("inf")
for _ in range(repeats):
    t0 = time.perf_counter()
    result = pipeline.run(image, mask)
    best = min(best, time.perf_counter() - t0)
features = result["pyradiomics_like"]
assert features.notna().sum() > 100, "pictologics returned too few values"
print(f"{best:.4f}")
