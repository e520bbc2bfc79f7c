"""The one way text reaches the user's terminal: every character that could act on it shown.

Data and file names are untrusted: an escape sequence in a province name or a file name
could set the window title, clear the screen, plant a hyperlink or forge an ``error:``
line. Every line the commands print goes through :func:`say`, which shows C0 control
characters (line breaks included: one call is one line), DEL, C1 codes, bidi controls and
line or paragraph separators as ``\\xNN`` / ``\\uNNNN`` escapes. Output that is data
rather than a message (``geo stats`` writing CSV to standard output) is escaped the same
way on a terminal, and written byte for byte to a pipe or a file.
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

#: What is shown escaped: C0 controls (tab and line breaks too), DEL, C1 controls, the
#: Arabic letter mark, left-to-right and right-to-left marks, bidi embeddings, overrides
#: and isolates, line and paragraph separators, the byte order mark.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: Any) -> str:
    """``text`` as one line with every unsafe character shown as an escape.

    Examples
    --------
    >>> visible("Kunar\\x1b]0;PWNED\\x07")
    'Kunar\\\\x1b]0;PWNED\\\\x07'
    """
    return UNSAFE.sub(_escape, str(text))


def say(*lines: Any, err: bool = False) -> None:
    """Print each of ``lines`` as one visible line, on stdout or stderr (above the progress
    display when one is open)."""
    from geo._progress import echo, finish

    for line in lines:
        text = visible(line)
        if err:
            echo(text)
        else:
            finish()  # standard output comes after the work: the display is done
            _print(text, sys.stdout)


def _print(text: str, stream: TextIO) -> None:
    try:
        print(text, file=stream)
    except UnicodeEncodeError:  # a terminal that cannot show the text: show it escaped
        print(text.encode("ascii", "backslashreplace").decode(), file=stream)


def write_data(text: str, stream: TextIO | None = None) -> None:
    """Data for standard output (CSV, JSON): byte for byte to a pipe or a file, each line
    visible on a terminal."""
    stream = sys.stdout if stream is None else stream
    if getattr(stream, "isatty", lambda: False)():
        for line in text.splitlines():
            _print(visible(line), stream)
    else:
        stream.write(text)


def table_lines(table: Any) -> list[str]:
    """A pandas table or series as the lines ``to_string`` gives, each text cell visible
    first (a value holding a line break must not become a line of its own)."""
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        shown = table.copy()
        for column in shown.columns:
            if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
                shown[column] = shown[column].map(lambda v: visible(v) if isinstance(v, str) else v)
        return shown.to_string(index=False).splitlines()
    if isinstance(table, pd.Series):
        series = table.copy()
        shown = [visible(i) if isinstance(i, str) else i for i in series.index]
        series.index = pd.Index(shown, name=series.index.name)
        return series.to_string().splitlines()
    return [visible(table)]
