"""Problems and warnings for people: the first few of each kind, then a count; all in a file.

A file where every declared province disagrees with its point gives one warning per event;
printing 87,000 lines helps nobody. Problems of the same kind (same severity, field and
message once the values in it are set aside) are counted, the first :data:`SHOWN` of each
are printed with their place, and ``--report FILE.csv|.json`` keeps every one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from geo._errors import InputError, Problem

#: Problems printed per kind before the rest are counted.
SHOWN = 10
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_EVENT = re.compile(r"^event .*?: ")
_INDEX = re.compile(r"\[\d+\]")


def kind(problem: Problem) -> tuple[str, str, str]:
    """What makes two problems "the same kind": severity, field and message without values."""
    head = _EVENT.sub("", problem.message).split("; ")[0]  # what, without the accepted values
    message = _NUMBER.sub("…", _QUOTED.sub("…", head))
    return problem.severity, _INDEX.sub("[]", problem.field), message


def summarise(problems: Sequence[Problem], *, shown: int = SHOWN) -> list[str]:
    """Lines to print: each problem as ``severity: text`` while its kind has had fewer than
    ``shown``, in input order; then, per kind with more, ``… and N more (see --report)``."""
    seen: dict[tuple[str, str, str], int] = {}
    lines = []
    for p in problems:
        k = kind(p)
        seen[k] = seen.get(k, 0) + 1
        if seen[k] <= shown:
            lines.append(f"{p.severity}: {p}")
    for (severity, field, message), count in seen.items():
        if count > shown:
            what = f"field {field!r}: " if field else ""
            lines.append(
                f"{severity}: … and {count - shown:,} more ({what}{message[:100]}; see --report)"
            )
    return lines


REPORT_FIELDS = ("severity", "file", "record", "field", "value", "message")
REPORT_FORMATS = (".csv", ".json")


def check_report_path(path: str | Path) -> str:
    """The report format from the suffix of ``path`` (``.csv`` or ``.json``)."""
    suffix = Path(path).suffix.lower()
    if suffix not in REPORT_FORMATS:
        msg = f"--report {path}: unknown file type {suffix or '(none)'!r}; accepted: .csv, .json"
        raise InputError(msg)
    return suffix


def report_text(problems: Iterable[Problem], suffix: str) -> str:
    """Every problem with file, record, field, value and message, as CSV or JSON text."""
    rows = [
        {
            "severity": p.severity,
            "file": p.file,
            "record": p.where,
            "field": p.field,
            "value": p.to_dict()["value"],
            "message": p.message,
        }
        for p in problems
    ]
    if suffix == ".json":
        return json.dumps({"problems": rows}, indent=1, ensure_ascii=False) + "\n"
    import pandas as pd

    from geo.export import csv_text

    for row in rows:
        value = row["value"]
        row["value"] = "" if value is None else value if isinstance(value, str) else repr(value)
    return csv_text(pd.DataFrame(rows, columns=list(REPORT_FIELDS), dtype=object))
