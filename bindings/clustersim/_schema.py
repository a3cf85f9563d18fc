"""Declared keys of the TOML spec files (sweep and calibration files): each key's type, default,
allowed values or range and description, declared once; ``Schema.get`` reads one key of a parsed
table and ``Schema.validate`` a whole table, with errors that name the file, the key, the value
and what was expected (built by the caller's ``fail(key, value, expected)``).

    SCHEMA = Schema(Field("design", "choice", choices=DESIGNS, default="full_factorial"),
                    Field("seed", "integer", low=0, high=2**63 - 1, default=1))
    SCHEMA.check_unknown(table, fail)          # a key that is not declared
    design = SCHEMA.get(table, "design", fail)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Fail = Callable[[str, Any, str], Exception]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()   # a key without a default: absent, it is invalid (value None)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Blanks(dict):
    """Formatting context in which a missing (or None) name stays a placeholder."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


_DEFAULT_EXPECTED = {
    "any": "anything",
    "string": "a string",
    "boolean": "true or false",
    "integer": "an integer in [{low}, {high}]",
    "number": "a number",
    "choice": "one of {choices}",
    "table": "a table",
    "tables": "an array of tables",
    "list": "a list",
    "strings": "a list of strings",
    "range": "[low, high] with low < high",
}
KINDS = tuple(_DEFAULT_EXPECTED)


@dataclass(frozen=True)
class Field:
    """One key of a table.

    kind: ``any``, ``string``, ``boolean``, ``integer`` and ``number`` (within ``low`` and
    ``high``, inclusive, where given; ``positive``: > 0), ``choice`` (one of ``choices``),
    ``table``, ``tables`` (a list of tables), ``list``, ``strings`` (a list of strings),
    ``range`` (``[low, high]``, two numbers, low < high); ``nonempty`` for the lists.
    default: the value when the key is absent; ``REQUIRED``: none (absent is invalid); ``None``:
    optional (absent or None is accepted as None, unchecked).
    expected: the error's "expected ..." text; ``{low}``, ``{high}`` and ``{choices}`` (joined
    by commas) are filled in, and any context ``Schema.get`` is given."""
    name: str
    kind: str
    default: Any = REQUIRED
    choices: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    positive: bool = False
    nonempty: bool = False
    expected: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name!r}: kind {self.kind!r}; expected one of "
                             f"{', '.join(KINDS)}")

    def accepts(self, value: Any, *, low: Any = None, high: Any = None,
                choices: Any = None) -> bool:
        """Whether ``value`` fits (``low``, ``high``, ``choices``: in place of the declared)."""
        low = self.low if low is None else low
        high = self.high if high is None else high
        kind = self.kind
        if kind == "any":
            return True
        if kind == "string":
            return isinstance(value, str)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind in ("integer", "number"):
            if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
                return False
            if kind == "number" and not _is_number(value):
                return False
            if self.positive and not value > 0:
                return False
            return (low is None or low <= value) and (high is None or value <= high)
        if kind == "choice":
            return value in (self.choices if choices is None else choices)
        if kind == "table":
            return isinstance(value, Mapping)
        if kind == "range":
            return (isinstance(value, list) and len(value) == 2
                    and all(_is_number(b) for b in value) and value[0] < value[1])
        if not isinstance(value, list) or (self.nonempty and not value):
            return False
        if kind == "tables":
            return all(isinstance(item, Mapping) for item in value)
        if kind == "strings":
            return all(isinstance(item, str) for item in value)
        return True   # list

    def describe(self, *, low: Any = None, high: Any = None, choices: Any = None,
                 **context: Any) -> str:
        """The expected text, filled in."""
        choices = self.choices if choices is None else choices
        values = {"low": self.low if low is None else low,
                  "high": self.high if high is None else high,
                  "choices": ", ".join(str(c) for c in choices) if choices else None, **context}
        return (self.expected or _DEFAULT_EXPECTED[self.kind]).format_map(
            _Blanks({k: v for k, v in values.items() if v is not None}))


class Schema:
    """The declared keys of one table. ``unknown``: the expected text for an undeclared key
    (``{keys}``: the declared keys, sorted, joined by commas)."""

    def __init__(self, *fields: Field, unknown: str = "one of {keys}"):
        self.fields = {f.name: f for f in fields}
        self.unknown = unknown

    @property
    def names(self) -> list[str]:
        return list(self.fields)

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    def check_unknown(self, table: Mapping[str, Any], fail: Fail) -> None:
        """Raises ``fail(key, value, ...)`` for the first key of ``table`` not declared."""
        for key in table:
            if key not in self.fields:
                raise fail(key, table[key],
                           self.unknown.format(keys=", ".join(sorted(self.fields))))

    def get(self, table: Mapping[str, Any], name: str, fail: Fail, *, low: Any = None,
            high: Any = None, choices: Any = None, **context: Any) -> Any:
        """The value of key ``name`` in ``table`` (its default if absent), checked; raises
        ``fail(name, value, expected)`` if it does not fit. ``low``, ``high`` and ``choices``
        replace the declared ones (bounds known only at run time); ``context`` fills in the
        expected text."""
        field = self.fields[name]
        if name in table:
            value = table[name]
        else:   # a copy: a default list or table is never shared
            value = None if field.default is REQUIRED else copy.copy(field.default)
        if value is None and field.default is None:
            return None
        if not field.accepts(value, low=low, high=high, choices=choices):
            raise fail(name, value, field.describe(low=low, high=high, choices=choices,
                                                   **context))
        return value

    def validate(self, table: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Every declared key of ``table`` (defaults filled in), checked in declaration order
        after the check for undeclared keys."""
        self.check_unknown(table, fail)
        return {name: self.get(table, name, fail) for name in self.fields}

    def describe(self) -> list[dict[str, Any]]:
        """One row per key: name, kind, default (``None`` if required), expected, description."""
        return [{"name": f.name, "kind": f.kind,
                 "default": None if f.default is REQUIRED else f.default,
                 "required": f.default is REQUIRED, "expected": f.describe(),
                 "description": f.description} for f in self.fields.values()]
