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


def test_the_project_describes_its_policy_itself():
    # A clone has no ../shared: the policy's targets and levers are described in docs/policy.md,
    # and no tracked file points outside the project for them.
    import subprocess
    policy = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    for target in _core.target_catalogue():
        assert f"`{target['id']}`" in policy, target["id"]
    for lever in _core.lever_catalogue():
        assert f"`{lever['key']}`" in policy, lever["key"]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    for name in tracked:
        path = ROOT / name
        if path.suffix not in {".md", ".py", ".cpp", ".hpp", ".toml", ".ipynb", ".txt", ".csv"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for outside in ("shared" + "/mission", "POLICY" + ".md"):  # split: not a citation
            assert outside not in text, f"{name} cites {outside}; cite docs/policy.md"
