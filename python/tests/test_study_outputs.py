"""``run_study`` writes only where ``radsurv study`` would: never into the folder of an input,
never into a folder that holds files unless asked."""

import shutil

import pytest

from conftest import REPO
import radsurv


def test_run_study_refuses_an_input_folder_and_a_non_empty_folder(tmp_path):
    config = tmp_path / "config.yaml"
    shutil.copy(REPO / "examples" / "study.yaml", config)
    before = config.read_text()
    with pytest.raises(radsurv.RadsurvValueError, match="holds the input"):
        radsurv.run_study(config, tmp_path, force=True)
    assert config.read_text() == before
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(radsurv.RadsurvValueError, match=r"not empty.*force=True"):
        radsurv.run_study(config, out)
    assert (out / "notes.txt").read_text() == "mine"
