"""The type stubs of the kernel module (bindings/clustersim/_core.pyi) agree with the module
built from bindings/*.cpp: the same names of the same kinds, the parameter names and types of
the signatures pybind11 writes into the docstrings, return types that refine the docstrings',
and the constants' types; mypy's stubtest finds no other difference. Shipped with a py.typed
marker."""

from __future__ import annotations

import __future__

import ast
import collections.abc
import inspect
import os
import re
import subprocess
import sys
import tomllib
import types
import typing

import numpy
import pytest

import clustersim
from clustersim import _core
from conftest import ROOT

PACKAGE = ROOT / "bindings" / "clustersim"
STUB = PACKAGE / "_core.pyi"
INTERNAL = {"_pybind11_conduit_v1_"}   # pybind11's own, on every class


def load_stub() -> types.ModuleType:
    """The stub file run as a module (annotations kept as text until evaluated)."""
    module = types.ModuleType("clustersim_core_stub")
    module.__file__ = str(STUB)
    code = compile(STUB.read_text(encoding="utf-8"), str(STUB), "exec",
                   flags=__future__.annotations.compiler_flag, dont_inherit=True)
    exec(code, module.__dict__)  # noqa: S102  (our own stub file)
    return module


STUB_MODULE = load_stub()


def stub_names() -> dict[str, str]:
    """Public top-level names the stub declares (and __version__), by kind."""
    kinds = {}
    for node in ast.parse(STUB.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            kinds[node.name] = "class"
        elif isinstance(node, ast.FunctionDef):
            kinds[node.name] = "function"
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            kinds[node.target.id] = "variable"
        elif isinstance(node, ast.Assign):
            kinds.update({t.id: "variable" for t in node.targets if isinstance(t, ast.Name)})
    return {n: k for n, k in kinds.items() if not n.startswith("_") or n == "__version__"}


def runtime_names() -> dict[str, str]:
    kinds = {}
    for name, value in vars(_core).items():
        if name.startswith("_") and name != "__version__":
            continue
        kinds[name] = ("class" if isinstance(value, type) else
                       "function" if callable(value) else "variable")
    return kinds


def test_the_stub_declares_every_public_name_of_the_module_with_its_kind():
    assert stub_names() == runtime_names()


# --- types: docstring text evaluated, compared with the stub's evaluated annotations
def doc_type(text: str) -> typing.Any:
    """A type written by pybind11 (``typing.SupportsInt | None``, ``numpy.ndarray``,
    ``clustersim._core.Scenario``...) as a Python object."""
    names = {"typing": typing, "collections": collections, "numpy": numpy,
             "clustersim": clustersim, "object": object}
    return eval(text, names)   # our own module's docstrings


def stub_type(annotation: str) -> typing.Any:
    return eval(annotation, vars(STUB_MODULE))   # our own stub


def origin(tp: typing.Any) -> typing.Any:
    return typing.get_origin(tp) or tp


def args(tp: typing.Any) -> tuple:
    return typing.get_args(tp)


def is_core_class(tp: typing.Any) -> bool:
    """A class of the module (Scenario, Simulation), or the stub's declaration of one."""
    return (isinstance(tp, type) and not typing.is_typeddict(tp)
            and tp.__module__ in ("clustersim._core", STUB_MODULE.__name__))


def same_type(stub: typing.Any, runtime: typing.Any) -> bool:
    """The stub's type is the docstring's (a kernel class matches the stub class of its name;
    unions match whatever the order)."""
    if is_core_class(stub) or is_core_class(runtime):
        return is_core_class(stub) and is_core_class(runtime) and stub.__name__ == runtime.__name__
    if origin(stub) in (typing.Union, types.UnionType) or \
            origin(runtime) in (typing.Union, types.UnionType):
        a, b = list(args(stub)), list(args(runtime))
        return len(a) == len(b) and all(any(same_type(x, y) for y in b) for x in a)
    if origin(stub) is not origin(runtime) or len(args(stub)) != len(args(runtime)):
        return False
    return all(same_type(x, y) for x, y in zip(args(stub), args(runtime), strict=True))


def refines(stub: typing.Any, runtime: typing.Any) -> bool:
    """The stub's return type is the docstring's, or a narrower one where the docstring is
    vague (``object``, bare ``list``, ``dict``, ``tuple``, ``numpy.ndarray``)."""
    if runtime is object or same_type(stub, runtime):
        return True
    if is_core_class(runtime) or is_core_class(stub):
        return False
    base = origin(stub)
    if typing.is_typeddict(stub):
        base = dict
    if not (isinstance(base, type) and issubclass(base, origin(runtime))):
        return False
    if not args(runtime):
        return True
    return len(args(stub)) == len(args(runtime)) and all(
        refines(x, y) for x, y in zip(args(stub), args(runtime), strict=True))


SIGNATURE = re.compile(r"^(?P<name>\w*)\((?P<params>.*)\) -> (?P<returns>.+)$")


def split_params(text: str) -> list[str]:
    """``a: int, b: dict[str, int]`` -> the parameters, split at top-level commas only."""
    out, depth, current = [], 0, ""
    for char in text:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += char
    return out + ([current.strip()] if current.strip() else [])


def doc_signature(runtime: typing.Any) -> tuple[list[tuple[str, str]], str]:
    """(parameters as (name, type text), return type text) of pybind11's docstring."""
    line = (runtime.__doc__ or "").strip().splitlines()[0]
    match = SIGNATURE.match(line)
    assert match, f"no pybind11 signature in the docstring {line!r}"
    params = [tuple(p.split("=")[0].strip().split(": ", 1)) for p in
              split_params(match["params"])]
    return params, match["returns"]


def check_function(where: str, stub: typing.Any, runtime: typing.Any, *,
                   method: bool) -> list[str]:
    problems = []
    doc_params, doc_returns = doc_signature(runtime)
    signature = inspect.signature(stub)
    params = list(signature.parameters.values())
    if method:   # the instance: self (arg0 for a property's getter) in the docstring
        if not params or params[0].name != "self":
            return [f"{where}: expected self first"]
        doc_params, params = doc_params[1:], params[1:]
    names = [p.name for p in params]
    if names != [n for n, _ in doc_params]:
        return [f"{where}: parameters {names}; the module has {[n for n, _ in doc_params]}"]
    for p, (name, text) in zip(params, doc_params, strict=True):
        if p.annotation is inspect.Parameter.empty:
            problems.append(f"{where}({name}): no annotation; the module has {text}")
        elif not same_type(stub_type(p.annotation), doc_type(text)):
            problems.append(f"{where}({name}): {p.annotation}; the module has {text}")
        # pybind11 names an argument without py::arg argN; it cannot be passed by keyword
        if re.fullmatch(r"arg\d+", name) and p.kind is not p.POSITIONAL_ONLY:
            problems.append(f"{where}({name}): should be positional-only (/)")
    if signature.return_annotation is inspect.Signature.empty:
        problems.append(f"{where}: no return annotation; the module has {doc_returns}")
    elif not refines(stub_type(signature.return_annotation), doc_type(doc_returns)):
        problems.append(f"{where}: returns {signature.return_annotation}; the module has "
                        f"{doc_returns}")
    return problems


def member_kind(value: typing.Any) -> str:
    if isinstance(value, property):
        return "property"
    if isinstance(value, staticmethod):
        return "staticmethod"
    if isinstance(value, classmethod):
        return "classmethod"
    return "method" if callable(value) else "attribute"


def public_members(cls: type) -> dict[str, typing.Any]:
    return {n: v for n, v in vars(cls).items()
            if (not n.startswith("_") or n == "__init__") and n not in INTERNAL}


def test_functions_and_methods_have_the_modules_signatures():
    problems = []
    for name, kind in runtime_names().items():
        runtime, stub = getattr(_core, name), getattr(STUB_MODULE, name, None)
        if kind == "function":
            problems += check_function(name, stub, runtime, method=False)
        if kind != "class":
            continue
        members, declared = public_members(runtime), public_members(stub)
        if sorted(members) != sorted(declared):
            problems.append(f"{name}: members {sorted(declared)}; the module has "
                            f"{sorted(members)}")
            continue
        for member, value in members.items():
            where = f"{name}.{member}"
            if member_kind(value) != member_kind(declared[member]):
                problems.append(f"{where}: a {member_kind(declared[member])}; the module has "
                                f"a {member_kind(value)}")
            elif isinstance(value, property):
                problems += check_function(where, declared[member].fget, value.fget,
                                           method=True)
                if value.fset is not None or declared[member].fset is not None:
                    problems.append(f"{where}: read-only in one of them only")
            elif isinstance(value, staticmethod):
                problems += check_function(where, declared[member].__func__,
                                           getattr(runtime, member), method=False)
            else:
                problems += check_function(where, declared[member], value, method=True)
    assert not problems, "\n".join(problems)


def conforms(value: typing.Any, tp: typing.Any) -> bool:
    if args(tp) and origin(tp) is list:
        return isinstance(value, list) and all(conforms(v, args(tp)[0]) for v in value)
    return isinstance(value, origin(tp))


def test_constants_have_the_stubs_types():
    hints = typing.get_type_hints(STUB_MODULE)
    for name, kind in runtime_names().items():
        if kind == "variable":
            assert conforms(getattr(_core, name), hints[name]), (name, hints[name])


def test_every_annotation_of_the_stub_evaluates():
    """Names in the stub resolve (TypedDicts, aliases, numpy types), also in class bodies."""
    typing.get_type_hints(STUB_MODULE)
    for value in vars(STUB_MODULE).values():
        if isinstance(value, type) and value.__module__ == STUB_MODULE.__name__:
            typing.get_type_hints(value, vars(STUB_MODULE))
            for member in vars(value).values():
                function = getattr(member, "fget", None) or getattr(member, "__func__", member)
                if inspect.isfunction(function):
                    typing.get_type_hints(function, vars(STUB_MODULE))
        elif inspect.isfunction(value):
            typing.get_type_hints(value, vars(STUB_MODULE))


def test_catalogues_have_the_keys_of_the_stubs_typed_dicts():
    for function, typed in (("parameters", "_ParameterInfo"),
                            ("series_catalogue", "_SeriesInfo"),
                            ("city_series_catalogue", "_CitySeriesInfo"),
                            ("target_catalogue", "_TargetInfo"),
                            ("lever_catalogue", "_LeverInfo")):
        keys = set(typing.get_type_hints(getattr(STUB_MODULE, typed), vars(STUB_MODULE)))
        for row in getattr(_core, function)():
            assert set(row) == keys, (function, sorted(set(row) ^ keys))
    literal = typing.get_args(stub_type("_SeriesShape"))
    for row in _core.series_catalogue() + _core.city_series_catalogue():
        assert row["shape"] in literal, row


def test_stubtest_finds_no_difference(tmp_path):
    pytest.importorskip("mypy")
    env = {**os.environ, "MYPYPATH": str(ROOT / "bindings")}
    result = subprocess.run([sys.executable, "-m", "mypy.stubtest", "--concise",
                             "clustersim._core"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=600, check=False)
    # pybind11 classes have pybind11's metaclass, which has no stub: not a difference.
    errors = [line for line in result.stdout.splitlines()
              if line.strip() and not line.endswith("is inconsistent, metaclass differs")]
    assert result.returncode in (0, 1) and not errors, result.stdout + result.stderr


def test_the_stub_and_py_typed_ship_with_the_package():
    assert (PACKAGE / "py.typed").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["scikit-build"]["wheel"]
    assert "bindings/clustersim" in wheel["packages"]   # every file of the folder is packaged
    excluded = wheel.get("exclude", [])
    assert not [p for p in excluded if p.endswith((".pyi", "py.typed"))], excluded
