"""A progress display on stderr for long work: reading, validating, enriching, rendering,
writing. Shown only on a terminal, for large inputs, and never with ``--quiet``.

Library code marks its stages with :func:`step` (with a ``total`` where the size of the
work is known: bytes read or written, rules applied) and :func:`advance` as it goes, both
no-ops unless the command line opened a :func:`display`. Lines the command prints while the
display is open go through :func:`echo`, above the display; :func:`finish` closes it before
the command's summary line, so that line is never broken by the display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

#: Inputs at least this large (bytes, all files together) get a progress display.
LARGE_INPUT = 8 << 20
_active: list[Any] = []  # [progress, task] while a display is open


def wanted(paths: Sequence[str], *, quiet: bool = False, stream: Any = None) -> bool:
    """Whether to show progress: a terminal, not quiet, and large inputs."""
    stream = sys.stderr if stream is None else stream
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return False
    total = 0
    for p in paths:
        try:
            total += os.stat(p).st_size
        except OSError:
            continue  # the reader reports it
    return total >= LARGE_INPUT


@contextmanager
def display(enabled: bool) -> Iterator[None]:
    """Open the progress display for the duration of a command (if ``enabled``)."""
    if not enabled:
        yield
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(bar_width=24),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        refresh_per_second=10,
    )
    progress.start()
    task = progress.add_task("starting", total=None)
    _active[:] = [progress, task]
    try:
        yield
    finally:
        finish()


def step(description: str, total: float | None = None) -> None:
    """Name the stage now running on the display, if one is open; with ``total``, the
    display shows a percentage as :func:`advance` reports the work done."""
    if _active:
        progress, task = _active
        progress.remove_task(task)  # a new task: an indeterminate stage shows no percentage
        _active[1] = progress.add_task(description, total=total)


def advance(amount: float = 1) -> None:
    """Count ``amount`` of the current stage's ``total`` as done."""
    if _active:
        progress, task = _active
        progress.advance(task, amount)


def echo(line: str) -> None:
    """Print a line on stderr, above the display when one is open."""
    if _active:
        _active[0].console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)
    else:
        print(line, file=sys.stderr)


def finish() -> None:
    """Close the display (it leaves nothing on the screen); the summary line comes next."""
    if _active:
        progress, _ = _active
        _active.clear()
        progress.stop()
