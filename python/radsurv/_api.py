"""Arrays, manifests, the study and the model file: thin wrappers of the native module."""

import csv
import io
import json
import os
import tempfile
import warnings

from radsurv import _convert, _native


def extract_array(image, mask, spacing, origin=None, direction=None, params=None, label=1):
    """Features of a (z, y, x) image array and mask array (SimpleITK's order) on a grid given in
    (x, y, z) order: ``spacing``, ``origin`` (default 0) and the 3x3 ``direction`` (default
    identity). ``params``: a parameter file path or dict (PyRadiomics' defaults without).
    Returns an ``OrderedDict`` of the features, PyRadiomics' keys in its order."""
    document = _params_document(params)
    document.setdefault("setting", {})
    document["setting"] = dict(document["setting"] or {}, label=label)
    features, _ = _native.extract_arrays(
        _document_json(document),
        _convert.array_volume(image, spacing, origin, direction, "image"),
        _convert.array_volume(mask, spacing, origin, direction, "mask"),
    )
    return _convert.feature_dict(features, "[]", [])


def _params_document(params):
    if params is None:
        return {}
    if isinstance(params, dict):
        return dict(params)
    return _native.read_params_file(os.fspath(params))


def _document_json(document):
    return _convert.params_json(
        document.get("imageType") or {"Original": {}},
        document.get("featureClass") or {},
        document.get("setting") or {},
    )


def _manifest_native(path, params, jobs):
    if isinstance(params, dict):
        return _native.extract_manifest(
            os.fspath(path), params_json=_document_json(params), jobs=jobs)
    return _native.extract_manifest(
        os.fspath(path), params=None if params is None else os.fspath(params), jobs=jobs)


def extract_manifest(path, params=None, jobs=None):
    """Extracts every case of a manifest (``case_id,image,mask[,label,segment,reader]``) as
    ``radsurv extract --manifest`` does, ``jobs`` cases at a time (default: all cores).

    Returns a ``pandas.DataFrame`` with the CLI's columns (``case_id``, ``reader`` when the
    manifest names readers, then the features), one row per successful case in manifest order
    (a list of dicts when pandas is not installed). Failed cases are left out and reported in a
    ``RuntimeWarning``; ``DataFrame.attrs["failed"]`` maps their ids to the error."""
    keys, rows = _manifest_native(path, params, jobs)
    columns, records, failed = _records(keys, rows)
    if failed:
        warnings.warn(
            "%d case(s) failed: %s" % (len(failed), "; ".join(
                "case %s: %s" % (case, error) for case, error in failed)),
            RuntimeWarning, stacklevel=2)
    try:
        import pandas as pd
    except ImportError:
        return records
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame.attrs["failed"] = dict(failed)
    return frame


def _records(keys, rows):
    with_reader = any(reader is not None for _, reader, _, _ in rows)
    columns = ["case_id"] + (["reader"] if with_reader else []) + list(keys)
    records, failed = [], []
    for case_id, reader, features, error in rows:
        if error is not None:
            failed.append((case_id, error))
            continue
        record = {"case_id": case_id}
        if with_reader:
            record["reader"] = reader or ""
        record.update(features)
        records.append(record)
    return columns, records, failed


def manifest_csv(path, params=None, jobs=None):
    """The CSV text ``radsurv extract --manifest`` writes for this manifest (rows in manifest
    order, failed cases left out)."""
    keys, rows = _manifest_native(path, params, jobs)
    return _native.features_csv(keys, rows)


def read_manifest(path):
    """The manifest's entries in order, as tuples ``(case_id, image, mask, label, segment,
    reader)`` with paths resolved against the manifest's folder (for running cases elsewhere,
    e.g. one task per case on a cluster)."""
    return _native.read_manifest(os.fspath(path))


def params_document(params=None):
    """A parameter file path, dict or ``None`` (PyRadiomics' defaults) as a parameter dict that
    can be shipped to other processes."""
    return _params_document(params)


def extract_case(entry, params=None):
    """Extracts one manifest entry (from ``read_manifest``) as a batch does. Returns
    ``(case_id, reader, features, error)``: ``features`` a list of ``(key, value)`` or ``None``,
    ``error`` radsurv's message when the case failed (not raised, so a batch goes on)."""
    return _native.extract_entry(tuple(entry), params_json=_document_json(_params_document(params)))


def feature_keys(params=None):
    """The feature columns a parameter file or dict produces, in output order."""
    return _native.feature_keys(_document_json(_params_document(params)))


def features_csv(rows, params=None):
    """The CSV text of ``radsurv extract --manifest`` for rows of ``extract_case`` in manifest
    order: ``case_id``, ``reader`` when any row names one, the features (failed rows left out)."""
    return _native.features_csv(feature_keys(params), [tuple(r) for r in rows])


def run_study(config_path, out_dir, force=False):
    """Runs ``radsurv study CONFIG --out DIR [--force]`` in-process; returns the results (as
    written to ``results.json``) as a dict. As the command, it refuses an ``out_dir`` that holds
    one of the study's inputs, and one that already holds files unless ``force``. The parameter
    file's warnings (``results["extraction"]["params_warnings"]``) are also issued as
    ``RuntimeWarning``."""
    results = json.loads(_native.run_study(os.fspath(config_path), os.fspath(out_dir), force))
    for message in results["extraction"].get("params_warnings", []):
        warnings.warn("extraction parameters: " + message, RuntimeWarning, stacklevel=2)
    return results


class Model:
    """A model file written by a study (``model.json``); ``predict`` equals ``radsurv predict``."""

    def __init__(self, native):
        self._native = native

    @classmethod
    def load(cls, path):
        return cls(_native.NativeModel.load(os.fspath(path)))

    def predict(self, data, features=None, manifest=None, id_column="id"):
        """Scores patients: ``data`` is the clinical table (a DataFrame or a CSV path). Radiomics
        features come from ``features`` (a DataFrame or CSV with ``case_id`` and feature columns),
        from ``manifest`` (extracted now with the model's parameters), or else from ``data``
        itself. Returns ``radsurv predict``'s table (a DataFrame when pandas is installed, else a
        list of dicts, with ``radsurv predict``'s ``imputed`` column); patients that cannot be scored
        are left out and named in a warning, as are imputed features."""
        with tempfile.TemporaryDirectory(prefix="radsurv-") as tmp:
            clinical = _as_csv(data, os.path.join(tmp, "clinical.csv"))
            if manifest is not None:
                scored = self._native.predict(clinical, id_column, manifest=os.fspath(manifest))
            else:
                source = data if features is None else features
                if features is None and _is_frame(data) and "case_id" not in data.columns:
                    source = data.assign(case_id=data[id_column])
                feature_csv = _as_csv(source, os.path.join(tmp, "features.csv"))
                if features is None and not _is_frame(data):
                    feature_csv = _with_case_id(feature_csv, id_column, os.path.join(tmp, "f.csv"))
                scored = self._native.predict(clinical, id_column, features=feature_csv)
        run_warnings, scored = scored
        for message in run_warnings:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        columns = ["id", "rad_score", "linear_predictor", "risk_group"] + [
            "surv_" + h for h in self._native.horizons()] + ["imputed"]
        records, failed = [], []
        for patient, prediction, error in scored:
            if error is not None:
                failed.append("patient %s: %s" % (patient, error))
                continue
            rad, lp, group, survival, imputed = prediction
            if imputed:
                failed.append("patient %s: %s replaced by the training mean"
                              % (patient, ", ".join(imputed)))
            row = [patient, rad, lp, group] + list(survival) + [";".join(imputed)]
            records.append(dict(zip(columns, row)))
        if failed:
            warnings.warn("; ".join(failed), RuntimeWarning, stacklevel=2)
        try:
            import pandas as pd
        except ImportError:
            return records
        return pd.DataFrame.from_records(records, columns=columns)


def _is_frame(value):
    return hasattr(value, "to_csv") and hasattr(value, "columns")


def _as_csv(value, path):
    if _is_frame(value):
        value.to_csv(path, index=False)
        return path
    return os.fspath(value)


def _with_case_id(source, id_column, path):
    """A copy of a CSV whose ``id_column`` is also its ``case_id`` column (features and clinical
    values in one table)."""
    with open(source, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or "case_id" in rows[0]:
        return source
    if id_column not in rows[0]:
        return source  # the native reader names the missing column
    at = rows[0].index(id_column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0] + ["case_id"])
    for row in rows[1:]:
        writer.writerow(row + [row[at] if at < len(row) else ""])
    with open(path, "w", newline="") as f:
        f.write(out.getvalue())
    return path
