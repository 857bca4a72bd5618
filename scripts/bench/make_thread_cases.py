"""Large ROIs for timing radsurv at one and two threads, besides make_large_roi.py's.

Writes into OUTDIR:
  lung1_ball_label.nrrd   lung1's CT with a ball of RADIUS_MM (default 60) at the image centre as the
                          ROI (the large case of bench_filters_vs_pyradiomics.sh)
  sts042_image.nrrd       the shared STS_042 CT series (DICOM, 0.98 x 0.98 x 3.27 mm) as int16 NRRD
  sts042_dilated_label.nrrd
                          its gross tumour volume dilated by a ball of 50 mm, clipped to the body
                          (HU > -500): a second CT, a second organ-size ROI shape
Usage: python scripts/bench/make_thread_cases.py DATA_DIR OUTDIR [RADIUS_MM]   (SimpleITK and numpy)
"""
import sys
import numpy as np
import SimpleITK as sitk

data, out = sys.argv[1], sys.argv[2]
radius_mm = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0

lung = sitk.ReadImage(f"{data}/pyradiomics/images/lung1_image.nrrd")
size, spacing = np.array(lung.GetSize()), np.array(lung.GetSpacing())
z, y, x = np.indices(size[::-1])
centre = (size - 1) / 2.0
d2 = sum(((c - centre[a]) * spacing[a]) ** 2 for a, c in enumerate((x, y, z)))
ball = sitk.GetImageFromArray((d2 <= radius_mm**2).astype(np.uint8))
ball.CopyInformation(lung)
sitk.WriteImage(ball, f"{out}/lung1_ball_label.nrrd", True)
print(f"lung1_ball: {int((d2 <= radius_mm ** 2).sum())} voxels", file=sys.stderr)

reader = sitk.ImageSeriesReader()
reader.SetFileNames(reader.GetGDCMSeriesFileNames(f"{data}/dicom/STS_042/ct"))
ct = sitk.Cast(reader.Execute(), sitk.sitkInt16)
sitk.WriteImage(ct, f"{out}/sts042_image.nrrd", True)
tumour = sitk.ReadImage(f"{data}/dicom/STS_042/reference_mask.nrrd") > 0
tumour.CopyInformation(ct)
kernel = [max(1, round(50.0 / s)) for s in ct.GetSpacing()]
grown = sitk.BinaryDilate(tumour, kernel, sitk.sitkBall)
dilated = sitk.Cast(sitk.And(grown, sitk.Or(ct > -500, tumour)), sitk.sitkUInt8)
sitk.WriteImage(dilated, f"{out}/sts042_dilated_label.nrrd", True)
print(f"sts042_dilated: {int(sitk.GetArrayViewFromImage(dilated).sum())} voxels", file=sys.stderr)
