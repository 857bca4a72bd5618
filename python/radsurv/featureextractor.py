"""PyRadiomics' ``featureextractor`` API on radsurv's extractor.

A script written for PyRadiomics runs unchanged after replacing
``from radiomics import featureextractor`` with ``from radsurv import featureextractor``::

    extractor = featureextractor.RadiomicsFeatureExtractor("params.yaml")
    result = extractor.execute("image.nrrd", "mask.nrrd")

Feature keys, their order and their values equal PyRadiomics'. ``diagnostics_`` keys hold what
radsurv knows, under PyRadiomics' names and in its order: ``Versions_radsurv`` and
``Versions_Python``, ``Configuration_Settings`` and ``Configuration_EnabledImageTypes``, the
image's ``Dimensionality``, ``Spacing``, ``Size``, ``Origin``, ``Direction``, ``PixelType``,
``Minimum`` and ``Maximum``, the mask's ``Spacing``, ``Size``, ``BoundingBox`` and ``VoxelNum``
(``Image-original_…`` and ``Mask-original_…``; origin, direction and pixel type are radsurv's
own). PyRadiomics' other diagnostics are absent: the versions of PyRadiomics, NumPy, SimpleITK
and PyWavelets, the image and mask ``Hash``, the image ``Mean``, the mask's ``VolumeNum``,
``CenterOfMassIndex`` and ``CenterOfMass``, and every ``Image-interpolated_…`` and
``Mask-interpolated_…`` entry of a resampled extraction.
"""

import copy
import logging
import os
import platform

from radsurv import _convert, _native

logger = logging.getLogger("radsurv")

#: The feature classes radsurv computes, in PyRadiomics' default order.
FEATURE_CLASS_NAMES = ["firstorder", "glcm", "gldm", "glrlm", "glszm", "ngtdm", "shape"]


class RadiomicsFeatureExtractor:
    """Extracts PyRadiomics features; configured by a parameter file path, a parameter dict
    (``imageType``, ``featureClass``, ``setting``) or keyword settings, as in PyRadiomics."""

    def __init__(self, *args, **kwargs):
        self.settings = {}
        self.enabledImagetypes = {}
        self.enabledFeatures = {}
        self.featureClassNames = list(FEATURE_CLASS_NAMES)
        if len(args) == 1 and isinstance(args[0], dict):
            self._applyParams(paramsDict=args[0])
        elif len(args) == 1 and _convert.is_path(args[0]):
            self._applyParams(paramsFile=args[0])
        elif args:
            raise TypeError("RadiomicsFeatureExtractor takes one parameter file or dict")
        else:
            self.settings = dict(_convert.DEFAULT_SETTINGS)
            self.settings.update(kwargs)
            self.enabledImagetypes = {"Original": {}}
            self.enableAllFeatures()
        if args and kwargs:
            self.settings.update(kwargs)
        self._check()

    # -- configuration -------------------------------------------------------------------------

    def loadParams(self, paramsFile):
        """Replaces the configuration by a parameter file's (YAML or JSON)."""
        self._applyParams(paramsFile=paramsFile)

    def loadJSONParams(self, JSON_configuration):
        """Replaces the configuration by a parameter document given as JSON text."""
        import json

        self._applyParams(paramsDict=json.loads(JSON_configuration))

    def _applyParams(self, paramsFile=None, paramsDict=None):
        if paramsFile is not None:
            path = _fspath(paramsFile)
            params = _native.read_params_file(path)
            source = path
        else:
            params = copy.deepcopy(paramsDict)
            source = "<dict>"
        params = params or {}
        _native.check_params(_convert.params_json(
            params.get("imageType") or {}, params.get("featureClass") or {},
            params.get("setting") or {}), source)
        self.enabledImagetypes = dict(params.get("imageType") or {"Original": {}})
        self.enabledImagetypes = {k: (v or {}) for k, v in self.enabledImagetypes.items()}
        classes = params.get("featureClass") or {}
        if classes:
            self.enabledFeatures = {k: (list(v) if v else []) for k, v in classes.items()}
        else:
            self.enableAllFeatures()
        self.settings = dict(_convert.DEFAULT_SETTINGS)
        self.settings.update(params.get("setting") or {})

    def enableAllImageTypes(self):
        """Not offered: radsurv enables image types by name (see ``enableImageTypeByName``)."""
        raise NotImplementedError(
            "enable image types by name; radsurv's parameter reference lists those it computes"
        )

    def disableAllImageTypes(self):
        """Disables every image type."""
        self.enabledImagetypes = {}

    def enableImageTypeByName(self, imageType, enabled=True, customArgs=None):
        """Enables (or disables) one image type, with its own settings in ``customArgs``."""
        if enabled:
            candidate = dict(self.enabledImagetypes)
            candidate[imageType] = dict(customArgs or {})
            self._check(image_types=candidate)
            self.enabledImagetypes = candidate
        else:
            self.enabledImagetypes.pop(imageType, None)

    def enableImageTypes(self, **enabledImagetypes):
        """Enables image types given as ``name=customArgs`` (``None`` or ``{}`` for none)."""
        for name, custom in enabledImagetypes.items():
            self.enableImageTypeByName(name, True, custom)

    def enableAllFeatures(self):
        """Enables every feature of every class (deprecated ones excluded, as in PyRadiomics)."""
        for name in self.featureClassNames:
            self.enabledFeatures[name] = []

    def disableAllFeatures(self):
        """Disables every feature class."""
        self.enabledFeatures = {}

    def enableFeatureClassByName(self, featureClass, enabled=True):
        """Enables (all features of) or disables one feature class."""
        if enabled:
            candidate = dict(self.enabledFeatures)
            candidate[featureClass] = []
            self._check(features=candidate)
            self.enabledFeatures = candidate
        else:
            self.enabledFeatures.pop(featureClass, None)

    def enableFeaturesByName(self, **enabledFeatures):
        """Enables features as ``className=[names]`` (an empty list or ``None``: all of them)."""
        candidate = dict(self.enabledFeatures)
        for name, features in enabledFeatures.items():
            candidate[name] = list(features) if features else []
        self._check(features=candidate)
        self.enabledFeatures = candidate

    def _params_json(self, image_types=None, features=None, settings=None):
        settings = dict(self.settings if settings is None else settings)
        settings.pop("additionalInfo", None)  # decides the diagnostics, read here
        return _convert.params_json(
            self.enabledImagetypes if image_types is None else image_types,
            self.enabledFeatures if features is None else features,
            settings,
        )

    def _check(self, image_types=None, features=None):
        """Validates a configuration with radsurv's parameter parser (raises naming the key)."""
        for warning in _native.check_params(self._params_json(image_types, features), "<settings>"):
            logger.warning("%s", warning)

    # -- extraction ----------------------------------------------------------------------------

    def execute(self, imageFilepath, maskFilepath, label=None, label_channel=None, voxelBased=False):
        """Features of one image and mask: file paths (NRRD, NIfTI, DICOM folder) or SimpleITK
        images. Returns an ``OrderedDict`` of ``diagnostics_`` entries then features."""
        if voxelBased:
            raise _native.RadsurvValueError("voxel-based extraction is not supported by radsurv")
        if label_channel not in (None, 0):
            raise _native.RadsurvValueError("label_channel: radsurv reads scalar label maps only")
        settings = dict(self.settings)
        if label is not None:
            settings["label"] = label
        if not self.enabledImagetypes:
            raise _native.RadsurvValueError("no image type is enabled")
        params = self._params_json(settings=settings)
        if _convert.is_path(imageFilepath) and _convert.is_path(maskFilepath):
            features, diagnostics = _native.extract_files(
                params, _fspath(imageFilepath), _fspath(maskFilepath))
        else:
            features, diagnostics = _native.extract_arrays(
                params, _volume(imageFilepath, "image"), _volume(maskFilepath, "mask"))
        extra = self._diagnostics_header(settings) if settings.get("additionalInfo", True) else []
        if not settings.get("additionalInfo", True):
            diagnostics = "[]"
        return _convert.feature_dict(features, diagnostics, extra)

    def _diagnostics_header(self, settings):
        import radsurv

        return [
            ("Versions_radsurv", radsurv.__version__),
            ("Versions_Python", platform.python_version()),
            ("Configuration_Settings", settings),
            ("Configuration_EnabledImageTypes", copy.deepcopy(self.enabledImagetypes)),
        ]


def _fspath(path):
    path = os.fspath(path)
    return os.fsdecode(path) if isinstance(path, bytes) else path


def _volume(image, what):
    """A SimpleITK image (or a file path) as the native module's array volume."""
    if _convert.is_path(image):
        raise _native.RadsurvValueError(
            "%s: give both image and mask as file paths, or both as SimpleITK images" % what)
    if type(image).__module__.startswith("SimpleITK"):
        return _convert.sitk_volume(image)
    raise _native.RadsurvValueError(
        "%s: expected a file path or a SimpleITK image, got %s" % (what, type(image).__name__))
