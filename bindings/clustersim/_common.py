"""Small helpers shared by the package's modules: progress bars, timestamps, "did you mean"
hints and the errors that name a bad value (the file, the key, the value, what was expected)."""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

E = TypeVar("E", bound=Exception)


def now() -> str:
    """The current UTC time, ISO 8601 to the second (files' ``created``, ``end_time``...)."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _single_quoted(name: str) -> str:
    return f"'{name}'"


def did_you_mean(name: str, choices: Iterable[str], *,
                 quote: Callable[[str], str] = _single_quoted) -> str:
    """``" (did you mean 'x'?)"`` for the choice closest to ``name``, or ``""`` if none is close;
    ``quote`` writes the choice (default: in single quotes; ``repr`` for Python's quoting)."""
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {quote(close[0])}?)" if close else ""


def invalid_value(error: type[E], source: str, key: str, value: Any, expected: str, *,
                  where: str | None = None) -> E:
    """``error("<source>: <where>: value <value!r> is invalid; expected <expected>")`` with its
    fields (file, key, value, expected); ``where`` defaults to ``key '<key>'``."""
    where = f"key '{key}'" if where is None else where
    return error(f"{source}: {where}: value {value!r} is invalid; expected {expected}",
                 file=source, key=key, value=repr(value), expected=expected)


def value_error(error: type[E], source: str, prefix: str = "") -> Callable[[str, Any, str], E]:
    """The ``fail(key, value, expected)`` of one table of a file: it builds (not raises) an
    ``invalid_value`` error whose key is ``prefix + key`` (``"sweep."``, ``"sweep.vary[0]."``)."""
    def fail(key: str, value: Any, expected: str) -> E:
        return invalid_value(error, source, f"{prefix}{key}", value, expected)
    return fail


class Progress:
    """A progress bar (tqdm, on stderr), or nothing when not ``enabled``.

    ``update(failed)`` counts one more item done (and failures, shown with the remaining count);
    calling it with ``(done, total)`` moves it to ``done`` (a ``Simulation.run`` progress
    callback). ``options`` go to tqdm (``desc``, ``leave``, ``disable``...)."""

    def __init__(self, total: int, *, unit: str, enabled: bool = True, initial: int = 0,
                 **options: Any):
        self.bar = None
        self.failed = 0
        if enabled:
            from tqdm import tqdm
            self.bar = tqdm(total=total, initial=initial, unit=unit, dynamic_ncols=True,
                            **options)

    def __call__(self, done: int, total: int | None = None) -> None:
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def update(self, failed: bool = False) -> None:
        self.failed += failed
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=self.failed,
                                 remaining=self.bar.total - self.bar.n, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
