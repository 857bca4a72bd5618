"""A whole-liver CT phantom for timing: an abdominal CT with the whole liver as the ROI.

The issue's unseen speed case is a whole liver at 1 mm; no shared case has one, so this builds a
stand-in of the same size and character (all numbers are typical adult values):
  - grid: 512 x 512 x SLICES at 0.75 x 0.75 x 2.5 mm (a common portal-venous abdominal protocol),
    int16 HU;
  - body: an elliptic cylinder of fat (-100 HU) with a muscle wall (45 HU), air outside (-1000);
  - liver: the union of a right lobe (ellipsoid 78 x 68 x 66 mm) and a left lobe
    (55 x 35 x 40 mm), cut by an oblique plane, about 1.6 L; parenchyma 60 HU plus a smooth
    Gaussian field (SD 8 HU, correlation about 6 mm), portal and hepatic vessels as tubes at
    35 HU (non-contrast blood is darker than parenchyma), two hypodense lesions at 30 HU;
  - white noise SD 12 HU (the scanner).
Writes OUTDIR/liver_image.nrrd and OUTDIR/liver_label.nrrd (gzip NRRD) and prints the ROI size.
Usage: python scripts/bench/make_liver_phantom.py OUTDIR [SLICES] [SEED]   (numpy, scipy, SimpleITK)
"""
import sys

import numpy as np
import SimpleITK as sitk
from scipy import ndimage

out = sys.argv[1]
slices = int(sys.argv[2]) if len(sys.argv) > 2 else 90
rng = np.random.default_rng(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
spacing = np.array([0.75, 0.75, 2.5])  # x, y, z in mm
shape = (slices, 512, 512)  # z, y, x

z, y, x = np.meshgrid(
    *((np.arange(n) - (n - 1) / 2.0) * s for n, s in zip(shape, spacing[::-1])), indexing="ij"
)


def ellipsoid(centre, axes):
    return sum(((c - o) / a) ** 2 for c, o, a in zip((x, y, z), centre, axes)) <= 1.0


body = (x / 170.0) ** 2 + (y / 125.0) ** 2 <= 1.0
fat_inner = (x / 155.0) ** 2 + (y / 110.0) ** 2 <= 1.0
hu = np.full(shape, -1000.0)
hu[body] = 45.0
hu[fat_inner] = -100.0

right_lobe = ellipsoid((-55.0, 5.0, 10.0), (78.0, 68.0, 66.0))
left_lobe = ellipsoid((35.0, -25.0, 25.0), (55.0, 35.0, 40.0))
liver = (right_lobe | left_lobe) & (0.35 * x + 0.25 * z - y < 70.0) & fat_inner

smooth = ndimage.gaussian_filter(rng.standard_normal(shape), sigma=6.0 / spacing[::-1])
smooth *= 8.0 / smooth[liver].std()
hu[liver] = 60.0 + smooth[liver]

vessels = np.zeros(shape, bool)
for _ in range(14):
    start = np.array([rng.uniform(-90, 10), rng.uniform(-40, 40), rng.uniform(-40, 60)])
    direction = rng.normal(size=3)
    direction /= np.linalg.norm(direction)
    radius = rng.uniform(2.0, 6.0)
    t = (x - start[0]) * direction[0] + (y - start[1]) * direction[1] + (z - start[2]) * direction[2]
    t = np.clip(t, 0.0, 80.0)
    d2 = sum((c - (s + t * d)) ** 2 for c, s, d in zip((x, y, z), start, direction))
    vessels |= d2 <= radius**2
hu[vessels & liver] = 35.0
for centre, radius in [((-70.0, 20.0, 0.0), 18.0), ((-30.0, -30.0, 40.0), 11.0)]:
    hu[ellipsoid(centre, (radius, radius, radius)) & liver] = 30.0

hu += rng.normal(0.0, 12.0, shape)
origin = [-(n - 1) / 2.0 * s for n, s in zip(shape[::-1], spacing)]
for name, array in [("image", np.round(hu).clip(-1024, 3071).astype(np.int16)), ("label", liver.astype(np.uint8))]:
    img = sitk.GetImageFromArray(array)
    img.SetSpacing(spacing.tolist())
    img.SetOrigin(origin)
    sitk.WriteImage(img, f"{out}/liver_{name}.nrrd", True)
volume_ml = liver.sum() * spacing.prod() / 1000.0
print(f"liver: {int(liver.sum())} voxels, {volume_ml:.0f} mL (about {volume_ml * 1000:.0f} voxels at 1 mm)")
