"""Writes testdata/scipy/sph_harm_icosphere.csv: scipy's sph_harm(m, n, theta, phi) at the vertices of
trimesh's icospheres (subdivisions 0 and 1, radius 1), called as PyRadiomics' LBP3D calls it (theta = the
polar angle, phi = the azimuth, both from numpy), for degrees 0-4. Every double is written as Python's
repr so a test can compare to the last bit.
Usage (the PyRadiomics environment of shared/refs/reference-tools.md):
  .venv-pyrad/bin/python scripts/make_sph_harm_reference.py testdata/scipy/sph_harm_icosphere.csv
"""
import csv
import sys

import numpy as np
import scipy
import trimesh
from scipy.special import sph_harm

with open(sys.argv[1], "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["subdivisions", "m", "n", "theta", "phi", "re", "im"])
    for subdivisions in (0, 1):
        vertices = trimesh.creation.icosphere(subdivisions, 1.0).vertices
        theta = np.arccos(np.true_divide(vertices[:, 2], 1.0))
        phi = np.arctan2(vertices[:, 1], vertices[:, 0])
        for n in range(5):
            for m in range(-n, n + 1):
                values = sph_harm(m, n, theta, phi)
                for t, p, y in zip(theta, phi, values):
                    out.writerow([subdivisions, m, n, repr(float(t)), repr(float(p)),
                                  repr(float(y.real)), repr(float(y.imag))])
print(f"scipy {scipy.__version__}, numpy {np.__version__}, trimesh {trimesh.__version__}", file=sys.stderr)
