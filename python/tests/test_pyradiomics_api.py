"""PyRadiomics' API: an unchanged script, SimpleITK and numpy inputs, configuration calls, errors."""

import logging
import os
import textwrap

import pytest

from conftest import (
    assert_features_match, case_files, expected_table, in_pyradiomics_order, params_file)
import radsurv
from radsurv import featureextractor

RESAMPLED = expected_table("features_resampled1mm_bw25.csv", ["case"])
FILTERS = expected_table("features_filters.csv", ["case", "params"])

# A script as written for PyRadiomics (its README's example, configured by keyword settings and
# the enable/disable calls); only the import line changes.
PYRADIOMICS_SCRIPT = textwrap.dedent("""
    import SimpleITK as sitk
    from radiomics import featureextractor

    settings = {}
    settings['binWidth'] = 25
    settings['resampledPixelSpacing'] = [1, 1, 1]
    settings['interpolator'] = sitk.sitkBSpline

    extractor = featureextractor.RadiomicsFeatureExtractor(**settings)
    extractor.disableAllFeatures()
    extractor.enableFeatureClassByName('firstorder')
    extractor.enableFeaturesByName(glcm=['Autocorrelation', 'Contrast', 'Idmn'], shape=['Sphericity'])
    print('Extraction parameters:\\n\\t', extractor.settings)
    print('Enabled filters:\\n\\t', extractor.enabledImagetypes)
    print('Enabled features:\\n\\t', extractor.enabledFeatures)

    result = extractor.execute(imagePath, maskPath)
    for key, val in result.items():
        print("\\t%s: %s" % (key, val))
""")


def test_pyradiomics_script_runs_unchanged_apart_from_the_import(capsys):
    image, mask = case_files("lung1")
    script = PYRADIOMICS_SCRIPT.replace(
        "from radiomics import featureextractor", "from radsurv import featureextractor")
    namespace = {"imagePath": image, "maskPath": mask}
    exec(compile(script, "pyradiomics_script.py", "exec"), namespace)
    result = namespace["result"]
    expected = RESAMPLED[("lung1",)]
    wanted = ["original_shape_Sphericity"] + [
        k for k in expected if k.startswith("original_firstorder_")] + [
        "original_glcm_Autocorrelation", "original_glcm_Contrast", "original_glcm_Idmn"]
    assert_features_match(result, {k: expected[k] for k in wanted}, "script")
    assert "original_shape_Sphericity" in capsys.readouterr().out


def test_params_dict_and_enable_image_type_equal_the_params_file():
    image, mask = case_files("brain1")
    extractor = featureextractor.RadiomicsFeatureExtractor(params_file("filters_exampleCT.yaml"))
    from_file = {k: v for k, v in extractor.execute(image, mask).items()
                 if not k.startswith("diagnostics_")}
    assert_features_match(from_file, FILTERS[("brain1", "filters_exampleCT.yaml")], "file")

    # the same configuration built with the API calls (no params file)
    built = featureextractor.RadiomicsFeatureExtractor(
        resampledPixelSpacing=[1, 1, 1], padDistance=10, voxelArrayShift=1000, binWidth=25)
    built.disableAllImageTypes()
    built.enableImageTypeByName("Original")
    built.enableImageTypeByName("LoG", customArgs={"sigma": [1.0, 2.0, 3.0, 4.0, 5.0]})
    built.enableImageTypeByName("Wavelet")
    built.disableAllFeatures()
    for name in ["shape", "firstorder", "glrlm", "glszm", "gldm"]:
        built.enableFeatureClassByName(name)
    glcm = extractor.enabledFeatures["glcm"]
    built.enableFeaturesByName(glcm=glcm)
    # class order is the enabling order; PyRadiomics' file puts glcm third
    built.enabledFeatures = {k: built.enabledFeatures[k] for k in extractor.enabledFeatures}
    from_calls = built.execute(image, mask)
    assert [k for k in from_calls if not k.startswith("diagnostics_")] == list(from_file)
    assert all(float(from_calls[k]) == float(v) for k, v in from_file.items())

    as_dict = featureextractor.RadiomicsFeatureExtractor({
        "imageType": extractor.enabledImagetypes,
        "featureClass": extractor.enabledFeatures,
        "setting": {k: v for k, v in extractor.settings.items()},
    })
    from_dict = as_dict.execute(image, mask)
    assert all(float(from_dict[k]) == float(v) for k, v in from_file.items())


def test_load_params_enable_all_and_settings():
    extractor = featureextractor.RadiomicsFeatureExtractor()
    extractor.loadParams(params_file("resampled1mm_bw25.yaml"))
    assert extractor.settings["resampledPixelSpacing"] == [1, 1, 1]
    assert extractor.enabledImagetypes == {"Original": {}}
    extractor.disableAllFeatures()
    assert extractor.enabledFeatures == {}
    extractor.enableAllFeatures()
    result = extractor.execute(*case_files("breast1"))
    # enableAllFeatures: the classes in PyRadiomics' own order, not the file's
    assert_features_match(result, in_pyradiomics_order(RESAMPLED[("breast1",)]), "breast1")
    assert result["diagnostics_Mask-original_VoxelNum"] > 0
    assert result["diagnostics_Configuration_Settings"]["binWidth"] == 25


def test_diagnostics_are_the_documented_ones():
    extractor = featureextractor.RadiomicsFeatureExtractor(params_file("resampled1mm_bw25.yaml"))
    result = extractor.execute(*case_files("lung1"))
    image = ["Dimensionality", "Spacing", "Size", "Origin", "Direction", "PixelType", "Minimum",
             "Maximum"]
    mask = ["Spacing", "Size", "BoundingBox", "VoxelNum"]
    assert [k for k in result if k.startswith("diagnostics_")] == [
        "diagnostics_" + k for k in
        ["Versions_radsurv", "Versions_Python", "Configuration_Settings",
         "Configuration_EnabledImageTypes"]
        + ["Image-original_" + k for k in image] + ["Mask-original_" + k for k in mask]]
    assert result["diagnostics_Mask-original_Size"] == result["diagnostics_Image-original_Size"]


def test_simpleitk_images_equal_file_inputs():
    sitk = pytest.importorskip("SimpleITK")
    image, mask = case_files("lung1")
    extractor = featureextractor.RadiomicsFeatureExtractor(params_file("resampled1mm_bw25.yaml"))
    from_files = extractor.execute(image, mask)
    from_sitk = extractor.execute(sitk.ReadImage(image), sitk.ReadImage(mask))
    assert list(from_sitk) == list(from_files)
    for key, value in from_files.items():
        if not key.startswith("diagnostics_"):
            assert float(from_sitk[key]) == float(value), key


def test_numpy_arrays_equal_file_inputs():
    sitk = pytest.importorskip("SimpleITK")
    image_path, mask_path = case_files("breast1")
    image, mask = sitk.ReadImage(image_path), sitk.ReadImage(mask_path)
    params = params_file("resampled1mm_bw25.yaml")
    from_files = featureextractor.RadiomicsFeatureExtractor(params).execute(image_path, mask_path)
    from_arrays = radsurv.extract_array(
        sitk.GetArrayFromImage(image), sitk.GetArrayFromImage(mask), image.GetSpacing(),
        origin=image.GetOrigin(), direction=image.GetDirection(), params=params)
    features = [k for k in from_files if not k.startswith("diagnostics_")]
    assert list(from_arrays) == features
    for key in features:
        assert float(from_arrays[key]) == float(from_files[key]), key


def test_label_argument_overrides_the_settings():
    extractor = featureextractor.RadiomicsFeatureExtractor()
    with pytest.raises(ValueError, match="label 2"):
        extractor.execute(*case_files("lung1"), label=2)


def test_bad_inputs_raise_naming_the_file(tmp_path):
    image, mask = case_files("lung1")
    extractor = featureextractor.RadiomicsFeatureExtractor()
    missing = str(tmp_path / "missing.nrrd")
    with pytest.raises(OSError, match="missing.nrrd") as err:
        extractor.execute(missing, mask)
    assert isinstance(err.value, radsurv.RadsurvOSError)

    broken = tmp_path / "broken.nrrd"
    broken.write_bytes(b"NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2\n\n")
    with pytest.raises(ValueError, match="broken.nrrd"):
        extractor.execute(image, str(broken))

    other_mask = case_files("brain1")[1]
    with pytest.raises(ValueError, match="brain1_label.nrrd"):
        extractor.execute(image, other_mask)

    bad_params = tmp_path / "params.yaml"
    bad_params.write_text("setting:\n  binWidth: -1\n")
    with pytest.raises(ValueError, match="params.yaml.*binWidth"):
        featureextractor.RadiomicsFeatureExtractor(str(bad_params))
    with pytest.raises(ValueError, match="binWidth"):
        featureextractor.RadiomicsFeatureExtractor(binWidth="wide")
    with pytest.raises(ValueError, match="imageType.Sobel"):
        extractor.enableImageTypeByName("Sobel")
    with pytest.raises(OSError, match="nothing.yaml"):
        featureextractor.RadiomicsFeatureExtractor(str(tmp_path / "nothing.yaml"))


def test_extraction_releases_the_gil():
    import threading
    import time

    image, mask = case_files("lung1")
    extractor = featureextractor.RadiomicsFeatureExtractor(params_file("resampled1mm_bw25.yaml"))
    extractor.execute(image, mask)
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    start = time.perf_counter()
    extractor.execute(image, mask)
    elapsed = time.perf_counter() - start
    done.set()
    ticker.join()
    # a Python thread kept running while the extraction held no GIL
    during = [t for t in ticks if start <= t <= start + elapsed]
    assert len(during) >= max(2, int(elapsed / 0.01)), (len(during), elapsed)
