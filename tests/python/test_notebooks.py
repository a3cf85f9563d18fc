"""The notebooks of notebooks/: each runs without error in fast mode (CLUSTERSIM_SMALL=1), and
the committed files carry no outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = [
    "01-quickstart.ipynb",
    "02-policy-levers.ipynb",
    "03-uncertainty-and-sensitivity.ipynb",
    "04-parks.ipynb",
    "05-mid-run-policy.ipynb",
    "06-outlook-and-search.ipynb",
]


def test_every_notebook_is_tested():
    assert sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")) == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_fast_mode(name, monkeypatch):
    import tempfile
    monkeypatch.setenv("CLUSTERSIM_SMALL", "1")
    temporary = set(Path(tempfile.gettempdir()).glob("clustersim-nb*"))
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{name}: a cell failed:\n{error}")
    errors = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
              if out.output_type == "error"]
    assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    # Figures left as a cell's last expression are drawn (not shown as '<Figure ...>').
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    figures = [out for out in outputs if out.output_type in ("execute_result", "display_data")
               and "<Figure size" in out.get("data", {}).get("text/plain", "")]
    assert figures, f"{name}: no figure"
    assert all("image/png" in out["data"] for out in figures), f"{name}: a figure is not drawn"
    # A notebook cleans up its temporary files, and its sweeps show their progress.
    left = set(Path(tempfile.gettempdir()).glob("clustersim-nb*")) - temporary
    assert not left, f"{name}: left {sorted(map(str, left))}"
    for cell in nb.cells:
        if cell.cell_type == "code" and "cs.sweep(" in cell.source:
            assert "progress=True" in cell.source, f"{name}: a sweep without progress"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(name):
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: cell {i} has outputs"
            assert cell.execution_count is None, f"{name}: cell {i} has an execution count"
    first_code = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert "CLUSTERSIM_SMALL" in first_code.source, f"{name}: the fast-mode switch is not first"
