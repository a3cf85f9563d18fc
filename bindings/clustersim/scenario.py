"""Scenario: what to simulate, as validated parameter values (no execution, no output)."""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import tomli_w

from clustersim import _core
from clustersim._common import did_you_mean
from clustersim._files import decode_input, read_input
from clustersim.errors import ScenarioError


def parameters() -> list[dict[str, Any]]:
    """Every parameter's declaration: key, type, default, min, max, unit, description, source."""
    return _core.parameters()


_KEYS = [p["key"] for p in _core.parameters()]


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            if not value:
                yield key, value  # an empty table is no parameter: let validation say so
            yield from _flatten(value, key + ".")
        else:
            yield key, value


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        *tables, leaf = key.split(".")
        node = tree
        for table in tables:
            node = node.setdefault(table, {})
        node[leaf] = value
    return tree


def _hint(error: ScenarioError) -> ScenarioError:
    """Adds 'did you mean' to an unknown-key error."""
    if error.key is None or error.key in _KEYS:
        return error
    if error.key.startswith("policy.") and f"{error.key}.intensity" in _KEYS:
        # A lever is a table: its strength is the intensity (0 off, 1 as announced).
        hint = (f" (did you mean '{error.key}.intensity', the lever's intensity? a lever is "
                "a table of intensity, start_year, end_year, effect_years, half_life_years and "
                "cost_cny_per_year)")
    else:
        hint = did_you_mean(error.key, _KEYS)
    if not hint:
        return error
    return ScenarioError(f"{error}{hint}", file=error.file, key=error.key, value=error.value,
                         expected=error.expected)


def _plain(value: Any) -> Any:
    """NumPy scalars and arrays as the Python numbers and lists the kernel takes."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


_TEXT_EXPECTED = "UTF-8 text without NUL characters"


def _bad_text(text: str) -> bool:
    """A NUL ends a C string (the kernel and HDF5 would cut the text there) and a lone
    surrogate (from a non-UTF-8 command line or a "\\udc80" escape) has no UTF-8 form."""
    if "\0" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_text(key: str, value: Any) -> None:
    """ScenarioError for a key, or a text value (alone or in a list), that the kernel cannot
    take as UTF-8 text: refused here, before pybind11 fails with a bare RuntimeError."""
    if isinstance(key, str) and _bad_text(key):
        raise ScenarioError(f"key {key!r} is invalid; expected {_TEXT_EXPECTED}", key=key,
                            value=repr(value), expected=_TEXT_EXPECTED)
    texts = value if isinstance(value, (list, tuple)) else [value]
    if any(isinstance(text, str) and _bad_text(text) for text in texts):
        raise ScenarioError(f"key '{key}': value {value!r} is invalid; expected {_TEXT_EXPECTED}",
                            key=key, value=repr(value), expected=_TEXT_EXPECTED)


# A chain of `base =` files longer than this is surely a mistake (and a loop is caught anyway).
_MAX_BASES = 16


def _load_base(value: Any, source: str, chain: tuple[str, ...]) -> "Scenario":
    """The scenario that `base = value` in the file `source` names, loaded with its own bases;
    ScenarioError naming the file and `base` for a wrong type, a missing file or a loop."""
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{source}: base = {value!r}; expected the path of a scenario file "
                            "to build on (text, relative to this file's folder)",
                            file=source, key="base", value=repr(value),
                            expected="a scenario file's path")
    folder = os.path.dirname(os.path.abspath(source)) if os.path.exists(source) else os.getcwd()
    path = os.path.join(folder, os.path.expanduser(value))
    here = os.path.realpath(source) if os.path.exists(source) else source
    chain = (*chain, here)
    if not os.path.isfile(path):
        raise ScenarioError(f"{source}: base = {value!r}: no such scenario file ({path}); expected "
                            "a scenario file to build on, relative to this file's folder",
                            file=source, key="base", value=repr(value),
                            expected="an existing scenario file")
    if os.path.realpath(path) in chain:
        loop = " -> ".join(os.path.basename(p) for p in (*chain, os.path.realpath(path)))
        raise ScenarioError(f"{source}: base = {value!r} makes a loop ({loop}); expected a chain "
                            "of scenario files that ends", file=source, key="base",
                            value=repr(value), expected="a chain of bases without a loop")
    if len(chain) > _MAX_BASES:
        raise ScenarioError(f"{source}: more than {_MAX_BASES} scenario files build on each "
                            "other; expected a shorter chain of bases", file=source, key="base",
                            value=repr(value), expected=f"at most {_MAX_BASES} bases")
    return Scenario.from_toml(read_input(path, ScenarioError, "scenario"), source=path,
                              _chain=chain)


class Scenario:
    """Parameter values for one simulation, validated on every assignment.

    Keys are dotted (``"firms.exit.base_hazard"``); a key not set takes its declared default.
    ``parameters()`` lists every key with its unit, range and source.
    """

    def __init__(self, values: Mapping[str, Any] | None = None, *, source: str | None = None):
        self._core = _core.Scenario()
        self.source = source
        # The files this scenario builds on (`base = ...`), the first the deepest; their values
        # are resolved into this one, so outputs record the whole scenario.
        self.bases: list[str] = []
        for key, value in _flatten(values or {}):
            self._set(key, value)

    # --- construction
    @classmethod
    def load(cls, path: str | os.PathLike) -> "Scenario":
        """Reads a TOML scenario file; raises ScenarioError naming the file on any problem.

        A file may build on another: ``base = "no-new-policy.toml"`` (relative to the file's
        folder) takes every value of that scenario, and the file's own values replace them."""
        path = os.fspath(path)
        return cls.from_toml(read_input(path, ScenarioError, "scenario"), source=path)

    @classmethod
    def from_toml(cls, text: str | bytes, *, source: str = "<string>",
                  _chain: tuple[str, ...] = ()) -> "Scenario":
        if isinstance(text, bytes):
            text = decode_input(text, source, ScenarioError, "a TOML file")
        if not text.strip():
            raise ScenarioError(f"{source}: the file is empty; expected a TOML scenario "
                                "(at least a name = \"...\" line)", file=source)
        try:
            tree = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ScenarioError(f"{source}: malformed TOML: {error}", file=source) from None
        except RecursionError:
            raise ScenarioError(f"{source}: tables nested too deeply", file=source) from None
        for kind, table, command in (("sweep", "sweep", "clustersim sweep"),
                                     ("calibration", "calibration", "clustersim calibrate")):
            if isinstance(tree.get(table), dict):
                raise ScenarioError(
                    f"{source}: this is a {kind} file (it has a [{table}] table), not a "
                    f"scenario; run it with `{command} {source} -o <file>.h5`",
                    file=source, key=table, expected="a scenario file")
        if "base" not in tree:
            return cls(tree, source=source)
        base = _load_base(tree.pop("base"), source, _chain)
        own = cls(tree, source=source)   # this file's values, each validated and named by file
        merged = dict(_flatten(base.to_dict()))
        merged.update(_flatten(own.to_dict()))
        scenario = cls(merged, source=source)
        scenario.bases = [*base.bases, base.source] if base.source else list(base.bases)
        return scenario

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], *, source: str | None = None) -> "Scenario":
        """From nested tables or dotted keys: ``{"firms": {"exit": {...}}}`` or
        ``{"scale": 0.1}``."""
        return cls(values, source=source)

    def copy(self) -> "Scenario":
        copied = Scenario(self.to_dict(), source=self.source)
        copied.bases = list(self.bases)
        return copied

    # --- access
    def _set(self, key: str, value: Any) -> None:
        try:
            _check_text(key, value)
            self._core.set(key, _plain(value))
        except ScenarioError as error:
            error = _hint(error)
            raise (error.with_file(self.source) if self.source else error) from None

    def __setitem__(self, key: str, value: Any) -> None:
        self._set(key, value)

    def __getitem__(self, key: str) -> Any:
        try:
            _check_text(key, None)
            return self._core.get(key)
        except ScenarioError as error:
            raise _hint(error) from None

    def __delitem__(self, key: str) -> None:
        """Returns a key to its default."""
        self[key]  # raises for an unknown key
        self._core.unset(key)

    def __contains__(self, key: object) -> bool:
        return key in _KEYS

    def keys(self) -> list[str]:
        """Every parameter key (set or default)."""
        return list(_KEYS)

    def is_set(self, key: str) -> bool:
        return self._core.is_set(key)

    def validate(self) -> "Scenario":
        """Runs the checks that involve several keys (each key is checked when set)."""
        try:
            self._core.check()
        except ScenarioError as error:
            raise (error.with_file(self.source) if self.source else error) from None
        return self

    # --- export
    def to_dict(self, *, include_defaults: bool = False) -> dict[str, Any]:
        """Nested tables of the values set (and of the defaults, if asked)."""
        flat = {k: self._core.get(k) for k in _KEYS} if include_defaults else self._core.values()
        return _nest(copy.deepcopy(flat))

    def to_toml(self, *, include_defaults: bool = False) -> str:
        return tomli_w.dumps(self.to_dict(include_defaults=include_defaults))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.to_dict(include_defaults=True) == other.to_dict(include_defaults=True)

    def __repr__(self) -> str:
        where = f" from {self.source}" if self.source else ""
        return f"<Scenario {self['name']!r}{where}: {len(self._core.values())} values set>"
