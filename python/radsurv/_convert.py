"""Conversions between Python inputs and the native module: parameter documents, images, arrays.

Nothing here computes a feature; values go to radsurv's Rust crates and come back unchanged.
"""

import json
import numbers
import os
from collections import OrderedDict

from radsurv import _native

#: PyRadiomics' default settings: what ``extractor.settings`` holds before any are given.
DEFAULT_SETTINGS = {
    "minimumROIDimensions": 2,
    "minimumROISize": None,
    "normalize": False,
    "normalizeScale": 1,
    "removeOutliers": None,
    "resampledPixelSpacing": None,
    "interpolator": "sitkBSpline",
    "preCrop": False,
    "padDistance": 5,
    "distances": [1],
    "force2D": False,
    "force2Ddimension": 0,
    "resegmentRange": None,
    "label": 1,
    "additionalInfo": True,
}


#: The interpolators radsurv resamples with, by SimpleITK's names.
INTERPOLATOR_NAMES = ("sitkNearestNeighbor", "sitkLinear", "sitkBSpline")


def params_json(image_types, feature_classes, settings):
    """The parameter document (PyRadiomics' three sections) as JSON text for the native parser."""
    doc = {
        "imageType": {k: _native_settings(v or {}) for k, v in image_types.items()},
        "featureClass": {k: (list(v) if v else None) for k, v in feature_classes.items()},
        "setting": _native_settings(settings),
    }
    try:
        return json.dumps(doc, default=_json_default, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise _native.RadsurvValueError("parameters cannot be read: %s" % e) from None


def _native_settings(settings):
    """Settings with an integer ``interpolator`` given by its SimpleITK name."""
    value = settings.get("interpolator") if isinstance(settings, dict) else None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        return settings
    return dict(settings, interpolator=interpolator_name(int(value)))


def interpolator_name(value):
    """The SimpleITK name of an integer interpolator, or the integer itself. PyRadiomics hands an
    integer straight to SimpleITK, so it means the installed SimpleITK's constant of that value
    (``sitkBSpline`` is 23 in SimpleITK 2, not the 3 of radsurv's parameter files). Other integers (and all without SimpleITK) go to radsurv's parser, which reads 1, 2, 3 as the
    command line does."""
    try:
        import SimpleITK as sitk
    except ImportError:
        return value
    for name in INTERPOLATOR_NAMES:
        if getattr(sitk, name, None) == value:
            return name
    return value


def _json_default(value):
    """numpy scalars and arrays, tuples and sets as plain JSON values."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (tuple, set)):
        return list(value)
    raise TypeError("%r is not a valid parameter value" % (value,))


def is_path(value):
    return isinstance(value, (str, bytes, os.PathLike))


def sitk_volume(image):
    """A SimpleITK image as the native module's array volume."""
    import SimpleITK as sitk

    if image.GetDimension() != 3 or image.GetNumberOfComponentsPerPixel() != 1:
        raise _native.RadsurvValueError(
            "SimpleITK image: radsurv extracts from scalar 3D images (this one has %d dimensions "
            "and %d components)" % (image.GetDimension(), image.GetNumberOfComponentsPerPixel())
        )
    array = sitk.GetArrayViewFromImage(image)
    return array_volume(array, image.GetSpacing(), image.GetOrigin(), image.GetDirection(), "image")


def array_volume(array, spacing, origin=None, direction=None, what="array"):
    """A (z, y, x) numpy array and its geometry (x, y, z order) as the native array volume."""
    import numpy as np

    array = np.asarray(array)
    if array.ndim == 2:
        array = array[np.newaxis]
    if array.ndim != 3:
        raise _native.RadsurvValueError(
            "%s: expected a 3D (z, y, x) array, got %d dimensions" % (what, array.ndim)
        )
    if array.dtype == np.bool_:
        array = array.astype(np.uint8)
    little = array.dtype.newbyteorder("<") if array.dtype.itemsize > 1 else array.dtype
    data = np.ascontiguousarray(array, dtype=little)
    spacing = _triple(spacing, "spacing", what)
    origin = _triple(origin if origin is not None else (0.0, 0.0, 0.0), "origin", what)
    if direction is None:
        direction = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)
    direction = tuple(float(v) for v in np.asarray(direction, dtype=float).ravel())
    if len(direction) != 9:
        raise _native.RadsurvValueError("%s: direction needs 9 values (a 3x3 matrix)" % what)
    return {
        "data": data.tobytes(),
        "dtype": data.dtype.str,
        "size": (data.shape[2], data.shape[1], data.shape[0]),
        "spacing": spacing,
        "origin": origin,
        "direction": direction,
    }


def _triple(values, name, what):
    values = tuple(float(v) for v in values)
    if len(values) != 3:
        raise _native.RadsurvValueError("%s: %s needs 3 values (x, y, z)" % (what, name))
    return values


def feature_dict(features, diagnostics_json, extra_diagnostics):
    """PyRadiomics' result: diagnostics first, then the features in extraction order."""
    out = OrderedDict()
    for key, value in extra_diagnostics:
        out["diagnostics_" + key] = value
    for key, value in json.loads(diagnostics_json):
        out["diagnostics_" + key] = tuple(value) if isinstance(value, list) else value
    to_value = _value_type()
    for key, value in features:
        out[key] = to_value(value)
    return out


def _value_type():
    """numpy.float64 when numpy is installed (a float that also has numpy's methods, as
    PyRadiomics' 0-d arrays do), else float."""
    try:
        import numpy as np

        return np.float64
    except ImportError:
        return float
