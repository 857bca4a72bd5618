"""Every shared PyRadiomics case and profile through ``featureextractor`` equals PyRadiomics."""

import pytest

from conftest import (
    assert_features_match, case_files, expected_table, in_pyradiomics_order, params_file)
from radsurv import featureextractor

DEFAULT = expected_table("features_default.csv", ["case"])
RESAMPLED = expected_table("features_resampled1mm_bw25.csv", ["case"])
BASELINES = expected_table("baseline_configs.csv", ["case", "config", "params"])
FILTERS = expected_table("features_filters.csv", ["case", "params"])


@pytest.mark.parametrize("case", sorted(k[0] for k in DEFAULT))
def test_default_profile(case):
    extractor = featureextractor.RadiomicsFeatureExtractor()
    result = extractor.execute(*case_files(case))
    assert_features_match(result, in_pyradiomics_order(DEFAULT[(case,)]), case)


@pytest.mark.parametrize("case", sorted(k[0] for k in RESAMPLED))
def test_paper_profile(case):
    params = params_file("resampled1mm_bw25.yaml")
    result = featureextractor.RadiomicsFeatureExtractor(params).execute(*case_files(case))
    assert_features_match(result, in_pyradiomics_order(RESAMPLED[(case,)], params), case)


@pytest.mark.parametrize("key", sorted(BASELINES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_baseline_configuration(key):
    case, _, params = key
    extractor = featureextractor.RadiomicsFeatureExtractor(params_file(params))
    result = extractor.execute(*case_files(case))
    # upstream's baseline files list a subset of the features, in their own order
    assert_features_match(result, BASELINES[key], "/".join(key), complete=False)


@pytest.mark.parametrize("key", sorted(FILTERS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_filter_profile(key):
    case, params = key
    path = params_file(params)
    result = featureextractor.RadiomicsFeatureExtractor(path).execute(*case_files(case))
    assert_features_match(result, in_pyradiomics_order(FILTERS[key], path), "/".join(key))
