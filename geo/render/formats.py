"""The formats a map is written in, chosen by the suffix of the output file."""

from __future__ import annotations

from pathlib import Path

from geo._errors import InputError

#: Output formats by file suffix; ``.html`` is the interactive page, the others stills.
FORMATS = {".html": "html", ".png": "png", ".svg": "svg", ".pdf": "pdf"}
IMAGE_FORMATS = ("png", "svg", "pdf")


def output_format(path: str | Path) -> str:
    """The format chosen by the suffix of ``path``: html, png, svg or pdf."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        msg = f"--out {str(path)!r}: unknown file type {suffix or '(none)'!r}; accepted: {', '.join(FORMATS)}"
        raise InputError(msg)
    return FORMATS[suffix]
