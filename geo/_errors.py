"""Errors and the problems that validation collects."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Parameters
    ----------
    file : str
        Path of the input file, as given.
    where : str
        The place in the file: ``"feature 3"``, ``"line 4"`` or ``"file"``.
    field : str
        The field (property or column) at fault, or ``""`` for the whole record.
    value : Any
        The offending value, shown with ``repr``.
    message : str
        What is wrong and what is accepted instead.
    severity : str
        ``"error"`` drops the record (or the file); ``"warning"`` keeps it.
    """

    file: str
    where: str
    field: str
    value: Any
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        field = f", field {self.field!r}" if self.field else ""
        value = "" if self.value is _NO_VALUE else f": {_clip(repr(self.value))}"
        return f"{self.file}: {self.where}{field}{value}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dictionary of the problem."""
        out = asdict(self)
        out["value"] = None if self.value is _NO_VALUE else _jsonable(self.value)
        return out


class _NoValue:
    def __repr__(self) -> str:
        return "<no value>"

    def __reduce__(self) -> str:
        # one object in every process: a problem found on a dask worker keeps "no value"
        return "_NO_VALUE"


_NO_VALUE: Any = _NoValue()
NO_VALUE: Any = _NO_VALUE


def _clip(text: str, limit: int = 200) -> str:
    """A message shows at most ``limit`` characters of a value (a 100 kB summary is noise)."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _jsonable(value: Any) -> Any:
    """The value as strict JSON allows it: non-finite numbers and objects become their repr."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _clip(value.encode("utf-8", "backslashreplace").decode("utf-8"), 2000)
    return _clip(repr(value), 2000)


class ValidationError(ValueError):
    """Raised when input data has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """The message as lines: a count, then a line per problem (the first 50)."""
        n = len(self.problems)
        shown = [f"  - {p}" for p in self.problems[:50]]
        more = [f"  ... and {n - 50} more"] if n > 50 else []
        return [f"{n} problem{'s' if n != 1 else ''} found in the input:", *shown, *more]


class InputError(ValueError):
    """Raised for options or files that cannot be used at all (not per-record problems)."""


_READING: ContextVar[str | None] = ContextVar("geo_reading", default=None)


@contextmanager
def reading(name: str) -> Iterator[None]:
    """Mark ``name`` as the file being read, so that an unexpected failure can name it.

    The mark stays after an exception (that is when it is needed) and is cleared after a
    successful read.
    """
    token = _READING.set(name)
    yield
    _READING.reset(token)


def reading_now() -> str | None:
    """The file being read when the last unexpected failure happened, if any."""
    return _READING.get()


def clear_reading() -> None:
    """Forget the file mark left by an earlier failure (a new command starts clean)."""
    _READING.set(None)
