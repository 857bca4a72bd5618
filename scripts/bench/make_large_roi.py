"""Large real-CT ROIs for timing texture kernels, built from the shared lung1 case.

Writes into OUTDIR:
  lung1_dilated_label.nrrd   lung1's tumour mask dilated by a ball of RADIUS_MM (default 70 mm),
                             clipped to the body (HU > -500 after the dilation would otherwise
                             count air): about 1 M voxels at 1 mm
  lung1_lungs_label.nrrd     both lungs by a threshold (-950 < HU < -400), largest components,
                             inside the dilated ball: a second, differently textured large ROI
  <name>_1mm_image.nrrd / <name>_1mm_label.nrrd
                             the image and each mask resampled to 1 mm the way PyRadiomics does it
                             (B-spline image, nearest-neighbour mask, grid from the mask's bounding
                             box plus 5 voxels), for the "already resampled" timing.
Usage: python scripts/bench/make_large_roi.py DATA_DIR OUTDIR [RADIUS_MM]   (SimpleITK and PyRadiomics needed)
"""
import sys
import SimpleITK as sitk
from radiomics import imageoperations

data, out = sys.argv[1], sys.argv[2]
radius_mm = float(sys.argv[3]) if len(sys.argv) > 3 else 70.0
image = sitk.ReadImage(f"{data}/pyradiomics/images/lung1_image.nrrd")
tumour = sitk.ReadImage(f"{data}/pyradiomics/images/lung1_label.nrrd") > 0

kernel = [max(1, round(radius_mm / s)) for s in image.GetSpacing()]
ball = sitk.BinaryDilate(tumour, kernel, sitk.sitkBall)
body = image > -500
dilated = sitk.Cast(sitk.And(ball, sitk.Or(body, tumour)), sitk.sitkUInt8)

lung_voxels = sitk.And(image > -950, image < -400)
components = sitk.RelabelComponent(sitk.ConnectedComponent(lung_voxels), sortByObjectSize=True)
lungs = sitk.Cast(sitk.And(sitk.And(components > 0, components <= 2), ball), sitk.sitkUInt8)

for name, mask in [("lung1_dilated", dilated), ("lung1_lungs", lungs)]:
    mask.CopyInformation(image)
    sitk.WriteImage(mask, f"{out}/{name}_label.nrrd", True)
    img1, msk1 = imageoperations.resampleImage(
        image, mask, resampledPixelSpacing=[1, 1, 1], interpolator=sitk.sitkBSpline, label=1, padDistance=5
    )
    sitk.WriteImage(img1, f"{out}/{name}_1mm_image.nrrd", True)
    sitk.WriteImage(msk1, f"{out}/{name}_1mm_label.nrrd", True)
    count = int(sitk.GetArrayViewFromImage(msk1).sum())
    print(f"{name}: {count} voxels at 1 mm, bounding box {msk1.GetSize()}")
