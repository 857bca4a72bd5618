"""radsurv: PyRadiomics-identical radiomics features and survival models, computed in Rust.

- ``radsurv.featureextractor.RadiomicsFeatureExtractor``: PyRadiomics' extractor API.
- ``radsurv.extract_array``: features of numpy arrays in SimpleITK's (z, y, x) order.
- ``radsurv.extract_manifest``: a manifest of cases, as ``radsurv extract --manifest``.
- ``radsurv.run_study`` and ``radsurv.Model``: the study and its model file, as
  ``radsurv study`` and ``radsurv predict``.

Errors are ``radsurv.ValueError`` / ``radsurv.OSError`` (subclasses of the built-ins) carrying
radsurv's message, which names the file, setting or row at fault.
"""

from radsurv import _native
from radsurv._api import Model, extract_array, extract_manifest, manifest_csv, run_study

ValueError = _native.RadsurvValueError  # noqa: A001 - a subclass of the built-in
OSError = _native.RadsurvOSError  # noqa: A001 - a subclass of the built-in
RadsurvValueError = _native.RadsurvValueError
RadsurvOSError = _native.RadsurvOSError
__version__ = _native.__version__

__all__ = [
    "Model",
    "RadsurvOSError",
    "RadsurvValueError",
    "extract_array",
    "extract_manifest",
    "manifest_csv",
    "run_study",
]
