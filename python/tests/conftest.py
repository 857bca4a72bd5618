"""Shared fixtures: where the reference data is, and PyRadiomics' expected values."""

import csv
import os
from collections import OrderedDict, defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: PyRadiomics' values are matched within this relative difference (absolute near zero).
REL, ABS = 1e-6, 1e-9


def data_path(relative):
    """A reference file: under RADSURV_SHARED_DATA when set, else the repository's testdata/."""
    root = os.environ.get("RADSURV_SHARED_DATA") or REPO / "testdata"
    return Path(root) / relative


def case_files(case):
    images = data_path("pyradiomics/images")
    return str(images / f"{case}_image.nrrd"), str(images / f"{case}_label.nrrd")


def params_file(name):
    return str(data_path("pyradiomics/params") / name)


def expected_table(name, key_columns):
    """PyRadiomics' values of one expected CSV: key tuple -> OrderedDict feature -> value."""
    table = defaultdict(OrderedDict)
    with open(data_path(f"pyradiomics/expected/{name}"), newline="") as f:
        for row in csv.DictReader(f):
            key = tuple(row[c] for c in key_columns)
            table[key][row["feature"]] = float(row["value"])
    return table


#: Feature classes in PyRadiomics' own order (its modules'), used without a featureClass section.
PYRADIOMICS_CLASSES = ["firstorder", "glcm", "gldm", "glrlm", "glszm", "ngtdm", "shape"]


def feature_classes_of(params):
    """The class names of a parameter file's ``featureClass`` section in file order (the shared
    files write it in block style: one ``  name:`` line per class)."""
    classes, inside = [], False
    with open(params) as f:
        for line in f:
            if line.strip().startswith("#") or not line.strip():
                continue
            if not line.startswith(" "):
                inside = line.startswith("featureClass:")
            elif inside and line.startswith("  ") and not line.startswith("   "):
                classes.append(line.strip().split(":")[0])
    return classes or PYRADIOMICS_CLASSES


def in_pyradiomics_order(expected, params=None):
    """Expected values in the order of PyRadiomics' ``execute`` (the expected CSVs list rows in an
    order of their own): shape first (computed once, on the original image), then per derived
    image the classes in the order of the parameter file's ``featureClass`` section (PyRadiomics'
    own without one), features within a class as listed."""
    classes = feature_classes_of(params) if params else PYRADIOMICS_CLASSES
    images = []
    for key in expected:
        image = key.split("_")[0]
        if image not in images:
            images.append(image)

    def position(item):
        image, cls, _ = item[1][0].split("_", 2)
        return (cls != "shape", images.index(image), classes.index(cls), item[0])

    ordered = sorted(enumerate(expected.items()), key=position)
    return OrderedDict(kv for _, kv in ordered)


def assert_features_match(result, expected, context, complete=True):
    """Every expected feature present with its value; with ``complete``, no other feature and
    the same order."""
    features = [k for k in result if not k.startswith("diagnostics_")]
    if complete:
        assert features == list(expected), f"{context}: keys or order differ"
    else:
        missing = sorted(set(expected) - set(features))
        assert not missing, f"{context}: missing {missing}"
    bad = []
    for key, want in expected.items():
        got = float(result[key])
        if abs(got - want) > ABS and abs(got - want) > REL * abs(want):
            bad.append(f"{key}: radsurv {got!r} PyRadiomics {want!r}")
    assert not bad, f"{context}: {len(bad)} values differ:\n" + "\n".join(bad[:30])


@pytest.fixture
def lung1():
    return case_files("lung1")
