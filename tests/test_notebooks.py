"""Every notebook under notebooks/ runs top to bottom on the embedded snapshot, offline."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
#: A line each notebook must print, so a notebook that silently does nothing fails.
EXPECTED_OUTPUT = {
    "01_quickstart.ipynb": "example data",
    "02_survey.ipynb": "ok: False",
    "03_index.ipynb": "municipalities have a rank",
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGIINDICATORS_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("DIGIINDICATORS_PXWEB_URL", "http://127.0.0.1:9/no-network")
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(str(o.get("text", "")) for o in outputs)
    assert EXPECTED_OUTPUT[path.name] in printed


def test_every_notebook_has_an_expected_output():
    assert {p.name for p in NOTEBOOKS} == set(EXPECTED_OUTPUT)
