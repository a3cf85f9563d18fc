"""Typed errors. Each message names what to fix: the file, the key, the value, what was expected."""

from __future__ import annotations


class ClusterSimError(Exception):
    """Base class of every error clustersim raises on purpose."""


class ScenarioError(ClusterSimError, ValueError):
    """A scenario (file, dict or assignment) is invalid; nothing was run."""

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None,
                 value: str | None = None, expected: str | None = None):
        super().__init__(message)
        self.file = file
        self.key = key
        self.value = value
        self.expected = expected

    def with_file(self, file: str) -> "ScenarioError":
        """The same error, with the file it came from named first in the message."""
        return ScenarioError(f"{file}: {self}", file=file, key=self.key, value=self.value,
                             expected=self.expected)


class DataError(ClusterSimError, ValueError):
    """A base-year data file is malformed."""


class OutputError(ClusterSimError):
    """A results file cannot be written or read."""


class NotRunYetError(ClusterSimError, LookupError):
    """A run was asked for results it has not produced yet (series before its first month,
    targets before its first December)."""


class InvariantError(ClusterSimError, RuntimeError):
    """A model invariant broke during a run (names the agent, phase and step)."""
