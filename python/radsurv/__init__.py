"""radsurv: PyRadiomics-identical radiomics features and survival models, computed in Rust.

- ``radsurv.featureextractor.RadiomicsFeatureExtractor``: PyRadiomics' extractor API.
- ``radsurv.extract_array``: features of numpy arrays in SimpleITK's (z, y, x) order.
- ``radsurv.extract_manifest``: a manifest of cases, as ``radsurv extract --manifest``.
- ``radsurv.run_study`` and ``radsurv.Model``: the study and its model file, as
  ``radsurv study`` and ``radsurv predict``.

- ``radsurv.read_manifest``, ``radsurv.extract_case``, ``radsurv.features_csv``: one case at a
  time, for distributed engines (see ``examples/dask_extract.py``).

Errors are ``radsurv.RadsurvValueError`` / ``radsurv.RadsurvOSError``, subclasses of the built-in
``ValueError`` / ``OSError``, carrying radsurv's message, which names the file, setting or row.
"""

from radsurv import _native
from radsurv._api import (
    Model,
    extract_array,
    extract_case,
    extract_manifest,
    feature_keys,
    features_csv,
    manifest_csv,
    params_document,
    read_manifest,
    run_study,
)

RadsurvValueError = _native.RadsurvValueError
RadsurvOSError = _native.RadsurvOSError
__version__ = _native.__version__

__all__ = [
    "Model",
    "RadsurvOSError",
    "RadsurvValueError",
    "extract_array",
    "extract_case",
    "extract_manifest",
    "feature_keys",
    "features_csv",
    "manifest_csv",
    "params_document",
    "read_manifest",
    "run_study",
]
