"""Every shared PyRadiomics case and profile through ``featureextractor`` equals PyRadiomics."""

import pytest

from conftest import assert_features_match, case_files, expected_table, params_file
from radsurv import featureextractor

DEFAULT = expected_table("features_default.csv", ["case"])
RESAMPLED = expected_table("features_resampled1mm_bw25.csv", ["case"])
BASELINES = expected_table("baseline_configs.csv", ["case", "config", "params"])
FILTERS = expected_table("features_filters.csv", ["case", "params"])


@pytest.mark.parametrize("case", sorted(k[0] for k in DEFAULT))
def test_default_profile(case):
    extractor = featureextractor.RadiomicsFeatureExtractor()
    result = extractor.execute(*case_files(case))
    assert_features_match(result, DEFAULT[(case,)], case)


@pytest.mark.parametrize("case", sorted(k[0] for k in RESAMPLED))
def test_paper_profile(case):
    extractor = featureextractor.RadiomicsFeatureExtractor(params_file("resampled1mm_bw25.yaml"))
    result = extractor.execute(*case_files(case))
    assert_features_match(result, RESAMPLED[(case,)], case)


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
    extractor = featureextractor.RadiomicsFeatureExtractor(params_file(params))
    result = extractor.execute(*case_files(case))
    assert_features_match(result, FILTERS[key], "/".join(key))
