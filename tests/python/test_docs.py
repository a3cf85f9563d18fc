"""The documentation stays true to the code: the parameter table in docs/model.md is the one
generated from the kernel's declarations, and every parameter and series is documented."""

from __future__ import annotations

from clustersim import _core, docs
from conftest import ROOT


def test_parameter_table_in_model_md_is_current():
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert docs.replace_table(text) == text, (
        "docs/model.md's parameter table is stale: run "
        "`.venv/bin/python -m clustersim.docs --write docs/model.md`")


def test_every_series_is_documented_in_the_output_format():
    text = (ROOT / "docs" / "output-format.md").read_text(encoding="utf-8")
    for series in _core.series_catalogue() + _core.city_series_catalogue():
        assert f"`{series['name']}`" in text, series["name"]
    for column in ("firm_id", "revenue_cny", "employees", "productivity", "age_months",
                   "cash_cny"):
        assert f"`{column}`" in text, column
