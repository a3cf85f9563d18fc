"""The kernel's includes run one way: core -> scenario -> agents and model -> phases -> init ->
simulation -> io (README.md, "Layout"). A file may include its own layer or a lower
one; an include that reaches up a layer fails here, naming the file, the line and both layers."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
SIM = ROOT / "sim"

# Lower number, lower layer. agents/ and model/ are one layer: parks hold cells by sector.
LAYERS = {"core": 0, "errors.hpp": 0, "version.hpp": 0, "scenario": 1, "agents": 2, "model": 2,
          "phases": 3, "init": 4, "simulation.hpp": 5, "simulation.cpp": 5, "io": 6}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path: pathlib.Path) -> tuple[str, int]:
    """The layer of a kernel file, from its folder under include/clustersim or src."""
    parts = path.relative_to(SIM).parts
    inner = parts[2:] if parts[0] == "include" else parts[1:]
    name = inner[0]
    return name, LAYERS[name]


def resolve(including: pathlib.Path, target: str) -> pathlib.Path | None:
    """The kernel file an include names: "clustersim/..." from include/, else beside the file."""
    if target.startswith("clustersim/"):
        return SIM / "include" / target
    candidate = including.parent / target
    return candidate if candidate.exists() else None


def kernel_files() -> list[pathlib.Path]:
    files = [*(SIM / "include").rglob("*.hpp"), *(SIM / "src").rglob("*.hpp"),
             *(SIM / "src").rglob("*.cpp")]
    return sorted(files)


def upward_includes() -> list[str]:
    found = []
    for path in kernel_files():
        name, layer = layer_of(path)
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = resolve(path, match.group(1))
            if target is None or SIM not in target.parents:
                continue
            target_name, target_layer = layer_of(target)
            if target_layer > layer:
                found.append(f"{path.relative_to(ROOT)}:{number} ({name}, layer {layer}) includes "
                             f"{match.group(1)} ({target_name}, layer {target_layer})")
    return found


def test_every_kernel_folder_has_a_layer():
    for path in kernel_files():
        layer_of(path)  # KeyError names a folder the table does not place


def test_no_include_reaches_up_a_layer():
    assert upward_includes() == []


def test_the_check_sees_an_upward_include(tmp_path, monkeypatch):
    """Not blind: a model header that included a phase would be reported."""
    fake = tmp_path / "sim"
    (fake / "include" / "clustersim" / "model").mkdir(parents=True)
    (fake / "include" / "clustersim" / "phases").mkdir(parents=True)
    (fake / "src").mkdir()
    (fake / "include" / "clustersim" / "phases" / "grow.hpp").write_text("#pragma once\n")
    (fake / "include" / "clustersim" / "model" / "bad.hpp").write_text(
        '#pragma once\n#include "clustersim/phases/grow.hpp"\n')
    monkeypatch.setattr(__import__(__name__), "SIM", fake)
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert len(upward_includes()) == 1
