"""Manifests: the Python batch and the Dask example write the CLI's CSV."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, case_files, params_file
import radsurv


def radsurv_cli():
    """The `radsurv` binary of this checkout (built by cargo, in CARGO_TARGET_DIR when set), or
    None."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for profile in ("debug", "release"):
        path = target / profile / "radsurv"
        if path.exists():
            return str(path)
    return shutil.which("radsurv")


@pytest.fixture
def manifest(tmp_path):
    rows = [("lung1", *case_files("lung1")), ("broken", str(tmp_path / "none.nrrd"),
            case_files("lung1")[1]), ("brain1", *case_files("brain1")),
            ("breast1", *case_files("breast1"))]
    path = tmp_path / "manifest.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["case_id", "image", "mask"])
        writer.writerows(rows)
    return path


def cli_csv(manifest, params, out):
    cli = radsurv_cli()
    if cli is None:
        pytest.skip("the radsurv binary is not built (cargo build -p radsurv-cli)")
    done = subprocess.run([cli, "extract", "--manifest", str(manifest), "--params", params,
                           "--out", str(out), "--jobs", "2"], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # one case fails
    assert "none.nrrd" in done.stderr
    return out.read_text()


def rows_by_case(text):
    lines = text.splitlines()
    return lines[0], {line.split(",", 1)[0]: line for line in lines[1:]}


def test_extract_manifest_matches_the_cli(manifest, tmp_path):
    params = params_file("resampled1mm_bw25.yaml")
    with pytest.warns(RuntimeWarning, match="none.nrrd"):
        frame = radsurv.extract_manifest(manifest, params=params, jobs=2)
    assert list(frame["case_id"]) == ["lung1", "brain1", "breast1"]
    assert "broken" in frame.attrs["failed"]
    expected = cli_csv(manifest, params, tmp_path / "cli.csv")
    header, cli_rows = rows_by_case(expected)
    assert list(frame.columns) == header.split(",")
    for _, row in frame.iterrows():
        values = cli_rows[row["case_id"]].split(",")[1:]
        assert [float(v) for v in values] == [float(row[c]) for c in frame.columns[1:]]
    # the CLI writes rows as cases finish; the Python CSV is in manifest order
    ours = radsurv.manifest_csv(manifest, params=params, jobs=2)
    assert rows_by_case(ours) == rows_by_case(expected)
    assert [line.split(",")[0] for line in ours.splitlines()[1:]] == ["lung1", "brain1", "breast1"]


def test_dask_example_on_two_local_workers_equals_the_cli(manifest, tmp_path):
    pytest.importorskip("dask.distributed")
    params = params_file("resampled1mm_bw25.yaml")
    out = tmp_path / "dask.csv"
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "dask_extract.py"), str(manifest),
         "--params", params, "--out", str(out), "--workers", "2"],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "case broken: error:" in done.stderr and "none.nrrd" in done.stderr
    text = out.read_text()
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["lung1", "brain1", "breast1"]
    assert rows_by_case(text) == rows_by_case(cli_csv(manifest, params, tmp_path / "cli.csv"))
